"""The transition engine reads django-fsm only through its public API."""

from pathlib import Path

import pytest

from congress.fsm import sources_of, transition_from_state
from workflows.models import Task

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_reads_django_fsm_private_meta():
    readers = [
        str(path.relative_to(ROOT))
        for app in ("congress", "notifications", "workflows")
        for path in (ROOT / app).rglob("*.py")
        if "_django_fsm" in path.read_text(encoding="utf-8")
    ]
    assert readers == []


@pytest.mark.django_db
def test_transition_from_state_is_the_one_allowed_from_the_current_state(make_task):
    task = make_task(status=Task.Status.IN_PROGRESS)

    assert transition_from_state(task, "submit").source == "in_progress"
    assert transition_from_state(task, "submit").target == "in_review"
    assert transition_from_state(task, "approve") is None
    assert transition_from_state(task, "no_such") is None
    assert sources_of(task, "cancel") == ["blocked", "in_progress", "in_review", "todo"]
    assert sources_of(task, "return") == ["in_review"]
