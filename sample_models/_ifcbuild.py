"""Small deterministic helpers on top of ``ifcopenshell.api`` for ``generate.py``.

Every length / area argument here is in SI (m, m²); the helpers convert to the file's own units,
so a millimetre model carries millimetre coordinates and mm² quantities.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.material
import ifcopenshell.api.owner
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.type
import ifcopenshell.api.unit
import ifcopenshell.guid
import numpy as np

Entity = ifcopenshell.entity_instance

NAMESPACE = uuid.UUID("5d0c3b8e-2f4a-4c1e-9a77-6b1f0e2c9d41")  # fixed: GlobalIds never change between runs
TIMESTAMP = "2024-01-01T00:00:00"
EPOCH = 1704067200  # 2024-01-01T00:00:00Z, for the IFC2X3 IfcOwnerHistory

# IFC value type of each CN_GreenBuilding property (docs/data-requirements.md).
GREEN_TYPES: dict[str, str] = {
    "UseCategory": "IfcLabel",
    "ConstructionType": "IfcLabel",
    "GovernmentInvested": "IfcBoolean",
    "TargetStarLevel": "IfcInteger",
    "RoofExclusionArea": "IfcAreaMeasure",
    "UsableRoofArea": "IfcAreaMeasure",
    "AboveGround": "IfcBoolean",
    "PeakPower": "IfcPowerMeasure",
    "DesignLife": "IfcReal",
    "PVCellType": "IfcLabel",
    "PVFirstYearDegradation": "IfcPositiveRatioMeasure",
    "PVAnnualDegradation": "IfcPositiveRatioMeasure",
    "TiltAngle": "IfcPlaneAngleMeasure",
    "IsPhotovoltaic": "IfcBoolean",
    "ProjectNewAboveGroundArea": "IfcAreaMeasure",
    "HeatingSource": "IfcLabel",
    "AllElectric": "IfcBoolean",
    "EnergySource": "IfcLabel",
}


@dataclass
class Model:
    """An IFC file under construction plus what the helpers need to know about it."""

    file: ifcopenshell.file
    project: Entity
    body: Entity
    scale: float  # metres per file length unit (1.0 or 0.001)
    materials: dict[str, Entity] = field(default_factory=dict)  # IfcMaterial by name, shared by the file's buildings
    # property sets written by finalize() after everything else, so that their GlobalIds come last and the GlobalIds
    # of a sample's other entities stay those of its earlier versions (tests pin them)
    late_psets: list[tuple[Entity, str, dict[str, Any]]] = field(default_factory=list)

    @property
    def ifc2x3(self) -> bool:
        return self.file.schema == "IFC2X3"

    def area(self, m2: float) -> float:
        """An area in m² expressed in the file's area unit."""
        return m2 / (self.scale * self.scale)

    def qto_name(self, ifc4_name: str) -> str:
        """IFC2X3 exporters name every base quantity set plainly ``BaseQuantities``."""
        return "BaseQuantities" if self.ifc2x3 else ifc4_name


def new_model(schema: str, file_name: str, project_name: str, millimetres: bool = False) -> Model:
    """A file with a fixed header, an IfcProject, SI units and a Model/Body context."""
    f = ifcopenshell.api.project.create_file(version=schema)
    header = f.header  # 0.9: no file.wrapped_data
    header.file_name.name = file_name
    header.file_name.time_stamp = TIMESTAMP
    header.file_name.author = ("greencheck",)
    header.file_name.organization = ("greencheck",)
    header.file_name.originating_system = "greencheck sample_models/generate.py"
    header.file_name.authorization = "none"
    if schema == "IFC2X3":
        _add_owner(f)  # IFC2X3 requires an OwnerHistory on every rooted entity
        header.file_description.description = ("ViewDefinition [CoordinationView_V2.0]",)
    project = ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject", name=project_name)
    _assign_units(f, millimetres)
    model_ctx = ifcopenshell.api.context.add_context(f, context_type="Model")
    body = ifcopenshell.api.context.add_context(
        f, context_type="Model", context_identifier="Body", target_view="MODEL_VIEW", parent=model_ctx
    )
    return Model(f, project, body, 0.001 if millimetres else 1.0)


