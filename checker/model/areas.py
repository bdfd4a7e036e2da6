"""Above-ground gross floor area and roof area, each from the best source the model offers.

Order per storey: storey quantity, else its spaces' quantities, else its floor slabs' quantities, else the floor
slabs' footprint from geometry. A building-level total is never used: it includes basements, and the
prefabrication trigger is about above-ground area. Slabs that are no floor (foundations, outdoor paving, a
BASESLAB under a storey that has a floor slab) and roof levels are left out, each named in the fact.
A storey that holds elements but shows no area makes the total a lower bound; only a storey that holds
nothing (a reference level) is 0 m².
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

import ifcopenshell

from checker.model.facts import Evidence, Fact
from checker.model.height import building_height
from checker.model.index import PropValue
from checker.model.plausibility import area_problem
from checker.model.roof import SLAB_QTO, area_evidence, roof_area, roof_level_slab_role, usable_roof_area
from checker.model.scope import GID_CAP, BuildingScope, keyword_matches
from checker.model.storeys import (
    STOREY_QTO,
    held_elements,
    is_above_ground,
    roof_level_note,
    roof_levels,
    storey_elevation,
    storey_levels,
    texts,
)

__all__ = [
    "area_facts",
    "is_above_ground",
    "roof_level_slab_role",
    "storey_area",
    "storey_elevation",
    "storey_floor_area",
]

SPACE_QTO = ("Qto_SpaceBaseQuantities", "BaseQuantities")
NOT_FLOOR_SLABS = {"ROOF", "LANDING"}
FOUNDATION_CLASSES = ("IfcFooting", "IfcPile")  # foundations by their IFC definition
Entity = ifcopenshell.entity_instance


def area_facts(scope: BuildingScope) -> dict[str, Fact]:
    roof = roof_area(scope)
    return {
        "above_ground_gfa": above_ground_gfa(scope),
        "roof_area": roof,
        "usable_roof_area": usable_roof_area(scope, roof),
        "building_height": building_height(scope),
    }


@dataclass(frozen=True)
class StoreyArea:
    """One storey's floor area (None: cannot tell), where it came from and the slabs left out (slab, why)."""

    value: float | None
    source: str
    elements: list[Entity]
    excluded: list[tuple[Entity, str]] = field(default_factory=list)
    missing: str | None = None
    lacking: list[str] = field(default_factory=list)  # GlobalIds of the elements whose area is missing
    implausible: bool = False  # the area was found but no storey can have it (missing says why)


def _members(scope: BuildingScope, storey: Entity, ifc_class: str) -> list[Entity]:
    """Elements of a class contained in or aggregated under the storey (spaces are aggregated, slabs contained)."""
    found = [e for e in scope.index.contained(storey) if e.is_a(ifc_class)]
    found += [e for e in scope.index.children(storey) if e.is_a(ifc_class)]
    return list({e.id(): e for e in found}.values())


def floor_slabs(scope: BuildingScope, storey: Entity) -> tuple[list[Entity], list[tuple[Entity, str]]]:
    """(slabs that are the storey's floor, slabs left out with why). ROOF and LANDING slabs are neither."""
    tables = scope.config.storeys
    kept: list[Entity] = []
    excluded: list[tuple[Entity, str]] = []
    for slab in _members(scope, storey, "IfcSlab"):
        if scope.index.predefined_type(slab) in NOT_FLOOR_SLABS:
            continue
        words = texts(scope, slab)
        if any(keyword_matches(t, tables.foundation_keywords) for t in words):
            excluded.append((slab, "a foundation by its name or type"))
        elif any(keyword_matches(t, tables.outdoor_slab_keywords) for t in words):
            excluded.append((slab, "outdoor paving by its name or type"))
        else:
            kept.append(slab)
    floors = [s for s in kept if scope.index.predefined_type(s) != "BASESLAB"]
    if floors:  # a BASESLAB is the floor only of a storey without a floor slab (slab on grade)
        floor_ids = {s.id() for s in floors}
        excluded += [
            (s, "a BASESLAB under a storey that has a floor slab: a foundation")
            for s in kept
            if s.id() not in floor_ids
        ]
        kept = floors
    return kept, excluded


