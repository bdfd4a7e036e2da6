"""Deterministic generator of the prefabrication samples (sample_models/prefab-*.ifc; figures in README.md).

    .venv/bin/python sample_models/generate_prefab.py [OUTPUT_DIR]

Few elements each: floor areas come from storey GrossFloorArea quantities, slab areas from slab GrossArea, volumes
from Qto NetVolume, except in the geometry sample where every quantity is computed from extruded boxes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ifcopenshell.api.aggregate
import ifcopenshell.api.material
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.type

try:
    from . import _ifcbuild as ib
except ImportError:  # run as a script, or loaded by path from a test
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _ifcbuild as ib

# Structural members carry an IfcMaterial as Revit exports them, so the structure type (concrete) can be read.
STRUCTURAL = ("IfcColumn", "IfcSlab", "IfcBeam", "IfcStairFlight")
PRECAST_SIGNALS = ("method", "precast_pset", "custom")
RATIO_PROPS = {
    "ExteriorWallIntegratedRatio",
    "PartitionIntegratedRatio",
    "DryFloorRatio",
    "IntegratedKitchenRatio",
    "IntegratedBathroomRatio",
    "PipelineSeparationRatio",
}


def green(m: ib.Model, product: ib.Entity, values: dict[str, Any]) -> None:
    """CN_GreenBuilding with ratios typed IfcRatioMeasure and the shared properties typed by _ifcbuild."""
    typed = {k: m.file.create_entity("IfcRatioMeasure", float(v)) if k in RATIO_PROPS else v for k, v in values.items()}
    ib.add_pset(m, product, "CN_GreenBuilding", typed)


def concrete(m: ib.Model, product: ib.Entity, precast: bool) -> None:
    """Associate the file's precast or cast-in-place concrete IfcMaterial (created once)."""
    name = "C40 precast concrete" if precast else "C30 cast-in-place concrete"
    if name not in m.materials:
        m.materials[name] = ifcopenshell.api.material.add_material(m.file, name=name, category="concrete")
    ifcopenshell.api.material.assign_material(
        m.file, products=[product], type="IfcMaterial", material=m.materials[name]
    )


def qto(m: ib.Model, product: ib.Entity, name: str, values: dict[str, float]) -> None:
    """A base quantity set (SI values, metre files only)."""
    q = ifcopenshell.api.pset.add_qto(m.file, product=product, name=name)
    ifcopenshell.api.pset.edit_qto(m.file, qto=q, properties=values)


def start(
    sample: str,
    name: str,
    building_props: dict[str, Any],
    occupancy: str,
    storeys: list[tuple[str, float, float | None]],
    height: float | None = None,
) -> tuple[ib.Model, ib.Entity, list[ib.Entity]]:
    """Project > site > building with Pset_BuildingCommon, CN_GreenBuilding and storeys
    (name, elevation, GrossFloorArea)."""
    m = ib.new_model("IFC4", f"{sample}.ifc", f"greencheck sample: {sample}")
    site = ib.add_spatial(m, "IfcSite", "Site", m.project)
    building = ib.add_spatial(m, "IfcBuilding", name, site)
    ib.add_pset(m, building, "Pset_BuildingCommon", {"OccupancyType": occupancy})
    green(m, building, building_props)
    if height is not None:
        qto(m, building, "Qto_BuildingBaseQuantities", {"Height": height})
    levels = []
    for storey_name, z, area in storeys:
        storey = ib.add_spatial(m, "IfcBuildingStorey", storey_name, building, z=z)
        if area is not None:
            ib.add_area_qto(m, storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": area})
        levels.append(storey)
    return m, building, levels


def member(
    m: ib.Model,
    ifc_class: str,
    name: str,
    storey: ib.Entity,
    signal: str | None = None,
    kind: str | None = None,
    volume: float | None = None,
    area: float | None = None,
    wall: tuple[bool, bool] | None = None,
    extra: dict[str, Any] | None = None,
) -> ib.Entity:
    """A component with an optional prefabrication signal, Pset_WallCommon (IsExternal, LoadBearing) and quantities."""
    element = ib.add_element(m, ifc_class, name, storey, predefined_type=kind)
    if wall is not None:
        ib.add_pset(m, element, "Pset_WallCommon", {"IsExternal": wall[0], "LoadBearing": wall[1]})
    if signal == "method":
        ib.add_pset(m, element, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "Precast"})
    elif signal == "precast_pset":
        ib.add_pset(m, element, "Pset_PrecastConcreteElementGeneral", {"PieceMark": f"PC-{name}"})
    elif signal == "custom":
        green(m, element, {"IsPrefabricated": True})
    elif signal == "cast":
        ib.add_pset(m, element, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "In-Situ"})
    if extra:
        green(m, element, extra)
    if ifc_class in STRUCTURAL or (wall is not None and wall[1]):
        concrete(m, element, signal in PRECAST_SIGNALS)
    qto_name = {
        "IfcColumn": "Qto_ColumnBaseQuantities",
        "IfcWall": "Qto_WallBaseQuantities",
        "IfcSlab": "Qto_SlabBaseQuantities",
        "IfcCurtainWall": "Qto_CurtainWallQuantities",
        "IfcBeam": "Qto_BeamBaseQuantities",
    }.get(ifc_class)
    values = {
        k: v
        for k, v in (("NetVolume", volume), ("GrossArea" if ifc_class == "IfcSlab" else "NetSideArea", area))
        if v is not None
    }
    if values and qto_name:
        qto(m, element, qto_name, values)
    return element


