"""Small deterministic helpers on top of ``ifcopenshell.api`` for ``generate.py``.

Every length / area argument here is in SI (m, m²); the helpers convert to the file's own units,
so a millimetre model carries millimetre coordinates and mm² quantities.
"""

from __future__ import annotations

from collections.abc import Callable

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.owner
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.unit
import ifcopenshell.guid

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
    "TiltAngle": "IfcPlaneAngleMeasure",
    "IsPhotovoltaic": "IfcBoolean",
}


@dataclass
class Model:
    """An IFC file under construction plus what the helpers need to know about it."""

    file: ifcopenshell.file
    project: Entity
    body: Entity
    scale: float  # metres per file length unit (1.0 or 0.001)

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
    person = ifcopenshell.api.owner.add_person(f, identification="samples", family_name="Generator", given_name="Sample")
    ifcopenshell.api.owner.add_person_and_organisation(f, person=person, organisation=org)
    ifcopenshell.api.owner.add_application(
        f, application_developer=org, version="1.0",
        application_full_name="greencheck sample generator", application_identifier="greencheck",
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


def place(m: Model, product: Entity, x: float = 0.0, y: float = 0.0, z: float = 0.0) -> None:
    """Place a product at absolute SI coordinates, relative to its container / parent's placement."""
    matrix = np.eye(4)
    matrix[:3, 3] = (x, y, z)
    placement = ifcopenshell.api.geometry.edit_object_placement(m.file, product=product, matrix=matrix, is_si=True)
    # The api subtracts the parent placement in floating point (16.3 - 12.0 = 4.300000000000001): tidy it.
    location = placement.RelativePlacement.Location
    location.Coordinates = tuple(round(c, 6) + 0.0 for c in location.Coordinates)


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
    element = ifcopenshell.api.root.create_entity(m.file, ifc_class=ifc_class, name=name, predefined_type=predefined_type)
    ifcopenshell.api.spatial.assign_container(m.file, products=[element], relating_structure=container)
    return element


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


def write_samples(builders: dict[str, Callable[[], Model]], out_dir: str | Path | None, default_dir: Path) -> list[Path]:
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
