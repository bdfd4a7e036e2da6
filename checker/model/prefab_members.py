"""Prefabrication members (GB/T 51129-2017 Table 4.0.1): their class, prefabrication signal, material and quantities.

Each component is classified once (vertical load-bearing, horizontal, exterior non-load-bearing wall, interior
partition) and marked prefabricated when a standard IFC signal, a factory-made material (steel, timber) or, for a
slab, a metal deck says so; the record names what counted, so a reviewer can see why a column counted. Every record
says whether it lies in the rated part of the building (`rated`: above ground when the ruleset says so, None when
its storey's position is unknown). Quantities come from Qto sets first, else geometry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import ifcopenshell

from checker.model.areas import is_above_ground, roof_level_slab_role
from checker.model.facts import ElementRecord, Scalar
from checker.model.material_props import MaterialIndex
from checker.model.prefab_materials import MemberMaterial, is_metal_deck, member_material
from checker.model.scope import CUSTOM_PSET, BuildingScope, as_bool, keyword_matches
from checker.model.storeys import is_parapet

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
HORIZONTAL_SLABS = {"FLOOR", "ROOF", "LANDING"}
# Balcony / air-conditioner board slabs are horizontal members whatever their PredefinedType (GB/T 51129 4.0.5).
BALCONY_WORDS = ["balcony", "阳台", "air-conditioner board", "ac board", "ac platform", "空调板"]
FACTORY_PLACES = {"FACTORY", "OFFSITE"}
PRECAST_WORDS = {"precast", "预制"}
GROUPS = ("vertical", "horizontal", "exterior", "partition", "unclassified")

Groups = dict[str, list[ifcopenshell.entity_instance]]
Measured = dict[int, tuple[float | None, str]]


# --- classification ------------------------------------------------------------------------------------------------
def classify(scope: BuildingScope) -> Groups:
    """vertical / horizontal / exterior / partition / unclassified components of the building."""
    groups: Groups = defaultdict(list)
    for element in scope.of_class(
        "IfcColumn", "IfcWall", "IfcCurtainWall", "IfcMember", "IfcBeam", "IfcSlab", "IfcStair", "IfcStairFlight"
    ):
        group = _group(scope, element)
        if group is not None:
            groups[group].append(element)
    return {key: groups.get(key, []) for key in GROUPS}


def _group(scope: BuildingScope, element: ifcopenshell.entity_instance) -> str | None:
    kind = scope.index.predefined_type(element)
    if element.is_a("IfcColumn"):
        return "vertical"
    if element.is_a("IfcMember"):
        return "vertical" if kind == "BRACE" else None
    if element.is_a("IfcCurtainWall"):
        return "exterior"
    if element.is_a("IfcWall"):
        return _wall_group(scope, element, kind)
    if element.is_a("IfcBeam") or element.is_a("IfcStairFlight"):
        return "horizontal"
    if element.is_a("IfcSlab"):
        texts = [scope.name(element), scope.text(getattr(element, "ObjectType", None))]
        balcony = any(keyword_matches(str(t), BALCONY_WORDS) for t in texts if t)
        return "horizontal" if kind in HORIZONTAL_SLABS or balcony else None
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


UNCLASSIFIED_FLAGS = "Pset_WallCommon.LoadBearing / IsExternal"


def unclassified_walls(
    scope: BuildingScope, walls: list[ifcopenshell.entity_instance]
) -> dict[str, list[ElementRecord]]:
    """Walls lacking LoadBearing / IsExternal in (or perhaps in) the rated part, parapets aside, under each group
    they may belong to: vertical unless declared not load-bearing; exterior unless declared interior, a partition
    unless declared exterior, when not declared load-bearing. Their records carry no material (it counts as
    unknown)."""
    maybe: dict[str, list[ElementRecord]] = {"vertical": [], "exterior": [], "partition": []}
    for wall in walls:
        above, in_rated, why = rated(scope, wall)
        if in_rated is False or is_parapet(scope, wall):  # a parapet is neither structure nor enclosure
            continue
        load, external = (scope.index.value(wall, "Pset_WallCommon", p) for p in ("LoadBearing", "IsExternal"))
        load_bearing = as_bool(load.raw) if load else None
        is_external = as_bool(external.raw) if external else None
        groups = ["vertical"] if load_bearing is not False else []
        if load_bearing is not True:
            groups += [g for g, refused in (("exterior", False), ("partition", True)) if is_external is not refused]
        values: dict[str, Scalar] = {"may_be": ", ".join(groups), "material": None, "above_ground": above}
        values["rated"] = in_rated
        sources = {"may_be": f"{UNCLASSIFIED_FLAGS} missing", "rated": why}
        sources["load_bearing"] = load.source if load and load_bearing is not None else "missing"
        sources["is_external"] = external.source if external and is_external is not None else "missing"
        record = scope.record(wall, values, sources)
        for group in groups:
            maybe[group].append(record)
    return maybe


def prefab_signal(scope: BuildingScope, element: ifcopenshell.entity_instance) -> str | None:
    """The first standard IFC signal that marks the element as prefabricated, or None."""
    parent = scope.index.parent(element)
    for _ in range(8):
        if parent is None:
            break
        if parent.is_a("IfcElementAssembly") and str(getattr(parent, "AssemblyPlace", "") or "").upper() == "FACTORY":
            return f"part of IfcElementAssembly {parent.GlobalId} with AssemblyPlace FACTORY"
        parent = scope.index.parent(parent)
    index = scope.index
    place = index.pset(element, "Pset_ManufacturerTypeInformation").get("AssemblyPlace")
    if place is not None and str(place.raw).strip().upper() in FACTORY_PLACES:
        return f"{place.source} = {str(place.raw).upper()}" + (" (on its type)" if place.from_type else "")
    method = index.pset(element, "Pset_ConcreteElementGeneral").get("ConstructionMethod")
    if method is not None and str(method.raw).strip().lower() in PRECAST_WORDS:
        return f"{method.source} = '{method.raw}'" + (" (on its type)" if method.from_type else "")
    for name in sorted(index.pset_names(element)):
        if name.startswith("Pset_PrecastConcreteElement"):
            return f"{name} present"
    flag = index.pset(element, CUSTOM_PSET).get("IsPrefabricated")
    if flag is not None and as_bool(flag.raw) is True:
        return f"{CUSTOM_PSET}.IsPrefabricated = true" + (" (on its type)" if flag.from_type else "")
    return None


def is_roof_member(scope: BuildingScope, element: ifcopenshell.entity_instance) -> bool:
    """A ROOF slab or a part of an IfcRoof: the members whose plane is the roof, not a storey's floor."""
    if element.is_a("IfcSlab") and scope.index.predefined_type(element) == "ROOF":
        return True
    parent = scope.index.parent(element)
    for _ in range(8):
        if parent is None:
            return False
        if parent.is_a("IfcRoof"):
            return True
        parent = scope.index.parent(parent)
    return False


