"""Every event kind is declared once, by the app that records it (notifications.registry):
recording an undeclared kind fails, and every kind the code records is declared."""

import ast
import importlib
import re

import pytest

from notifications import registry
from notifications.models import Event
from notifications.services import event_record
from tests.test_layering import MODULES

RECORDERS = {"event_record", "events_summarize"}
KIND_SHAPE = re.compile(r"^[a-z]+\.[a-z_]+$")
DECLARING = {"congress.events", "workflows.events"}


def test_recording_an_undeclared_kind_fails_and_records_nothing(world):
    with pytest.raises(registry.UndeclaredEventKind):
        event_record(
            congress_id=world.congress.pk,
            type="task.exploded",
            object_kind="task",
            object_id=1,
            data={},
        )
    assert Event.objects.count() == 0


def test_a_kind_cannot_be_declared_twice_differently():
    with pytest.raises(ValueError, match="declared twice"):
        registry.register(registry.EventKind("task.created"))


def _trees():
    for module, path in sorted(MODULES.items()):
        yield module, ast.parse(path.read_text(encoding="utf-8"))


def _events_aliases(tree) -> dict[str, str]:
    """Local name -> events module, for `from workflows import events` and the like."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"congress", "workflows"}:
            for alias in node.names:
                if alias.name == "events":
                    aliases[alias.asname or alias.name] = f"{node.module}.events"
    return aliases


def _kinds_named(value) -> list[str]:
    if isinstance(value, str):
        return [value] if KIND_SHAPE.match(value) else []
    if isinstance(value, dict):
        return [kind for item in value.values() for kind in _kinds_named(item)]
    if isinstance(value, tuple):
        return [kind for item in value for kind in _kinds_named(item)]
    return []


def test_every_kind_the_code_records_is_declared():
    used, bare = set(), []
    for module, tree in _trees():
        aliases = _events_aliases(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and getattr(node.value, "id", "") in aliases:
                declaring = importlib.import_module(aliases[node.value.id])
                used.update(_kinds_named(getattr(declaring, node.attr)))
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in RECORDERS:
                for keyword in node.keywords:
                    if keyword.arg == "type" and isinstance(
                        keyword.value, ast.Constant | ast.JoinedStr
                    ):
                        bare.append(f"{module}:{node.lineno}")
    assert bare == []  # a kind is recorded by its declared constant, never spelled out
    assert {"task.transitioned", "body.member_added", "consultation.answered"} <= used
    assert sorted(used - set(registry.declared())) == []


def test_each_kind_is_written_once_where_it_is_declared():
    declared = set(registry.declared())
    elsewhere = [
        f"{module}:{node.lineno} {node.value}"
        for module, tree in _trees()
        if module not in DECLARING
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in declared
    ]
    assert elsewhere == []


def test_the_declarations_name_only_known_recipient_rules_and_pages():
    for kind in registry.declared().values():
        tolds = [*kind.told, *(t for group in kind.told_by.values() for t in group)]
        assert all(told.who in registry.RULES for told in tolds), kind.name
        assert kind.link_of({"id": 1, "task": 2, "document": 3}).startswith("/"), kind.name
