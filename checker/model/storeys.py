"""Where each storey stands (elevation, above or below ground), what it holds, and which top storeys are the roof.

Above ground, in order: CN_GreenBuilding.AboveGround, the Elevation attribute, Pset_BuildingStoreyCommon.AboveGround
(TRUE/FALSE: exporters write TRUE on every storey, foundations included, so it yields to the Elevation), a basement
name (ruleset `extraction.storeys.basement_name_patterns`), the placement's z. The
placement counts only when the file places its storeys apart: an exporter that puts every storey at z = 0 says
nothing about their heights, so their elevation is unknown rather than 0.

A roof level is one of the highest storeys that holds only what stands on a roof (slabs, roofs, railings,
parapets, PV...: `extraction.storeys.roof_level_classes`) above a storey that holds more: its slabs are the roof,
not floor area, and its elevation is the roof surface.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import cast

import ifcopenshell

from checker.model.placements import local_placement
from checker.model.scope import BuildingScope, as_bool, keyword_matches

STOREY_QTO = ("Qto_BuildingStoreyBaseQuantities", "BaseQuantities")
_PLACED_APART_M = 1e-6


@dataclass(frozen=True)
class StoreyLevel:
    """One storey's elevation (m above the building's ±0.000) and whether it is above ground, each with its source."""

    storey: ifcopenshell.entity_instance
    name: str
    elevation: float | None
    elevation_source: str
    above_ground: bool | None
    above_source: str
    warning: str | None = None


def storey_levels(scope: BuildingScope) -> dict[int, StoreyLevel]:
    """Every storey of the building by entity id, resolved once per building."""
    cached = scope.memo.get("storey_levels")
    if cached is None:
        placements = _placement_elevations(scope)
        apart = any(abs(z) > _PLACED_APART_M for z in placements.values() if z is not None)
        cached = {s.id(): _level(scope, s, placements.get(s.id()) if apart else None) for s in scope.storeys}
        scope.memo["storey_levels"] = cached
    return cast(dict[int, StoreyLevel], cached)


def storey_elevation(scope: BuildingScope, storey: ifcopenshell.entity_instance) -> float | None:
    """Storey elevation in metres: the Elevation attribute, else the placement's z when storeys are placed apart."""
    level = storey_levels(scope).get(storey.id())
    return None if level is None else level.elevation


def is_above_ground(scope: BuildingScope, storey: ifcopenshell.entity_instance) -> bool | None:
    level = storey_levels(scope).get(storey.id())
    return None if level is None else level.above_ground


def world_z(scope: BuildingScope, product: ifcopenshell.entity_instance) -> float | None:
    """The product's placement z in metres in world coordinates, or None without a placement or length unit."""
    scale = scope.index.units.for_type("LENGTHUNIT").factor
    placement = getattr(product, "ObjectPlacement", None)
    matrix = None if scale is None or placement is None else local_placement(placement)
    return None if matrix is None or scale is None else float(matrix[2][3]) * scale


def _placement_elevations(scope: BuildingScope) -> dict[int, float | None]:
    """Storey placement z relative to the building's own placement (its ±0.000)."""
    base = world_z(scope, scope.building) or 0.0
    return {s.id(): None if (z := world_z(scope, s)) is None else z - base for s in scope.storeys}


def _level(scope: BuildingScope, storey: ifcopenshell.entity_instance, placed_z: float | None) -> StoreyLevel:
    """Elevation and above-ground of one storey, by the precedence in the module docstring."""
    name = scope.name(storey) or storey.GlobalId
    scale = scope.index.units.for_type("LENGTHUNIT").factor
    elevation, elevation_source = None, "no Elevation attribute and no storey placement apart from the others"
    if storey.Elevation is not None and scale is not None:
        elevation, elevation_source = float(storey.Elevation) * scale, "Elevation attribute"
    elif placed_z is not None:
        elevation, elevation_source = placed_z, "storey placement z"
    level = StoreyLevel(storey, name, elevation, elevation_source, None, elevation_source)
    declared = _declared_flag(scope, storey, "CN_GreenBuilding")
    if declared is not None:
        return replace(level, above_ground=declared[0], above_source=declared[1])
    above = None if elevation is None else elevation >= scope.config.above_ground_min_elevation_m
    basement = _basement_name(scope, name)
    standard = _declared_flag(scope, storey, "Pset_BuildingStoreyCommon")
    if above is not None and elevation_source == "Elevation attribute":
        contradictions = [f"its name '{name}' says basement"] if basement and above else []
        if standard is not None and standard[0] != above:  # exporters write TRUE on every storey, foundations too
            contradictions.append(standard[1])
        warning = None
        if contradictions:
            side = "above" if above else "below"
            warning = (
                f"storey '{name}': {' and '.join(contradictions)}, but its Elevation {elevation:g} m puts it "
                f"{side} ground: the Elevation is used"
            )
        return replace(level, above_ground=above, above_source=f"Elevation {elevation:g} m", warning=warning)
    if standard is not None:
        return replace(level, above_ground=standard[0], above_source=standard[1])
    if basement:
        warning = None
        if above:
            warning = f"storey '{name}' is named like a basement but placed at {elevation:g} m: the name is used"
        return replace(level, above_ground=False, above_source=f"name '{name}' (basement)", warning=warning)
    if above is not None:
        return replace(level, above_ground=above, above_source=f"placed at {elevation:g} m")
    return level


