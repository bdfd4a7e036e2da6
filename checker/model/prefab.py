"""Prefabrication facts (GB/T 51129-2017): component classes, which are precast, and their quantities.

Each component is classified once (vertical load-bearing, horizontal, exterior non-load-bearing wall,
interior partition) and marked prefabricated when any standard IFC signal says so; the record names the
signal, so a reviewer can see why a column counted. Quantities come from Qto sets first, else geometry.
Items a model cannot show (full decoration, integration ratios, dry floors, kitchens, bathrooms) are
declared on the building in CN_GreenBuilding; when absent they stay unknown, never scored as met.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import ifcopenshell

from checker.model.areas import is_above_ground, storey_area
from checker.model.facts import ElementRecord, Evidence, Fact
from checker.model.scope import (
    CUSTOM_PSET,
    GID_CAP,
    BuildingScope,
    as_bool,
    keyword_matches,
    predefined_type,
    prop_evidence,
    source_evidence,
)

QTO = {
    "IfcColumn": ("Qto_ColumnBaseQuantities", "BaseQuantities"),
    "IfcWall": ("Qto_WallBaseQuantities", "BaseQuantities"),
    "IfcMember": ("Qto_MemberBaseQuantities", "BaseQuantities"),
    "IfcBeam": ("Qto_BeamBaseQuantities", "BaseQuantities"),
    "IfcSlab": ("Qto_SlabBaseQuantities", "BaseQuantities"),
    "IfcStairFlight": ("Qto_StairFlightBaseQuantities", "BaseQuantities"),
    "IfcStair": ("Qto_StairBaseQuantities", "BaseQuantities"),
    "IfcCurtainWall": ("Qto_CurtainWallQuantities", "BaseQuantities"),
}
PIPE_QTO = (
    "Qto_PipeSegmentBaseQuantities",
    "Qto_CableSegmentBaseQuantities",
    "Qto_CableCarrierSegmentBaseQuantities",
    "BaseQuantities",
)
HORIZONTAL_SLABS = {"FLOOR", "ROOF", "LANDING"}
# Balcony / air-conditioner board slabs are horizontal members whatever their PredefinedType (GB/T 51129 4.0.5).
BALCONY_WORDS = ["balcony", "阳台", "air-conditioner board", "ac board", "ac platform", "空调板"]
FACTORY_PLACES = {"FACTORY", "OFFSITE"}
PRECAST_WORDS = {"precast", "预制"}
# CN_GreenBuilding ratios declared on the building -> fact name (Table 4.0.1 items a model cannot show).
DECLARED_RATIOS = {
    "ExteriorWallIntegratedRatio": "prefab_q2b_ratio",
    "PartitionIntegratedRatio": "prefab_q2d_ratio",
    "DryFloorRatio": "prefab_q3a_ratio",
    "IntegratedKitchenRatio": "prefab_q3b_ratio",
    "IntegratedBathroomRatio": "prefab_q3c_ratio",
}
# CN_GreenBuilding.PrefabAbsentItems words -> Table 4.0.1 item codes that count in Q4.
ABSENT_WORDS = {
    "kitchen": ["q3b"],
    "厨房": ["q3b"],
    "bathroom": ["q3c"],
    "卫生间": ["q3c"],
    "partition": ["q2c", "q2d"],
    "内隔墙": ["q2c", "q2d"],
}
ITEM_CODES = {"q1a", "q1b", "q2a", "q2b", "q2c", "q2d", "q3_decoration", "q3a", "q3b", "q3c", "q3d"}

Records = dict[str, list[ElementRecord]]


def prefab_facts(scope: BuildingScope) -> tuple[dict[str, Fact], Records]:
    """All prefabrication facts and the classified component records of one building."""
    groups = classify(scope)
    signals = {e.id(): prefab_signal(scope, e) for members in groups.values() for e in members}
    volumes = _volumes(scope, groups["vertical"] + groups["horizontal"])
    records: Records = {
        "prefab_vertical": [
            _structural_record(scope, e, "q1a", signals[e.id()], volumes[e.id()], None) for e in groups["vertical"]
        ],
        "prefab_horizontal": _horizontal_records(scope, groups["horizontal"], signals, volumes),
        "prefab_exterior_walls": _wall_records(scope, groups["exterior"], "q2a", signals),
        "prefab_partitions": _wall_records(scope, groups["partition"], "q2c", signals),
    }
    facts: dict[str, Fact] = {
        "industrial_land": _bool_fact(scope, "IndustrialLand"),
        "prefab_full_decoration": _bool_fact(scope, "FullDecoration"),
        "prefab_absent_items": absent_items(scope),
        "prefab_q1b_total": floor_plan_area(scope),
    }
    facts.update(_sum_pair(records["prefab_vertical"], "volume_m3", "prefab_q1a", "m3", "concrete volume"))
    facts["prefab_q1b_precast"] = _sum_pair(
        records["prefab_horizontal"], "projected_area_m2", "prefab_q1b", "m2", "projected area"
    )["prefab_q1b_precast"]
    facts.update(
        _sum_pair(
            records["prefab_exterior_walls"],
            "area_m2",
            "prefab_q2a",
            "m2",
            "wall area (openings deducted)",
            flag="non_masonry",
            part="nonmasonry",
        )
    )
    facts.update(
        _sum_pair(
            records["prefab_partitions"],
            "area_m2",
            "prefab_q2c",
            "m2",
            "wall area (openings deducted)",
            flag="non_masonry",
            part="nonmasonry",
        )
    )
    above = [
        r
        for r in records["prefab_vertical"] + records["prefab_horizontal"]
        if r.values.get("above_ground") is not False
    ]
    facts.update(_sum_pair(above, "volume_m3", "prefab_structure", "m3", "above-ground concrete volume"))
    for prop, name in DECLARED_RATIOS.items():
        facts[name] = _ratio_fact(scope, prop)
    pipe_fact, pipes = pipeline_separation(scope)
    facts["prefab_q3d_ratio"] = pipe_fact
    records["prefab_pipelines"] = pipes
    unclassified = groups["unclassified"]
    if unclassified:
        note = (
            f"{len(unclassified)} walls have no Pset_WallCommon.LoadBearing / IsExternal and were not classified: "
            + ", ".join(e.GlobalId for e in unclassified[:10])
        )
        facts["prefab_q1a_total"] = facts["prefab_q1a_total"].model_copy(update={"warnings": [note]})
    return facts, records


# --- classification ------------------------------------------------------------------------------------------------
def classify(scope: BuildingScope) -> dict[str, list[ifcopenshell.entity_instance]]:
    """vertical / horizontal / exterior / partition / unclassified components of the building."""
    groups: dict[str, list[ifcopenshell.entity_instance]] = defaultdict(list)
    for element in scope.of_class(
        "IfcColumn", "IfcWall", "IfcCurtainWall", "IfcMember", "IfcBeam", "IfcSlab", "IfcStair", "IfcStairFlight"
    ):
        group = _group(scope, element)
        if group is not None:
            groups[group].append(element)
    for key in ("vertical", "horizontal", "exterior", "partition", "unclassified"):
        groups.setdefault(key, [])
    return groups


def _group(scope: BuildingScope, element: ifcopenshell.entity_instance) -> str | None:
    kind = predefined_type(element)
    if element.is_a("IfcColumn"):
        return "vertical"
    if element.is_a("IfcMember"):
        return "vertical" if kind == "BRACE" else None
    if element.is_a("IfcCurtainWall"):
        return "exterior"
    if element.is_a("IfcWall"):
        return _wall_group(scope, element, kind)
    if element.is_a("IfcBeam"):
        return "horizontal"
    if element.is_a("IfcSlab"):
        texts = [element.Name, getattr(element, "ObjectType", None)]
        balcony = any(keyword_matches(str(t), BALCONY_WORDS) for t in texts if t)
        return "horizontal" if kind in HORIZONTAL_SLABS or balcony else None
    if element.is_a("IfcStairFlight"):
        return "horizontal"
    if element.is_a("IfcStair"):  # a stair counts itself only when it has no flights (else the flights count)
        return None if any(c.is_a("IfcStairFlight") for c in scope.index.children(element)) else "horizontal"
    return None


def _wall_group(scope: BuildingScope, wall: ifcopenshell.entity_instance, kind: str | None) -> str:
    load = scope.index.value(wall, "Pset_WallCommon", "LoadBearing")
    external = scope.index.value(wall, "Pset_WallCommon", "IsExternal")
    load_bearing = as_bool(load.raw) if load else None
    is_external = as_bool(external.raw) if external else None
    if kind == "SHEAR" or load_bearing is True:
        return "vertical"
    if load_bearing is False or kind == "PARTITIONING":
        if is_external is True:
            return "exterior"
        if is_external is False or kind == "PARTITIONING":
            return "partition"
    return "unclassified"


def prefab_signal(scope: BuildingScope, element: ifcopenshell.entity_instance) -> str | None:
    """The first standard signal that marks the element as prefabricated, or None (cast in place)."""
    parent = scope.index.parent(element)
    for _ in range(8):
        if parent is None:
            break
        if parent.is_a("IfcElementAssembly") and str(getattr(parent, "AssemblyPlace", "") or "").upper() == "FACTORY":
            return f"part of IfcElementAssembly {parent.GlobalId} with AssemblyPlace FACTORY"
        parent = scope.index.parent(parent)
    psets = scope.index.psets(element)
    place = psets.get("Pset_ManufacturerTypeInformation", {}).get("AssemblyPlace")
    if place is not None and str(place.raw).strip().upper() in FACTORY_PLACES:
        return f"{place.source} = {str(place.raw).upper()}" + (" (on its type)" if place.from_type else "")
    method = psets.get("Pset_ConcreteElementGeneral", {}).get("ConstructionMethod")
    if method is not None and str(method.raw).strip().lower() in PRECAST_WORDS:
        return f"{method.source} = '{method.raw}'" + (" (on its type)" if method.from_type else "")
    for name in sorted(psets):
        if name.startswith("Pset_PrecastConcreteElement"):
            return f"{name} present"
    flag = psets.get(CUSTOM_PSET, {}).get("IsPrefabricated")
    if flag is not None and as_bool(flag.raw) is True:
        return f"{CUSTOM_PSET}.IsPrefabricated = true" + (" (on its type)" if flag.from_type else "")
    return None


# --- quantities ----------------------------------------------------------------------------------------------------
def _qto_names(element: ifcopenshell.entity_instance) -> tuple[str, ...]:
    for ifc_class, names in QTO.items():
        if element.is_a(ifc_class):
            return names
    return ("BaseQuantities",)


def _volumes(
    scope: BuildingScope, elements: Sequence[ifcopenshell.entity_instance]
) -> dict[int, tuple[float | None, str]]:
    """(m³, source) per element: NetVolume, else GrossVolume, else solid volume from geometry (computed in one pass)."""
    found: dict[int, tuple[float | None, str]] = {}
    need_geometry = []
    for element in elements:
        names = _qto_names(element)
        value = scope.index.value(element, names, "NetVolume") or scope.index.value(element, names, "GrossVolume")
        if value is not None and value.si is not None:
            found[element.id()] = (value.si, value.source)
        else:
            need_geometry.append(element)
    computed = scope.measure("volume", need_geometry) if need_geometry else {}
    for element in need_geometry:
        volume = computed.get(element.id())
        found[element.id()] = (volume, "geometry") if volume is not None else (None, "missing")
    return found


def _storey_values(scope: BuildingScope, element: ifcopenshell.entity_instance) -> bool | None:
    storey = scope.index.storey_of(element)
    return None if storey is None else is_above_ground(scope, storey)


def _structural_record(
    scope: BuildingScope,
    element: ifcopenshell.entity_instance,
    item: str,
    signal: str | None,
    volume: tuple[float | None, str],
    area: tuple[float | None, str] | None,
) -> ElementRecord:
    values: dict[str, float | str | bool | None] = {
        "item": item,
        "prefabricated": signal is not None,
        "volume_m3": volume[0],
        "above_ground": _storey_values(scope, element),
    }
    sources = {"prefabricated": signal or "no prefabrication signal: cast in place", "volume_m3": volume[1]}
    if area is not None:
        values["projected_area_m2"] = area[0]
        sources["projected_area_m2"] = area[1]
    return scope.record(element, values, sources)


def _horizontal_records(
    scope: BuildingScope,
    elements: list[ifcopenshell.entity_instance],
    signals: dict[int, str | None],
    volumes: dict[int, tuple[float | None, str]],
) -> list[ElementRecord]:
    """Projected area: slab GrossArea quantity, else the footprint from geometry."""
    areas: dict[int, tuple[float | None, str]] = {}
    need_geometry = []
    for element in elements:
        value = scope.index.value(element, _qto_names(element), "GrossArea") if element.is_a("IfcSlab") else None
        if value is not None and value.si is not None:
            areas[element.id()] = (value.si, value.source)
        else:
            need_geometry.append(element)
    footprints = scope.footprints(need_geometry) if need_geometry else {}
    for element in need_geometry:
        area = footprints.get(element.id())
        areas[element.id()] = (area, "geometry") if area is not None else (None, "missing")
    return [_structural_record(scope, e, "q1b", signals[e.id()], volumes[e.id()], areas[e.id()]) for e in elements]


def _wall_records(
    scope: BuildingScope, walls: list[ifcopenshell.entity_instance], item: str, signals: dict[int, str | None]
) -> list[ElementRecord]:
    """Wall area with openings deducted: NetSideArea, else the one-side area of the wall's geometry (openings cut)."""
    areas: dict[int, tuple[float | None, str]] = {}
    for wall in walls:
        value = scope.index.value(wall, _qto_names(wall), "NetSideArea")
        areas[wall.id()] = (value.si, value.source) if value is not None and value.si is not None else (None, "missing")
    need = [w for w in walls if areas[w.id()][0] is None]
    side = scope.measure("side_area", need) if need else {}
    for wall in need:
        if wall.id() in side:
            areas[wall.id()] = (side[wall.id()], "geometry (one side, openings cut)")
    return [_wall_record(scope, w, item, signals[w.id()], areas[w.id()]) for w in walls]


