"""Refuse a file whose object placements loop before anything computes a position from them.

An IfcLocalPlacement placed relative to itself, or a chain of them that comes back to its start, has no position
at all: ifcopenshell's geometry iterator recurses along the chain until the process dies (SIGSEGV, nothing on
stderr), and ifcopenshell.util.placement raises RecursionError. No authoring tool writes such a chain, so the file
is corrupt or hostile, and every figure that depends on where something is (geometry, storey elevations, facade
orientation) would be untrustworthy: the file is refused with one line instead of being checked in part.
"""

from __future__ import annotations

import ifcopenshell

from checker.errors import ModelLoadError


def find_placement_cycle(model: ifcopenshell.file) -> list[int] | None:
    """The step ids of one placement cycle (first the one met first in the file), or None when there is none.

    Each placement has at most one PlacementRelTo, so the chains form a forest unless one loops; every placement is
    visited once (the chains are indexed, not walked per element).
    """
    parent: dict[int, int | None] = {}
    for placement in model.by_type("IfcObjectPlacement"):
        relative_to = getattr(placement, "PlacementRelTo", None)
        parent[placement.id()] = relative_to.id() if relative_to is not None else None
    settled: set[int] = set()
    for start in parent:
        path: dict[int, int] = {}  # step id -> position on the current walk
        node: int | None = start
        while node is not None and node not in settled and node not in path:
            path[node] = len(path)
            node = parent.get(node)
        if node is not None and node in path:
            return list(path)[path[node] :]
        settled.update(path)
    return None


def refuse_cyclic_placements(model: ifcopenshell.file, shown: str) -> None:
    """Raise ModelLoadError naming the loop when the file's placements have one.

    Example:
        "IfcLocalPlacement #12 is placed relative to itself (cyclic placement): geometry cannot be computed"
    """
    cycle = find_placement_cycle(model)
    if cycle is None:
        return
    first = model.by_id(cycle[0])
    through = f" through {', '.join(f'#{step}' for step in cycle[1:])}" if len(cycle) > 1 else ""
    raise ModelLoadError(
        shown,
        f"{first.is_a()} #{cycle[0]} is placed relative to itself{through} (cyclic placement): "
        "geometry cannot be computed",
    )