def _add_owner(f: ifcopenshell.file) -> None:
    """One fixed user and application; api.owner.settings picks up the first of each."""
    org = ifcopenshell.api.owner.add_organisation(f, identification="greencheck", name="greencheck")
    person = ifcopenshell.api.owner.add_person(
        f, identification="samples", family_name="Generator", given_name="Sample"
    )
    ifcopenshell.api.owner.add_person_and_organisation(f, person=person, organisation=org)
    ifcopenshell.api.owner.add_application(
        f,
        application_developer=org,
        version="1.0",
        application_full_name="greencheck sample generator",
        application_identifier="greencheck",
    )


def _assign_units(f: ifcopenshell.file, millimetres: bool) -> None:
    """m or mm, m² or mm², m³ or mm³, radian, watt."""
    prefix = "MILLI" if millimetres else None
    units = [
        ifcopenshell.api.unit.add_si_unit(f, unit_type="LENGTHUNIT", prefix=prefix),
        ifcopenshell.api.unit.add_si_unit(f, unit_type="AREAUNIT", prefix=prefix),
        ifcopenshell.api.unit.add_si_unit(f, unit_type="VOLUMEUNIT", prefix=prefix),
        ifcopenshell.api.unit.add_si_unit(f, unit_type="PLANEANGLEUNIT"),
        ifcopenshell.api.unit.add_si_unit(f, unit_type="POWERUNIT"),
    ]
    assignment = ifcopenshell.api.unit.assign_unit(f, units=units)
    assignment.Units = units  # assign_unit goes through a set(): restore a stable order


def place(
    m: Model, product: Entity, x: float = 0.0, y: float = 0.0, z: float = 0.0, x_dir: tuple[float, float] | None = None
) -> None:
    """Place a product at absolute SI coordinates, relative to its container / parent's placement; `x_dir` turns
    its local X axis in plan (a wall runs along local X and faces along ±local Y)."""
    matrix = np.eye(4)
    matrix[:3, 3] = (x, y, z)
    if x_dir is not None:
        matrix[:3, 0] = (x_dir[0], x_dir[1], 0.0)
        matrix[:3, 1] = (-x_dir[1], x_dir[0], 0.0)
    placement = ifcopenshell.api.geometry.edit_object_placement(m.file, product=product, matrix=matrix, is_si=True)
    # The api subtracts the parent placement in floating point (16.3 - 12.0 = 4.300000000000001): tidy it.
    relative = placement.RelativePlacement
    relative.Location.Coordinates = tuple(round(c, 6) + 0.0 for c in relative.Location.Coordinates)
    for attribute in ("Axis", "RefDirection") if x_dir is not None else ():
        direction = getattr(relative, attribute)
        if direction is not None:
            direction.DirectionRatios = tuple(round(c, 6) + 0.0 for c in direction.DirectionRatios)


def add_spatial(m: Model, ifc_class: str, name: str, parent: Entity, z: float = 0.0, x: float = 0.0) -> Entity:
    """A site, building, storey or space aggregated under parent and placed at (x, 0, z)."""
    element = ifcopenshell.api.root.create_entity(m.file, ifc_class=ifc_class, name=name)
    ifcopenshell.api.aggregate.assign_object(m.file, products=[element], relating_object=parent)
    if m.ifc2x3:
        element.CompositionType = "ELEMENT"  # mandatory in IFC2X3
    if ifc_class == "IfcBuildingStorey":
        element.Elevation = z / m.scale
    place(m, element, x=x, z=z)
    return element


def add_element(m: Model, ifc_class: str, name: str, container: Entity, predefined_type: str | None = None) -> Entity:
    """A physical element contained in a spatial structure element."""
    element = ifcopenshell.api.root.create_entity(
        m.file, ifc_class=ifc_class, name=name, predefined_type=predefined_type
    )
    ifcopenshell.api.spatial.assign_container(m.file, products=[element], relating_structure=container)
    return element


