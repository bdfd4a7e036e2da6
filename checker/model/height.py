"""Building height in metres above the building's ±0.000, from the best source the model offers.

1. Qto_BuildingBaseQuantities.Height (exact).
2. The top storey's elevation plus its GrossHeight (exact); the top storey is the highest one holding elements.
3. The top storey is a roof level (storeys.py): its elevation is the roof surface (exact).
4. The highest point of the roof geometry (IfcRoof or its parts, ROOF slabs) minus the building's placement z:
   exact for a flat roof; on a pitched roof it is the ridge, an upper bound (a pitched roof's height is taken to
   the middle of eaves and ridge: GB 50016-2014 Appendix A, RECALLED, med; not in standards.md). Roof geometry
   no higher than the top storey is a canopy, not the roof.
5. The top storey's elevation: a lower bound.
The ±0.000 is not the outdoor ground the standards measure from (usually 0.15-0.45 m lower): every height here
is short by that step, which the report cannot know.
"""

from __future__ import annotations

import ifcopenshell

from checker.model.facts import Evidence, Fact
from checker.model.plausibility import height_problem
from checker.model.scope import BuildingScope, property_fact, source_evidence
from checker.model.storeys import (
    STOREY_QTO,
    StoreyLevel,
    held_elements,
    occupied_levels,
    roof_levels,
    storey_levels,
    world_z,
)

BUILDING_QTO = ("Qto_BuildingBaseQuantities", "BaseQuantities")
WANTED = "Qto_BuildingBaseQuantities.Height on the IfcBuilding (or the top storey's GrossHeight, or roof geometry)"


def building_height(scope: BuildingScope) -> Fact:
    """The height by the first source that gives one, checked for plausibility."""
    top = _top_storey(scope)
    found = (
        _declared(scope)
        or _from_storeys(scope, top)
        or _from_roof_geometry(scope, top)
        or _lower_bound(_highest_known(scope))
    )
    if found.value is None:
        return found
    problem = height_problem(float(found.value), scope.config.plausibility)
    if problem is not None:
        return Fact(value=None, unit="m", missing=problem, warnings=[problem])
    return found


def _top_storey(scope: BuildingScope) -> StoreyLevel | None:
    """The highest storey holding elements; None when there is none or one of them has no known elevation."""
    ordered = occupied_levels(scope)
    return ordered[0] if ordered else None


def _highest_known(scope: BuildingScope) -> StoreyLevel | None:
    """The highest storey holding elements among those with a known elevation (others may be higher still)."""
    levels = [lvl for lvl in storey_levels(scope).values() if lvl.elevation is not None]
    levels = [lvl for lvl in levels if held_elements(scope, lvl.storey)]
    return max(levels, key=lambda lvl: lvl.elevation or 0.0) if levels else None


def _declared(scope: BuildingScope) -> Fact | None:
    declared = scope.index.value(scope.building, BUILDING_QTO, "Height")
    if declared is None or declared.si is None:
        return None
    return property_fact(declared, scope.building, "height", unit="m").model_copy(update={"value": declared.si})


def _from_storeys(scope: BuildingScope, top: StoreyLevel | None) -> Fact | None:
    """Rules 2 and 3: a roof level's elevation, else the top storey's elevation + GrossHeight."""
    if top is None or top.elevation is None:
        return None
    ids = [lvl.storey.GlobalId for lvl in storey_levels(scope).values() if lvl.elevation is not None]
    if top.storey.id() in roof_levels(scope):
        ev = Evidence(
            method="attribute",
            source=f"elevation of the roof level '{top.name}' ({top.elevation_source})",
            global_ids=ids,
            count=len(ids),
            note="the top storey holds only the roof (slabs, roofs, railings, parapets, PV): its elevation is the "
            "roof surface, taken as exact",
        )
        return Fact(value=round(top.elevation, 6), unit="m", evidence=[ev])
    gross = scope.index.value(top.storey, STOREY_QTO, "GrossHeight")
    if gross is None or gross.si is None:
        return None
    ev = Evidence(
        method="derived",
        source=f"top storey '{top.name}' elevation ({top.elevation_source}) + {gross.source}",
        global_ids=ids,
        count=len(ids),
    )
    return Fact(value=round(top.elevation + gross.si, 6), unit="m", evidence=[ev])


def roof_elements(scope: BuildingScope) -> list[ifcopenshell.entity_instance]:
    """IfcRoof parts (or the roof itself when it has none) and ROOF slabs, each once."""
    found: list[ifcopenshell.entity_instance] = []
    for roof in scope.of_class("IfcRoof"):
        found += scope.index.children(roof) or [roof]
    found += [s for s in scope.of_class("IfcSlab") if scope.index.predefined_type(s) == "ROOF"]
    return list({e.id(): e for e in found}.values())


def _from_roof_geometry(scope: BuildingScope, top: StoreyLevel | None) -> Fact | None:
    """Rule 4: the highest point of the roof above the building's placement; None unless every roof part measures."""
    elements = [e for e in roof_elements(scope) if getattr(e, "Representation", None) is not None]
    if not elements:
        return None
    tops = scope.measure("top", elements)
    if len(tops) < len(elements):
        return None
    base = world_z(scope, scope.building) or 0.0
    highest = max(elements, key=lambda e: tops[e.id()])
    height = tops[highest.id()] - base
    if top is not None and top.elevation is not None and height <= top.elevation:
        return None  # a canopy or porch roof below the top storey: not the building's roof
    ev = source_evidence("geometry", [e.GlobalId for e in elements]).model_copy(
        update={"note": f"highest point of the roof ({highest.GlobalId}) above the building's placement z {base:g} m"}
    )
    span = scope.measure("vertical_span", [highest]).get(highest.id())
    if span is not None and span <= scope.config.storeys.flat_roof_tolerance_m:
        return Fact(value=round(height, 6), unit="m", evidence=[ev])
    warning = (
        f"the roof top at {height:.2f} m is the ridge of a pitched roof (the roof element spans "
        f"{span or 0.0:.2f} m in height): an upper bound of the height, which is measured to mid-pitch"
    )
    return Fact(value=round(height, 6), unit="m", evidence=[ev], bound="upper", missing=WANTED, warnings=[warning])


def _lower_bound(top: StoreyLevel | None) -> Fact:
    """Rule 5: the top storey's elevation, a lower bound (unknown when it is not above the ±0.000)."""
    if top is None or top.elevation is None or top.elevation <= 0:
        return Fact(value=None, unit="m", missing=f"{WANTED}; the storeys give no elevation above ±0.000")
    ev = Evidence(
        method="attribute",
        source=f"elevation of the top storey '{top.name}' ({top.elevation_source})",
        global_ids=[top.storey.GlobalId],
        count=1,
    )
    warning = (
        "building height taken as the top storey's elevation (no Qto_BuildingBaseQuantities.Height, no GrossHeight, "
        "no roof level and no roof geometry above it): a lower bound"
    )
    return Fact(
        value=round(top.elevation, 6), unit="m", evidence=[ev], bound="lower", missing=WANTED, warnings=[warning]
    )