def _sum_quantities(
    scope: BuildingScope, elements: list[Entity], psets: tuple[str, ...], prop: str
) -> tuple[float, str] | StoreyArea | None:
    """Sum of a quantity over all elements, or None unless every element has it in SI; a StoreyArea that cannot be
    told when one of them is broken (negative, not finite), so no other source silently replaces it."""
    total = 0.0
    source = ""
    for element in elements:
        value = scope.index.value(element, psets, prop)
        if value is not None and value.problem is not None:
            return _broken(value, element, elements)
        if value is None or value.si is None:
            return None
        total += value.si or 0.0
        source = value.source
    return (total, source) if elements else None


def _broken(value: PropValue, element: Entity, elements: list[Entity]) -> StoreyArea:
    """A storey whose area quantity is broken: unknown with the reason, never the next source's figure."""
    why = f"{value.problem} on {element.GlobalId}"
    return StoreyArea(None, value.source, elements, missing=why, implausible=True)


def storey_floor_area(scope: BuildingScope, storey: Entity) -> StoreyArea:
    """The storey's floor area, or None with what is missing; a plausibility failure is missing too."""
    if storey.id() in roof_levels(scope):
        return StoreyArea(0.0, "roof level", [storey])
    found = _storey_floor_area(scope, storey)
    if found.value is None:
        return found
    problem = area_problem(
        found.value, f"one storey ('{storey_levels(scope)[storey.id()].name}')", scope.config.plausibility
    )
    if problem is None:
        return found
    return StoreyArea(None, found.source, found.elements, found.excluded, missing=problem, implausible=True)


def _storey_floor_area(scope: BuildingScope, storey: Entity) -> StoreyArea:
    own = scope.index.value(storey, STOREY_QTO, "GrossFloorArea")
    if own is not None and own.problem is not None:
        return _broken(own, storey, [storey])
    if own is not None and own.si is not None:
        return StoreyArea(own.si, own.source, [storey])
    spaces = _members(scope, storey, "IfcSpace")
    summed = _sum_quantities(scope, spaces, SPACE_QTO, "GrossFloorArea")
    if isinstance(summed, StoreyArea):
        return summed
    if summed is not None:
        return StoreyArea(summed[0], summed[1], spaces)
    slabs, excluded = floor_slabs(scope, storey)
    summed = _sum_quantities(scope, slabs, SLAB_QTO, "GrossArea")
    if isinstance(summed, StoreyArea):
        return replace(summed, excluded=excluded)
    if summed is not None:
        return StoreyArea(summed[0], summed[1], slabs, excluded)
    if slabs:
        footprints = scope.footprints(slabs)
        if len(footprints) == len(slabs):
            return StoreyArea(sum(footprints.values()), "geometry", slabs, excluded)
        lacking = [s.GlobalId for s in slabs if s.id() not in footprints]
        why = scope.geometry_blocked or "no usable geometry"
        text = f"floor slabs without Qto_SlabBaseQuantities.GrossArea and {why}"
        return StoreyArea(None, "missing", slabs, excluded, missing=text, lacking=lacking)
    left_out = {s.id() for s, _ in excluded}
    occupying = [e for e in held_elements(scope, storey) if e.id() not in left_out and not _no_floor(scope, e)]
    if not occupying:
        return StoreyArea(0.0, "empty", [storey], excluded)
    text = "holds elements but no floor area: no storey GrossFloorArea, no spaces with GrossFloorArea, no floor slab"
    return StoreyArea(None, "missing", [storey], excluded, missing=text, lacking=[e.GlobalId for e in occupying])


def _no_floor(scope: BuildingScope, element: Entity) -> bool:
    """Roofs, ROOF / LANDING slabs and foundations: a storey holding only these (a landing, canopy or foundation
    level) has no floor."""
    if element.is_a("IfcRoof") or any(element.is_a(c) for c in FOUNDATION_CLASSES):
        return True
    if element.is_a("IfcSlab") and scope.index.predefined_type(element) in NOT_FLOOR_SLABS:
        return True
    return any(keyword_matches(t, scope.config.storeys.foundation_keywords) for t in texts(scope, element))


def storey_area(scope: BuildingScope, storey: Entity) -> tuple[float, str, list[Entity]] | None:
    """(m², source, elements) for one storey, or None when its area cannot be told (see storey_floor_area).

    A roof level or a storey that holds nothing gives 0 m² with source 'empty'.
    """
    found = storey_floor_area(scope, storey)
    if found.value is None:
        return None
    return found.value, "empty" if found.source == "roof level" else found.source, found.elements


