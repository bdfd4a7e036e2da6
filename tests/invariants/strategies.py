"""Hypothesis strategies drawing small project specs (builder.py) the way real exports vary: one or two buildings,
storeys with or without GrossFloorArea, a basement, use from OccupancyType or CN_GreenBuilding, the CN_GreenBuilding
declarations, a roof slab, PV panels with a quantity or a body, precast / cast members, exterior walls flagged or
not with windows and curtain walls, materials with green flags. Values are drawn from short lists around the
ruleset's thresholds, so that removing or adding one datum can cross them. Loaded by tests/invariants/conftest.py.
"""

from __future__ import annotations

import os
from typing import Any

import greencheck_invariants_builder as b
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fast(max_examples: int) -> settings:
    """Deterministic, database-free settings for CI (each example builds and checks IFC files). A deeper search
    (new random examples, N times as many) runs with GREENCHECK_INVARIANTS_SCALE=N."""
    scale = float(os.environ.get("GREENCHECK_INVARIANTS_SCALE", "1"))
    return settings(
        max_examples=max(1, round(max_examples * scale)),
        deadline=None,
        derandomize=scale <= 1,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


FOOTPRINTS = [(20.0, 10.0), (40.0, 25.0), (60.0, 40.0), (100.0, 50.0)]  # 200, 1,000, 2,400, 5,000 m² per storey
USES = [  # (Pset_BuildingCommon.OccupancyType, CN_GreenBuilding.UseCategory)
    ("Office", None),
    ("教学楼", None),
    ("住宅", None),
    ("Factory", None),
    (None, "public"),
    (None, "residential"),
    (None, "industrial"),
    (None, None),
]
KINDS = [  # (IfcMaterial name, MaterialKind, MaterialCategory, density kg/m³)
    ("C30 ready-mixed concrete", "预拌混凝土", "structure_envelope", 2400.0),
    ("C40 precast concrete", "预制混凝土构件", "structure_envelope", 2500.0),
    ("Q355 steel", "钢结构构件", "structure_envelope", 7850.0),
    ("Aerated concrete block", "砌块", "structure_envelope", 600.0),
    ("Gypsum partition panel", "石膏制品", "decoration", 1000.0),
]


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def pick(full: bool, *values: Any) -> st.SearchStrategy[Any]:
    """One of the values; a 'full' model (every property a complete export carries) never draws None."""
    kept = [v for v in values if v is not None] if full else list(values)
    return st.sampled_from(kept)


@st.composite
def materials(draw: st.DrawFn, full: bool) -> tuple[Any, ...]:
    found = []
    for n in range(draw(st.integers(1, 3))):
        name, kind, category, density = draw(st.sampled_from(KINDS))
        found.append(
            b.Material(
                name=f"{name} {n + 1}",
                kind=kind,
                category=category,
                certified=draw(pick(full, True, False, None)),
                recyclable=draw(st.sampled_from([None, True, False])),
                density=draw(pick(full, density, None)),
                cost=draw(st.sampled_from([None, 500.0, 3000.0])),
            )
        )
    return tuple(found)


@st.composite
def glazing(draw: st.DrawFn, area: float, full: bool, interior: bool = False) -> Any:
    """A window (or curtain wall); a window in a wall declared interior is never flagged exterior: that model
    contradicts itself, and without the window's flag the wall's rightly decides."""
    return b.Glazing(
        area=area * draw(st.sampled_from([0.2, 0.5, 1.0, 1.5])),
        u=draw(pick(full, 1.0, 1.4, 2.6, None)),
        shgc=draw(pick(full, 0.35, 0.5, None)),
        external=draw(pick(full, False, None) if interior else pick(full, True, None)),
    )


@st.composite
def facades(
    draw: st.DrawFn, storeys: int, footprint: tuple[float, float], full: bool, quirks: bool = False
) -> tuple[Any, ...]:
    """Walls on the footprint's sides with windows and curtain walls. The first is never declared interior: the
    checker takes a model to hold its exterior walls, so walls that all lack IsExternal but comply pass the U rules
    (by design, tests/trust/test_envelope_unflagged_walls.py), while a model whose every wall is declared interior
    visibly lacks them and stays unknown; removing that declaration would 'pass' a model known to be incomplete.
    `quirks` adds an exporter's GrossSideArea written without the openings: it contradicts NetSideArea + windows, so
    only the ratio invariant draws it (removing either of two contradicting areas changes which one is believed)."""
    found = []
    for n in range(draw(st.integers(1 if full else 0, 4))):
        side = draw(st.sampled_from(["S", "E", "N", "W"]))
        length = footprint[0] if side in "SN" else footprint[1]
        area = length * b.STOREY_HEIGHT * draw(st.sampled_from([0.5, 0.8]))
        external = draw(pick(full, True, None, False) if n else pick(full, True, None))
        found.append(
            b.Facade(
                storey=draw(st.integers(0, storeys - 1)),
                side=side,
                area=area,
                u=draw(pick(full, 0.15, 0.3, 0.8, None)),
                external=external,
                precast=draw(st.booleans()),
                material=draw(pick(full, 0, 1, None)),
                window=draw(maybe(glazing(area, full, interior=external is False))),
                curtain=draw(maybe(glazing(area, full))),
                gross_with_openings=draw(st.sampled_from([True, True, False] if quirks else [True])),
            )
        )
    return tuple(found)


def member(draw: st.DrawFn, ifc_class: str, storey: int, full: bool) -> Any:
    """A member; a precast one is never declared masonry (NonMasonry false on a factory-made panel contradicts its
    ConstructionMethod, and the declaration rightly wins until it is removed)."""
    precast, method = draw(st.booleans()), draw(st.sampled_from([True, True, False]))
    return b.Member(
        ifc_class=ifc_class,
        storey=storey,
        precast=precast,
        volume=draw(st.sampled_from([5.0, 20.0, 60.0])),
        material=draw(pick(full, 0, 1, None)),
        method=method,
        non_masonry=draw(st.sampled_from([True, None] if precast and method else [True, False, None])),
    )


@st.composite
def members(draw: st.DrawFn, storeys: int, full: bool) -> tuple[Any, ...]:
    """Every storey holds a column (a real floor holds structure: without it a storey of slabs alone may read as a
    roof level or an empty reference level of 0 m², by design) and, mostly, its floor slab; then a few more
    members anywhere."""
    found = []
    for n in range(storeys):
        found.append(member(draw, "IfcColumn", n, full))
        if draw(pick(full, True, True, None)):
            found.append(member(draw, "IfcSlab", n, full))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["IfcColumn", "IfcWall", "IfcSlab", "partition"]))
        found.append(member(draw, kind, draw(st.integers(0, storeys - 1)), full))
    return tuple(found)