def _declared_flag(scope: BuildingScope, storey: ifcopenshell.entity_instance, pset: str) -> tuple[bool, str] | None:
    """(flag, 'Pset.AboveGround = flag') when the set says TRUE or FALSE (not UNKNOWN)."""
    declared = scope.index.value(storey, pset, "AboveGround")
    flag = as_bool(declared.raw) if declared is not None else None
    return None if flag is None or declared is None else (flag, f"{declared.source} = {flag}")


def _basement_name(scope: BuildingScope, name: str) -> bool:
    patterns = scope.config.storeys.basement_name_patterns
    return any(re.search(pattern, name, re.IGNORECASE) for pattern in patterns)


def _is_physical(element: ifcopenshell.entity_instance) -> bool:
    if element.is_a("IfcSpace"):
        return True
    return (
        element.is_a("IfcElement") and not element.is_a("IfcFeatureElement") and not element.is_a("IfcVirtualElement")
    )


def held_elements(scope: BuildingScope, storey: ifcopenshell.entity_instance) -> list[ifcopenshell.entity_instance]:
    """Physical elements and spaces a storey holds: contained in it, aggregated under it, or contained in its spaces."""
    key = f"held:{storey.id()}"
    cached = scope.memo.get(key)
    if cached is None:
        found = list(scope.index.contained(storey))
        for child in scope.index.children(storey):
            found.append(child)
            if child.is_a("IfcSpace"):
                found.extend(scope.index.contained(child))
        cached = list({e.id(): e for e in found if _is_physical(e)}.values())
        scope.memo[key] = cached
    return list(cast(list[ifcopenshell.entity_instance], cached))


def texts(scope: BuildingScope, element: ifcopenshell.entity_instance) -> list[str]:
    """Name, type name and ObjectType: where exporters write what a slab or wall is for (escapes repaired)."""
    element_type = scope.index.type_of(element)
    found = [getattr(element, "Name", None), getattr(element_type, "Name", None), getattr(element, "ObjectType", None)]
    return [str(scope.text(t)) for t in found if t]


def is_parapet(scope: BuildingScope, wall: ifcopenshell.entity_instance) -> bool:
    """A parapet by its PredefinedType or its name / type name (ruleset roof_level_wall_types, parapet_keywords)."""
    tables = scope.config.storeys
    if scope.index.predefined_type(wall) in tables.roof_level_wall_types:
        return True
    return any(keyword_matches(t, tables.parapet_keywords) for t in texts(scope, wall))


def _roof_thing(scope: BuildingScope, element: ifcopenshell.entity_instance) -> bool:
    """Whether an element may stand on a roof level (it does not make the storey a floor people use)."""
    tables = scope.config.storeys
    if element.is_a("IfcWall"):
        return is_parapet(scope, element)
    if any(element.is_a(c) for c in tables.roof_level_classes):
        return True
    return element.is_a("IfcBuildingElementProxy") and any(
        keyword_matches(t, scope.config.pv_keywords) for t in texts(scope, element)
    )


def _roof_only(scope: BuildingScope, storey: ifcopenshell.entity_instance) -> bool:
    """A storey holding a slab or roof and nothing else than what stands on a roof, with no declared floor area."""
    declared = scope.index.value(storey, STOREY_QTO, "GrossFloorArea")
    if declared is not None and (declared.si or 0.0) > 0:
        return False  # the model itself says the storey has floor area
    held = held_elements(scope, storey)
    has_cover = any(e.is_a("IfcSlab") or e.is_a("IfcRoof") for e in held)
    return has_cover and all(_roof_thing(scope, e) for e in held)


def occupied_levels(scope: BuildingScope) -> list[StoreyLevel] | None:
    """Storeys holding elements, highest first; None when one of them has no known elevation (no order)."""
    levels = [lvl for lvl in storey_levels(scope).values() if held_elements(scope, lvl.storey)]
    if any(lvl.elevation is None for lvl in levels):
        return None
    return sorted(levels, key=lambda lvl: -(lvl.elevation or 0.0))


def roof_levels(scope: BuildingScope) -> dict[int, StoreyLevel]:
    """The highest storeys that are only the roof, by entity id (none when every storey looks like one)."""
    cached = scope.memo.get("roof_levels")
    if cached is None:
        found: dict[int, StoreyLevel] = {}
        for level in occupied_levels(scope) or []:
            if not _roof_only(scope, level.storey):
                break
            found[level.storey.id()] = level
        else:
            found = {}  # nothing below the "roof": these slabs are the floors of a slab-only model
        cached = scope.memo["roof_levels"] = found
    return cast(dict[int, StoreyLevel], cached)


def roof_level_note(level: StoreyLevel) -> str:
    return (
        f"storey '{level.name}' is a roof level (it holds only slabs, roofs, railings, parapets or PV): "
        "its slabs are the roof, not floor area"
    )