def factory_assembly_column(m: ib.Model, storey: ib.Entity, name: str, volume: float) -> ib.Entity:
    """A column that is part of an IfcElementAssembly with AssemblyPlace FACTORY (not contained itself)."""
    assembly = ib.add_element(m, "IfcElementAssembly", f"{name} assembly", storey)
    assembly.AssemblyPlace = "FACTORY"
    column = ifcopenshell.api.root.create_entity(m.file, ifc_class="IfcColumn", name=name)
    ifcopenshell.api.aggregate.assign_object(m.file, products=[column], relating_object=assembly)
    qto(m, column, "Qto_ColumnBaseQuantities", {"NetVolume": volume})
    concrete(m, column, True)
    return column


def offsite_type_column(m: ib.Model, storey: ib.Entity, name: str, volume: float) -> ib.Entity:
    """A column whose type carries Pset_ManufacturerTypeInformation.AssemblyPlace = OFFSITE."""
    column_type = ifcopenshell.api.root.create_entity(m.file, ifc_class="IfcColumnType", name="PC column type")
    ib.add_pset(m, column_type, "Pset_ManufacturerTypeInformation", {"AssemblyPlace": "OFFSITE"})
    column = member(m, "IfcColumn", name, storey, volume=volume)
    ifcopenshell.api.type.assign_type(m.file, related_objects=[column], relating_type=column_type)
    concrete(m, column, True)  # replaces the cast-in-place material member() gave it
    return column


def _aa_building(sample: str, name: str, props: dict[str, Any], storey_area: float, storeys: int) -> ib.Model:
    """The graded office: q1a 75 %, q1b 82 % (precast roof in A1b and A), q2a 80 %, q2c 60 %, declared q2b 60 %,
    q2d 50 %, q3 items."""
    levels_spec = [(f"L{i + 1}", 4.0 * i, storey_area) for i in range(storeys)] + [("Roof", 4.0 * storeys, None)]
    declared = {
        "UseCategory": "public",
        "ConstructionType": "New",
        "FullDecoration": True,
        "ExteriorWallIntegratedRatio": 0.6,
        "PartitionIntegratedRatio": 0.5,
        "DryFloorRatio": 0.75,
        "IntegratedBathroomRatio": 0.8,
        "PipelineSeparationRatio": 0.6,
        "PrefabAbsentItems": "kitchen",
        **props,
    }
    m, _, levels = start(sample, name, declared, "Office", levels_spec, height=4.0 * storeys)
    l1 = levels[0]
    factory_assembly_column(m, l1, "C1", 10.0)
    offsite_type_column(m, l1, "C2", 10.0)
    member(m, "IfcColumn", "C3", l1, "method", volume=10.0)
    member(m, "IfcColumn", "C4", l1, "precast_pset", volume=10.0)
    member(m, "IfcColumn", "C5", l1, "cast", volume=10.0)
    member(m, "IfcColumn", "C6", l1, volume=10.0)
    member(m, "IfcWall", "SW1 shear wall", l1, "custom", kind="SHEAR", volume=20.0, wall=(False, True))
    precast, cast = storey_area * 0.75, storey_area * 0.25
    for level in levels[:storeys]:
        member(
            m,
            "IfcSlab",
            f"{level.Name} composite slab",
            level,
            "method",
            kind="FLOOR",
            area=precast,
            volume=precast * 0.2,
        )
        member(m, "IfcSlab", f"{level.Name} cast slab", level, "cast", kind="FLOOR", area=cast, volume=cast * 0.2)
    member(
        m,
        "IfcSlab",
        "Balcony slab 阳台板",
        l1,
        "custom",
        kind="USERDEFINED",
        area=storey_area * storeys * 0.01,
        volume=storey_area * storeys * 0.01 * 0.15,
    )
    roof = storey_area * 1.0
    member(m, "IfcSlab", "Roof composite slab", levels[-1], "method", kind="ROOF", area=roof, volume=roof * 0.2)
    member(m, "IfcWall", "EW1 precast facade panel", l1, "precast_pset", area=900.0, wall=(True, False))
    member(m, "IfcCurtainWall", "CW1 curtain wall", l1, area=700.0)
    member(m, "IfcWall", "EW2 masonry wall", l1, area=400.0, wall=(True, False))
    member(m, "IfcWall", "IW1 lightweight board", l1, area=600.0, wall=(False, False), extra={"NonMasonry": True})
    member(m, "IfcWall", "IW2 block partition", l1, area=400.0, wall=(False, False))
    return m


