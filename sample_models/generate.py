"""Deterministic generator of the bundled sample IFC models (see README.md for what each one exercises).

    .venv/bin/python sample_models/generate.py [OUTPUT_DIR]

Running it twice gives byte-identical files: GlobalIds are uuid5 of "<sample>/<ordinal>", the header
timestamp is fixed and IFC2X3 files carry one fixed IfcOwnerHistory. Figures are in SI here and are
converted to each file's own units by the helpers in _ifcbuild.py.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    from . import _ifcbuild as ib
except ImportError:  # run as a script, or loaded by path from a test
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _ifcbuild as ib

FLOOR_DEPTH = 0.2  # m
ROOF_DEPTH = 0.3  # m
PANEL = (10.0, 10.0, 0.05)  # m: flat PV box lying on the roof slab


@dataclass(frozen=True)
class StoreySpec:
    """One storey and the floor-area sources it carries."""

    name: str
    elevation: float  # m
    gfa: float | None = None  # Qto_BuildingStoreyBaseQuantities.GrossFloorArea, m²
    slab: tuple[float, float] | None = None  # FLOOR slab outline (m), None = no slab
    slab_qto: bool = True  # Qto_SlabBaseQuantities.GrossArea on the floor slab
    slab_geometry: bool = True
    spaces: tuple[tuple[float, float], ...] = ()  # IfcSpace outlines (m), each with a space GrossFloorArea


@dataclass(frozen=True)
class BuildingSpec:
    """One building: identity, CN_GreenBuilding data, storeys, roof and PV."""

    name: str
    occupancy: str | None  # Pset_BuildingCommon.OccupancyType, None = no Pset_BuildingCommon
    green: dict[str, Any] | None  # CN_GreenBuilding (areas in m²), None = no pset
    storeys: tuple[StoreySpec, ...]
    roof: tuple[float, float]  # ROOF slab outline (m)
    roof_elevation: float  # m, bottom of the roof slab
    roof_storey: bool = False  # True: a separate "Roof" storey at roof_elevation; else the top storey
    roof_qto: bool = True
    roof_geometry: bool = True
    pv_count: int = 0
    pv_class: str = "IfcSolarDevice"
    pv_name: str = "PV panel {n:02d}"
    pv_peak_power: float = 20000.0  # W per panel
    pv_qto: bool = True
    decoys: tuple[str, ...] = ()  # proxies on the roof that must NOT be read as PV
    collector_count: int = 0  # IfcSolarDevice SOLARCOLLECTOR (solar hot water) on the roof, design life 20 years
    x: float = 0.0  # m, building origin on the site
    kit: ib.Kit | None = None  # prefab members, materials and declared scores (ib.add_compliance_kit)
    supply: str | None = None  # "heat_pump": an air-source heat pump on the roof; "gas": a gas boiler and a gas hob


def storeys(names_elevations: list[tuple[str, float]], **kwargs: Any) -> tuple[StoreySpec, ...]:
    """Storeys sharing the same area settings."""
    return tuple(StoreySpec(name, elevation, **kwargs) for name, elevation in names_elevations)


def levels(count: int, height: float) -> list[tuple[str, float]]:
    """L1..Ln at 0, height, 2*height, ..."""
    return [(f"L{i + 1}", i * height) for i in range(count)]


def public_green(star: int = 3, exclusion: float | None = None, **extra: Any) -> dict[str, Any]:
    """CN_GreenBuilding of a new, government-invested building, heated by ground-source heat pumps (plan 六(十五))
    unless `extra` declares another HeatingSource."""
    values: dict[str, Any] = {"HeatingSource": "ground_source_heat_pump", **extra}
    values.update(ConstructionType="New", GovernmentInvested=True, TargetStarLevel=star)
    if exclusion is not None:
        values["RoofExclusionArea"] = exclusion
    return values


def add_building(m: ib.Model, site: ib.Entity, spec: BuildingSpec) -> ib.Entity:
    """Build one IfcBuilding with its storeys, slabs, spaces, roof and PV panels."""
    building = ib.add_spatial(m, "IfcBuilding", spec.name, site, x=spec.x)
    if spec.occupancy is not None:
        ib.add_pset(m, building, "Pset_BuildingCommon", {"OccupancyType": spec.occupancy})
    if spec.green is not None:
        ib.add_pset(m, building, "CN_GreenBuilding", spec.green)

    top = None
    furnished: list[ib.KitStorey] = []
    for n, s in enumerate(spec.storeys):
        top, slab = add_storey(m, building, spec.x, s)
        if spec.kit is None:
            continue
        above = spec.storeys[n + 1].elevation if n + 1 < len(spec.storeys) else spec.roof_elevation
        size = s.slab or (sum(dx for dx, _ in s.spaces), max(dy for _, dy in s.spaces))
        furnished.append(ib.KitStorey(top, size, above - s.elevation, s.elevation >= 0.0, slab, x=spec.x))
    if spec.roof_storey:
        top = ib.add_spatial(m, "IfcBuildingStorey", "Roof", building, z=spec.roof_elevation, x=spec.x)
    assert top is not None

    roof = ib.add_element(m, "IfcSlab", "Roof slab", top, predefined_type="ROOF")
    if spec.roof_geometry:
        ib.add_box(m, roof, (spec.x, 0.0, spec.roof_elevation), (*spec.roof, ROOF_DEPTH))
    if spec.roof_qto:
        ib.add_area_qto(m, roof, "Qto_SlabBaseQuantities", {"GrossArea": spec.roof[0] * spec.roof[1]})

    add_panels(m, top, spec)
    add_collectors(m, top, spec)
    for i, name in enumerate(spec.decoys):
        decoy = ib.add_element(m, "IfcBuildingElementProxy", name, top)
        y = spec.roof[1] - 1.0 - i
        ib.add_box(m, decoy, (spec.x, y, spec.roof_elevation + ROOF_DEPTH), (spec.roof[0], 0.2, 0.2))
    if spec.kit is not None:
        ib.add_compliance_kit(m, building, furnished, roof, spec.roof[0] * spec.roof[1] * ROOF_DEPTH, spec.kit)
    add_supply(m, top, spec)
    return building


def add_supply(m: ib.Model, container: ib.Entity, spec: BuildingSpec) -> None:
    """Heating and cooking equipment (plan 六(十五)/(十六)) as authoring tools export it: the fuel on the type."""
    if spec.supply == "heat_pump":
        ib.add_element(m, "IfcUnitaryEquipment", "空气源热泵机组 ASHP-1", container, predefined_type="USERDEFINED")
    elif spec.supply == "gas":
        boiler = ib.add_element(m, "IfcBoiler", "Boiler room B-1", container, predefined_type="WATER")
        boiler_type = ib.add_type(m, "IfcBoilerType", "燃气锅炉 1.4 MW", "WATER", [boiler])
        ib.add_pset(m, boiler_type, "Pset_BoilerTypeCommon", {"EnergySource": "GAS"})
        ib.add_element(m, "IfcBurner", "燃气灶 JZT-2", container)


def add_storey(m: ib.Model, building: ib.Entity, x: float, s: StoreySpec) -> tuple[ib.Entity, ib.Entity | None]:
    """One storey with its optional storey quantity, floor slab and spaces; returns the storey and its slab."""
    storey = ib.add_spatial(m, "IfcBuildingStorey", s.name, building, z=s.elevation, x=x)
    slab = None
    if s.gfa is not None:
        ib.add_area_qto(m, storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": s.gfa})
    if s.slab is not None:
        slab = ib.add_element(m, "IfcSlab", f"{s.name} floor slab", storey, predefined_type="FLOOR")
        if s.slab_geometry:
            ib.add_box(m, slab, (x, 0.0, s.elevation), (*s.slab, FLOOR_DEPTH))
        if s.slab_qto:
            ib.add_area_qto(m, slab, "Qto_SlabBaseQuantities", {"GrossArea": s.slab[0] * s.slab[1]})
    offset = 0.0
    for i, (dx, dy) in enumerate(s.spaces):
        space = ib.add_spatial(m, "IfcSpace", f"{s.name}-{i + 1:02d}", storey, z=s.elevation, x=x + offset)
        ib.add_box(m, space, (x + offset, 0.0, s.elevation), (dx, dy, 3.0))
        ib.add_area_qto(m, space, "Qto_SpaceBaseQuantities", {"GrossFloorArea": dx * dy})
        offset += dx
    return storey, slab


# GB 55015 module degradation of a mono-Si panel (limits 3 % first year, 0.7 % a year after), as ratios.
PV_DEGRADATION = {"PVCellType": "mono", "PVFirstYearDegradation": 0.02, "PVAnnualDegradation": 0.0055}


def add_panels(m: ib.Model, container: ib.Entity, spec: BuildingSpec) -> None:
    """PV panels tiled in rows on top of the roof slab, flat and horizontal."""
    per_row = max(1, int(spec.roof[0] // PANEL[0]))
    z = spec.roof_elevation + ROOF_DEPTH
    for n in range(spec.pv_count):
        name = spec.pv_name.format(n=n + 1)
        if spec.pv_class == "IfcSolarDevice":
            panel = ib.add_element(m, "IfcSolarDevice", name, container, predefined_type="SOLARPANEL")
        else:
            panel = ib.add_element(m, spec.pv_class, name, container)
        origin = (spec.x + (n % per_row) * PANEL[0], (n // per_row) * PANEL[1], z)
        ib.add_box(m, panel, origin, PANEL)
        if spec.pv_qto:
            ib.add_area_qto(m, panel, "Qto_SolarDeviceBaseQuantities", {"GrossArea": PANEL[0] * PANEL[1]})
        ib.add_pset(
            m,
            panel,
            "CN_GreenBuilding",
            {"PeakPower": spec.pv_peak_power, **({"DesignLife": 30.0} if m.ifc2x3 else {}), **PV_DEGRADATION},
        )
        if not m.ifc2x3:  # the standard home of a service life (IFC4: an ISO 8601 duration)
            ib.add_pset(m, panel, "Pset_ServiceLife", {"ServiceLifeDuration": m.file.createIfcDuration("P30Y")})


def make_model(sample: str, schema: str, buildings: list[BuildingSpec], millimetres: bool = False) -> ib.Model:
    """A whole file: project > site > building(s), with deterministic ids."""
    m = ib.new_model(schema, f"{sample}.ifc", f"greencheck sample: {sample}", millimetres)
    site = ib.add_spatial(m, "IfcSite", "Site", m.project)
    for spec in buildings:
        add_building(m, site, spec)
    ib.finalize(m, sample)
    return m


# --- the samples -------------------------------------------------------------------------------------------------
# Compliant projects: precast structure, 71 % green-material ratio, three-star pre-assessment scores (README.md).
PUBLIC_KIT = ib.Kit("public", 3)
# A conventional one-star project: cast in place, only ready-mixed concrete and rebar certified, one-star scores.
# block walls at U 0.60: above the GB 55015 cold-zone residential limit (0.45 for >= 4 storeys, RECALLED low)
ONE_STAR_KIT = ib.Kit("residential", 1, prefab=False, certified=("cast", "rebar"), glazing=0.25, facade_u=0.60)


def _office(name: str, panels: int) -> BuildingSpec:
    """Samples 1 and 2: a 60 m x 60 m public office, B1 + L1..L6 + roof storey."""
    floor = dict(gfa=3600.0, slab=(60.0, 60.0))
    return BuildingSpec(
        name=name,
        occupancy="Office",
        green=public_green(exclusion=400.0, HeatingSource="air_source_heat_pump"),
        storeys=storeys([("B1", -4.0)] + levels(6, 4.0), **floor),
        roof=(60.0, 60.0),
        roof_elevation=24.0,
        roof_storey=True,
        pv_count=panels,
        kit=PUBLIC_KIT,
        supply="heat_pump",
    )


def add_collectors(m: ib.Model, container: ib.Entity, spec: BuildingSpec) -> None:
    """Solar hot-water collectors in a row along the roof's north edge, each with Pset_ServiceLife P20Y."""
    z = spec.roof_elevation + ROOF_DEPTH
    for n in range(spec.collector_count):
        collector = ib.add_element(
            m, "IfcSolarDevice", f"Solar collector {n + 1:02d}", container, predefined_type="SOLARCOLLECTOR"
        )
        ib.add_box(m, collector, (spec.x + n * 2.5, spec.roof[1] - 2.5, z), (2.0, 1.2, 0.1))
        ib.add_pset(m, collector, "Pset_ServiceLife", {"ServiceLifeDuration": m.file.createIfcDuration("P20Y")})


