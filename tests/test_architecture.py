"""The package's shape: the core imports no UI, and no vtdata modules import each other in a circle.

Imports are read from the source with `ast`, function-local ones included (a
lazy import that hides a circle is still a circle), so the test needs nothing
imported and sees every module, also ones no test happens to load.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "vtdata"
UI = "vtdata.ui"
# What only the Streamlit layer may use: the core must run (CLI, refresh, profile) without it.
UI_ONLY = ("streamlit", "altair", "pydeck", UI)
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


URL_OWNER = "vtdata.ui.url"
ROOT = PACKAGE.parent
ARCHITECTURE_DOC = ROOT / "docs" / "architecture.md"


def query_param_users(paths: dict[str, Path]) -> list[str]:
    """Modules that touch `st.query_params` (or `query_params` of anything imported from streamlit)."""
    users = []
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if any(isinstance(n, ast.Attribute) and n.attr == "query_params" and isinstance(n.value, ast.Name)
               and n.value.id in ("st", "streamlit") for n in ast.walk(tree)):
            users.append(name)
    return users


def test_one_module_owns_the_url():
    scripts = {p.stem: p for p in [ROOT / "streamlit_app.py", *sorted((ROOT / "app_pages").glob("*.py"))]}
    assert query_param_users({**modules(), **scripts}) == [URL_OWNER]


def documented_modules(text: str) -> set[str]:
    """Module paths (and folders, ending in /) named in the first column of the tables of docs/architecture.md.

    `ui/x.py` is `vtdata/ui/x.py`; a bare `y.py` after `vtdata/ui/views/x.py` in the same cell is in that folder.
    """
    found = set()
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        folder = "vtdata/"
        for path in re.findall(r"`([^`]+(?:\.py|/))`", line.split("|")[1]):
            if "/" in path.rstrip("/"):
                path = path if path.startswith(("vtdata/", "app_pages/")) else f"vtdata/{path}"
                folder = path if path.endswith("/") else path.rpartition("/")[0] + "/"
            elif not path.startswith(("streamlit_app", "app_pages")):
                path = folder + path
            found.add(path)
    return found


def test_the_module_tables_in_the_architecture_notes_match_the_tree():
    """Every module of the package is in the notes' tables, and every module named there exists."""
    named = documented_modules(ARCHITECTURE_DOC.read_text(encoding="utf-8"))
    tree = {str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    folders = {n for n in named if n.endswith("/")}  # a row may name a whole folder
    missing = sorted(m for m in tree if m not in named and not any(m.startswith(f) for f in folders))
    stale = sorted(n for n in named if not (ROOT / n).exists())
    assert not missing, "modules missing from docs/architecture.md: " + ", ".join(missing)
    assert not stale, "docs/architecture.md names modules that do not exist: " + ", ".join(stale)


# ---------------------------------------------------------------- the checks themselves can fail


def test_a_query_params_user_is_found(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text("import streamlit as st\n\ndef f():\n    return st.query_params.get('x')\n")
    assert query_param_users({"vtdata.mod": source}) == ["vtdata.mod"]


def test_documented_modules_are_read_from_the_tables():
    text = ("| module | job |\n|---|---|\n| `vtdata/a.py`, `vtdata/b.py` | x |\n| `ui/c.py`, `e.py` | y |\n"
            "| `vtdata/source/demo/` | z |\nnot `vtdata/d.py`\n")
    assert documented_modules(text) == {"vtdata/a.py", "vtdata/b.py", "vtdata/ui/c.py", "vtdata/ui/e.py", "vtdata/source/demo/"}


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


# The core's packages by job, lowest first: a module imports only from its own layer or one below,
# so data flows one way (StatLine → database → figures → outputs) and each package can be read alone.
LAYERS = (
    ("vtdata.format", "vtdata.frames", "vtdata.settings"),  # small shared helpers: Dutch numbers, pandas, environment settings
    ("vtdata.model",),  # the tables, themes, periods and category structure (pure)
    ("vtdata.source",),  # getting tables: StatLine, the demo set, metadata sets
    ("vtdata.storage",),  # building, publishing and reading the database
    ("vtdata.figures",),  # from cells to the figures a page shows
    ("vtdata.outputs",),  # export, profile, images, notes
    ("vtdata.cli", "vtdata.ui", "vtdata.__main__"),  # the two front ends
)


def layer_of(module: str) -> int | None:
    for level, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return level
    return None


def test_every_module_sits_in_a_layer():
    loose = [name for name in modules() if name != "vtdata" and layer_of(name) is None]
    assert not loose, f"modules outside the layers of LAYERS (put them in a package by job): {loose}"


def test_layers_import_only_downwards():
    upward = [
        f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for name, targets in import_graph().items() if layer_of(name) is not None
        for target in sorted(targets) if layer_of(target) is not None and layer_of(target) > layer_of(name)
    ]
    assert not upward, "a lower layer imports a higher one:\n" + "\n".join(upward)
