"""No import cycles between the modules of ``kiosk/`` and ``ui/``: every arrow points down.

The graph is read from the source with ``ast``, without importing anything. What counts as an
import of module B by module A:

- ``import B`` and ``from B import name`` anywhere in A: at module level AND inside functions
  and methods (a late import still ties the two modules together, it only hides the cycle
  until run time); ``from P import B`` where ``P.B`` is a module counts as importing ``P.B``;
- imports under ``if TYPE_CHECKING:`` too: a type named upwards is still an arrow up, and it is
  how two modules that need each other usually hide it;
- the package ``__init__`` modules such an import runs on the way (``import a.b.c`` runs
  ``a/__init__`` and ``a/b/__init__``), except the packages A itself lives in, which were
  initialised before A ran; so a module importing a name from its own package's ``__init__``,
  which imports that module, is a cycle;
- ``importlib.import_module("B")`` with the name written out, and, in a module that calls
  ``importlib.import_module``, any string that is exactly a module's name (a lazy dispatch
  table such as the command line's).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROOTS = ("kiosk", "ui")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    where: str  # path:line of the import


def project_modules(repo: Path, roots: tuple[str, ...]) -> dict[str, Path]:
    """Dotted module name → file, for every module of the given top-level packages."""
    modules = {}
    for root in roots:
        for path in sorted((repo / root).rglob("*.py")):
            parts = list(path.relative_to(repo).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _is_import_module_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name == "import_module"


class Graph:
    def __init__(self, repo: Path = REPO, roots: tuple[str, ...] = ROOTS) -> None:
        self.repo = repo
        self.modules = project_modules(repo, roots)
        self.edges: dict[str, dict[str, Edge]] = {name: {} for name in self.modules}
        for name, path in self.modules.items():
            self._read(name, path)

    def _is_package(self, name: str) -> bool:
        return self.modules[name].name == "__init__.py"

    def _read(self, name: str, path: Path) -> None:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(self.repo)
        nodes = list(ast.walk(tree))  # every level: module, class and function bodies
        by_name = any(_is_import_module_call(node) for node in nodes)
        for node in nodes:
            line = f"{where}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self._add(name, self._module_of(alias.name), line)
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(name, node.module, node.level)
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    if submodule in self.modules:
                        self._add(name, submodule, line)
                    else:  # a name defined in the module (or package __init__) itself
                        self._add(name, self._module_of(base), line)
            elif (
                by_name
                and isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value in self.modules
            ):
                self._add(name, node.value, line)

    def _absolute(self, name: str, module: str | None, level: int) -> str:
        if level == 0:
            return module or ""
        package = name.split(".") if self._is_package(name) else name.split(".")[:-1]
        base = package[: len(package) - (level - 1)]
        return ".".join([*base, module] if module else base)

    def _module_of(self, dotted: str) -> str | None:
        """The longest prefix of ``dotted`` that is a project module (None: not ours)."""
        parts = dotted.split(".")
        while parts:
            if ".".join(parts) in self.modules:
                return ".".join(parts)
            parts.pop()
        return None

    def _add(self, source: str, target: str | None, where: str) -> None:
        if target is None:
            return
        own = source.split(".")
        # The packages ``source`` lives in (a package's __init__ lives in itself).
        inside = {".".join(own[:i]) for i in range(1, len(own) + (self._is_package(source)))}
        parts = target.split(".")
        for i in range(1, len(parts) + 1):
            step = ".".join(parts[:i])
            if step in self.modules and (step == target or step not in inside):
                self.edges[source].setdefault(step, Edge(source, step, where))

    def cycles(self) -> list[list[str]]:
        """Strongly connected components of more than one module, and modules that import
        themselves (Tarjan's algorithm)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        found: list[list[str]] = []

        def visit(node: str) -> None:
            index[node] = low[node] = len(index)
            stack.append(node)
            on_stack.add(node)
            for target in self.edges[node]:
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
                if len(component) > 1 or node in self.edges[node]:
                    found.append(sorted(component))

        for node in sorted(self.edges):
            if node not in index:
                visit(node)
        return sorted(found)

    def describe(self, component: list[str]) -> str:
        members = set(component)
        lines = [" ↔ ".join(component)]
        for source in component:
            for target, edge in sorted(self.edges[source].items()):
                if target in members:
                    lines.append(f"    {source} → {target}  ({edge.where})")
        return "\n".join(lines)


def test_no_import_cycle_between_project_modules() -> None:
    graph = Graph()
    cycles = graph.cycles()
    assert not cycles, "import cycles (move what both need down a layer):\n" + "\n".join(
        graph.describe(c) for c in cycles
    )


def inside(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def arrows(graph: Graph, source: str, target: str) -> list[str]:
    """Imports from modules of package ``source`` to modules of package ``target``."""
    return [
        f"{edge.source} → {edge.target} ({edge.where})"
        for name, targets in graph.edges.items()
        if inside(name, source)
        for edge in targets.values()
        if inside(edge.target, target) and not inside(edge.target, source)
    ]


def test_the_search_index_is_kept_by_content_and_only_read_by_search() -> None:
    graph = Graph()
    assert arrows(graph, "kiosk.content", "kiosk.search") == []
    assert arrows(graph, "kiosk.search", "kiosk.content.index")  # the engine reads it
    # Text analysis, the exit statuses and UserError sit under everything: they import nothing
    # of the project. And nothing below the command line imports it.
    assert arrows(graph, "kiosk.text", "kiosk") == []
    assert arrows(graph, "kiosk.errors", "kiosk") == []
    into_cli = [e for targets in graph.edges.values() for e in targets.values()]
    assert [e for e in into_cli if e.target == "kiosk.cli" and e.source != "kiosk.cli"] == []


# The layers of the README, top to bottom: a package may import its own layer's and lower ones.
LAYERS: list[list[str]] = [
    ["kiosk.cli", "kiosk.commands"],
    ["ui"],
    ["kiosk.app"],
    ["kiosk.sync", "kiosk.feed", "kiosk.search", "kiosk.analytics", "kiosk.admin", "kiosk.hub"],
    ["kiosk.content", "kiosk.keyboard"],
    ["kiosk.text", "kiosk.db", "kiosk.paths", "kiosk.errors", "kiosk.options", "kiosk.storage",
     "kiosk.usb", "kiosk.textsafe", "kiosk.i18n", "kiosk.languages", "kiosk.logs",
     "kiosk.durable", "kiosk.faults"],
]  # fmt: skip


def layer_of(module: str) -> int | None:
    for depth, packages in enumerate(LAYERS):
        if any(inside(module, package) for package in packages):
            return depth
    return None


def test_every_import_points_down_the_layers() -> None:
    graph = Graph()
    upward = [
        f"{edge.source} → {edge.target} ({edge.where})"
        for targets in graph.edges.values()
        for edge in targets.values()
        if (low := layer_of(edge.source)) is not None
        and (high := layer_of(edge.target)) is not None
        and high < low
    ]
    assert upward == [], "imports that run up a layer:\n" + "\n".join(upward)
    project = [m for m in graph.edges if m.startswith(("kiosk.", "ui"))]
    unplaced = sorted(m for m in project if layer_of(m) is None)
    assert unplaced in ([], ["kiosk"]), f"modules in no layer of the README: {unplaced}"


def write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_every_kind_of_import_is_an_arrow(tmp_path: Path) -> None:
    """The check sees late imports, type-only imports, imports by name and package inits."""
    write_package(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/late.py": "def f():\n    from app.typed import T\n",
            "app/typed.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from app.table import X\n",
            "app/table.py": "import importlib\nTABLE = {'go': 'app.byname'}\n"
            "def run(c):\n    return importlib.import_module(TABLE[c])\n",
            "app/byname.py": "from .core.leaf import x\n",
            "app/core/__init__.py": "from app.late import f\n",
            "app/core/leaf.py": "x = 1\n",
        },
    )
    graph = Graph(tmp_path, ("app",))
    assert "app.typed" in graph.edges["app.late"]
    assert "app.table" in graph.edges["app.typed"]
    assert "app.byname" in graph.edges["app.table"]
    assert set(graph.edges["app.byname"]) == {"app.core", "app.core.leaf"}
    assert graph.cycles() == [["app.byname", "app.core", "app.late", "app.table", "app.typed"]]


def test_a_module_importing_through_its_own_package_init_is_a_cycle(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "lib/__init__.py": "from lib.errors import Problem\nfrom lib.loader import load\n",
            "lib/errors.py": "class Problem(Exception): ...\n",
            "lib/loader.py": "from lib import Problem\n",  # back through lib/__init__
            "lib/fine.py": "from lib.errors import Problem\n",  # lib/__init__ ran already
            "lib/selfish.py": "import lib.selfish\n",
        },
    )
    graph = Graph(tmp_path, ("lib",))
    assert graph.cycles() == [["lib", "lib.loader"], ["lib.selfish"]]
    assert set(graph.edges["lib.fine"]) == {"lib.errors"}
