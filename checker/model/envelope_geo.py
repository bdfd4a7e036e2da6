"""Envelope geometry helpers: which way an exterior wall faces, and wall side areas from geometry.

Facing convention (documented in docs/data-requirements.md): an IfcWall's axis runs along its local X
axis, so its faces look along ±local Y; a curtain wall faces along the normal of the plane of its geometry when
it was measured (exports place some at the origin without rotation). The outward sign is the one pointing away
from the centre of the bounding box of all exterior-wall origins of the building (a wall whose origin lies on that
centre across its face, e.g. the only exterior wall, has no known side and no orientation); the compass bearing is
measured clockwise from project +Y, rotated by the model context's TrueNorth when the file gives one. Limits: walls
in the re-entrant corner of an L- or U-shaped plan, curved walls and walls whose local X is not along the wall can
be given the wrong side; a wall is binned N/E/S/W by its bearing (N = 315°..45°).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import ifcopenshell

from checker.model.placements import local_placement

log = logging.getLogger(__name__)
ORIENTATIONS = ("N", "E", "S", "W")


def true_north_deg(model: ifcopenshell.file) -> float:
    """Angle (deg, counter-clockwise) from project +Y to true north; 0 when the file does not say."""
    for context in model.by_type("IfcGeometricRepresentationContext"):
        if context.is_a("IfcGeometricRepresentationSubContext"):
            continue
        north = getattr(context, "TrueNorth", None)
        if north is not None and north.DirectionRatios:
            x, y = float(north.DirectionRatios[0]), float(north.DirectionRatios[1])
            return math.degrees(math.atan2(-x, y))
    return 0.0


def _axes(element: ifcopenshell.entity_instance) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """(origin xy, local Y direction xy) in project coordinates, or None without a placement."""
    placement = getattr(element, "ObjectPlacement", None)
    matrix = None if placement is None else local_placement(placement)
    if matrix is None:
        return None
    return (float(matrix[0][3]), float(matrix[1][3])), (float(matrix[0][1]), float(matrix[1][1]))


def wall_orientations(
    walls: Sequence[ifcopenshell.entity_instance],
    north_deg: float,
    known_axes: dict[int, tuple[tuple[float, float], tuple[float, float]]] | None = None,
    centre_ids: set[int] | None = None,
) -> dict[int, tuple[str, float]]:
    """Wall id -> (N/E/S/W, outward bearing in degrees clockwise from true north). `known_axes` gives (origin xy in
    file units, horizontal normal) for walls whose facing comes from their geometry rather than their placement;
    `centre_ids` the walls that define the centre (those known to be exterior: an interior or site wall, or one
    exported at the origin, must not move it)."""
    known = known_axes or {}
    axes = {w.id(): a for w in walls if (a := known.get(w.id()) or _axes(w)) is not None}
    if not axes:
        return {}
    framing = [a for wall_id, a in axes.items() if centre_ids is None or wall_id in centre_ids] or list(axes.values())
    xs = [a[0][0] for a in framing]
    ys = [a[0][1] for a in framing]
    centre = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    tolerance = 1e-6 * max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    result: dict[int, tuple[str, float]] = {}
    for wall_id, ((ox, oy), (nx, ny)) in axes.items():
        if math.hypot(nx, ny) < 1e-9:
            continue  # local Y vertical: not a normal wall placement
        away = (ox - centre[0]) * nx + (oy - centre[1]) * ny
        if abs(away) <= tolerance:
            continue  # the wall lies on the centre line across its face (the only wall, or walls in a row): no side
        if away < 0:
            nx, ny = -nx, -ny
        bearing = (math.degrees(math.atan2(nx, ny)) + north_deg) % 360.0
        result[wall_id] = (bin_bearing(bearing), round(bearing, 3))
    return result


def bin_bearing(bearing: float) -> str:
    """N for 315..45 degrees, E 45..135, S 135..225, W 225..315."""
    return ORIENTATIONS[int(((bearing + 45.0) % 360.0) // 90.0)]
