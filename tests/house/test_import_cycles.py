"""No two modules of xoro_tui import each other, directly or round a longer loop.

A cycle makes import order matter and hides which module depends on which; a lazy import
inside a function or one under ``TYPE_CHECKING`` is still an edge here (grimp counts
both), so a cycle cannot be hidden by moving its import.
"""

from __future__ import annotations

import grimp


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every set of modules that import one another round a loop (Tarjan's strongly
    connected components, iterative), each with one of its loops spelled out."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, following = work[-1]
            step = next(following, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph.find_modules_directly_imported_by(step)))))
                elif step in on_stack:
                    low[module] = min(low[module], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1 or module in graph.find_modules_directly_imported_by(module):
                    found.append(sorted(component))
    return found


def _loop(graph: grimp.ImportGraph, component: list[str]) -> str:
    first, second = component[0], component[1]
    there = graph.find_shortest_chain(importer=first, imported=second) or ()
    back = graph.find_shortest_chain(importer=second, imported=first) or ()
    return " -> ".join([*there, *back[1:]])


def test_the_cycle_finder_finds_a_loop() -> None:
    graph = grimp.ImportGraph()
    for module in ("pkg.a", "pkg.b", "pkg.c", "pkg.d"):
        graph.add_module(module)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    graph.add_import(importer="pkg.d", imported="pkg.a")
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert _loop(graph, ["pkg.a", "pkg.b", "pkg.c"]) == "pkg.a -> pkg.b -> pkg.c -> pkg.a"


def test_no_module_of_xoro_tui_imports_itself_round_a_loop() -> None:
    graph = grimp.build_graph("xoro_tui", cache_dir=None)
    found = cycles(graph)
    assert found == [], "import cycles:\n" + "\n".join(_loop(graph, c) for c in found)