def _wall_record(
    scope: BuildingScope,
    wall: ifcopenshell.entity_instance,
    item: str,
    signal: str | None,
    area: tuple[float | None, str],
) -> ElementRecord:
    """One wall's area and whether it is non-masonry."""
    declared = scope.custom(wall, "NonMasonry")
    declared_flag = as_bool(declared.raw) if declared is not None else None
    if declared_flag is not None:
        non_masonry, why = declared_flag, f"{declared.source} = {str(declared_flag).lower()}"  # type: ignore[union-attr]
    elif wall.is_a("IfcCurtainWall"):
        non_masonry, why = True, "IfcCurtainWall (non-masonry by construction)"
    elif signal is not None:
        non_masonry, why = True, f"prefabricated: {signal}"
    else:
        non_masonry, why = False, "no non-masonry or prefabrication signal: counted as masonry"
    values: dict[str, float | str | bool | None] = {
        "item": item,
        "area_m2": area[0],
        "non_masonry": non_masonry,
        "prefabricated": signal is not None,
    }
    sources = {
        "area_m2": area[1] if area[0] is not None else "missing (no NetSideArea quantity, no usable geometry)",
        "non_masonry": why,
        "prefabricated": signal or "no prefabrication signal",
    }
    return scope.record(wall, values, sources)


