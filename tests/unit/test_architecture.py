"""The shape of the package: no import circle, small modules, a thin spider, defaults written once."""

import ast
import re
from pathlib import Path

from bhgcrawl import settings
from tests.helpers import ROOT

PACKAGE = ROOT / "bhgcrawl"
MODULES = {
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
    for p in sorted(PACKAGE.rglob("*.py"))
}


def imports_of(path: Path, name: str) -> set[str]:
    """The bhgcrawl modules a module imports, anywhere in it (a deferred import couples as much)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"{name}: relative import (the package imports itself by full names)"
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m in MODULES and m != name}


def test_no_import_circle_inside_the_package():
    graph = {name: imports_of(path, name) for name, path in MODULES.items()}
    # A package's __init__ importing its own submodules is how a package is made, not a circle.
    graph = {n: {m for m in deps if not (m.startswith(n + ".") and MODULES[n].name == "__init__.py")}
             for n, deps in graph.items()}
    circles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for dep in sorted(graph[node]):
            if state.get(dep) == "open":
                circles.append(trail[trail.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, trail + [dep])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []
    assert "bhgcrawl.run" in graph["bhgcrawl.pipelines.store"]  # the graph is read, not empty


def test_no_module_over_450_lines_and_a_thin_spider():
    sizes = {name: len(path.read_text("utf-8").splitlines()) for name, path in MODULES.items()}
    assert {n: s for n, s in sizes.items() if s > 450} == {}
    assert sizes["bhgcrawl.spiders.bhg"] < 250


def test_every_setting_default_is_written_once_in_settings():
    defined = {k for k in dir(settings) if k.startswith("BHG_")}
    read, with_default = set(), []
    for name, path in MODULES.items():
        text = path.read_text("utf-8")
        read.update(re.findall(r"""settings(?:\.get\w*\(|\[)["'](BHG_\w+)["']""", text))
        with_default += [f"{name}: {m}" for m in re.findall(r"""settings\.get\w*\(["']BHG_\w+["'],[^)]+\)""", text)]
    assert read and read <= defined
    assert with_default == []