def add_type(m: Model, ifc_class: str, name: str, predefined_type: str | None, occurrences: list[Entity]) -> Entity:
    """An element type assigned to its occurrences (type parameters, as Revit writes them)."""
    element_type = ifcopenshell.api.root.create_entity(
        m.file, ifc_class=ifc_class, name=name, predefined_type=predefined_type
    )
    ifcopenshell.api.type.assign_type(m.file, related_objects=occurrences, relating_type=element_type)
    return element_type


def add_box(m: Model, product: Entity, origin: tuple[float, float, float], size: tuple[float, float, float]) -> None:
    """Body = rectangle dx × dy extruded dz upwards, placed with its corner at origin (all SI)."""
    dx, dy, dz = size
    outline = [(0.0, 0.0), (dx, 0.0), (dx, dy), (0.0, dy), (0.0, 0.0)]
    rep = ifcopenshell.api.geometry.add_slab_representation(m.file, m.body, depth=dz, polyline=outline)
    ifcopenshell.api.geometry.assign_representation(m.file, product=product, representation=rep)
    place(m, product, *origin)


def add_pset(m: Model, product: Entity, name: str, values: dict[str, Any]) -> Entity:
    """A property set; CN_GreenBuilding values get their documented IFC type and file units."""
    pset = ifcopenshell.api.pset.add_pset(m.file, product=product, name=name)
    props: dict[str, Any] = {}
    for key, value in values.items():
        ifc_type = GREEN_TYPES.get(key) if name == "CN_GreenBuilding" else None
        if ifc_type == "IfcAreaMeasure":
            value = m.area(float(value))
        props[key] = m.file.create_entity(ifc_type, value) if ifc_type else value
    ifcopenshell.api.pset.edit_pset(m.file, pset=pset, properties=props)
    return pset


def add_area_qto(m: Model, product: Entity, ifc4_name: str, areas: dict[str, float]) -> Entity:
    """A quantity set of IfcQuantityArea values given in m², written in the file's area unit."""
    qto = ifcopenshell.api.pset.add_qto(m.file, product=product, name=m.qto_name(ifc4_name))
    props = {key: m.file.createIfcAreaMeasure(m.area(value)) for key, value in areas.items()}
    ifcopenshell.api.pset.edit_qto(m.file, qto=qto, properties=props)
    return qto


def finalize(m: Model, sample: str) -> None:
    """Deterministic GlobalIds (uuid5 of sample/ordinal) and one fixed IFC2X3 owner history."""
    for product, name, values in m.late_psets:
        add_pset(m, product, name, values)
    f = m.file
    roots = sorted(f.by_type("IfcRoot"), key=lambda e: e.id())
    histories = sorted(f.by_type("IfcOwnerHistory"), key=lambda e: e.id())
    if histories:
        keep = histories[0]
        keep.ChangeAction = "ADDED"
        keep.CreationDate = EPOCH
        keep.LastModifiedDate = None
        keep.LastModifyingUser = None
        keep.LastModifyingApplication = None
        for element in roots:
            element.OwnerHistory = keep
        for history in histories[1:]:
            f.remove(history)
    for n, element in enumerate(roots):
        element.GlobalId = ifcopenshell.guid.compress(uuid.uuid5(NAMESPACE, f"{sample}/{n}").hex)
    # ifcopenshell.api builds some relationship lists from sets: order them so output does not depend on hashing.
    for rel in f.by_type("IfcRelationship"):
        for attribute in ("RelatedObjects", "RelatedElements"):
            members = getattr(rel, attribute, None)
            if members:
                setattr(rel, attribute, sorted(members, key=lambda e: e.id()))


def write(m: Model, path: Path) -> None:
    """Write the file (the header name is already fixed, so the target folder does not leak in)."""
    m.file.write(str(path))


def write_samples(
    builders: dict[str, Callable[[], Model]], out_dir: str | Path | None, default_dir: Path
) -> list[Path]:
    """Build and write each sample (file name -> builder) into out_dir (default: the generator's folder)."""
    target = Path(out_dir) if out_dir is not None else default_dir
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, build in builders.items():
        path = target / file_name
        write(build(), path)
        written.append(path)
    return written