def _sum_pair(
    records: list[ElementRecord],
    key: str,
    prefix: str,
    unit: str,
    label: str,
    flag: str = "prefabricated",
    part: str = "precast",
) -> dict[str, Fact]:
    """{prefix}_total and {prefix}_{part} (the share whose `flag` is true): sums of one value over the records."""
    missing = [r.global_id for r in records if r.values.get(key) is None]
    if missing:
        text = f"{label} of {len(missing)} elements ({', '.join(missing[:10])}): no quantity and no usable geometry"
        return {
            f"{prefix}_total": Fact(value=None, unit=unit, missing=text),
            f"{prefix}_{part}": Fact(value=None, unit=unit, missing=text),
        }
    flagged = [r for r in records if r.values.get(flag)]
    return {
        f"{prefix}_total": _sum_fact(records, key, unit, label),
        f"{prefix}_{part}": _sum_fact(flagged, key, unit, label),
    }


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
    """A of GB/T 51129 4.0.5: floor-plan area summed over all storeys (basements included)."""
    total, missing = 0.0, []
    used: defaultdict[str, list[str]] = defaultdict(list)
    for storey in scope.storeys:
        found = storey_area(scope, storey)
        if found is None:
            missing.append(storey.Name or storey.GlobalId)
            continue
        total += found[0]
        used[found[1]].extend(e.GlobalId for e in found[2])
    if missing or not scope.storeys:
        return Fact(value=None, unit="m2", missing=f"floor area of storeys {', '.join(missing) or '(no storeys)'}")
    evidence = [
        Evidence(
            method="geometry" if s == "geometry" else "quantity" if s != "empty" else "derived",
            source=s,
            global_ids=ids[:GID_CAP],
            count=len(ids),
        )
        for s, ids in sorted(used.items())
    ]
    return Fact(value=round(total, 6), unit="m2", evidence=evidence)


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
    """Table 4.0.1 items the project does not have (Q4), as comma-separated item codes; '' when none declared."""
    value = scope.custom(scope.building, "PrefabAbsentItems")
    if value is None or not str(value.raw or "").strip():
        return Fact(
            value="",
            evidence=[
                Evidence(method="derived", source=f"no {CUSTOM_PSET}.PrefabAbsentItems: every item is taken as present")
            ],
        )
    codes: list[str] = []
    for word in str(value.raw).replace("，", ",").replace(";", ",").split(","):
        key = word.strip().lower()
        if key in ITEM_CODES:
            codes.append(key)
        elif key in ABSENT_WORDS:
            codes.extend(ABSENT_WORDS[key])
        elif key:
            return Fact(
                value=None,
                missing=(
                    f"{CUSTOM_PSET}.PrefabAbsentItems word '{word.strip()}' "
                    "is not an item code or kitchen/bathroom/partition"
                ),
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
