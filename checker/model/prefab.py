"""Prefabrication facts (GB/T 51129-2017): the Table 4.0.1 totals, the floor-plan area A and the building's
declarations, summed over the rated part of the building (the above-ground storeys, [extraction.prefab]).

Members are classified and read in prefab_members.py; this module sums them. A member whose storey's position is
unknown makes the totals it belongs to unknown, naming the storeys. Items a model cannot show (full decoration,
integration ratios, dry floors, kitchens, bathrooms) are declared on the building in CN_GreenBuilding; when absent
they stay unknown, never scored as met.
"""

from __future__ import annotations

from collections import defaultdict

import ifcopenshell

from checker.model.areas import is_above_ground, storey_area
from checker.model.facts import ElementRecord, Evidence, Fact, Scalar
from checker.model.material_props import MaterialIndex
from checker.model.prefab_materials import structure_type
from checker.model.prefab_members import (
    UNCLASSIFIED_FLAGS,
    classify,
    rated,
    structural_records,
    unclassified_walls,
    wall_records,
)
from checker.model.scope import (
    CUSTOM_PSET,
    GID_CAP,
    BuildingScope,
    as_bool,
    keyword_matches,
    prop_evidence,
    source_evidence,
)

PIPE_QTO = (
    "Qto_PipeSegmentBaseQuantities",
    "Qto_CableSegmentBaseQuantities",
    "Qto_CableCarrierSegmentBaseQuantities",
    "BaseQuantities",
)
# CN_GreenBuilding ratios declared on the building -> fact name (Table 4.0.1 items a model cannot show).
DECLARED_RATIOS = {
    "ExteriorWallIntegratedRatio": "prefab_q2b_ratio",
    "PartitionIntegratedRatio": "prefab_q2d_ratio",
    "DryFloorRatio": "prefab_q3a_ratio",
    "IntegratedKitchenRatio": "prefab_q3b_ratio",
    "IntegratedBathroomRatio": "prefab_q3c_ratio",
}
ITEM_CODES = {"q1a", "q1b", "q2a", "q2b", "q2c", "q2d", "q3_decoration", "q3a", "q3b", "q3c", "q3d"}
WALL_AREA = "wall area (openings deducted)"

Records = dict[str, list[ElementRecord]]


def prefab_facts(scope: BuildingScope) -> tuple[dict[str, Fact], Records]:
    """All prefabrication facts and the classified component records of one building."""
    groups = classify(scope)
    records: Records = structural_records(scope, MaterialIndex.of(scope.index), groups)
    records["prefab_exterior_walls"] = wall_records(scope, groups["exterior"], "q2a")
    records["prefab_partitions"] = wall_records(scope, groups["partition"], "q2c")
    records["prefab_item_spaces"] = item_space_records(scope)
    vertical, horizontal = records["prefab_vertical"], records["prefab_horizontal"]
    maybe = unclassified_walls(scope, groups["unclassified"])
    facts: dict[str, Fact] = {
        "industrial_land": _bool_fact(scope, "IndustrialLand"),
        "prefab_full_decoration": _bool_fact(scope, "FullDecoration"),
        "prefab_absent_items": absent_items(scope),
        "prefab_q1b_total": floor_plan_area(scope),
        "structure_type": structure_type(scope, vertical + maybe["vertical"]),
    }
    facts.update(_sum_pair(vertical, "volume_m3", "prefab_q1a", "m3", "vertical-member volume"))
    floors = [r for r in horizontal if not r.values.get("roof")]
    roofs = [r for r in horizontal if r.values.get("roof")]
    facts["prefab_q1b_precast"] = _flagged_sum(floors, "projected_area_m2", "m2", "precast floor projected area")
    facts["prefab_q1b_roof_precast"] = _flagged_sum(roofs, "projected_area_m2", "m2", "precast roof projected area")
    for key, prefix in (("prefab_exterior_walls", "prefab_q2a"), ("prefab_partitions", "prefab_q2c")):
        facts.update(_sum_pair(records[key], "area_m2", prefix, "m2", WALL_AREA, flag="non_masonry", part="nonmasonry"))
    concrete = [r for r in vertical + horizontal if r.values.get("concrete")]
    facts.update(
        _sum_pair(concrete, "volume_m3", "prefab_structure", "m3", "structural concrete volume", "precast_concrete")
    )
    for group, totals in UNCLASSIFIED_TOTALS.items():
        for prefix, part in totals:
            facts.update(_unclassified_open(facts, prefix, part, maybe[group]))
    for prop, name in DECLARED_RATIOS.items():
        facts[name] = _ratio_fact(scope, prop)
    facts["prefab_q3d_ratio"], records["prefab_pipelines"] = pipeline_separation(scope)
    records["prefab_unclassified_walls"] = list({r.global_id: r for rs in maybe.values() for r in rs}.values())
    return facts, records