def cli_main(main: Callable[[str | None], list[Path]]) -> None:
    """`python generate_x.py [OUT_DIR]`: print each path written."""
    import sys

    for written_path in main(sys.argv[1] if len(sys.argv) > 1 else None):
        print(written_path)


# --- compliance kit: what a compliant project carries beyond areas and PV ----------------------------------------
# Members carry quantities (no geometry): volumes in Qto NetVolume, wall areas in NetSideArea, in the file's units.
# Existing floor / roof slabs keep their own quantities and geometry; the kit only marks them and gives them a material.


@dataclass(frozen=True)
class KitMaterial:
    """An IfcMaterial with Pset_MaterialCommon.MassDensity (kg/m³) and CN_GreenBuilding material data."""

    name: str
    kind: str  # CN_GreenBuilding.MaterialKind (one kind of the GB/T 50378 appendix)
    category: str  # CN_GreenBuilding.MaterialCategory
    density: float
    recyclable: bool = False
    # 利废建材 (BJ-GM-008): flue-gas desulfurisation gypsum; low-VOC declared (BJ-GM-009) on the gypsum finishes
    waste_based: bool = False
    low_voc: bool | None = None


KIT_MATERIALS: dict[str, KitMaterial] = {
    "precast": KitMaterial("C40 precast concrete", "预制混凝土构件", "structure_envelope", 2500.0),
    "cast": KitMaterial("C30 ready-mixed concrete", "预拌混凝土", "structure_envelope", 2400.0),
    "rebar": KitMaterial("HRB400 reinforcing steel", "钢筋", "structure_envelope", 7850.0, recyclable=True),
    "glass": KitMaterial("Low-E insulating glass", "建筑玻璃", "structure_envelope", 2500.0, recyclable=True),
    "block": KitMaterial("Aerated concrete block", "砌块", "structure_envelope", 600.0),
    "partition": KitMaterial(
        "Gypsum partition panel", "石膏制品", "decoration", 1000.0, recyclable=True, waste_based=True, low_voc=True
    ),
    "ceiling": KitMaterial(
        "Gypsum ceiling board", "石膏制品", "decoration", 800.0, recyclable=True, waste_based=True, low_voc=True
    ),
    "floor": KitMaterial("Dry-laid floor panel", "地面材料", "decoration", 1200.0),  # residential dry floor
    "access_floor": KitMaterial(
        "Steel raised access floor", "地面材料", "decoration", 1200.0, recyclable=True
    ),  # offices
}
ALL_BUT_BLOCK = ("precast", "cast", "rebar", "glass", "partition", "ceiling", "floor", "access_floor")
# Per m² of an above-ground storey: precast column and cast core-wall concrete (q1a = 0.031 / 0.05 = 62 %), partitions,
# dry floor and ceiling; rebar as a share of each storey's concrete volume; wall / glazing / finish thicknesses in m.
KIT_RATES = {
    "columns": 0.031,
    "core_walls": 0.019,
    "partition_panels": 0.2,
    "partition_blocks": 0.05,
    "dry_floor": 0.75,
    "ceiling": 0.9,
    "rebar": 0.02,
}
KIT_THICKNESS = {"facade": 0.2, "glass": 0.024, "panel": 0.1, "block": 0.2, "floor": 0.03, "ceiling": 0.0125}
# Declared GB/T 50378 scores by target star level at pre-assessment (convenience max 70),
# ScoreGreenMaterials inside resource.
STAR_SCORES: dict[int, dict[str, float]] = {
    3: {
        "ScoreSafety": 80.0,
        "ScoreHealth": 80.0,
        "ScoreConvenience": 60.0,
        "ScoreResource": 170.0,
        "ScoreEnvironment": 80.0,
        "ScoreInnovation": 30.0,
        "ScoreGreenMaterials": 12.0,
    },
    2: {
        "ScoreSafety": 65.0,
        "ScoreHealth": 65.0,
        "ScoreConvenience": 50.0,
        "ScoreResource": 120.0,
        "ScoreEnvironment": 65.0,
        "ScoreInnovation": 10.0,
        "ScoreGreenMaterials": 12.0,
    },
    1: {
        "ScoreSafety": 50.0,
        "ScoreHealth": 50.0,
        "ScoreConvenience": 35.0,
        "ScoreResource": 100.0,
        "ScoreEnvironment": 50.0,
        "ScoreInnovation": 0.0,
        "ScoreGreenMaterials": 0.0,
    },
}
PREFAB_DECLARED = {
    "ExteriorWallIntegratedRatio": 0.6,
    "PartitionIntegratedRatio": 0.5,
    "DryFloorRatio": 0.75,
    "IntegratedKitchenRatio": 0.8,
    "IntegratedBathroomRatio": 0.8,
    "PipelineSeparationRatio": 0.6,
}


