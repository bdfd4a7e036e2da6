"""Above-ground gross floor area and roof area, each from the best source the model offers.

Order per storey: storey quantity, else its spaces' quantities, else its floor slabs' quantities,
else the floor slabs' footprint from geometry. A building-level total is never used: it includes
basements, and the prefabrication trigger is about above-ground area.
"""

from __future__ import annotations

from collections import defaultdict

import ifcopenshell
import ifcopenshell.util.placement as ifc_placement

from checker.model.facts import Evidence, Fact
from checker.model.index import PropValue
from checker.model.scope import BuildingScope, as_bool, predefined_type, source_evidence

STOREY_QTO = ("Qto_BuildingStoreyBaseQuantities", "BaseQuantities")
SPACE_QTO = ("Qto_SpaceBaseQuantities", "BaseQuantities")
SLAB_QTO = ("Qto_SlabBaseQuantities", "BaseQuantities")
ROOF_QTO = ("Qto_RoofBaseQuantities", "BaseQuantities")
NOT_FLOOR_SLABS = {"ROOF", "LANDING"}


def area_facts(scope: BuildingScope) -> dict[str, Fact]:
    roof = roof_area(scope)
    return {
        "above_ground_gfa": above_ground_gfa(scope),
        "roof_area": roof,
        "usable_roof_area": usable_roof_area(scope, roof),
    }


def storey_elevation(scope: BuildingScope, storey: ifcopenshell.entity_instance) -> float | None:
    """Storey elevation in metres: the Elevation attribute, else the placement's z."""
    scale = scope.index.units.for_type("LENGTHUNIT").factor
    if scale is None:
        return None
    if storey.Elevation is not None:
        return float(storey.Elevation) * scale
    if storey.ObjectPlacement is not None:
        return float(ifc_placement.get_local_placement(storey.ObjectPlacement)[2][3]) * scale
    return None


def is_above_ground(scope: BuildingScope, storey: ifcopenshell.entity_instance) -> bool | None:
    declared = scope.custom(storey, "AboveGround")
    if declared is not None and as_bool(declared.raw) is not None:
        return as_bool(declared.raw)
    elevation = storey_elevation(scope, storey)
    return None if elevation is None else elevation >= scope.config.above_ground_min_elevation_m


def _members(
    scope: BuildingScope, storey: ifcopenshell.entity_instance, ifc_class: str
) -> list[ifcopenshell.entity_instance]:
    """Elements of a class contained in or aggregated under the storey (spaces are aggregated, slabs contained)."""
    found = [e for e in scope.index.contained(storey) if e.is_a(ifc_class)]
    found += [e for e in scope.index.children(storey) if e.is_a(ifc_class)]
    return list({e.id(): e for e in found}.values())


def _floor_slabs(scope: BuildingScope, storey: ifcopenshell.entity_instance) -> list[ifcopenshell.entity_instance]:
    return [s for s in _members(scope, storey, "IfcSlab") if predefined_type(s) not in NOT_FLOOR_SLABS]


def _sum_quantities(
    scope: BuildingScope, elements: list[ifcopenshell.entity_instance], psets: tuple[str, ...], prop: str
) -> tuple[float, str] | None:
    """Sum of a quantity over all elements, or None unless every element has it in SI."""
    total = 0.0
    source = ""
    for element in elements:
        value = scope.index.value(element, psets, prop)
        if value is None or value.si is None:
            return None
        total += value.si or 0.0
        source = value.source
    return (total, source) if elements else None


def storey_area(
    scope: BuildingScope, storey: ifcopenshell.entity_instance
) -> tuple[float, str, list[ifcopenshell.entity_instance]] | None:
    """(m², source, elements) for one storey, or None when it has floors but no usable area."""
    own = scope.index.value(storey, STOREY_QTO, "GrossFloorArea")
    if own is not None and own.si is not None:
        return own.si, own.source, [storey]
    spaces = _members(scope, storey, "IfcSpace")
    summed = _sum_quantities(scope, spaces, SPACE_QTO, "GrossFloorArea")
    if summed is not None:
        return summed[0], summed[1], spaces
    slabs = _floor_slabs(scope, storey)
    summed = _sum_quantities(scope, slabs, SLAB_QTO, "GrossArea")
    if summed is not None:
        return summed[0], summed[1], slabs
    if slabs:
        footprints = scope.footprints(slabs)
        if len(footprints) == len(slabs):
            return sum(footprints.values()), "geometry", slabs
        return None
    if not spaces:
        return 0.0, "empty", [storey]
    return None


