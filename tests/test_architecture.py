"""The package's shape: the core imports no UI, and no vtdata modules import each other in a circle.

Imports are read from the source with `ast`, function-local ones included (a
lazy import that hides a circle is still a circle), so the test needs nothing
imported and sees every module, also ones no test happens to load.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "vtdata"
UI = "vtdata.ui"
# What only the Streamlit layer may use: the core must run (CLI, refresh, profile) without it.
UI_ONLY = ("streamlit", "altair", "pydeck", UI)
# The one circle known today; the lead removes it (issue 17). Delete this entry with that change.
KNOWN_CYCLES: list[tuple[str, ...]] = []  # none left; a new circle is a design error to fix, not to list


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_names(path: Path, name: str) -> set[str]:
    """Every name `path` imports, anywhere in the file, as a dotted module path (relative ones resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from a import b` imports the module a.b when b is one, else a name of a
            found.update(f"{base}.{alias.name}" for alias in node.names)
            found.add(base)
    return found


def import_graph() -> dict[str, set[str]]:
    """vtdata module -> the vtdata modules it imports."""
    known = modules()
    graph = {}
    for name, path in known.items():
        targets = {t for t in imported_names(path, name) if t in known and t != name}
        # `from vtdata import x` names both the package and its module x: only the module counts
        graph[name] = {t for t in targets if not any(o.startswith(t + ".") for o in targets)}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The import circles: the strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def circle_path(graph: dict[str, set[str]], members: tuple[str, ...]) -> str:
    """One concrete circle through the component, e.g. 'a -> b -> a', for the failure message."""
    start, inside = members[0], set(members)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & inside):
            if target == start:
                return " -> ".join([*paths[node], start])
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    return " -> ".join(members)


def test_the_core_imports_no_ui():
    offenders = []
    for name, path in modules().items():
        if name == UI or name.startswith(UI + "."):
            continue
        for target in sorted(imported_names(path, name)):
            if any(target == banned or target.startswith(banned + ".") for banned in UI_ONLY):
                offenders.append(f"{name} imports {target}")
    assert not offenders, "the core must not import the UI layer:\n" + "\n".join(offenders)


def test_no_import_circles():
    graph = import_graph()
    unexpected = [c for c in cycles(graph) if c not in KNOWN_CYCLES]
    assert not unexpected, "import circles:\n" + "\n".join(circle_path(graph, c) for c in unexpected)


# ---------------------------------------------------------------- the checks themselves can fail


def test_a_function_local_import_closing_a_circle_is_found():
    graph = {"vtdata.a": {"vtdata.b"}, "vtdata.b": {"vtdata.c"}, "vtdata.c": {"vtdata.a"}, "vtdata.d": {"vtdata.a"}}
    assert cycles(graph) == [("vtdata.a", "vtdata.b", "vtdata.c")]
    assert circle_path(graph, ("vtdata.a", "vtdata.b", "vtdata.c")) == "vtdata.a -> vtdata.b -> vtdata.c -> vtdata.a"


def test_imports_are_read_everywhere_in_a_file(tmp_path):
    source = tmp_path / "vtdata" / "sub" / "mod.py"
    source.parent.mkdir(parents=True)
    source.write_text(
        "import streamlit as st\n"
        "from . import sibling\n"
        "from ..other import thing\n"
        "def later():\n"
        "    from vtdata.ui import charts\n"
        "    import pydeck\n"
    )
    names = imported_names(source, "vtdata.sub.mod")
    assert {"streamlit", "vtdata.sub.sibling", "vtdata.other.thing", "vtdata.ui.charts", "pydeck"} <= names