def pass_public_office() -> ib.Model:
    return make_model("pass-public-office", "IFC4", [_office("Sub-center Admin Office A", 18)])


def fail_public_office_low_pv() -> ib.Model:
    return make_model("fail-public-office-low-pv", "IFC4", [_office("Sub-center Admin Office B", 10)])


def fail_residential_one_star() -> ib.Model:
    spec = BuildingSpec(
        name="Riverside Housing Block 3",
        occupancy="住宅",
        green={"ConstructionType": "新建", "GovernmentInvested": False, "TargetStarLevel": 1},
        storeys=storeys(levels(10, 3.0), gfa=800.0, slab=(40.0, 20.0)),
        roof=(40.0, 20.0),
        roof_elevation=30.0,
        kit=ONE_STAR_KIT,
        supply="gas",
    )
    return make_model("fail-residential-one-star", "IFC4", [spec])


def pass_ifc2x3_pv_proxies() -> ib.Model:
    spec = BuildingSpec(
        name="Tongzhou Library Annex",
        occupancy="Library",
        green=public_green(exclusion=200.0),
        storeys=storeys(levels(3, 5.0), slab=(50.0, 40.0)),
        roof=(50.0, 40.0),
        roof_elevation=15.0,
        pv_count=10,
        pv_class="IfcBuildingElementProxy",
        pv_name="光伏组件 PV-{n:02d}",
        pv_peak_power=18000.0,
        decoys=("PVC drainage pipe",),
        kit=PUBLIC_KIT,
    )
    return make_model("pass-ifc2x3-pv-proxies", "IFC2X3", [spec])