@st.composite
def panels(draw: st.DrawFn, footprint: tuple[float, float], full: bool) -> Any:
    count = draw(st.integers(1, 4))
    coverage = draw(st.sampled_from([0.2, 0.45, 0.55, 0.9, 1.2]))
    qto, box = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
    # CN_GreenBuilding.DesignLife, when written beside Pset_ServiceLife, agrees with it: of two contradicting
    # declarations the standard pset wins, and removing it would rightly reveal the other
    life = draw(pick(full, 30, 20, None))
    return b.Panels(
        count=count,
        area=footprint[0] * footprint[1] * coverage / count,
        qto=qto,
        box=box,
        peak_power=draw(pick(full, 20000.0, None)),
        life=life,
        design_life=draw(st.sampled_from([None, float(life)] if life is not None else [None, 30.0, 20.0])),
    )


@st.composite
def roofs(draw: st.DrawFn, footprint: tuple[float, float], full: bool) -> Any:
    qto, box = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
    area = footprint[0] * footprint[1]
    return b.Roof(
        qto=qto,
        box=box,
        u=draw(pick(full, 0.1, 0.25, 0.5, None)),
        precast=draw(st.booleans()),
        material=draw(pick(full, 0, None)),
        own_storey=draw(st.booleans()),
        exclusion=draw(st.sampled_from([None, 0.1 * area, 0.4 * area])),
        usable_slack=draw(st.sampled_from([None, None, 0.0, 0.2 * area])),
    )