def rated(scope: BuildingScope, element: ifcopenshell.entity_instance) -> tuple[bool | None, bool | None, str]:
    """(above ground?, inside the rated part?, why): the storey decides; None when its position is unknown."""
    storey = scope.index.storey_of(element)
    above = None if storey is None else is_above_ground(scope, storey)
    where = "in no storey" if storey is None else f"storey '{scope.label(storey)}'"
    if not scope.config.prefab.above_ground_only:
        return above, True, f"{where}: every storey is rated ([extraction.prefab] above_ground_only = false)"
    if above is None:
        return (
            None,
            None,
            f"{where}: whether it is above ground is unknown (no Elevation, no {CUSTOM_PSET}.AboveGround)",
        )
    status = (
        "above ground: rated"
        if above
        else f"below ground: outside the rated part ({scope.config.prefab.above_ground_basis})"
    )
    return above, above, f"{where} {status}"


# --- quantities ----------------------------------------------------------------------------------------------------
def qto_names(element: ifcopenshell.entity_instance) -> tuple[str, ...]:
    for ifc_class, names in QTO.items():
        if element.is_a(ifc_class):
            return names
    return ("BaseQuantities",)


def volumes(scope: BuildingScope, elements: Sequence[ifcopenshell.entity_instance]) -> Measured:
    """(m³, source) per element: NetVolume, else GrossVolume, else solid volume from geometry (computed in one pass)."""
    found: Measured = {}
    need_geometry = []
    for element in elements:
        names = qto_names(element)
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


def projected_areas(scope: BuildingScope, elements: Sequence[ifcopenshell.entity_instance]) -> Measured:
    """Horizontal projected area: slab GrossArea quantity, else the footprint from geometry."""
    areas: Measured = {}
    need_geometry = []
    for element in elements:
        value = scope.index.value(element, qto_names(element), "GrossArea") if element.is_a("IfcSlab") else None
        if value is not None and value.si is not None:
            areas[element.id()] = (value.si, value.source)
        else:
            need_geometry.append(element)
    footprints = scope.footprints(need_geometry) if need_geometry else {}
    for element in need_geometry:
        area = footprints.get(element.id())
        areas[element.id()] = (area, "geometry") if area is not None else (None, "missing")
    return areas


def wall_areas(scope: BuildingScope, walls: Sequence[ifcopenshell.entity_instance]) -> Measured:
    """Wall area with openings deducted: NetSideArea, else the one-side area of the wall's geometry (openings cut)."""
    areas: Measured = {}
    for wall in walls:
        value = scope.index.value(wall, qto_names(wall), "NetSideArea")
        areas[wall.id()] = (value.si, value.source) if value is not None and value.si is not None else (None, "missing")
    need = [w for w in walls if areas[w.id()][0] is None]
    side = scope.measure("side_area", need) if need else {}
    for wall in need:
        if wall.id() in side:
            areas[wall.id()] = (side[wall.id()], "geometry (one side, openings cut)")
    return areas


