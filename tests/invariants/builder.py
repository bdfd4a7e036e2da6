"""Model specs for the invariant tests, and the builder that writes them as IFC files the way exporters do.

A spec is plain frozen data (SI units); `build(spec, omit=key)` writes it with sample_models/_ifcbuild.py helpers,
leaving out the one property whose key is `omit`, and returns the keys of every property it wrote, so a test can
draw the property to remove from what the builder really wrote. Keys read `owner|Pset.Property` (or
`owner|Elevation` for the storey attribute). Redundant sources of one figure (a storey's GrossFloorArea and its
floor slabs' GrossArea, a roof slab's GrossArea and its body) always agree: the invariants test what missing data
does, not which of two contradicting sources wins. Loaded by tests/invariants/conftest.py.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.api.feature
import ifcopenshell.api.material
import ifcopenshell.api.pset
from greencheck_invariants_specs import (  # noqa: F401 - re-exported: tests write B.Project, B.Building...
    Building,
    Facade,
    Glazing,
    Material,
    Member,
    Panels,
    Project,
    Roof,
    Storey,
)

from checker.api import check_file
from checker.rules.loader import load_ruleset
from checker.rules.results import CheckRun, RuleResult
from checker.rules.schema import Ruleset


def _ifcbuild() -> Any:
    path = Path(__file__).resolve().parents[2] / "sample_models" / "_ifcbuild.py"
    if "_ifcbuild" not in sys.modules:
        spec = importlib.util.spec_from_file_location("_ifcbuild", path)
        assert spec is not None and spec.loader is not None
        sys.modules["_ifcbuild"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["_ifcbuild"])
    return sys.modules["_ifcbuild"]


ib = _ifcbuild()
GENERATED_AT = "2024-01-01T00:00:00Z"
WALL_THICKNESS = 0.2  # m: exterior wall volume = net side area x thickness
SLAB_DEPTH = 0.2  # m: slab volume = area x depth
STOREY_HEIGHT = 4.0  # m
SIDES = {  # side -> (origin as a share of the footprint, local X direction, which footprint edge)
    "S": ((0.0, 0.0), (1.0, 0.0), 0),
    "E": ((1.0, 0.0), (0.0, 1.0), 1),
    "N": ((1.0, 1.0), (-1.0, 0.0), 0),
    "W": ((0.0, 1.0), (0.0, -1.0), 1),
}


@dataclass
class Writer:
    """Writes a Project, skipping the property `omit` and recording the key of every property written."""

    spec: Project
    omit: str | None = None
    written: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.m = ib.new_model(self.spec.schema, "invariant.ifc", self.spec.name, self.spec.millimetres)

    def keep(self, owner: str, values: dict[str, Any], pset: str) -> dict[str, Any]:
        kept = {}
        for prop, value in values.items():
            key = f"{owner}|{pset}.{prop}"
            if value is None or key == self.omit:
                continue
            self.written.append(key)
            kept[prop] = value
        return kept

    def pset(self, owner: str, product: ifcopenshell.entity_instance, name: str, values: dict[str, Any]) -> None:
        kept = self.keep(owner, values, name)
        if kept:
            ib.add_pset(self.m, product, name, kept)

    def qto(
        self,
        owner: str,
        product: ifcopenshell.entity_instance,
        name: str,
        areas: dict[str, float] | None = None,
        volumes: dict[str, float] | None = None,
    ) -> None:
        qto_name = self.m.qto_name(name)
        f, m = self.m.file, self.m
        props = {k: f.createIfcAreaMeasure(m.area(v)) for k, v in self.keep(owner, areas or {}, qto_name).items()}
        kept = self.keep(owner, volumes or {}, qto_name)
        props.update({k: f.createIfcVolumeMeasure(v / m.scale**3) for k, v in kept.items()})
        if props:
            qto = ifcopenshell.api.pset.add_qto(f, product=product, name=qto_name)
            ifcopenshell.api.pset.edit_qto(f, qto=qto, properties=props)


def build(spec: Project, omit: str | None = None) -> tuple[ifcopenshell.file, list[str]]:
    """The IFC file of `spec` without the property `omit`, and the keys of the properties written."""
    w = Writer(spec, omit)
    if spec.total is not None:
        w.pset("project", w.m.project, "CN_GreenBuilding", {"ProjectNewAboveGroundArea": spec.total})
    site = ib.add_spatial(w.m, "IfcSite", "Site", w.m.project)
    for building in spec.buildings:
        _building(w, site, building)
    ib.finalize(w.m, spec.name)
    return w.m.file, w.written


def written_keys(spec: Project) -> list[str]:
    """The keys of every property the builder writes for `spec`."""
    return build(spec)[1]


@cache
def ruleset() -> Ruleset:
    """The bundled ruleset, loaded once (not a test argument: hypothesis would print it with every example)."""
    return load_ruleset()


def check(spec: Project, folder: Path, omit: str | None = None) -> CheckRun:
    """Write the spec (without `omit`) into folder and check it against the bundled ruleset."""
    file, _ = build(spec, omit)
    path = folder / "invariant.ifc"
    file.write(str(path))
    return check_file(path, ruleset(), generated_at=GENERATED_AT)


def _building(w: Writer, site: ifcopenshell.entity_instance, spec: Building) -> None:
    m, name = w.m, spec.name
    building = ib.add_spatial(m, "IfcBuilding", name, site, x=spec.x)
    w.pset(name, building, "Pset_BuildingCommon", {"OccupancyType": spec.occupancy})
    w.pset(name, building, "CN_GreenBuilding", _green(m, spec))
    storeys = []
    for s in spec.storeys:
        storey = ib.add_spatial(m, "IfcBuildingStorey", s.name, building, z=s.elevation, x=spec.x)
        owner = f"{name}/{s.name}"
        if f"{owner}|Elevation" == w.omit:
            storey.Elevation = None
        else:
            w.written.append(f"{owner}|Elevation")
        if s.gfa:  # Revit writes GrossHeight (a length) beside the area; the helper takes it as a plain number
            area = spec.footprint[0] * spec.footprint[1]
            w.qto(owner, storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": area})
            height = w.keep(owner, {"GrossHeight": STOREY_HEIGHT}, w.m.qto_name("Qto_BuildingStoreyBaseQuantities"))
            if height:
                _length_qto(w, storey, "Qto_BuildingStoreyBaseQuantities", height)
        storeys.append(storey)
    materials = [_material(w, f"{name} {mat.name}", mat) for mat in spec.materials]
    slabs_per_storey = [sum(1 for x in spec.members if x.ifc_class == "IfcSlab" and x.storey == n) for n in range(99)]
    for n, member in enumerate(spec.members):
        _member(w, spec, storeys, materials, f"{name}/member {n + 1}", member, slabs_per_storey[member.storey])
    for n, facade in enumerate(spec.facades):
        _facade(w, spec, storeys, materials, f"{name}/facade {n + 1}", facade)
    top = storeys[-1]
    if spec.roof is not None and spec.roof.own_storey:
        z = spec.storeys[-1].elevation + STOREY_HEIGHT
        top = ib.add_spatial(m, "IfcBuildingStorey", "Roof", building, z=z, x=spec.x)
        w.written.append(f"{name}/Roof|Elevation")
    if spec.roof is not None:
        _roof(w, spec, top, materials, spec.roof)
    if spec.panels is not None:
        _panels(w, spec, top, spec.panels)


def _length_qto(w: Writer, product: Any, name: str, lengths: dict[str, float]) -> None:
    f = w.m.file
    props = {k: f.createIfcLengthMeasure(v / w.m.scale) for k, v in lengths.items()}
    qto = ifcopenshell.api.pset.add_qto(f, product=product, name=w.m.qto_name(name))
    ifcopenshell.api.pset.edit_qto(f, qto=qto, properties=props)


def _green(m: Any, spec: Building) -> dict[str, Any]:
    """CN_GreenBuilding of the building, with the roof's declared exclusion and usable area."""
    values = dict(spec.green)
    roof = spec.roof
    if roof is not None:
        values["RoofExclusionArea"] = roof.exclusion
        if roof.usable_slack is not None:
            area = spec.footprint[0] * spec.footprint[1]
            values["UsableRoofArea"] = max(0.0, area - (roof.exclusion or 0.0) - roof.usable_slack)
    for key in ("EnergySavingRate", "RenewableEnergyUtilisation", "DryFloorRatio", "PartitionIntegratedRatio"):
        if key in values:
            values[key] = m.file.create_entity("IfcRatioMeasure", float(values[key]))
    if "TargetStarLevel" in values:
        values["TargetStarLevel"] = int(values["TargetStarLevel"])
    return values