@dataclass(frozen=True)
class Kit:
    """A project profile: prefab=True is a prefabricated, certified-material project;
    False a conventional cast-in-place one."""

    use: str  # "public" (kitchen declared absent) or "residential"
    star: int  # target star level: picks the declared scores
    prefab: bool = True
    certified: tuple[str, ...] = ALL_BUT_BLOCK  # KIT_MATERIALS keys that are green-certified
    glazing: float = 0.5  # share of the facade that is a glazed curtain wall
    facade_u: float | None = None  # Pset_WallCommon.ThermalTransmittance of the opaque facade; None: KIT_U["facade"]


@dataclass(frozen=True)
class KitStorey:
    """A storey the kit furnishes: footprint dx × dy (= its floor area), height, and its existing FLOOR slab if any."""

    storey: Entity
    size: tuple[float, float]  # m
    height: float  # m
    above_ground: bool
    slab: Entity | None = None  # None: the kit adds a 0.2 m FLOOR slab with GrossArea and NetVolume
    x: float = 0.0  # m, the building's origin on the site (the facade is placed around x .. x + dx, 0 .. dy)


def add_quantities(
    m: Model,
    product: Entity,
    ifc4_name: str,
    areas: dict[str, float] | None = None,
    volumes: dict[str, float] | None = None,
) -> None:
    """A quantity set with areas (m²) and volumes (m³) written in the file's units."""
    qto = ifcopenshell.api.pset.add_qto(m.file, product=product, name=m.qto_name(ifc4_name))
    props: dict[str, Any] = {k: m.file.createIfcAreaMeasure(m.area(v)) for k, v in (areas or {}).items()}
    props.update({k: m.file.createIfcVolumeMeasure(v / m.scale**3) for k, v in (volumes or {}).items()})
    ifcopenshell.api.pset.edit_qto(m.file, qto=qto, properties=props)


def kit_material(m: Model, key: str, certified: bool) -> Entity:
    """The file's IfcMaterial for a kit material
    (created once; IFC2X3 stores its psets as IfcExtendedMaterialProperties)."""
    spec = KIT_MATERIALS[key]
    if spec.name in m.materials:
        return m.materials[spec.name]
    material = ifcopenshell.api.material.add_material(m.file, name=spec.name, category=None if m.ifc2x3 else spec.kind)
    common = ifcopenshell.api.pset.add_pset(m.file, product=material, name="Pset_MaterialCommon")
    ifcopenshell.api.pset.edit_pset(
        m.file, pset=common, properties={"MassDensity": m.file.create_entity("IfcMassDensityMeasure", spec.density)}
    )
    green = ifcopenshell.api.pset.add_pset(m.file, product=material, name="CN_GreenBuilding")
    ifcopenshell.api.pset.edit_pset(
        m.file,
        pset=green,
        properties={
            "MaterialKind": spec.kind,
            "MaterialCategory": spec.category,
            "GreenCertified": certified,
            "Recyclable": spec.recyclable,
            "Reusable": False,
            "WasteBased": spec.waste_based,
            **({} if spec.low_voc is None else {"LowVOC": spec.low_voc}),
        },
    )
    m.materials[spec.name] = material
    return material


