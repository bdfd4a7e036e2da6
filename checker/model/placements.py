"""Refuse a file whose object placements loop before anything computes a position from them, and read placements
of a damaged file without letting them crash the check or leak numpy warnings (`local_placement`).

An IfcLocalPlacement placed relative to itself, or a chain of them that comes back to its start, has no position
at all: ifcopenshell's geometry iterator recurses along the chain until the process dies (SIGSEGV, nothing on
stderr), and ifcopenshell.util.placement raises RecursionError. No authoring tool writes such a chain, so the file
is corrupt or hostile, and every figure that depends on where something is (geometry, storey elevations, facade
orientation) would be untrustworthy: the file is refused with one line instead of being checked in part.
"""

from __future__ import annotations

import ifcopenshell
import ifcopenshell.util.placement as ifc_placement
import numpy as np
import numpy.typing as npt

from checker.errors import ModelLoadError


def find_placement_cycle(model: ifcopenshell.file) -> list[int] | None:
    """The step ids of one placement cycle (first the one met first in the file), or None when there is none.

    Each placement has at most one PlacementRelTo, so the chains form a forest unless one loops; every placement is
    visited once (the chains are indexed, not walked per element).
    """
    parent: dict[int, int | None] = {}
    for placement in model.by_type("IfcObjectPlacement"):
        relative_to = getattr(placement, "PlacementRelTo", None)
        # a damaged file may hold a string or a number there (seen fuzzing): no parent, like $
        parent[placement.id()] = relative_to.id() if isinstance(relative_to, ifcopenshell.entity_instance) else None
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


# ifcopenshell.util.placement asserts the entity types it meets (AssertionError on a mistyped attribute) and divides
# by each axis' length (a zero or non-finite direction prints a numpy RuntimeWarning on stderr and yields NaN).
# Either way the placement says nothing: callers get None and treat the figure as unknown.
def local_placement(placement: ifcopenshell.entity_instance) -> npt.NDArray[np.float64] | None:
    """The 4x4 placement matrix in project coordinates (file units), or None when it cannot be known."""
    try:
        with np.errstate(all="ignore"):
            matrix = np.asarray(ifc_placement.get_local_placement(placement), dtype=np.float64)
    except RecursionError:
        raise  # refuse_cyclic_placements refuses a looping file before extraction; never swallow one
    except (AssertionError, AttributeError, TypeError, ValueError, IndexError, RuntimeError):
        return None
    return matrix if matrix.shape == (4, 4) and bool(np.isfinite(matrix).all()) else None