def _material(w: Writer, name: str, spec: Material) -> ifcopenshell.entity_instance:
    """An IfcMaterial (IFC2X3 stores its psets as IfcExtendedMaterialProperties)."""
    m = w.m
    material = ifcopenshell.api.material.add_material(m.file, name=name)
    density = w.keep(name, {"MassDensity": spec.density}, "Pset_MaterialCommon")
    if density:
        common = ifcopenshell.api.pset.add_pset(m.file, product=material, name="Pset_MaterialCommon")
        value = m.file.create_entity("IfcMassDensityMeasure", density["MassDensity"])
        ifcopenshell.api.pset.edit_pset(m.file, pset=common, properties={"MassDensity": value})
    green = {
        "MaterialKind": spec.kind,
        "MaterialCategory": spec.category,
        "GreenCertified": spec.certified,
        "Recyclable": spec.recyclable,
        "UnitCost": spec.cost,
    }
    kept = w.keep(name, green, "CN_GreenBuilding")
    if kept:
        pset = ifcopenshell.api.pset.add_pset(m.file, product=material, name="CN_GreenBuilding")
        ifcopenshell.api.pset.edit_pset(m.file, pset=pset, properties=kept)
    return material


def _assign(w: Writer, element: ifcopenshell.entity_instance, materials: list[Any], index: int | None) -> None:
    if index is not None and materials:
        material = materials[index % len(materials)]
        ifcopenshell.api.material.assign_material(w.m.file, products=[element], type="IfcMaterial", material=material)


