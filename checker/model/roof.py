"""Roof area and usable roof area, each from the best source the model offers, and the evidence of an area total.

The projected roof area comes from IfcRoof quantities, else ROOF (or roof-level) slab quantities, else their footprint;
a roof and its parts are never counted twice. A broken quantity (negative, not finite) or a declaration that
contradicts the roof makes the fact unknown with a warning, never a silent figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import ifcopenshell

from checker.model.facts import Evidence, Fact
from checker.model.index import PropValue
from checker.model.plausibility import area_problem
from checker.model.scope import BuildingScope, source_evidence
from checker.model.storeys import held_elements, roof_levels

ROOF_QTO = ("Qto_RoofBaseQuantities", "BaseQuantities")
SLAB_QTO = ("Qto_SlabBaseQuantities", "BaseQuantities")
AREA_TOLERANCE_M2 = 0.01  # rounding between a declared and a computed area; not a design margin
Entity = ifcopenshell.entity_instance


def area_evidence(by_source: dict[str, list[Entity]]) -> list[Evidence]:
    evidence = []
    for source, elements in by_source.items():
        ids = [e.GlobalId for e in elements]
        if source == "empty":
            label = "storeys that hold no elements (reference levels) counted as 0 m²"
            evidence.append(Evidence(method="derived", source=label, global_ids=ids, count=len(ids)))
        elif source == "roof level":
            label = "roof levels (only slabs, roofs, railings, parapets or PV): not floor area, 0 m²"
            evidence.append(Evidence(method="derived", source=label, global_ids=ids, count=len(ids)))
        else:
            evidence.append(source_evidence(source, ids))
    return evidence


@dataclass
class RoofParts:
    """The roof's elements: with an area quantity, needing geometry, and broken quantities (why, per element)."""

    with_qto: list[tuple[Entity, PropValue]] = field(default_factory=list)
    need_geometry: list[Entity] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def area_of(self, element: Entity, value: PropValue | None) -> PropValue | None:
        """The value when usable; a broken one is noted (it must not fall back to geometry unsaid)."""
        if value is not None and value.problem is not None:
            self.broken.append(f"{value.problem} on {element.GlobalId}")
            return None
        return value if value is not None and value.si is not None else None


def _roof_parts(scope: BuildingScope) -> RoofParts:
    """The roof's elements, never counting a roof and its parts twice.

    A roof level's slabs are the roof when the level holds no IfcRoof or ROOF slab (else they lie under it).
    """
    found = RoofParts()
    with_qto = found.with_qto
    candidates: list[Entity] = []
    under_roof: set[int] = set()
    for roof in scope.of_class("IfcRoof"):
        parts = scope.index.children(roof)
        under_roof.update(p.id() for p in parts)
        value = found.area_of(
            roof, scope.index.value(roof, ROOF_QTO, "ProjectedArea") or scope.index.value(roof, ROOF_QTO, "GrossArea")
        )
        if value is not None:
            with_qto.append((roof, value))
        else:
            candidates.extend(parts or [roof])
    candidates += [
        s for s in scope.of_class("IfcSlab") if scope.index.predefined_type(s) == "ROOF" and s.id() not in under_roof
    ]
    for level in roof_levels(scope).values():
        if not _holds_roof(scope, level.storey):
            candidates += [
                e for e in held_elements(scope, level.storey) if e.is_a("IfcSlab") and e.id() not in under_roof
            ]
    for element in {e.id(): e for e in candidates}.values():
        value = found.area_of(
            element,
            scope.index.value(element, SLAB_QTO, "GrossArea") or scope.index.value(element, ROOF_QTO, "ProjectedArea"),
        )
        if value is not None:
            with_qto.append((element, value))
        else:
            found.need_geometry.append(element)
    return found


def _holds_roof(scope: BuildingScope, storey: Entity) -> bool:
    return any(
        e.is_a("IfcRoof") or (e.is_a("IfcSlab") and scope.index.predefined_type(e) == "ROOF")
        for e in held_elements(scope, storey)
    )


def roof_level_slab_role(scope: BuildingScope, slab: Entity) -> str | None:
    """'roof' for a slab of a roof level that holds no IfcRoof or ROOF slab (the slab is the roof area), 'under_roof'
    for one beside such a roof (neither floor nor roof area), None for a slab of an ordinary storey."""
    storey = scope.index.storey_of(slab)
    if storey is None or storey.id() not in roof_levels(scope):
        return None
    return "under_roof" if _holds_roof(scope, storey) else "roof"