# --- walls without LoadBearing / IsExternal ------------------------------------------------------------------------
# The totals a wall lacking LoadBearing / IsExternal may belong to, by group: (fact prefix, part suffix).
UNCLASSIFIED_TOTALS = {
    "vertical": (("prefab_q1a", "precast"), ("prefab_structure", "precast")),
    "exterior": (("prefab_q2a", "nonmasonry"),),
    "partition": (("prefab_q2c", "nonmasonry"),),
}


def _unclassified_open(facts: dict[str, Fact], prefix: str, part: str, walls: list[ElementRecord]) -> dict[str, Fact]:
    """A pair of totals made unknown by walls that may belong to it: leaving them out is no smaller error than
    counting them (a masonry wall dropped from q2a raises the non-masonry share)."""
    total = facts[f"{prefix}_total"]
    if not walls or total.value is None:
        return {}
    ids = ", ".join(r.global_id for r in walls[:10])
    text = (
        f"{UNCLASSIFIED_FLAGS} of {len(walls)} walls ({ids}): without them a wall may be load-bearing, exterior "
        "or a partition, so it may belong to this total"
    )
    return {
        f"{prefix}_total": Fact(value=None, unit=total.unit, missing=text),
        f"{prefix}_{part}": Fact(value=None, unit=total.unit, missing=text),
    }


# --- sums over the rated part ----------------------------------------------------------------------------------------
def _rated(records: list[ElementRecord], label: str) -> tuple[list[ElementRecord], str | None]:
    """The records inside the rated part, or what is missing to tell (members whose storey's position is unknown)."""
    unknown = [r for r in records if r.values.get("rated") is None]
    if unknown:
        storeys = sorted({r.storey or "(no storey)" for r in unknown})
        ids = ", ".join(r.global_id for r in unknown[:10])
        return [], (
            f"{label}: whether storeys {', '.join(storeys)} are above ground (IfcBuildingStorey Elevation or "
            f"{CUSTOM_PSET}.AboveGround) for {len(unknown)} members ({ids})"
        )
    return [r for r in records if r.values.get("rated")], None


def _excluded(records: list[ElementRecord]) -> list[Evidence]:
    """Evidence naming the members left out because they lie outside the rated part (below ground)."""
    left_out = [r for r in records if r.values.get("rated") is False]
    if not left_out:
        return []
    ids = [r.global_id for r in left_out]
    why = left_out[0].sources.get("rated", "below ground")
    return [
        Evidence(
            method="ruleset",
            source=why.split(": ", 1)[-1] if ": " in why else why,
            global_ids=ids[:GID_CAP],
            count=len(ids),
            note=f"{len(ids)} members below ground not counted",
        )
    ]


NO_VOLUME = "no usable quantity (a refused one is named in the model warnings) and no usable geometry"


def _sum_pair(
    records: list[ElementRecord],
    key: str,
    prefix: str,
    unit: str,
    label: str,
    flag: str = "prefabricated",
    part: str = "precast",
) -> dict[str, Fact]:
    """{prefix}_total and {prefix}_{part} (the share whose `flag` is true): sums of one value over the rated records."""
    counted, unplaced = _rated(records, label)
    missing_ids = [r.global_id for r in counted if r.values.get(key) is None]
    text = unplaced or (
        f"{label} of {len(missing_ids)} elements ({', '.join(missing_ids[:10])}): {NO_VOLUME}" if missing_ids else None
    )
    if text is not None:
        return {
            f"{prefix}_total": Fact(value=None, unit=unit, missing=text),
            f"{prefix}_{part}": Fact(value=None, unit=unit, missing=text),
        }
    total = _sum_fact(counted, key, unit, label)
    total = total.model_copy(update={"evidence": [*total.evidence, *_excluded(records)]})
    return {
        f"{prefix}_total": total,
        f"{prefix}_{part}": _sum_fact([r for r in counted if r.values.get(flag)], key, unit, label),
    }


