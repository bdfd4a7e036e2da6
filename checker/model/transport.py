"""Whether the building is a transport facility of 发改环资〔2024〕241号 六(十五) (bus depot, charging or battery-swap
station, car park): declared (CN_GreenBuilding.FacilityType), read from Pset_BuildingCommon.OccupancyType, or inferred
from its IfcSpaces (IFC4 PredefinedType PARKING, or their names).

A car park is a public building in Chinese practice, so this is a fact of its own beside use_category, which keeps
its vocabulary. The answer is 'none' only when the model shows another use (a declaration, an OccupancyType of
another use, or spaces mostly of other uses); a building whose use nothing shows stays unknown.
"""

from __future__ import annotations

import ifcopenshell

from checker.model.facts import Fact
from checker.model.keywords import category_matches, longest
from checker.model.scope import CUSTOM_PSET, BuildingScope, keyword_matches, prop_evidence
from checker.model.use_category import Room, inferred_fact, shares, space_area, tally

FACILITIES = ("bus_depot", "charging_station", "car_park")
OTHER = "other use"
DECLARE = f"{CUSTOM_PSET}.FacilityType on the IfcBuilding (bus_depot, charging_station, car_park or none)"


def transport_facility(scope: BuildingScope) -> Fact:
    """bus_depot / charging_station / car_park, 'none' when the model shows another use, else unknown."""
    building = scope.building
    table = list(scope.config.transport_facility_words.items())
    declared = scope.custom(building, "FacilityType")
    if declared is not None and str(declared.raw or "").strip():
        text = str(declared.raw)
        found = list(category_matches(text, table))
        if found:
            return Fact(value=found[0], evidence=[prop_evidence(declared, [building])])
        if keyword_matches(text, scope.config.transport_facility_none_words):
            return Fact(value="none", evidence=[prop_evidence(declared, [building])])
        return Fact(
            value=None,
            missing=f"{CUSTOM_PSET}.FacilityType '{text}' is not bus_depot, charging_station, car_park or none",
        )
    occupancy = scope.index.value(building, "Pset_BuildingCommon", "OccupancyType")
    if occupancy is not None and str(occupancy.raw or "").strip():
        text = str(occupancy.raw)
        found = list(category_matches(text, table))
        uses = [(entry.category, entry.keywords) for entry in scope.config.use_categories]
        if found:
            note = f"'{text}' mapped by the ruleset's transport-facility table"
            return Fact(value=found[0], evidence=[prop_evidence(occupancy, [building], note)])
        if category_matches(text, uses):
            note = f"'{text}' names another use (no transport-facility word)"
            return Fact(value="none", evidence=[prop_evidence(occupancy, [building], note)])
    return from_spaces(scope)


def _space_facility(scope: BuildingScope, space: ifcopenshell.entity_instance) -> tuple[str, str] | None:
    """(facility or OTHER, the word or type that said so) for a space whose type or name shows a use."""
    config = scope.config
    element_type = scope.index.type_of(space)
    kinds = {str(getattr(e, "PredefinedType", None) or "") for e in (space, element_type) if e is not None}
    for facility, types in config.transport_space_types.items():
        hit = kinds & set(types)
        if hit:
            return facility, f"PredefinedType {sorted(hit)[0]}"
    text = " ".join(t for t in (scope.name(space), scope.text(getattr(space, "LongName", None))) if t)
    if not text:
        return None
    found = category_matches(text, list(config.transport_space_words.items()))
    if found:
        facility = next(f for f in config.transport_space_words if f in found)
        return facility, longest(found[facility])
    other = category_matches(text, [(e.category, e.keywords) for e in config.space_use_categories])
    if other:
        return OTHER, longest(next(iter(other.values())))
    return None


def from_spaces(scope: BuildingScope) -> Fact:
    """The facility whose spaces reach transport_space_min_share of the spaces showing a use (count or area)."""
    config = scope.config
    rooms = []
    for space in scope.of_class("IfcSpace"):
        found = _space_facility(scope, space)
        if found is not None:
            rooms.append(Room(space, found[0], found[1], space_area(scope, space)))
    if not rooms:
        return Fact(value=None, missing=f"{DECLARE} (no OccupancyType, and no IfcSpace whose type or name shows a use)")
    by_count, by_area = shares(rooms)
    limit = config.transport_space_min_share
    for facility in FACILITIES:
        share = max(by_count.get(facility, 0.0), (by_area or {}).get(facility, 0.0))
        if share >= limit:
            return _inferred(rooms, facility, by_count, by_area)
    if len(rooms) >= config.space_use_min_spaces and by_count.get(OTHER, 0.0) > 0:
        return _inferred(rooms, "none", by_count, by_area)
    return Fact(
        value=None,
        missing=f"{DECLARE} (only {len(rooms)} IfcSpaces show a use: {tally(rooms)}; at least "
        f"{config.space_use_min_spaces} are needed, or transport spaces making {limit:.0%} of them)",
    )


def _inferred(rooms: list[Room], value: str, by_count: dict[str, float], by_area: dict[str, float] | None) -> Fact:
    chosen = [r for r in rooms if (r.category == value) or (value == "none" and r.category == OTHER)]
    return inferred_fact(
        value,
        rooms,
        chosen,
        (by_count, by_area, OTHER if value == "none" else value),
        source=f"inferred from {len(chosen)} IfcSpaces (type or name)",
        of_rooms="spaces showing a use",
        warning=f"transport facility '{value}' inferred from IfcSpaces: declare {CUSTOM_PSET}.FacilityType",
    )