def roof_area(scope: BuildingScope) -> Fact:
    """Projected roof area: IfcRoof quantities, else ROOF (or roof-level) slab quantities, else their footprint."""
    by_source: dict[str, list[Entity]] = defaultdict(list)
    parts = _roof_parts(scope)
    if parts.broken:
        text = "roof area: " + "; ".join(list(dict.fromkeys(parts.broken))[:10])  # a roof is read twice: once said
        return Fact(value=None, unit="m2", missing=text, warnings=[text])
    with_qto, need_geometry = parts.with_qto, parts.need_geometry
    total = 0.0
    for element, value in with_qto:
        total += value.si or 0.0
        by_source[value.source].append(element)
    footprints = scope.footprints(need_geometry) if need_geometry else {}
    lacking = [s for s in need_geometry if s.id() not in footprints]
    if lacking:
        ids = ", ".join(s.GlobalId for s in lacking[:10])
        why = scope.geometry_blocked or "no usable geometry"
        text = f"area of {len(lacking)} roof elements ({ids}): no Qto GrossArea/ProjectedArea and {why}"
        return Fact(value=None, unit="m2", missing=text)
    for element in need_geometry:
        total += footprints[element.id()]
        by_source["geometry"].append(element)
    if not by_source:
        return Fact(
            value=None,
            unit="m2",
            missing="an IfcRoof or IfcSlab with PredefinedType ROOF in the building (there is none)",
        )
    problem = area_problem(total, "the roof", scope.config.plausibility)
    if problem is not None:
        return Fact(value=None, unit="m2", missing=problem, warnings=[problem])
    # An IfcRoof's GrossArea is its surface: on a pitched roof more than the projection the coverage rules need.
    sloped = [e.GlobalId for e, v in with_qto if e.is_a("IfcRoof") and v.source.endswith(".GrossArea")]
    if sloped:
        note = (
            f"{len(sloped)} IfcRoof without ProjectedArea ({', '.join(sloped[:10])}): their GrossArea (the roof "
            "surface) is an upper bound of the projected area"
        )
        return Fact(
            value=round(total, 6),
            unit="m2",
            evidence=area_evidence(by_source),
            bound="upper",
            missing=note,
            warnings=[note],
        )
    return Fact(value=round(total, 6), unit="m2", evidence=area_evidence(by_source))


def usable_roof_area(scope: BuildingScope, roof: Fact) -> Fact:
    """Declared usable roof area, else roof area minus the declared exclusions; a declaration that is broken,
    implausible or larger than the roof makes the fact unknown with a warning, never a silent figure."""
    building = scope.building
    declared = scope.custom(building, "UsableRoofArea")
    if declared is not None and (declared.problem is not None or declared.si is not None):
        return _declared_usable(scope, declared, roof)
    if roof.value is None:
        return Fact(value=None, unit="m2", missing=roof.missing or "roof area")
    exclusion = scope.custom(building, "RoofExclusionArea")
    if exclusion is not None and exclusion.problem is not None:
        return _refused(f"{exclusion.problem} on {building.GlobalId}")
    if exclusion is None or exclusion.si is None:
        note = "no CN_GreenBuilding.RoofExclusionArea declared: whole roof taken as usable"
        return roof.model_copy(update={"warnings": [*roof.warnings, note]})
    usable = float(roof.value) - exclusion.si
    if usable < -AREA_TOLERANCE_M2:
        return _refused(
            f"{exclusion.source} = {exclusion.si:,.1f} m² is more than the roof area of {float(roof.value):,.1f} m² "
            f"on {building.GlobalId}: the exclusions or the roof are wrong"
        )
    excluded = Evidence(
        method="property",
        source=exclusion.source,
        global_ids=[building.GlobalId],
        count=1,
        note=f"minus {exclusion.si:g} m² excluded",
    )
    return roof.model_copy(update={"value": round(max(usable, 0.0), 6), "evidence": [*roof.evidence, excluded]})


def _declared_usable(scope: BuildingScope, declared: PropValue, roof: Fact) -> Fact:
    """The declared usable roof area, unless broken, implausible, or more than a roof area known to be at most that."""
    gid = scope.building.GlobalId
    if declared.problem is not None or declared.si is None:
        return _refused(f"{declared.problem} on {gid}")
    problem = area_problem(declared.si, f"the declared usable roof ({declared.source})", scope.config.plausibility)
    if problem is not None:
        return _refused(f"{problem} on {gid}")
    if roof.value is not None and roof.bound != "lower" and declared.si > float(roof.value) + AREA_TOLERANCE_M2:
        return _refused(
            f"{declared.source} = {declared.si:,.1f} m² is more than the roof area of {float(roof.value):,.1f} m² "
            f"({'at most' if roof.bound == 'upper' else 'exactly'}) on {gid}: the declaration or the roof is wrong"
        )
    ev = Evidence(method="property", source=declared.source, global_ids=[gid], count=1)
    return Fact(value=declared.si, unit="m2", evidence=[ev])


def _refused(why: str) -> Fact:
    return Fact(value=None, unit="m2", missing=why, warnings=[why])