def _member(
    m: Model,
    ifc_class: str,
    name: str,
    container: Entity,
    material: Entity,
    kind: str | None = None,
    method: str | None = None,
    wall: tuple[bool, bool] | None = None,
    u_value: float | None = None,
) -> Entity:
    """A contained element with its material, Pset_WallCommon (IsExternal, LoadBearing, U) and ConstructionMethod."""
    element = add_element(m, ifc_class, name, container)
    if kind is not None and not m.ifc2x3:  # IFC2X3 columns, walls and bars have no PredefinedType
        element.PredefinedType = kind
    if wall is not None:
        common: dict[str, Any] = {"IsExternal": wall[0], "LoadBearing": wall[1]}
        if u_value is not None:
            common["ThermalTransmittance"] = u_value
        add_pset(m, element, "Pset_WallCommon", common)
    if method is not None:
        add_pset(m, element, "Pset_ConcreteElementGeneral", {"ConstructionMethod": method})
    ifcopenshell.api.material.assign_material(m.file, products=[element], type="IfcMaterial", material=material)
    return element


def _rebar(m: Model, container: Entity, name: str, concrete: float, mats: dict[str, Entity]) -> None:
    """The reinforcement of `concrete` m³, as one bar element carrying its total volume
    (a take-off, not a bar schedule)."""
    bar = _member(m, "IfcReinforcingBar", name, container, mats["rebar"], kind="MAIN")
    if m.ifc2x3:  # mandatory in IFC2X3
        bar.NominalDiameter, bar.CrossSectionArea, bar.BarRole = 0.02 / m.scale, m.area(0.000314), "MAIN"
    add_quantities(m, bar, "Qto_ReinforcingElementBaseQuantities", volumes={"NetVolume": concrete * KIT_RATES["rebar"]})


def _storey_members(m: Model, s: KitStorey, kit: Kit, mats: dict[str, Entity]) -> float:
    """Columns, core walls, facade, partitions, dry floor and ceiling of one above-ground storey;
    returns its new concrete m³."""
    name, area = s.storey.Name, s.size[0] * s.size[1]
    pc, signal = ("precast", "Precast") if kit.prefab else ("cast", "In-Situ")
    for n in range(4):
        column = _member(
            m,
            "IfcColumn",
            f"{name} {'PC' if kit.prefab else 'RC'} column {n + 1:02d}",
            s.storey,
            mats[pc],
            "COLUMN",
            signal,
        )
        add_quantities(m, column, "Qto_ColumnBaseQuantities", volumes={"NetVolume": area * KIT_RATES["columns"] / 4})
    for n in range(2):
        core = _member(
            m,
            "IfcWall",
            f"{name} core wall {n + 1:02d}",
            s.storey,
            mats["cast"],
            "SHEAR",
            "In-Situ",
            wall=(False, True),
        )
        add_quantities(m, core, "Qto_WallBaseQuantities", volumes={"NetVolume": area * KIT_RATES["core_walls"] / 2})
    opaque = 0.0
    for side, length, origin, x_dir in _facade_sides(s):
        opaque += _facade_side(m, s, kit, mats, side, length, origin, x_dir)
    for label, key, rate, thick, flag in (
        ("partition panels", "partition", "partition_panels", "panel", True),
        ("block partitions", "block", "partition_blocks", "block", False),
    ):
        wall = _member(
            m,
            "IfcWall",
            f"{name} {label}",
            s.storey,
            mats[key],
            None if m.ifc2x3 else "PARTITIONING",
            wall=(False, False),
        )
        add_pset(m, wall, "CN_GreenBuilding", {"NonMasonry": flag})
        add_quantities(
            m,
            wall,
            "Qto_WallBaseQuantities",
            {"NetSideArea": area * KIT_RATES[rate]},
            {"NetVolume": area * KIT_RATES[rate] * KIT_THICKNESS[thick]},
        )
    for label, key, kind, rate in (
        ("dry floor", "floor", "FLOORING", "dry_floor"),
        ("ceiling", "ceiling", "CEILING", "ceiling"),
    ):
        finish = _member(m, "IfcCovering", f"{name} {label}", s.storey, mats[key])
        finish.PredefinedType = kind
        finished = area * KIT_RATES[rate]
        add_quantities(
            m, finish, "Qto_CoveringBaseQuantities", {"NetArea": finished}, {"NetVolume": finished * KIT_THICKNESS[key]}
        )
    concrete = area * (KIT_RATES["columns"] + KIT_RATES["core_walls"])
    return concrete + (opaque * KIT_THICKNESS["facade"] if kit.prefab else 0.0)