def _member(
    w: Writer, b: Building, storeys: list[Any], materials: list[Any], owner: str, spec: Member, slabs: int
) -> None:
    m = w.m
    kind = {"IfcColumn": "COLUMN", "IfcWall": "SHEAR", "IfcSlab": "FLOOR", "partition": "PARTITIONING"}[spec.ifc_class]
    ifc_class = "IfcWall" if spec.ifc_class == "partition" else spec.ifc_class
    element = ib.add_element(m, ifc_class, owner, storeys[spec.storey])
    if ifc_class == "IfcSlab" or not m.ifc2x3:  # IFC2X3 columns and walls have no PredefinedType
        element.PredefinedType = kind
    if ifc_class == "IfcWall":
        load_bearing = spec.ifc_class == "IfcWall"
        w.pset(owner, element, "Pset_WallCommon", {"IsExternal": False, "LoadBearing": load_bearing})
    if spec.method:
        method = "Precast" if spec.precast else "In-Situ"
        w.pset(owner, element, "Pset_ConcreteElementGeneral", {"ConstructionMethod": method})
    if spec.ifc_class == "partition":
        w.pset(owner, element, "CN_GreenBuilding", {"NonMasonry": spec.non_masonry})
        areas = {"NetSideArea": spec.volume / 0.1}
        w.qto(owner, element, "Qto_WallBaseQuantities", areas, {"NetVolume": spec.volume})
    elif ifc_class == "IfcSlab":  # the storey's floor slabs share its footprint
        area = b.footprint[0] * b.footprint[1] / slabs
        w.qto(owner, element, "Qto_SlabBaseQuantities", {"GrossArea": area}, {"NetVolume": area * SLAB_DEPTH})
    else:
        qto = "Qto_ColumnBaseQuantities" if ifc_class == "IfcColumn" else "Qto_WallBaseQuantities"
        w.qto(owner, element, qto, None, {"NetVolume": spec.volume})
    _assign(w, element, materials, spec.material)


def _place_on_side(w: Writer, b: Building, element: Any, storey_z: float, side: str) -> float:
    """Place an element on one side of the footprint, local X along the side; returns the side's length."""
    (fx, fy), x_dir, edge = SIDES[side]
    dx, dy = b.footprint
    ib.place(w.m, element, b.x + fx * dx, fy * dy, storey_z, x_dir)
    return b.footprint[edge]


def _facade(w: Writer, b: Building, storeys: list[Any], materials: list[Any], owner: str, spec: Facade) -> None:
    m = w.m
    storey = storeys[spec.storey]
    z = b.storeys[spec.storey].elevation
    wall = ib.add_element(m, "IfcWallStandardCase" if m.ifc2x3 else "IfcWall", owner, storey)
    _place_on_side(w, b, wall, z, spec.side)
    common = {"IsExternal": spec.external, "LoadBearing": False, "ThermalTransmittance": spec.u}
    w.pset(owner, wall, "Pset_WallCommon", common)
    if spec.precast:
        w.pset(owner, wall, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "Precast"})
    window = spec.window.area if spec.window is not None and spec.gross_with_openings else 0.0
    areas = {"NetSideArea": spec.area, "GrossSideArea": spec.area + window}
    w.qto(owner, wall, "Qto_WallBaseQuantities", areas, {"NetVolume": spec.area * WALL_THICKNESS})
    _assign(w, wall, materials, spec.material)
    if spec.window is not None:
        _window(w, wall, f"{owner} window", spec.window)
    if spec.curtain is not None:
        _curtain(w, b, storey, z, f"{owner} curtain wall", spec)