def above_ground_gfa(scope: BuildingScope) -> Fact:
    by_source: dict[str, list[ifcopenshell.entity_instance]] = defaultdict(list)
    missing: list[str] = []
    unplaced: list[str] = []
    total = 0.0
    if scope.index.units.for_type("AREAUNIT").factor is None:
        return Fact(value=None, unit="m2", missing="the file declares no area or length unit (IfcUnitAssignment)")
    for storey in scope.storeys:
        above = is_above_ground(scope, storey)
        if above is None:
            unplaced.append(storey.Name or storey.GlobalId)
            continue
        if not above:
            continue
        found = storey_area(scope, storey)
        if found is None:
            missing.append(storey.Name or storey.GlobalId)
            continue
        total += found[0]
        by_source[found[1]].extend(found[2])
    if not scope.storeys:
        return Fact(value=None, unit="m2", missing="no IfcBuildingStorey in the building")
    if missing or unplaced:
        parts = []
        if missing:
            parts.append(
                f"floor area of storeys {', '.join(missing)} "
                "(storey, space or slab GrossFloorArea/GrossArea quantities, or slab geometry)"
            )
        if unplaced:
            parts.append(f"elevation of storeys {', '.join(unplaced)}")
        return Fact(value=None, unit="m2", missing="; ".join(parts))
    if total <= 0:
        return Fact(
            value=None,
            unit="m2",
            missing="floor area: no above-ground storey has a GrossFloorArea quantity, spaces or floor slabs",
        )
    return Fact(value=round(total, 6), unit="m2", evidence=_area_evidence(by_source))


def _area_evidence(by_source: dict[str, list[ifcopenshell.entity_instance]]) -> list[Evidence]:
    evidence = []
    for source, elements in by_source.items():
        ids = [e.GlobalId for e in elements]
        if source == "empty":
            evidence.append(
                Evidence(
                    method="derived",
                    source="storeys with no floor slabs or spaces counted as 0 m²",
                    global_ids=ids,
                    count=len(ids),
                )
            )
        else:
            evidence.append(source_evidence(source, ids))
    return evidence


def _roof_parts(
    scope: BuildingScope,
) -> tuple[list[tuple[ifcopenshell.entity_instance, PropValue]], list[ifcopenshell.entity_instance]]:
    """(elements with an area quantity, elements needing geometry), never counting a roof and its parts twice."""
    with_qto: list[tuple[ifcopenshell.entity_instance, PropValue]] = []
    candidates: list[ifcopenshell.entity_instance] = []
    under_roof: set[int] = set()
    for roof in scope.of_class("IfcRoof"):
        parts = scope.index.children(roof)
        under_roof.update(p.id() for p in parts)
        value = scope.index.value(roof, ROOF_QTO, "ProjectedArea") or scope.index.value(roof, ROOF_QTO, "GrossArea")
        if value is not None and value.si is not None:
            with_qto.append((roof, value))
        else:
            candidates.extend(parts or [roof])
    candidates += [s for s in scope.of_class("IfcSlab") if predefined_type(s) == "ROOF" and s.id() not in under_roof]
    need_geometry = []
    for element in candidates:
        value = scope.index.value(element, SLAB_QTO, "GrossArea") or scope.index.value(
            element, ROOF_QTO, "ProjectedArea"
        )
        if value is not None and value.si is not None:
            with_qto.append((element, value))
        else:
            need_geometry.append(element)
    return with_qto, need_geometry


def roof_area(scope: BuildingScope) -> Fact:
    """Projected roof area: IfcRoof quantities, else ROOF slab quantities, else their footprint from geometry."""
    by_source: dict[str, list[ifcopenshell.entity_instance]] = defaultdict(list)
    with_qto, need_geometry = _roof_parts(scope)
    total = 0.0
    for element, value in with_qto:
        total += value.si or 0.0
        by_source[value.source].append(element)
    footprints = scope.footprints(need_geometry) if need_geometry else {}
    lacking = [s for s in need_geometry if s.id() not in footprints]
    if lacking:
        ids = ", ".join(s.GlobalId for s in lacking[:10])
        return Fact(
            value=None,
            unit="m2",
            missing=(
                f"area of {len(lacking)} roof elements ({ids}): no Qto GrossArea/ProjectedArea and no usable geometry"
            ),
        )
    for element in need_geometry:
        total += footprints[element.id()]
        by_source["geometry"].append(element)
    if not by_source:
        return Fact(value=None, unit="m2", missing="no IfcRoof or IfcSlab with PredefinedType ROOF in the building")
    return Fact(value=round(total, 6), unit="m2", evidence=_area_evidence(by_source))


def usable_roof_area(scope: BuildingScope, roof: Fact) -> Fact:
    """Declared usable roof area, else roof area minus the declared exclusions."""
    building = scope.building
    declared = scope.custom(building, "UsableRoofArea")
    if declared is not None and declared.si is not None:
        ev = Evidence(method="property", source=declared.source, global_ids=[building.GlobalId], count=1)
        return Fact(value=declared.si, unit="m2", evidence=[ev])
    if roof.value is None:
        return Fact(value=None, unit="m2", missing=roof.missing or "roof area")
    exclusion = scope.custom(building, "RoofExclusionArea")
    if exclusion is None or exclusion.si is None:
        note = "no CN_GreenBuilding.RoofExclusionArea declared: whole roof taken as usable"
        return Fact(value=roof.value, unit="m2", evidence=list(roof.evidence), warnings=[note])
    excluded = Evidence(
        method="property",
        source=exclusion.source,
        global_ids=[building.GlobalId],
        count=1,
        note=f"minus {exclusion.si:g} m² excluded",
    )
    return Fact(value=round(float(roof.value) - exclusion.si, 6), unit="m2", evidence=[*roof.evidence, excluded])
