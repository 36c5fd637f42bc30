"""The layers of README's layout: `congress` <- `notifications` <- `workflows` <- `config` (the
project's wiring, which no app imports), and no import cycle between modules, imports inside
functions included (ARCHITECTURE §2)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("congress", "notifications", "workflows", "config")
LAYER = {"congress": 0, "notifications": 1, "workflows": 2, "config": 3}
# The one import allowed upward: a call of the recording function.
RECORDING = ("notifications.services", "event_record")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    package = package[: len(package) - node.level + 1]
    return ".".join(package + ([node.module] if node.module else []))


def imports_of(module: str) -> list[tuple[str, tuple[str, ...], int]]:
    """(imported module, names taken from it, line) for every import in the module, at any
    depth (inside functions too)."""
    path = MODULES[module]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, (), node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, path, node)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in MODULES:
                    found.append((submodule, (), node.lineno))
                else:
                    found.append((base, (alias.name,), node.lineno))
    return found


def _project_target(name: str) -> str | None:
    """The project module an import refers to (a package's __init__ if nothing deeper)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def layer_violations() -> list[str]:
    found = []
    for module in sorted(MODULES):
        app = module.split(".")[0]
        for target, names, line in imports_of(module):
            target_app = target.split(".")[0]
            if target_app not in LAYER or LAYER[target_app] <= LAYER[app]:
                continue
            if (target, names) == (RECORDING[0], (RECORDING[1],)):
                continue
            found.append(f"{module}:{line} imports {target} {', '.join(names)}".rstrip())
    return found


def import_graph() -> dict[str, set[str]]:
    graph = {module: set() for module in MODULES}
    for module in MODULES:
        for target, _names, _line in imports_of(module):
            resolved = _project_target(target)
            if resolved and resolved != module:
                graph[module].add(resolved)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_a_higher_layer():
    assert layer_violations() == []


def test_no_import_cycle_between_modules():
    assert cycles(import_graph()) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_cycle_finder_finds_cycles(graph, expected):
    assert cycles(graph) == expected


def test_layer_check_sees_imports_inside_functions(tmp_path, monkeypatch):
    source = tmp_path / "congress" / "probe.py"
    source.parent.mkdir()
    source.write_text("def f():\n    from workflows.models import Task\n")
    monkeypatch.setitem(MODULES, "congress.probe", source)
    monkeypatch.setattr("tests.test_layering.ROOT", tmp_path)
    assert "congress.probe:2 imports workflows.models Task" in layer_violations()


def test_layer_check_sees_an_app_importing_the_wiring(tmp_path, monkeypatch):
    source = tmp_path / "notifications" / "probe.py"
    source.parent.mkdir()
    source.write_text("from config.celery import app\n")
    monkeypatch.setitem(MODULES, "notifications.probe", source)
    monkeypatch.setattr("tests.test_layering.ROOT", tmp_path)
    assert "notifications.probe:1 imports config.celery app" in layer_violations()