def above_ground_gfa(scope: BuildingScope) -> Fact:
    """Σ floor area of above-ground storeys: a lower bound when a storey that holds elements shows no area."""
    if scope.index.units.for_type("AREAUNIT").factor is None:
        return Fact(value=None, unit="m2", missing="the file declares no area or length unit (IfcUnitAssignment)")
    if not scope.storeys:
        return Fact(value=None, unit="m2", missing="an IfcBuildingStorey in the building (there is none)")
    by_source: dict[str, list[Entity]] = defaultdict(list)
    excluded: list[tuple[Entity, str, str]] = []
    missing: dict[str, list[tuple[str, StoreyArea]]] = defaultdict(list)
    unplaced: list[str] = []
    warnings: list[str] = []
    total = 0.0
    for level in storey_levels(scope).values():
        if level.warning:
            warnings.append(level.warning)
        if level.above_ground is None:
            unplaced.append(level.name)
            continue
        if not level.above_ground:
            continue
        found = storey_floor_area(scope, level.storey)
        excluded += [(slab, why, level.name) for slab, why in found.excluded]
        if found.value is None:
            missing[found.missing or "no floor area"].append((level.name, found))
            warnings += [found.missing or ""] if found.implausible else []
            continue
        total += found.value
        by_source[found.source].extend(found.elements)
    warnings += _exclusion_warnings(excluded) + [roof_level_note(lvl) for lvl in roof_levels(scope).values()]
    evidence = area_evidence(by_source) + _exclusion_evidence(excluded)
    parts = [_missing_text(reason, found) for reason, found in missing.items()]
    if unplaced:
        parts.append(f"elevation of storeys {', '.join(unplaced)} (no Elevation, no basement name, not placed apart)")
    return _gfa_fact(total, parts, evidence, warnings)


def _gfa_fact(total: float, parts: list[str], evidence: list[Evidence], warnings: list[str]) -> Fact:
    """Exact when nothing is missing; a lower bound when something is but some area is known; else unknown."""
    if parts and total > 0:
        note = f"above-ground floor area {total:,.0f} m² is a lower bound: some storeys' area or elevation is unknown"
        return Fact(
            value=round(total, 6),
            unit="m2",
            evidence=evidence,
            bound="lower",
            missing="; ".join(parts),
            warnings=[note, *warnings],
        )
    if parts:
        return Fact(value=None, unit="m2", missing="; ".join(parts), warnings=warnings)
    if total <= 0:
        text = "floor area: no above-ground storey has a GrossFloorArea quantity, spaces or floor slabs"
        return Fact(value=None, unit="m2", missing=text, warnings=warnings)
    return Fact(value=round(total, 6), unit="m2", evidence=evidence, warnings=warnings)


def _missing_text(reason: str, storeys: list[tuple[str, StoreyArea]]) -> str:
    """'floor area of storeys L1, L2 (reason: GlobalIds)' for the storeys that share one reason."""
    names = [name for name, _ in storeys]
    ids = [gid for _, found in storeys for gid in found.lacking]
    shown = ", ".join(ids[:10]) + (f" (+{len(ids) - 10} more)" if len(ids) > 10 else "")
    return f"floor area of storeys {', '.join(names)} ({reason}{': ' + shown if shown else ''})"


def _exclusion_groups(excluded: list[tuple[Entity, str, str]]) -> dict[tuple[str, str], list[Entity]]:
    groups: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for slab, why, storey in excluded:
        groups[(storey, why)].append(slab)
    return groups


def _exclusion_evidence(excluded: list[tuple[Entity, str, str]]) -> list[Evidence]:
    return [
        Evidence(
            method="derived",
            source=f"left out of the floor area of storey '{storey}': {why}",
            global_ids=[s.GlobalId for s in slabs][:GID_CAP],
            count=len(slabs),
        )
        for (storey, why), slabs in _exclusion_groups(excluded).items()
    ]


def _exclusion_warnings(excluded: list[tuple[Entity, str, str]]) -> list[str]:
    lines = []
    for (storey, why), slabs in _exclusion_groups(excluded).items():
        ids = ", ".join(s.GlobalId for s in slabs[:10]) + (f" (+{len(slabs) - 10} more)" if len(slabs) > 10 else "")
        lines.append(f"{len(slabs)} slabs on storey '{storey}' are not floor area, {why}: {ids}")
    return lines
