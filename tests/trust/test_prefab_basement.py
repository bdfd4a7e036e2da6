"""Issue 8 case 14: the assembly rate covers the building above the outdoor ground (GB/T 51129 2.0.2).

The bundled 60 x 60 m office (sample_models/generate.py with the compliance kit: precast columns, cast cores, precast
composite floors from L2, precast facade panels, curtain wall, gypsum partitions; P 87.8 %, grade AA), given a Revit
concrete basement at -4.5 m: cast retaining walls and columns, block light-well walls and block partitions. Members
of below-ground storeys stay out of every Table 4.0.1 total, A and the Beijing precast ratio; a storey whose position
is unknown makes the totals it touches unknown, naming it.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import ifcopenshell
import pytest

from checker.api import check_file
from checker.rules.loader import load_ruleset
from checker.rules.results import BuildingResult, RuleResult
from checker.rules.schema import Ruleset

GENERATED_AT = "2024-01-01T00:00:00Z"
# The basement-free office: q1a 62 % -> 26.0, q1b 85.7 % -> 20, Q2 5 + 3 + 5 + 2, Q3 21.5, Q4 6 (kitchen absent).
Q1, Q2, Q3, Q4 = 46.0, 15.0, 21.5, 6.0


def _office(generator: ModuleType, basement: bool, tmp_path: Path) -> Path:
    spec = generator.BuildingSpec(
        name="Sub-center Office with Basement",
        occupancy="Office",
        green=generator.public_green(exclusion=400.0),
        storeys=generator.storeys([("B1", -4.5), *generator.levels(6, 4.0)], gfa=3600.0, slab=(60.0, 60.0)),
        roof=(60.0, 60.0),
        roof_elevation=24.0,
        roof_storey=True,
        kit=generator.PUBLIC_KIT,
    )
    m = generator.make_model("basement-office", "IFC4", [spec])
    if basement:
        _basement_members(generator.ib, m)
    path = tmp_path / f"office-{'basement' if basement else 'plain'}.ifc"
    m.file.write(str(path))
    return path


def _basement_members(ib: ModuleType, m: Any) -> None:
    """Cast retaining walls (4 x 108 m³) and columns (16 x 1.2 m³), 1,500 m² of block light-well walls, 3,500 m² of
    block partitions: enough to turn Q2 into a fail when the basement is rated."""
    b1 = next(s for s in m.file.by_type("IfcBuildingStorey") if s.Name == "B1")

    def wall(name: str, external: bool, load_bearing: bool, area: float, volume: float) -> None:
        element = ib.add_element(m, "IfcWall", name, b1)
        ib.add_pset(m, element, "Pset_WallCommon", {"IsExternal": external, "LoadBearing": load_bearing})
        ib.add_quantities(m, element, "Qto_WallBaseQuantities", {"NetSideArea": area}, {"NetVolume": volume})
        if load_bearing:
            ib.add_pset(m, element, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "In-Situ"})

    for side in "NESW":
        wall(f"B1 retaining wall {side}", True, True, 270.0, 108.0)
    for n in range(16):
        column = ib.add_element(m, "IfcColumn", f"B1 column {n + 1:02d}", b1, predefined_type="COLUMN")
        ib.add_quantities(m, column, "Qto_ColumnBaseQuantities", volumes={"NetVolume": 1.2})
    wall("B1 light-well block wall", True, False, 1500.0, 300.0)
    wall("B1 block partitions", False, False, 3500.0, 700.0)


def _results(path: Path, ruleset: Ruleset) -> tuple[BuildingResult, dict[str, RuleResult]]:
    building = check_file(path, ruleset, generated_at=GENERATED_AT).buildings[0]
    return building, {r.rule_id: r for r in building.results if r.rule_id.startswith("BJ-PREFAB")}


def _every_storey_rated(tmp_path: Path) -> Ruleset:
    """The old reading, basements included: [extraction.prefab] above_ground_only = false."""
    path = tmp_path / "every-storey.toml"
    path.write_text(
        'id = "test-every-storey-rated"\nversion = "1"\ntitle = { zh = "测试", en = "test" }\n'
        'extends = "beijing-subcenter-2024"\n\n[extraction.prefab]\nabove_ground_only = false\n',
        encoding="utf-8",
    )
    return load_ruleset(path)


def test_basement_leaves_the_assembly_rate_unchanged(generator: ModuleType, tmp_path: Path, ruleset: Ruleset) -> None:
    building, results = _results(_office(generator, True, tmp_path), ruleset)
    rate = results["BJ-PREFAB-001"]
    assert [rate.details[k] for k in ("Q1", "Q2", "Q3", "Q4")] == pytest.approx([Q1, Q2, Q3, Q4])
    assert rate.value == pytest.approx((Q1 + Q2 + Q3) / (100 - Q4))  # 87.8 %, as without the basement
    assert rate.status.value == "pass" and rate.details["grade"] == "AA"
    assert results["BJ-PREFAB-003"].status.value == "pass"
    items = rate.details["items"]
    assert items["q1a"]["counted"] == "24 of 36"  # 6 x (4 precast columns of 4 columns + 2 cores): B1 not listed
    total = building.facts["prefab_q1a_total"]
    assert total.value == pytest.approx(6 * 180.0)  # 111.6 precast + 68.4 cast per above-ground storey
    excluded = [e for e in total.evidence if e.method == "ruleset"]
    assert excluded[0].count == 20 and excluded[0].note == "20 members below ground not counted"
    assert "室外地坪以上" in excluded[0].source
    area = building.facts["prefab_q1b_total"]
    assert area.value == pytest.approx(6 * 3600.0)  # B1 is not in A
    assert area.evidence[-1].note == "storeys B1 below ground not counted"
    # Beijing precast ratio over the same members: (5 x 720 + 1,080 roof + 6 x 111.6) / (6 x 720 + 1,080 + 6 x 180)
    assert results["BJ-PREFAB-005"].value == pytest.approx((3600 + 1080 + 669.6) / (4320 + 1080 + 1080))


def test_rating_every_storey_reproduces_the_basement_failure(
    generator: ModuleType, tmp_path: Path, ruleset: Ruleset
) -> None:
    """Before the fix (basements rated): q1a 669.6 / 1,531.2 m³ = 43.7 % -> 21.9; q1b 21,600 / (25,200 + 3,600) = 75 %
    -> 15; q2a 5,760 / 7,260 = 79.3 % -> 0; q2c 4,320 / 8,900 = 48.5 % -> 0: Q2 = 5 fails, P = 63.4 / 94 = 67.4 %."""
    _, plain = _results(_office(generator, False, tmp_path), ruleset)
    _, rated = _results(_office(generator, True, tmp_path), _every_storey_rated(tmp_path))
    assert plain["BJ-PREFAB-001"].value == pytest.approx((Q1 + Q2 + Q3) / (100 - Q4))
    items = rated["BJ-PREFAB-001"].details["items"]
    assert items["q1a"]["ratio"] == pytest.approx(669.6 / 1531.2) and items["q1a"]["points"] == pytest.approx(21.9)
    assert items["q1b"]["ratio"] == pytest.approx(0.75) and items["q1b"]["points"] == pytest.approx(15.0)
    assert items["q2a"]["ratio"] == pytest.approx(5760 / 7260) and items["q2a"]["points"] == 0
    assert items["q2c"]["ratio"] == pytest.approx(4320 / 8900) and items["q2c"]["points"] == 0
    assert rated["BJ-PREFAB-003"].status.value == "fail" and rated["BJ-PREFAB-003"].value == pytest.approx(5.0)
    assert rated["BJ-PREFAB-001"].value == pytest.approx((21.9 + 15 + 5 + 21.5) / 94)


def test_storey_of_unknown_position_makes_the_totals_unknown(
    generator: ModuleType, tmp_path: Path, ruleset: Ruleset
) -> None:
    """A mezzanine exported without Elevation or placement, holding a column: nobody can tell if it is rated."""
    path = _office(generator, False, tmp_path)
    model = ifcopenshell.open(str(path))
    ib = generator.ib
    building = model.by_type("IfcBuilding")[0]
    body = next(c for c in model.by_type("IfcGeometricRepresentationSubContext") if c.ContextIdentifier == "Body")
    holder = ib.Model(model, model.by_type("IfcProject")[0], body, 1.0)
    mezzanine = ib.add_spatial(holder, "IfcBuildingStorey", "夹层", building, z=2.0)
    mezzanine.Elevation = None
    mezzanine.ObjectPlacement = None
    column = ib.add_element(holder, "IfcColumn", "Mezzanine post", mezzanine, predefined_type="COLUMN")
    ib.add_quantities(holder, column, "Qto_ColumnBaseQuantities", volumes={"NetVolume": 0.5})
    model.write(str(path))
    checked, results = _results(path, ruleset)
    q1a = results["BJ-PREFAB-002"].details["items"]["q1a"]
    assert q1a["status"] == "unknown"
    assert q1a["missing"] == (
        "vertical-member volume: whether storeys 夹层 are above ground (IfcBuildingStorey Elevation or "
        f"CN_GreenBuilding.AboveGround) for 1 members ({column.GlobalId})"
    )
    # with a storey of unknown height the roof storey cannot be told to be the highest (a roof level): its area is
    # missing too
    assert checked.facts["prefab_q1b_total"].missing == (
        "floor area of storeys Roof; whether storeys 夹层 are above ground (Elevation or CN_GreenBuilding.AboveGround)"
    )
    assert results["BJ-PREFAB-005"].status.value == "unknown"