def pass_public_office_millimetres() -> ib.Model:
    spec = BuildingSpec(
        name="Canal Service Centre",
        occupancy="Office",
        green=public_green(exclusion=100.0, UseCategory="public"),
        storeys=storeys(levels(4, 4.0), spaces=((20.0, 30.0), (20.0, 30.0))),
        roof=(40.0, 30.0),
        roof_elevation=16.0,
        pv_count=6,
        kit=PUBLIC_KIT,
    )
    return make_model("pass-public-office-millimetres", "IFC4", [spec], millimetres=True)


def mixed_two_buildings() -> ib.Model:
    east = BuildingSpec(
        name="East Hall",
        occupancy="展览馆",
        green=public_green(exclusion=0.0),
        storeys=storeys(levels(2, 6.0), gfa=5000.0, slab=(100.0, 50.0)),
        roof=(100.0, 50.0),
        roof_elevation=12.0,
        pv_count=30,
        kit=PUBLIC_KIT,
    )
    west = BuildingSpec(
        name="West Apartments",
        occupancy="Residential",
        green={
            "ConstructionType": "New",
            "GovernmentInvested": False,
            "TargetStarLevel": 2,
            "HeatingSource": "地源热泵",  # plan 六(十五)/(十六): heat pumps, all-electric homes
            "AllElectric": True,
        },
        storeys=storeys(levels(5, 3.0), gfa=1000.0, slab=(50.0, 20.0)),
        roof=(50.0, 20.0),
        roof_elevation=15.0,
        x=150.0,
        collector_count=4,  # solar hot water: GB 55015's solar system of a new building without PV
        kit=ib.Kit("residential", 2, glazing=0.25),
    )
    return make_model("mixed-two-buildings", "IFC4", [east, west])