def _flagged_sum(records: list[ElementRecord], key: str, unit: str, label: str) -> Fact:
    """Sum of one value over the rated prefabricated records (only those need the value)."""
    counted, unplaced = _rated([r for r in records if r.values.get("prefabricated")], label)
    if unplaced is not None:
        return Fact(value=None, unit=unit, missing=unplaced)
    missing_ids = [r.global_id for r in counted if r.values.get(key) is None]
    if missing_ids:
        shown = ", ".join(missing_ids[:10])
        text = f"{label} of {len(missing_ids)} elements ({shown}): {NO_VOLUME}"
        return Fact(value=None, unit=unit, missing=text)
    return _sum_fact(counted, key, unit, label)


def _sum_fact(records: list[ElementRecord], key: str, unit: str, label: str) -> Fact:
    by_source: dict[str, list[str]] = defaultdict(list)
    total = 0.0
    for record in records:
        total += float(record.values[key])  # type: ignore[arg-type]
        by_source[record.sources.get(key, "?")].append(record.global_id)
    if not records:
        return Fact(value=0.0, unit=unit, evidence=[Evidence(method="derived", source=f"no elements: {label} 0")])
    evidence = [source_evidence(source, ids) for source, ids in sorted(by_source.items())]
    return Fact(value=round(total, 6), unit=unit, evidence=evidence)


def floor_plan_area(scope: BuildingScope) -> Fact:
    """A of GB/T 51129 4.0.5: floor-plan area summed over the rated storeys (above ground unless configured)."""
    total, missing = 0.0, []
    unplaced: list[ifcopenshell.entity_instance] = []
    below: list[ifcopenshell.entity_instance] = []
    used: defaultdict[str, list[str]] = defaultdict(list)
    for storey in scope.storeys:
        name = scope.label(storey)
        if scope.config.prefab.above_ground_only:
            above = is_above_ground(scope, storey)
            if not above:
                (below if above is False else unplaced).append(storey)
                continue
        found = storey_area(scope, storey)
        if found is None:
            missing.append(name)
            continue
        total += found[0]
        used[found[1]].extend(e.GlobalId for e in found[2])
    if missing or unplaced or not scope.storeys:
        parts = [f"floor area of storeys {', '.join(missing)}"] if missing else []
        if unplaced:
            names = ", ".join(scope.label(s) for s in unplaced)
            parts.append(f"whether storeys {names} are above ground (Elevation or {CUSTOM_PSET}.AboveGround)")
        return Fact(value=None, unit="m2", missing="; ".join(parts) or "floor area of storeys (no storeys)")
    evidence = [
        Evidence(
            method="geometry" if s == "geometry" else "quantity" if s != "empty" else "derived",
            source=s,
            global_ids=ids[:GID_CAP],
            count=len(ids),
        )
        for s, ids in sorted(used.items())
    ]
    if below:
        ids = [s.GlobalId for s in below]
        note = f"storeys {', '.join(scope.label(s) for s in below)} below ground not counted"
        evidence.append(
            Evidence(
                method="ruleset",
                source=scope.config.prefab.above_ground_basis,
                global_ids=ids,
                count=len(ids),
                note=note,
            )
        )
    return Fact(value=round(total, 6), unit="m2", evidence=evidence)


def item_space_records(scope: BuildingScope) -> list[ElementRecord]:
    """IfcSpaces whose Name / LongName shows a Table 4.0.1 item exists (a kitchen, a bathroom)."""
    words = scope.config.prefab.item_space_keywords
    records = []
    for space in scope.of_class("IfcSpace") if words else []:
        texts = [scope.name(space), scope.text(getattr(space, "LongName", None))]
        text = " / ".join(t for t in texts if t)
        for code, keywords in words.items():
            if text and keyword_matches(text, keywords):
                above, in_rated, why = rated(scope, space)
                values: dict[str, Scalar] = {"item": code, "above_ground": above, "rated": in_rated}
                records.append(scope.record(space, values, {"item": f"IfcSpace '{text}' shows {code}", "rated": why}))
    return records


