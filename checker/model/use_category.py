"""The building's use category: declared (CN_GreenBuilding.UseCategory), mapped from Pset_BuildingCommon.OccupancyType
through the ruleset's keyword table, or, where neither is declared, inferred from the names of its IfcSpaces.

Chinese Revit exports carry no OccupancyType, but their rooms are named (教室, 办公室, 卧室): a building whose
classified rooms are clearly of one use is taken as that use, saying so, and asking for the declaration.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import ifcopenshell

from checker.model.facts import Evidence, Fact
from checker.model.keywords import category_matches, longest
from checker.model.scope import GID_CAP, BuildingScope, prop_evidence

# The accepted values of the custom property itself (its documented vocabulary), not a policy table.
DECLARED_WORDS: list[tuple[str, list[str]]] = [
    ("public", ["public", "公共"]),
    ("residential", ["residential", "住宅", "居住"]),
    ("industrial", ["industrial", "factory", "工业", "厂房"]),
    ("warehouse", ["warehouse", "仓库", "仓储"]),
    ("mixed", ["mixed", "综合", "混合"]),
]
SPACE_QTO = ("Qto_SpaceBaseQuantities", "BaseQuantities")
DECLARE = "Pset_BuildingCommon.OccupancyType (or CN_GreenBuilding.UseCategory) on the IfcBuilding"


def use_category(scope: BuildingScope) -> Fact:
    building = scope.building
    declared = scope.custom(building, "UseCategory")
    if declared is not None and isinstance(declared.raw, str):
        found = list(category_matches(declared.raw, DECLARED_WORDS))
        if len(found) == 1:
            return Fact(value=found[0], evidence=[prop_evidence(declared, [building])])
        return Fact(
            value=None,
            missing=(
                f"CN_GreenBuilding.UseCategory '{declared.raw}' is not one of "
                "public/residential/industrial/warehouse/mixed"
            ),
        )
    occupancy = scope.index.value(building, "Pset_BuildingCommon", "OccupancyType")
    if occupancy is None or not str(occupancy.raw).strip():
        return from_space_names(scope)
    table = [(entry.category, entry.keywords) for entry in scope.config.use_categories]
    found = list(category_matches(str(occupancy.raw), table))
    evidence = [prop_evidence(occupancy, [building], f"'{occupancy.raw}' mapped by the ruleset's use-category table")]
    if not found:
        return Fact(
            value=None,
            missing=(
                f"Pset_BuildingCommon.OccupancyType '{occupancy.raw}' "
                "matches no entry of the ruleset's use-category table"
            ),
        )
    category = found[0] if len(found) == 1 else "mixed"
    warnings = [f"'{occupancy.raw}' matches {', '.join(found)}: treated as mixed"] if len(found) > 1 else []
    return Fact(value=category, evidence=evidence, warnings=warnings)


@dataclass(frozen=True)
class Room:
    space: ifcopenshell.entity_instance
    category: str
    keyword: str
    area: float | None


def _rooms(scope: BuildingScope) -> list[Room]:
    """The building's spaces whose Name/LongName match exactly one category of the space-use table."""
    table = [(entry.category, entry.keywords) for entry in scope.config.space_use_categories]
    rooms = []
    for space in scope.of_class("IfcSpace"):
        text = " ".join(t for t in (scope.name(space), scope.text(getattr(space, "LongName", None))) if t)
        found = category_matches(text, table)
        if len(found) != 1:
            continue  # no use shown (卫生间, 走廊) or two uses in one name: not evidence either way
        (category, matches), *_ = found.items()
        rooms.append(Room(space, category, longest(matches), space_area(scope, space)))
    return rooms


def space_area(scope: BuildingScope, space: ifcopenshell.entity_instance) -> float | None:
    """Net floor area of a space (m²), else its gross floor area."""
    area = scope.index.value(space, SPACE_QTO, "NetFloorArea") or scope.index.value(space, SPACE_QTO, "GrossFloorArea")
    return area.si if area is not None else None