# --- records -------------------------------------------------------------------------------------------------------
def structural_records(scope: BuildingScope, mats: MaterialIndex, groups: Groups) -> dict[str, list[ElementRecord]]:
    """prefab_vertical (q1a) and prefab_horizontal (q1b) records with signal, material, volume, plane and rating."""
    members = groups["vertical"] + groups["horizontal"]
    volume = volumes(scope, members)
    readings = {e.id(): _reading(scope, mats, e) for e in members}
    prefabricated = [e for e in groups["horizontal"] if readings[e.id()][0] is not None]
    areas = projected_areas(scope, prefabricated) if prefabricated else {}
    vertical = [_structural_record(scope, e, "q1a", readings[e.id()], volume[e.id()], None) for e in groups["vertical"]]
    horizontal = [
        _structural_record(scope, e, "q1b", readings[e.id()], volume[e.id()], areas.get(e.id(), (None, "")))
        for e in groups["horizontal"]
    ]
    return {"prefab_vertical": vertical, "prefab_horizontal": horizontal}


def _reading(
    scope: BuildingScope, mats: MaterialIndex, element: ifcopenshell.entity_instance
) -> tuple[str | None, bool, MemberMaterial]:
    """(what makes it prefabricated or None, whether that is a precast-concrete signal, its material)."""
    material = member_material(mats, element, scope.config.prefab)
    standard = prefab_signal(scope, element)
    if standard is not None:
        return standard, True, material
    factory_made = material.signal()
    if factory_made is not None:
        return factory_made, False, material
    if element.is_a("IfcSlab") and is_metal_deck(scope, element, material):
        return (
            f"metal-deck slab: formwork-free, counts as prefabricated ({scope.config.prefab.metal_deck_basis})",
            False,
            material,
        )
    return None, False, material


def _structural_record(
    scope: BuildingScope,
    element: ifcopenshell.entity_instance,
    item: str,
    reading: tuple[str | None, bool, MemberMaterial],
    volume: tuple[float | None, str],
    area: tuple[float | None, str] | None,
) -> ElementRecord:
    signal, precast_signal, material = reading
    above, in_rated, why = rated(scope, element)
    values: dict[str, Scalar] = {
        "item": item,
        "prefabricated": signal is not None,
        "material": material.material_class.name if material.material_class is not None else None,
        "concrete": material.counts_as_concrete,
        "precast_concrete": precast_signal and material.counts_as_concrete,
        "volume_m3": volume[0],
        "above_ground": above,
        "rated": in_rated,
    }
    sources = {
        "prefabricated": signal or "no prefabrication signal: cast in place",
        "material": material.describe(),
        "volume_m3": volume[1],
        "rated": why,
    }
    if area is not None:
        member = is_roof_member(scope, element)
        role = roof_level_slab_role(scope, element) if element.is_a("IfcSlab") and not member else None
        values["roof"] = member or role == "roof"
        if role == "under_roof":
            # the roof level adds no floor area and its roof is another element: this slab is in neither part of A
            values["rated"] = False
            sources["rated"] = "slab on the roof level beside its roof: neither floor-plan nor roof area"
        values["projected_area_m2"] = area[0]
        sources["projected_area_m2"] = area[1] if signal is not None else "not needed: not prefabricated"
    return scope.record(element, values, sources)


def wall_records(scope: BuildingScope, walls: list[ifcopenshell.entity_instance], item: str) -> list[ElementRecord]:
    """q2a / q2c walls: area (openings deducted), whether non-masonry, and whether rated."""
    areas = wall_areas(scope, walls)
    return [_wall_record(scope, w, item, prefab_signal(scope, w), areas[w.id()]) for w in walls]


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
    if declared is not None and declared_flag is not None:
        non_masonry, why = declared_flag, f"{declared.source} = {str(declared_flag).lower()}"
    elif wall.is_a("IfcCurtainWall"):
        non_masonry, why = True, "IfcCurtainWall (non-masonry by construction)"
    elif signal is not None:
        non_masonry, why = True, f"prefabricated: {signal}"
    else:
        non_masonry, why = False, "no non-masonry or prefabrication signal: counted as masonry"
    above, in_rated, where = rated(scope, wall)
    values: dict[str, Scalar] = {
        "item": item,
        "area_m2": area[0],
        "non_masonry": non_masonry,
        "prefabricated": signal is not None,
        "above_ground": above,
        "rated": in_rated,
    }
    sources = {
        "area_m2": area[1] if area[0] is not None else "missing (no NetSideArea quantity, no usable geometry)",
        "non_masonry": why,
        "prefabricated": signal or "no prefabrication signal",
        "rated": where,
    }
    return scope.record(wall, values, sources)