def pass_public_aa() -> ib.Model:
    return _aa_building("prefab-pass-public-aa", "Sub-center Culture Centre", {"GovernmentInvested": False}, 8000.0, 3)


def public_20000() -> ib.Model:
    return _aa_building("prefab-public-20000", "Canal Office Tower", {"GovernmentInvested": False}, 10000.0, 2)


def fail_government() -> ib.Model:
    """Government-invested, 6,000 m²: q1a 40 %, q1b 33 % (cast roof in A), all exterior walls masonry -> Q2 5 < 10,
    P 34.1 %."""
    declared = {
        "UseCategory": "public",
        "ConstructionType": "New",
        "GovernmentInvested": True,
        "FullDecoration": True,
        "ExteriorWallIntegratedRatio": 0.0,
        "PartitionIntegratedRatio": 0.0,
        "DryFloorRatio": 0.5,
        "IntegratedBathroomRatio": 0.6,
        "PipelineSeparationRatio": 0.4,
        "PrefabAbsentItems": "kitchen",
    }
    m, _, levels = start(
        "prefab-fail-government",
        "District Service Hall",
        declared,
        "Office",
        [("L1", 0.0, 3000.0), ("L2", 4.0, 3000.0)],
        height=8.0,
    )
    for n in range(5):
        member(m, "IfcColumn", f"C{n + 1}", levels[0], "method" if n < 2 else None, volume=8.0)
    for level in levels:
        member(m, "IfcSlab", f"{level.Name} composite slab", level, "method", kind="FLOOR", area=1500.0, volume=300.0)
        member(m, "IfcSlab", f"{level.Name} cast slab", level, kind="FLOOR", area=1500.0, volume=300.0)
    member(m, "IfcSlab", "Roof cast slab", levels[1], kind="ROOF", area=3000.0, volume=600.0)
    member(m, "IfcWall", "EW1 brick", levels[0], area=1000.0, wall=(True, False))
    member(m, "IfcWall", "IW1 board", levels[0], area=300.0, wall=(False, False), extra={"NonMasonry": True})
    member(m, "IfcWall", "IW2 block", levels[0], area=200.0, wall=(False, False))
    ib.finalize(m, "prefab-fail-government")
    return m


def na_public_small() -> ib.Model:
    """Public, not government-invested, 12,400 m² above ground: outside the prefabrication scope."""
    declared = {"UseCategory": "public", "ConstructionType": "New", "GovernmentInvested": False}
    m, _, levels = start(
        "prefab-na-public-small",
        "Tongzhou Community Library",
        declared,
        "Library",
        [("L1", 0.0, 6200.0), ("L2", 5.0, 6200.0)],
        height=10.0,
    )
    member(m, "IfcColumn", "C1", levels[0], volume=5.0)
    ib.finalize(m, "prefab-na-public-small")
    return m