def shares(rooms: list[Room]) -> tuple[dict[str, float], dict[str, float] | None]:
    """Share of each category by count, and by floor area when every classified space has one."""
    counts = Counter(r.category for r in rooms)
    by_count = {c: n / len(rooms) for c, n in counts.items()}
    if any(r.area is None or r.area <= 0 for r in rooms):
        return by_count, None
    total = sum(r.area or 0.0 for r in rooms)
    areas: dict[str, float] = {}
    for room in rooms:
        areas[room.category] = areas.get(room.category, 0.0) + (room.area or 0.0)
    return by_count, {c: a / total for c, a in areas.items()}


def tally(rooms: list[Room]) -> str:
    """'public 12 (教室 ×8, 办公室 ×4); residential 1 (卧室 ×1)'."""
    parts = []
    for category, n in Counter(r.category for r in rooms).most_common():
        words = Counter(r.keyword for r in rooms if r.category == category).most_common()
        parts.append(f"{category} {n} ({', '.join(f'{w} ×{k}' for w, k in words)})")
    return "; ".join(parts)


def from_space_names(scope: BuildingScope) -> Fact:
    """Use inferred from IfcSpace names when one category clearly dominates (ruleset share), else unknown."""
    rooms = _rooms(scope)
    config = scope.config
    if not scope.of_class("IfcSpace"):
        return Fact(value=None, missing=f"{DECLARE} (the building has no IfcSpace whose names could show its use)")
    if len(rooms) < config.space_use_min_spaces:
        shown = f": {tally(rooms)}" if rooms else ""
        return Fact(
            value=None,
            missing=(
                f"{DECLARE} (only {len(rooms)} IfcSpace names show a use{shown}; "
                f"at least {config.space_use_min_spaces} are needed to infer it)"
            ),
        )
    by_count, by_area = shares(rooms)
    winners = {c for c, share in by_count.items() if share >= config.space_use_min_share}
    winners |= {c for c, share in (by_area or {}).items() if share >= config.space_use_min_share}
    if len(winners) != 1:
        return Fact(
            value=None,
            missing=(
                f"{DECLARE}: IfcSpace names show no single dominant use ({tally(rooms)}; "
                f"none reaches {config.space_use_min_share:.0%} of the {len(rooms)} classified spaces)"
            ),
        )
    (category,) = winners
    chosen = [r for r in rooms if r.category == category]
    words = Counter(r.keyword for r in chosen).most_common()
    return inferred_fact(
        category,
        rooms,
        chosen,
        (by_count, by_area, category),
        source=f"inferred from {len(chosen)} IfcSpace names ({', '.join(f'{w} ×{k}' for w, k in words)})",
        of_rooms="classified spaces",
        warning=f"use category '{category}' inferred from IfcSpace names: declare Pset_BuildingCommon.OccupancyType",
    )


def inferred_fact(
    value: str,
    rooms: list[Room],
    chosen: list[Room],
    share_of: tuple[dict[str, float], dict[str, float] | None, str],
    source: str,
    of_rooms: str,
    warning: str,
) -> Fact:
    """A fact inferred from the building's spaces: the chosen ones as evidence, with the share (by count, and by area
    where known) of category share_of[2] among `rooms`, and a warning to declare it instead."""
    by_count, by_area, key = share_of
    share = f"{by_count.get(key, 0.0):.0%} by count" + (f", {by_area.get(key, 0.0):.0%} by area" if by_area else "")
    ids = [r.space.GlobalId for r in chosen]
    evidence = Evidence(
        method="attribute",
        source=source,
        global_ids=ids[:GID_CAP],
        count=len(ids),
        note=f"inferred: {share} of {len(rooms)} {of_rooms} ({tally(rooms)})",
    )
    return Fact(value=value, evidence=[evidence], warnings=[warning])