def unknown_missing_data() -> ib.Model:
    spec = BuildingSpec(
        name="Unlabelled Block",
        occupancy=None,
        green=None,
        storeys=storeys(levels(3, 3.0), slab=(30.0, 20.0), slab_qto=False, slab_geometry=False),
        roof=(30.0, 20.0),
        roof_elevation=9.0,
        roof_qto=False,
        roof_geometry=False,
    )
    return make_model("unknown-missing-data", "IFC4", [spec])


def pass_geometry_only_areas() -> ib.Model:
    spec = BuildingSpec(
        name="Depot Canteen",
        occupancy="Canteen",
        green=public_green(exclusion=0.0),
        storeys=storeys(levels(2, 4.0), slab=(30.0, 20.0), slab_qto=False),
        roof=(30.0, 20.0),
        roof_elevation=8.0,
        roof_qto=False,
        pv_count=4,
        pv_qto=False,
        kit=PUBLIC_KIT,
    )
    return make_model("pass-geometry-only-areas", "IFC4", [spec])


SAMPLES: dict[str, Callable[[], ib.Model]] = {
    "pass-public-office.ifc": pass_public_office,
    "fail-public-office-low-pv.ifc": fail_public_office_low_pv,
    "fail-residential-one-star.ifc": fail_residential_one_star,
    "pass-ifc2x3-pv-proxies.ifc": pass_ifc2x3_pv_proxies,
    "pass-public-office-millimetres.ifc": pass_public_office_millimetres,
    "mixed-two-buildings.ifc": mixed_two_buildings,
    "unknown-missing-data.ifc": unknown_missing_data,
    "pass-geometry-only-areas.ifc": pass_geometry_only_areas,
}


def main(out_dir: str | Path | None = None) -> list[Path]:
    """Write every sample into out_dir (default: this folder) and return the paths written."""
    return ib.write_samples(SAMPLES, out_dir, Path(__file__).resolve().parent)


if __name__ == "__main__":
    ib.cli_main(main)