# --- building-level facts -----------------------------------------------------------------------------------------
def _bool_fact(scope: BuildingScope, prop: str) -> Fact:
    value = scope.custom(scope.building, prop)
    parsed = as_bool(value.raw) if value is not None else None
    if value is None or parsed is None:
        return Fact(value=None, missing=f"{CUSTOM_PSET}.{prop} (true/false) on the IfcBuilding")
    return Fact(value=parsed, evidence=[prop_evidence(value, [scope.building])])


def _ratio_fact(scope: BuildingScope, prop: str) -> Fact:
    value = scope.custom(scope.building, prop)
    if value is None:
        return Fact(value=None, unit="1", missing=f"{CUSTOM_PSET}.{prop} (ratio 0-1) on the IfcBuilding")
    raw = value.raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not 0 <= raw <= 1:
        return Fact(value=None, unit="1", missing=f"{CUSTOM_PSET}.{prop} = {raw!r} is not a ratio between 0 and 1")
    return Fact(value=float(raw), unit="1", evidence=[prop_evidence(value, [scope.building])])


def absent_items(scope: BuildingScope) -> Fact:
    """Table 4.0.1 items declared absent (Q4), as comma-separated item codes; '' when none declared.

    The ruleset decides which of them a project may really lack (rules/families/prefab_scoring.py)."""
    value = scope.custom(scope.building, "PrefabAbsentItems")
    if value is None or not str(value.raw or "").strip():
        return Fact(
            value="",
            evidence=[
                Evidence(method="derived", source=f"no {CUSTOM_PSET}.PrefabAbsentItems: every item is taken as present")
            ],
        )
    words = {k.lower(): v for k, v in scope.config.prefab.absent_item_words.items()}
    codes: list[str] = []
    for word in str(value.raw).replace("，", ",").replace(";", ",").replace("、", ",").split(","):
        key = word.strip().lower()
        if key in ITEM_CODES:
            codes.append(key)
        elif key in words:
            codes.extend(words[key])
        elif key:
            known = ", ".join(sorted(words))
            return Fact(
                value=None,
                missing=f"{CUSTOM_PSET}.PrefabAbsentItems word '{word.strip()}' is not an item code or {known}",
            )
    return Fact(value=",".join(dict.fromkeys(codes)), evidence=[prop_evidence(value, [scope.building])])


def pipeline_separation(scope: BuildingScope) -> tuple[Fact, list[ElementRecord]]:
    """q3d: declared CN_GreenBuilding.PipelineSeparationRatio, else separated / total segment length."""
    declared = _ratio_fact(scope, "PipelineSeparationRatio")
    segments = scope.of_class("IfcPipeSegment", "IfcCableSegment", "IfcCableCarrierSegment")
    records = []
    for segment in segments:
        length = scope.index.value(segment, PIPE_QTO, "Length")
        flag = scope.custom(segment, "PipelineSeparated")
        separated = as_bool(flag.raw) if flag is not None else None
        values = {"item": "q3d", "length_m": length.si if length else None, "separated": separated}
        sources = {"length_m": length.source if length else "missing", "separated": flag.source if flag else "missing"}
        records.append(scope.record(segment, values, sources))
    if declared.known or not records:
        return declared, records
    lacking = [r.global_id for r in records if r.values["length_m"] is None or r.values["separated"] is None]
    if lacking:
        text = (
            f"{CUSTOM_PSET}.PipelineSeparationRatio on the IfcBuilding, or Length and {CUSTOM_PSET}.PipelineSeparated "
            f"on {len(lacking)} segments ({', '.join(lacking[:10])})"
        )
        return Fact(value=None, unit="1", missing=text), records
    total = sum(float(r.values["length_m"]) for r in records)  # type: ignore[arg-type,misc]
    separated_length = sum(float(r.values["length_m"]) for r in records if r.values["separated"])  # type: ignore[arg-type,misc]
    if total <= 0:
        return Fact(value=None, unit="1", missing="pipeline segments with a length above zero"), records
    ids = [r.global_id for r in records]
    ev = Evidence(
        method="quantity",
        source=f"Qto_*SegmentBaseQuantities.Length x {CUSTOM_PSET}.PipelineSeparated",
        global_ids=ids[:GID_CAP],
        count=len(ids),
        note=f"{separated_length:g} m separated of {total:g} m",
    )
    return Fact(value=separated_length / total, unit="1", evidence=[ev]), records
