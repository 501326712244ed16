"""The package's import graph has no cycle, typing-only and function-level imports included.

Run as a script to print the figures (modules, imports, cycles, biggest modules, flat files in
``ui/``): ``python tests/test_import_cycles.py``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "dicom_desktop"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> nx.DiGraph:
    """Module → module it imports (every ``import``/``from`` anywhere in the file)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    graph.add_edge(name, target)
    return graph


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    return [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]


def test_no_import_cycle_in_the_package():
    assert cycles(import_graph()) == []


if __name__ == "__main__":
    g = import_graph()
    found = cycles(g)
    print(f"{g.number_of_nodes()} modules, {g.number_of_edges()} imports, {len(found)} cycle(s)")
    for c in found:
        print(f"  cycle of {len(c)}: {', '.join(c)}")
    sizes = sorted(((len(p.read_text(encoding='utf-8').splitlines()), module_name(p))
                    for p in PACKAGE.rglob("*.py")), reverse=True)
    print("biggest:", ", ".join(f"{n} {m}" for m, n in ((m, n) for n, m in sizes[:8])))
    flat = [p for p in (PACKAGE / "ui").glob("*.py") if p.name != "__init__.py"]
    print(f"flat files in ui/: {len(flat)}")
    sys.exit(1 if found else 0)
