"""The model specs of the invariant tests: plain frozen data in SI units, written as IFC by builder.py.

A spec says what a model holds (buildings, storeys, members, facades, PV, materials, CN_GreenBuilding declarations),
never how it is written; the strategies (strategies.py) draw them. Loaded by tests/invariants/conftest.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Material:
    """An IfcMaterial with Pset_MaterialCommon.MassDensity and CN_GreenBuilding material data."""

    name: str
    kind: str
    category: str
    certified: bool | None = True
    recyclable: bool | None = None
    density: float | None = 2400.0
    cost: float | None = None  # CN_GreenBuilding.UnitCost, CNY/m³


@dataclass(frozen=True)
class Member:
    """A member: IfcColumn, load-bearing interior IfcWall (SHEAR), FLOOR IfcSlab, or a 'partition' (an interior
    non-load-bearing IfcWall, PARTITIONING in IFC4), precast or cast in place."""

    ifc_class: str  # IfcColumn | IfcWall | IfcSlab | partition
    storey: int
    precast: bool
    volume: float  # m³ (a partition: 0.1 m thick, area = volume / 0.1)
    material: int | None = 0  # index into Building.materials; None: no material
    method: bool = True  # write Pset_ConcreteElementGeneral.ConstructionMethod (also for cast members)
    non_masonry: bool | None = None  # CN_GreenBuilding.NonMasonry (partitions)


@dataclass(frozen=True)
class Glazing:
    """A window hosted by the facade wall, or a transparent curtain wall beside it."""

    area: float  # m²
    u: float | None
    shgc: float | None = 0.4
    external: bool | None = True


@dataclass(frozen=True)
class Facade:
    """One side of one storey: an exterior (or unflagged) wall with an optional window and curtain wall."""

    storey: int
    side: str
    area: float  # m², opaque wall area (openings deducted)
    u: float | None
    external: bool | None = True
    precast: bool = False
    material: int | None = 0
    window: Glazing | None = None
    curtain: Glazing | None = None
    gross_with_openings: bool = True  # GrossSideArea = net + window area (False: an exporter writing net twice)


@dataclass(frozen=True)
class Panels:
    """PV panels on the roof: IfcSolarDevice SOLARPANEL (IFC2X3: proxies named 光伏组件)."""

    count: int
    area: float  # m² each, horizontal
    qto: bool = True  # Qto_SolarDeviceBaseQuantities.GrossArea
    box: bool = False  # a flat body on the roof
    peak_power: float | None = 20000.0  # W each, CN_GreenBuilding.PeakPower
    life: int | None = 30  # years, Pset_ServiceLife.ServiceLifeDuration
    design_life: float | None = None  # years, CN_GreenBuilding.DesignLife


@dataclass(frozen=True)
class Roof:
    """A ROOF slab over the footprint, in the top storey or in a separate roof storey."""

    qto: bool = True
    box: bool = False
    u: float | None = 0.25
    precast: bool = False
    material: int | None = 0
    own_storey: bool = False
    exclusion: float | None = None  # CN_GreenBuilding.RoofExclusionArea, m²
    usable_slack: float | None = None  # declared UsableRoofArea = roof - exclusion - slack


@dataclass(frozen=True)
class Storey:
    name: str
    elevation: float  # m
    gfa: bool = True  # Qto_BuildingStoreyBaseQuantities.GrossFloorArea = the footprint


@dataclass(frozen=True)
class Building:
    name: str
    footprint: tuple[float, float]  # m
    storeys: tuple[Storey, ...]
    occupancy: str | None = "Office"  # Pset_BuildingCommon.OccupancyType
    green: tuple[tuple[str, Any], ...] = ()  # CN_GreenBuilding on the building (areas in m²)
    roof: Roof | None = None
    panels: Panels | None = None
    members: tuple[Member, ...] = ()
    facades: tuple[Facade, ...] = ()
    materials: tuple[Material, ...] = ()
    x: float = 0.0  # m, origin on the site


@dataclass(frozen=True)
class Project:
    buildings: tuple[Building, ...]
    schema: str = "IFC4"
    millimetres: bool = False
    total: float | None = None  # CN_GreenBuilding.ProjectNewAboveGroundArea on the IfcProject, m²
    name: str = "invariant project"