# Envelope of the kit (W/(m²·K)), better than the GB 55015 cold-zone public baseline (RECALLED; wall 0.45, roof 0.35,
# windows by facade WWR: 0.40 < WWR <= 0.50 -> 1.9, 0.20 < WWR <= 0.30 -> 2.5) by 33 %, 29 % and 26 % (public kit,
# WWR 0.50 on every facade), so a three-star target meets Table 3.2.8 T1 (>= 20 %). The glazed curtain wall is a
# triple-glazed, thermally broken unit (U 1.4, glazing SHGC 0.40: GB 55015 asks <= 0.40 on E/S/W at WWR 0.4-0.5).
KIT_U = {"facade": 0.30, "roof": 0.25, "curtain_wall": 1.4}
KIT_SHGC = 0.40
KIT_CURTAIN_AIRTIGHTNESS = 4


def _facade_sides(s: KitStorey) -> list[tuple[str, float, tuple[float, float], tuple[float, float]]]:
    """(side, length, wall origin in plan, local X direction) of the four facades, counter-clockwise from S."""
    (dx, dy), x = s.size, s.x
    return [
        ("S", dx, (x, 0.0), (1.0, 0.0)),
        ("E", dy, (x + dx, 0.0), (0.0, 1.0)),
        ("N", dx, (x + dx, dy), (-1.0, 0.0)),
        ("W", dy, (x, dy), (0.0, -1.0)),
    ]


def _facade_side(
    m: Model,
    s: KitStorey,
    kit: Kit,
    mats: dict[str, Entity],
    side: str,
    length: float,
    origin: tuple[float, float],
    x_dir: tuple[float, float],
) -> float:
    """One facade of a storey: an opaque wall (precast panels or blocks) and a glazed curtain wall, both flagged
    exterior and placed on the perimeter facing outwards; returns the opaque area (m²)."""
    name, z = s.storey.Name, float(s.storey.Elevation or 0.0) * m.scale
    facade = length * s.height
    opaque, glazed = facade * (1 - kit.glazing), facade * kit.glazing
    label, material, method = (
        ("precast facade panels", "precast", "Precast") if kit.prefab else ("block facade wall", "block", None)
    )
    panel = _member(
        m,
        "IfcWall",
        f"{name} {label} {side}",
        s.storey,
        mats[material],
        None,
        method,
        wall=(True, False),
        u_value=KIT_U["facade"] if kit.facade_u is None else kit.facade_u,
    )
    place(m, panel, origin[0], origin[1], z, x_dir)
    add_quantities(
        m, panel, "Qto_WallBaseQuantities", {"NetSideArea": opaque}, {"NetVolume": opaque * KIT_THICKNESS["facade"]}
    )
    curtain = _member(m, "IfcCurtainWall", f"{name} glazed curtain wall {side}", s.storey, mats["glass"])
    place(m, curtain, origin[0], origin[1], z, x_dir)
    add_pset(m, curtain, "Pset_CurtainWallCommon", {"IsExternal": True, "ThermalTransmittance": KIT_U["curtain_wall"]})
    add_pset(m, curtain, "Pset_DoorWindowGlazingType", {"SolarHeatGainTransmittance": KIT_SHGC})
    # GB/T 15227 class 4 (GB 55015 asks 3 of curtain walls: GB/T 50378 Table 3.2.8 T6, BJ-STAR-030)
    m.late_psets.append((curtain, "CN_GreenBuilding", {"AirtightnessClass": KIT_CURTAIN_AIRTIGHTNESS}))
    add_quantities(
        m, curtain, "Qto_CurtainWallQuantities", {"NetSideArea": glazed}, {"NetVolume": glazed * KIT_THICKNESS["glass"]}
    )
    return opaque