DECLARED_RATIOS = (
    "ExteriorWallIntegratedRatio",
    "PartitionIntegratedRatio",
    "DryFloorRatio",
    "IntegratedKitchenRatio",
    "IntegratedBathroomRatio",
    "PipelineSeparationRatio",
)


@st.composite
def green(draw: st.DrawFn, category: str | None, full: bool) -> tuple[tuple[str, Any], ...]:
    """CN_GreenBuilding on the building: classification, declarations, star scores, ULE figures."""
    values: dict[str, Any] = {"UseCategory": category}
    values["ConstructionType"] = draw(pick(full, "New", "新建", "Extension", "Retrofit", None))
    values["GovernmentInvested"] = draw(pick(full, True, False, None))
    values["TargetStarLevel"] = draw(pick(full, 3, 2, 1, None))
    values["IndustrialLand"] = draw(st.sampled_from([None, True]))
    for key in ("FullDecoration", "ControlItemsMet", "InAdministrativeOfficeArea", "Rural"):
        values[key] = draw(pick(full, True, False, None))
    for key in DECLARED_RATIOS:
        values[key] = draw(pick(full, 0.9, 0.6, None))
    values["PrefabAbsentItems"] = draw(st.sampled_from([None, "kitchen", "kitchen, bathroom"]))
    factor = draw(pick(full, 0.6, 0.9, 1.0, None))  # 0.9: a total near the 85 of three stars
    if factor is not None:
        scores = b.ib.STAR_SCORES[3]
        values.update({k: v * factor for k, v in scores.items() if k != "ScoreGreenMaterials"})
        values["ScoreGreenMaterials"] = draw(st.sampled_from([12.0, 4.0, None]))
        values["AssessmentStage"] = "pre"
    if draw(st.booleans()):
        values["EnergyTarget"] = "超低能耗"
        values["AirtightnessN50"] = draw(pick(full, 0.5, 0.8, None))
        values["EnergySavingRate"] = draw(pick(full, 0.3, 0.6, 55.0, 150.0, -0.2, None))  # 55: a percentage
        values["RenewableEnergyUtilisation"] = draw(pick(full, 0.05, 0.15, 1.2, None))
        values["HeatingDemand"] = draw(pick(full, 10.0, 20.0, None))
        values["HeatRecoverySensibleEfficiency"] = draw(pick(full, 0.8, 0.6, None))
    return tuple((k, v) for k, v in values.items() if v is not None)


@st.composite
def buildings(
    draw: st.DrawFn, name: str = "Building A", x: float = 0.0, full: bool | None = None, quirks: bool = False
) -> Any:
    """A building; `full` (drawn when None) gives every property a complete export carries."""
    full = draw(st.booleans()) if full is None else full
    footprint = draw(st.sampled_from(FOOTPRINTS))
    above = draw(st.integers(1, 4))
    basement = [("B1", -4.0)] if draw(st.booleans()) else []
    levels = [
        b.Storey(name, z, gfa=draw(pick(full, True, True, None)) is not None)
        for name, z in basement + [(f"L{n + 1}", n * b.STOREY_HEIGHT) for n in range(above)]
    ]
    occupancy, category = draw(st.sampled_from(USES[:-1] if full else USES))
    return b.Building(
        name=name,
        footprint=footprint,
        storeys=tuple(levels),
        occupancy=occupancy,
        green=draw(green(category, full)),
        roof=draw(roofs(footprint, full) if full else maybe(roofs(footprint, full))),
        panels=draw(maybe(panels(footprint, full))),
        members=draw(members(len(levels), full)),
        facades=draw(facades(len(levels), footprint, full, quirks)),
        materials=draw(materials(full)),
        x=x,
    )


@st.composite
def projects(draw: st.DrawFn, max_buildings: int = 2, full: bool | None = None, quirks: bool = False) -> Any:
    count = draw(st.integers(1, max_buildings))
    found = tuple(draw(buildings(f"Building {chr(65 + n)}", 200.0 * n, full, quirks)) for n in range(count))
    return b.Project(
        buildings=found,
        schema=draw(st.sampled_from(["IFC4", "IFC2X3"])),
        millimetres=draw(st.booleans()),
        total=draw(st.sampled_from([None, None, 20000.0, 30000.0])),
    )