def industrial_warehouse() -> ib.Model:
    """Warehouse on industrial land, one 8,000 m² storey; pipeline separation from segment lengths;
    no kitchen, bathroom, partitions."""
    declared = {
        "UseCategory": "warehouse",
        "ConstructionType": "New",
        "GovernmentInvested": False,
        "IndustrialLand": True,
        "FullDecoration": True,
        "ExteriorWallIntegratedRatio": 0.8,
        "DryFloorRatio": 0.0,
        "PrefabAbsentItems": "kitchen, bathroom, partition",
    }
    m, _, levels = start(
        "prefab-industrial-warehouse",
        "Logistics Warehouse 2",
        declared,
        "Warehouse",
        [("L1", 0.0, 8000.0)],
        height=12.0,
    )
    l1 = levels[0]
    for n in range(4):
        member(m, "IfcColumn", f"PC{n + 1}", l1, "method" if n < 3 else None, volume=6.0)
    member(m, "IfcSlab", "Roof PC slab", l1, "precast_pset", kind="ROOF", area=6400.0, volume=1280.0)
    member(m, "IfcSlab", "Roof cast slab", l1, kind="ROOF", area=1600.0, volume=320.0)
    member(m, "IfcWall", "EW sandwich panel", l1, "method", area=3000.0, wall=(True, False))
    for name, length, separated in (("Water main", 60.0, True), ("Drain embedded", 40.0, False)):
        pipe = ib.add_element(m, "IfcPipeSegment", name, l1)
        qto(m, pipe, "Qto_PipeSegmentBaseQuantities", {"Length": length})
        green(m, pipe, {"PipelineSeparated": separated})
    ib.finalize(m, "prefab-industrial-warehouse")
    return m


def geometry_only() -> ib.Model:
    """No quantities on members: volumes and projected areas from boxes; walls have no NetSideArea (Q2 unknown)."""
    declared = {"UseCategory": "public", "ConstructionType": "New", "GovernmentInvested": True, "FullDecoration": True}
    m, _, levels = start(
        "prefab-geometry-only", "Depot Control Building", declared, "Office", [("L1", 0.0, None), ("L2", 4.0, None)]
    )
    l1, l2 = levels
    for n, (x, y) in enumerate(((0, 0), (19.5, 0), (0, 9.5), (19.5, 9.5))):
        column = member(m, "IfcColumn", f"C{n + 1}", l1, "method" if n < 3 else None)
        ib.add_box(m, column, (x, y, 0.0), (0.5, 0.5, 4.0))
    wall = member(m, "IfcWall", "SW1", l1, kind="SHEAR", wall=(False, True))
    ib.add_box(m, wall, (5.0, 0.0, 0.0), (5.0, 0.2, 4.0))
    slabs = (
        (l1, "L1 PC slab", (0.0, 0.0, 0.0), (20.0, 10.0), "method"),
        (l2, "L2 PC slab", (0.0, 0.0, 4.0), (10.0, 10.0), "method"),
        (l2, "L2 cast slab", (10.0, 0.0, 4.0), (10.0, 10.0), None),
    )
    for level, name, origin, (dx, dy), signal in slabs:
        slab = member(m, "IfcSlab", name, level, signal, kind="FLOOR")
        ib.add_box(m, slab, origin, (dx, dy, 0.2))
    flight = member(m, "IfcStairFlight", "PC stair flight", l1, "precast_pset")
    ib.add_box(m, flight, (12.0, 2.0, 0.2), (2.0, 5.0, 0.3))
    roof = member(m, "IfcSlab", "Roof cast slab", l2, kind="ROOF")
    ib.add_box(m, roof, (0.0, 0.0, 8.0), (20.0, 10.0, 0.2))
    ext = member(m, "IfcWall", "EW1 (no quantities)", l1, "method", wall=(True, False))
    ib.add_box(m, ext, (0.0, 10.0, 0.0), (20.0, 0.2, 4.0))
    # The upper floor is in use (a space), so L2 is a storey of floor area, not a roof level holding only slabs.
    ib.add_spatial(m, "IfcSpace", "L2 control room", l2, z=4.0)
    ib.finalize(m, "prefab-geometry-only")
    return m


def _finalized(build: Callable[[], ib.Model], sample: str) -> Callable[[], ib.Model]:
    def run() -> ib.Model:
        m = build()
        ib.finalize(m, sample)
        return m

    return run


SAMPLES: dict[str, Callable[[], ib.Model]] = {
    "prefab-pass-public-aa.ifc": _finalized(pass_public_aa, "prefab-pass-public-aa"),
    "prefab-fail-government.ifc": fail_government,
    "prefab-na-public-small.ifc": na_public_small,
    "prefab-public-20000.ifc": _finalized(public_20000, "prefab-public-20000"),
    "prefab-industrial-warehouse.ifc": industrial_warehouse,
    "prefab-geometry-only.ifc": geometry_only,
}


def main(out_dir: str | Path | None = None) -> list[Path]:
    """Write every prefabrication sample into out_dir (default: this folder) and return the paths."""
    return ib.write_samples(SAMPLES, out_dir, Path(__file__).resolve().parent)


if __name__ == "__main__":
    ib.cli_main(main)