def _glazing_psets(w: Writer, owner: str, element: Any, common: str, spec: Glazing) -> None:
    w.pset(owner, element, common, {"IsExternal": spec.external, "ThermalTransmittance": spec.u})
    if spec.shgc is not None:
        w.pset(owner, element, "Pset_DoorWindowGlazingType", {"SolarHeatGainTransmittance": spec.shgc})


def _window(w: Writer, host: Any, owner: str, spec: Glazing) -> None:
    m = w.m
    container = host.ContainedInStructure[0].RelatingStructure
    window = ib.add_element(m, "IfcWindow", owner, container)
    opening = ib.add_element(m, "IfcOpeningElement", f"{owner} opening", container)
    ifcopenshell.api.feature.add_feature(m.file, feature=opening, element=host)
    ifcopenshell.api.feature.add_filling(m.file, opening=opening, element=window)
    w.qto(owner, window, "Qto_WindowBaseQuantities", {"Area": spec.area})
    _glazing_psets(w, owner, window, "Pset_WindowCommon", spec)


def _curtain(w: Writer, b: Building, storey: Any, z: float, owner: str, facade: Facade) -> None:
    spec = facade.curtain
    assert spec is not None
    curtain = ib.add_element(w.m, "IfcCurtainWall", owner, storey)
    _place_on_side(w, b, curtain, z, facade.side)
    areas = {"NetSideArea": spec.area, "GrossSideArea": spec.area}
    w.qto(owner, curtain, "Qto_CurtainWallQuantities", areas)
    _glazing_psets(w, owner, curtain, "Pset_CurtainWallCommon", spec)


def _roof(w: Writer, b: Building, storey: Any, materials: list[Any], spec: Roof) -> None:
    m, owner = w.m, f"{b.name}/roof"
    (dx, dy), z = b.footprint, b.storeys[-1].elevation + STOREY_HEIGHT
    roof = ib.add_element(m, "IfcSlab", owner, storey, predefined_type="ROOF")
    if spec.box:
        ib.add_box(m, roof, (b.x, 0.0, z - SLAB_DEPTH), (dx, dy, SLAB_DEPTH))
    areas = {"GrossArea": dx * dy} if spec.qto else {}
    w.qto(owner, roof, "Qto_SlabBaseQuantities", areas, {"NetVolume": dx * dy * SLAB_DEPTH})
    w.pset(owner, roof, "Pset_SlabCommon", {"IsExternal": True, "ThermalTransmittance": spec.u})
    method = "Precast" if spec.precast else "In-Situ"
    w.pset(owner, roof, "Pset_ConcreteElementGeneral", {"ConstructionMethod": method})
    _assign(w, roof, materials, spec.material)


def _panels(w: Writer, b: Building, storey: Any, spec: Panels) -> None:
    m = w.m
    z = b.storeys[-1].elevation + STOREY_HEIGHT + (STOREY_HEIGHT if b.roof is not None and b.roof.own_storey else 0)
    side = 2.0
    per_row = max(1, int(b.footprint[0] // side))
    for n in range(spec.count):
        owner = f"{b.name}/panel {n + 1}"
        if m.ifc2x3:  # IFC2X3 has no IfcSolarDevice: exporters write proxies named as PV
            panel = ib.add_element(m, "IfcBuildingElementProxy", f"光伏组件 PV-{n + 1:02d}", storey)
        else:
            panel = ib.add_element(m, "IfcSolarDevice", owner, storey, predefined_type="SOLARPANEL")
        if spec.box:
            origin = (b.x + (n % per_row) * side, (n // per_row) * spec.area / side, z)
            ib.add_box(m, panel, origin, (side, spec.area / side, 0.05))
        if spec.qto:
            w.qto(owner, panel, "Qto_SolarDeviceBaseQuantities", {"GrossArea": spec.area})
        green = {"PeakPower": spec.peak_power, "DesignLife": spec.design_life}
        w.pset(owner, panel, "CN_GreenBuilding", green)
        if spec.life is not None:
            duration = (
                m.file.create_entity("IfcTimeMeasure", spec.life * 365.25 * 24 * 3600)
                if m.ifc2x3
                else m.file.create_entity("IfcDuration", f"P{spec.life}Y")
            )
            w.pset(owner, panel, "Pset_ServiceLife", {"ServiceLifeDuration": duration})


def results_by_key(run: CheckRun) -> dict[tuple[str, str], RuleResult]:
    """(building name or 'project', rule id) -> result, for comparing two checks of related models."""
    found = {("project", r.rule_id): r for r in run.project.results}
    for building in run.buildings:
        found.update({(building.name or building.global_id, r.rule_id): r for r in building.results})
    return found
