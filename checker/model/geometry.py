"""Areas and volumes computed from geometry, only for the elements whose quantity sets are missing.

Uses the ifcopenshell.geom iterator (bulk, multi-core) as the ifcopenshell docs recommend for
more than a handful of elements, and ifcopenshell.util.shape for the measures. Geometry comes
out in metres whatever the file's units, so no unit scale is applied again here. Boolean clippings
are ignored for speed (see _measure_shapes); the facts built on these figures say "computed from geometry".
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import ifcopenshell

from checker.model.integrity import has_regular_global_id

log = logging.getLogger(__name__)


def _shapes(
    model: ifcopenshell.file, elements: Sequence[ifcopenshell.entity_instance], world: bool = True
) -> Iterator[tuple[int, Any]]:
    """(element id, triangulated geometry in metres) for each element whose body can be built."""
    with_body = [e for e in elements if getattr(e, "Representation", None) is not None and has_regular_global_id(e)]
    if not with_body:
        return
    import ifcopenshell.geom

    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", world)
    # Boolean clippings (beam end cuts, notches) cost 50x the tessellation time on real exports and
    # change an area or volume by a few percent; openings (IfcOpeningElement) are still cut.
    settings.set("disable-boolean-result", True)
    try:
        iterator = ifcopenshell.geom.iterator(settings, model, min(2, multiprocessing.cpu_count()), include=with_body)
        if not iterator.initialize():
            return
        while True:
            shape = iterator.get()
            yield int(shape.id), shape.geometry
            if not iterator.next():
                break
    except (RuntimeError, ValueError) as exc:  # a broken representation must not stop the check
        log.debug("geometry iterator failed: %s", exc)


def _measure_shapes(
    model: ifcopenshell.file,
    elements: Sequence[ifcopenshell.entity_instance],
    measure: Callable[[Any], float],
    world: bool = True,
) -> dict[int, float]:
    """measure(shape.geometry) per element id; a shape that cannot be built or measured is left out."""
    results: dict[int, float] = {}
    for element_id, geometry in _shapes(model, elements, world):
        try:
            value = float(measure(geometry))
        except Exception as exc:  # noqa: BLE001 - shapely/numpy errors on degenerate meshes (e.g. GEOSException)
            log.debug("cannot measure %s: %s", element_id, exc)
            value = float("nan")
        if value == value and value > 0:
            results[element_id] = value
    return results


def wall_side_areas(model: ifcopenshell.file, walls: Sequence[ifcopenshell.entity_instance]) -> dict[int, float]:
    """One-side area (m²) of each wall seen along its local Y axis (local coordinates; openings cut)."""
    import ifcopenshell.util.shape as shape_util

    return _measure_shapes(model, walls, lambda geometry: shape_util.get_side_area(geometry, axis="Y"), world=False)


MEASURES: dict[str, Callable[[ifcopenshell.file, Sequence[ifcopenshell.entity_instance]], dict[int, float]]] = {}


def footprint_areas(model: ifcopenshell.file, elements: Sequence[ifcopenshell.entity_instance]) -> dict[int, float]:
    """Horizontal projected area (m²) per element id."""
    import ifcopenshell.util.shape as shape_util

    return _measure_shapes(model, elements, shape_util.get_footprint_area)


def element_volumes(model: ifcopenshell.file, elements: Sequence[ifcopenshell.entity_instance]) -> dict[int, float]:
    """Solid volume (m³) per element id (openings already cut)."""
    import ifcopenshell.util.shape as shape_util

    return _measure_shapes(model, elements, shape_util.get_volume)


def top_elevations(model: ifcopenshell.file, elements: Sequence[ifcopenshell.entity_instance]) -> dict[int, float]:
    """Highest point (m, world z) of each element; a top at or below the world origin is left out."""
    import ifcopenshell.util.shape as shape_util

    return _measure_shapes(model, elements, lambda geometry: float(shape_util.get_vertices(geometry)[:, 2].max()))


def vertical_spans(model: ifcopenshell.file, elements: Sequence[ifcopenshell.entity_instance]) -> dict[int, float]:
    """Height (m) from the lowest to the highest point of each element: tells a pitched roof from a flat one."""
    import ifcopenshell.util.shape as shape_util

    def span(geometry: Any) -> float:
        z = shape_util.get_vertices(geometry)[:, 2]
        return float(z.max() - z.min())

    return _measure_shapes(model, elements, span)


def _parts(element: ifcopenshell.entity_instance) -> list[ifcopenshell.entity_instance]:
    """Direct parts (IfcRelAggregates) through the inverse attribute: a lookup, not a file scan."""
    return [part for rel in getattr(element, "IsDecomposedBy", None) or () for part in rel.RelatedObjects or ()]


@dataclass(frozen=True)
class CurtainPlane:
    """A curtain wall seen from outside: elevation area (m²), plan centre and horizontal normal (metres, world)."""

    area_m2: float
    centre_xy: tuple[float, float]
    normal_xy: tuple[float, float]


def curtain_wall_planes(
    model: ifcopenshell.file, curtain_walls: Sequence[ifcopenshell.entity_instance]
) -> dict[int, CurtainPlane]:
    """Plane and elevation area of each curtain wall from the geometry of its own body and of its parts (panels,
    mullions, doors): real exports (Revit) model a curtain wall as an aggregate of IfcPlate / IfcMember parts with
    no body of its own, and some place it at the origin with no rotation, so the placement cannot say which way it
    faces. The plane is the vertical plane through the principal horizontal direction of all vertices; the area is
    the union of the convex outlines of the members projected on it (a curved wall is measured on its chord)."""
    import numpy as np
    import shapely

    owner: dict[int, int] = {}
    members: list[ifcopenshell.entity_instance] = []
    for wall in curtain_walls:
        for member in (wall, *_parts(wall)):
            owner[member.id()] = wall.id()
            members.append(member)
    vertices: dict[int, list[Any]] = {}
    for member_id, geometry in _shapes(model, members, world=True):
        points = np.asarray(geometry.verts, dtype=float).reshape(-1, 3)
        if len(points) >= 3:
            vertices.setdefault(owner[member_id], []).append(points)
    planes: dict[int, CurtainPlane] = {}
    for wall_id, groups in vertices.items():
        stacked = np.vstack(groups)
        centre = stacked[:, :2].mean(axis=0)
        eigenvalues, eigenvectors = np.linalg.eigh(np.cov((stacked[:, :2] - centre).T))
        along = eigenvectors[:, int(np.argmax(eigenvalues))]
        outlines = [
            shapely.MultiPoint(np.stack([points[:, :2] @ along, points[:, 2]], axis=1)).convex_hull for points in groups
        ]
        area = float(shapely.unary_union(outlines).area)
        if area > 0:
            normal = (-float(along[1]), float(along[0]))
            planes[wall_id] = CurtainPlane(round(area, 6), (float(centre[0]), float(centre[1])), normal)
    return planes


MEASURES.update(
    {
        "footprint": footprint_areas,
        "volume": element_volumes,
        "side_area": wall_side_areas,
        "top": top_elevations,
        "vertical_span": vertical_spans,
    }
)
