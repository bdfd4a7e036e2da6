"""Areas computed from geometry, only for the elements whose quantity sets are missing.

Uses the ifcopenshell.geom iterator (bulk, multi-core) as the ifcopenshell docs recommend for
more than a handful of elements, and ifcopenshell.util.shape for the footprint. Geometry comes
out in metres whatever the file's units, so no unit scale is applied again here.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Sequence

import ifcopenshell

log = logging.getLogger(__name__)


def footprint_areas(model: ifcopenshell.file, elements: Sequence[ifcopenshell.entity_instance]) -> dict[int, float]:
    """Horizontal projected area (m²) per element id; elements whose shape cannot be built are absent."""
    with_body = [e for e in elements if getattr(e, "Representation", None) is not None]
    if not with_body:
        return {}
    import ifcopenshell.geom
    import ifcopenshell.util.shape as shape_util

    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    areas: dict[int, float] = {}
    try:
        iterator = ifcopenshell.geom.iterator(settings, model, min(2, multiprocessing.cpu_count()), include=with_body)
        if not iterator.initialize():
            return {}
        while True:
            shape = iterator.get()
            try:
                area = float(shape_util.get_footprint_area(shape.geometry))
            except (ValueError, IndexError, ZeroDivisionError, RuntimeError):
                area = None
            if area is not None and area == area:  # not NaN
                areas[int(shape.id)] = area
            if not iterator.next():
                break
    except (RuntimeError, ValueError) as exc:  # a broken representation must not stop the check
        log.debug("geometry iterator failed: %s", exc)
    return areas