def add_compliance_kit(
    m: Model, building: Entity, storeys: list[KitStorey], roof: Entity, roof_volume: float, kit: Kit
) -> None:
    """Prefabricated members, certified materials, declared prefab items and star scores of one building.

    Composite (precast) floor slabs are those above the lowest above-ground storey, plus the roof slab; the
    lowest above-ground slab and basement slabs are cast in place. The floor-area sources are left untouched.
    """
    floor = "access_floor" if kit.use == "public" else "floor"
    keys = ["precast" if kit.prefab else "cast", "cast", "rebar", "glass", "block", "partition", "ceiling", floor]
    mats = {key: kit_material(m, key, key in kit.certified) for key in dict.fromkeys(keys)}
    mats["floor"] = mats[floor]
    first = next(i for i, s in enumerate(storeys) if s.above_ground)
    for i, s in enumerate(storeys):
        precast = kit.prefab and s.above_ground and i > first
        slab, area = s.slab, s.size[0] * s.size[1]
        if slab is None:
            slab = add_element(m, "IfcSlab", f"{s.storey.Name} floor slab", s.storey, predefined_type="FLOOR")
            add_quantities(m, slab, "Qto_SlabBaseQuantities", {"GrossArea": area}, {"NetVolume": area * 0.2})
        add_pset(m, slab, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "Precast" if precast else "In-Situ"})
        ifcopenshell.api.material.assign_material(
            m.file, products=[slab], type="IfcMaterial", material=mats["precast" if precast else "cast"]
        )
        concrete = area * 0.2 + (_storey_members(m, s, kit, mats) if s.above_ground else 0.0)
        _rebar(m, s.storey, f"{s.storey.Name} reinforcement", concrete, mats)
    add_pset(m, roof, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "Precast" if kit.prefab else "In-Situ"})
    add_pset(m, roof, "Pset_SlabCommon", {"IsExternal": True, "ThermalTransmittance": KIT_U["roof"]})
    ifcopenshell.api.material.assign_material(
        m.file, products=[roof], type="IfcMaterial", material=mats["precast" if kit.prefab else "cast"]
    )
    _rebar(m, roof.ContainedInStructure[0].RelatingStructure, "Roof slab reinforcement", roof_volume, mats)
    declared: dict[str, Any] = {
        "FullDecoration": True,
        "ControlItemsMet": True,
        "AssessmentStage": "pre",
        **STAR_SCORES[kit.star],
    }
    if kit.prefab:
        declared.update({k: m.file.create_entity("IfcRatioMeasure", v) for k, v in PREFAB_DECLARED.items()})
        if kit.use == "public":
            del declared["IntegratedKitchenRatio"]
            declared["PrefabAbsentItems"] = "kitchen"
    declared = {k: m.file.create_entity("IfcReal", v) if isinstance(v, float) else v for k, v in declared.items()}
    pset = next(
        (
            r.RelatingPropertyDefinition
            for r in building.IsDefinedBy
            if r.is_a("IfcRelDefinesByProperties") and r.RelatingPropertyDefinition.Name == "CN_GreenBuilding"
        ),
        None,
    )
    if pset is None:
        pset = ifcopenshell.api.pset.add_pset(m.file, product=building, name="CN_GreenBuilding")
    # The kit's projects are urban and outside the administrative office area, and say so (undeclared, the plan's
    # demonstration and rural scopes would be unknown); a sample that declares either keeps its own value.
    present = {prop.Name for prop in pset.HasProperties or ()}
    declared.update({k: False for k in ("Rural", "InAdministrativeOfficeArea") if k not in present})
    ifcopenshell.api.pset.edit_pset(m.file, pset=pset, properties=declared)
