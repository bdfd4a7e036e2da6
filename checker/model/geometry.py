"""Areas and volumes computed from geometry, only for the elements whose quantity sets are missing.

Uses the ifcopenshell.geom iterator (bulk, multi-core) as the ifcopenshell docs recommend for
more than a handful of elements, and ifcopenshell.util.shape for the measures. Geometry comes
out in metres whatever the file's units, so no unit scale is applied again here. Boolean clippings
are ignored for speed (see _measure_shapes); the facts built on these figures say "computed from geometry".
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any

import ifcopenshell

log = logging.getLogger(__name__)


def _measure_shapes(
    model: ifcopenshell.file,
    elements: Sequence[ifcopenshell.entity_instance],
    measure: Callable[[Any], float],
    world: bool = True,
) -> dict[int, float]:
    """measure(shape.geometry) per element id; a shape that cannot be built or measured is left out."""
    with_body = [e for e in elements if getattr(e, "Representation", None) is not None]
    if not with_body:
        return {}
    import ifcopenshell.geom

    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", world)
    # Boolean clippings (beam end cuts, notches) cost 50x the tessellation time on real exports and
    # change an area or volume by a few percent; openings (IfcOpeningElement) are still cut.
    settings.set("disable-boolean-result", True)
    results: dict[int, float] = {}
    try:
        iterator = ifcopenshell.geom.iterator(settings, model, min(2, multiprocessing.cpu_count()), include=with_body)
        if not iterator.initialize():
            return {}
        while True:
            shape = iterator.get()
            try:
                value = float(measure(shape.geometry))
            except Exception as exc:  # noqa: BLE001 - shapely/numpy errors on degenerate meshes (e.g. GEOSException)
                log.debug("cannot measure %s: %s", shape.id, exc)
                value = float("nan")
            if value == value and value > 0:
                results[int(shape.id)] = value
            if not iterator.next():
                break
    except (RuntimeError, ValueError) as exc:  # a broken representation must not stop the check
        log.debug("geometry iterator failed: %s", exc)
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


MEASURES.update(
    {
        "footprint": footprint_areas,
        "volume": element_volumes,
        "side_area": wall_side_areas,
        "top": top_elevations,
        "vertical_span": vertical_spans,
    }
)
