"""Issue 8 case 4: only items a project really lacks count in Q4.

An ArchiCAD-like IFC4 office in millimetres: spaces named as ArchiCAD zones (卫生间, 办公室), partitions as
IfcWall PARTITIONING, Pset_WallCommon on the facade, the Table 4.0.1 declarations in CN_GreenBuilding. Declaring
the horizontal members, dry floors and bathrooms absent used to lift P from 43.7 % to a 66.3 % pass with no warning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import check_file
from checker.rules.results import RuleResult
from checker.rules.schema import Ruleset

GENERATED_AT = "2024-01-01T00:00:00Z"
AREA = 1500.0
ABSENT = "CN_GreenBuilding.PrefabAbsentItems declares"


def _office(make_model: Callable[..., Any], absent: str, bathrooms: bool = True, partitions: bool = True) -> Any:
    """q1a 40 % (21.1), cast floors (q1b 0), q2a 50 % (0), q2b 0.6 (3), q2c 60 % (5), q2d 0.5 (2), decoration 6,
    dry floors 0.3 (0), bathrooms 0.5 (0), pipelines 0.5 (4); no kitchen (allowed in Q4: 6)."""
    tm = make_model("IFC4", "MILLIMETRE", storeys=[("1F", 0.0), ("2F", 3.9), ("RF", 7.8)])
    for n in range(2):
        tm.qto(tm.storeys[n], "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": AREA})
        for c in range(10):
            column = tm.element("IfcColumn", f"KZ{n + 1}-{c + 1:02d}", n, "COLUMN")
            tm.ib.add_quantities(tm.m, column, "Qto_ColumnBaseQuantities", volumes={"NetVolume": 1.0})
            tm.pset(column, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "Precast" if c < 4 else "In-Situ"})
        slab = tm.element("IfcSlab", f"{n + 1}F 现浇楼板", n, "FLOOR")
        tm.ib.add_quantities(tm.m, slab, "Qto_SlabBaseQuantities", {"GrossArea": AREA}, {"NetVolume": AREA * 0.12})
        walls = [("预制外墙板", None, True, 150.0, "Precast"), ("砌体外墙", None, True, 150.0, None)]
        if partitions:
            walls += [
                ("ALC条板内隔墙", "PARTITIONING", False, 150.0, "NonMasonry"),
                ("砌块隔墙", "PARTITIONING", False, 100.0, None),
            ]
        for name, kind, external, area, flag in walls:
            wall = tm.element("IfcWall", f"{name} {n + 1}F", n, kind)
            tm.ib.add_quantities(tm.m, wall, "Qto_WallBaseQuantities", {"NetSideArea": area}, {"NetVolume": area * 0.2})
            if external:
                tm.pset(wall, "Pset_WallCommon", {"IsExternal": True, "LoadBearing": False})
            if flag == "Precast":
                tm.pset(wall, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "Precast"})
            elif flag == "NonMasonry":
                tm.pset(wall, "CN_GreenBuilding", {"NonMasonry": True})
        rooms = [("办公室", "开敞办公"), *([("卫生间", "男卫生间"), ("卫生间", "女卫生间")] if bathrooms else [])]
        for name, long_name in rooms:
            space = tm.ib.add_spatial(tm.m, "IfcSpace", name, tm.storeys[n], z=3.9 * n)
            space.LongName = long_name
    roof = tm.element("IfcSlab", "屋面板", 2, "ROOF")
    tm.ib.add_quantities(tm.m, roof, "Qto_SlabBaseQuantities", {"GrossArea": AREA}, {"NetVolume": AREA * 0.12})
    ratios = {
        "ExteriorWallIntegratedRatio": 0.6,
        "PartitionIntegratedRatio": 0.5,
        "DryFloorRatio": 0.3,
        "IntegratedBathroomRatio": 0.5,
        "PipelineSeparationRatio": 0.5,
    }
    declared = {k: tm.file.create_entity("IfcRatioMeasure", v) for k, v in ratios.items()}
    declared.update(ConstructionType="新建", GovernmentInvested=True, FullDecoration=True, PrefabAbsentItems=absent)
    tm.pset(tm.building, "CN_GreenBuilding", declared)
    return tm


def _results(tm: Any, ruleset: Ruleset, name: str) -> dict[str, RuleResult]:
    run = check_file(tm.write(name), ruleset, generated_at=GENERATED_AT)
    return {r.rule_id: r for r in run.buildings[0].results if r.rule_id.startswith("BJ-PREFAB")}


def test_absent_floors_dry_floors_and_bathrooms_are_refused(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    results = _results(_office(make_model, "q1b, q3a, 卫生间, kitchen"), ruleset, "absent.ifc")
    rate = results["BJ-PREFAB-001"]
    items = rate.details["items"]
    assert items["q3b"]["status"] == "absent"  # an office without a kitchen: allowed
    assert [items[c]["status"] for c in ("q1b", "q3a", "q3c")] == ["measured"] * 3
    assert (items["q1b"]["points"], items["q3a"]["points"], items["q3c"]["points"]) == (0.0, 0.0, 0.0)
    # Q1 21.1 + Q2 10 + Q3 10 over 100 - Q4 6: 43.7 % fail (with the three declarations accepted: 41.1 / 62 = 66.3 %)
    assert rate.details["Q4"] == pytest.approx(6.0)
    assert rate.status.value == "fail" and rate.value == pytest.approx(41.1 / 94.0)
    warnings = rate.details["warnings"]
    assert warnings[0] == (
        f"q1b (Horizontal members (precast projected area / floor-plan area)): {ABSENT} it absent: refused, only "
        "items a project can lack count in Q4 "
        "(the ruleset's absentable_items: q2c, q2d, q3b, q3c): the item is scored as the model shows"
    )
    assert warnings[1].startswith(f"q3a (Dry-method floors): {ABSENT} it absent: refused, only")
    bathroom = warnings[2]
    assert bathroom.startswith(f"q3c (Integrated bathroom): {ABSENT} it absent: refused, the model shows")
    assert "the model shows it exists (4 elements: " in bathroom and "'卫生间'" in bathroom
    assert len(warnings) == 3
    row = next(r for r in rate.details["tables"][0]["rows"] if r[0]["en"].startswith("q3a"))
    assert row[2] == "declared (declared absent: refused, see warnings)"


def test_partitions_declared_absent_while_modelled(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    results = _results(_office(make_model, "partition, kitchen"), ruleset, "partitions.ifc")
    q2 = results["BJ-PREFAB-003"]
    assert q2.details["items"]["q2c"]["status"] == "measured"
    assert q2.details["items"]["q2c"]["ratio"] == pytest.approx(0.6)
    assert q2.status.value == "pass" and q2.value == pytest.approx(10.0)  # 0 + 3 + 5 + 2
    # the refused items score as measured, none as absent (Q4 is P's; Q2's card carries only its own total)
    assert [q2.details["items"][c]["status"] for c in ("q2c", "q2d")] == ["measured", "measured"]
    assert "Q4" not in q2.details and results["BJ-PREFAB-001"].details["Q4"] == pytest.approx(6.0)  # the kitchen
    refused = [w for w in q2.details["warnings"] if "refused, the model shows it exists (4 elements: " in w]
    assert len(refused) == 2 and "ALC条板内隔墙 1F" in refused[0]  # q2c and q2d, naming the partition walls


def test_absence_the_model_does_not_contradict_counts(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """No partition walls and no bathroom spaces: partitions and bathrooms may be absent (Q4 6 + 5 + 5 + 6)."""
    tm = _office(make_model, "kitchen, bathroom, partition", bathrooms=False, partitions=False)
    rate = _results(tm, ruleset, "accepted.ifc")["BJ-PREFAB-001"]
    assert [rate.details["items"][c]["status"] for c in ("q2c", "q2d", "q3b", "q3c")] == ["absent"] * 4
    assert rate.details["Q4"] == pytest.approx(22.0)
    assert "warnings" not in rate.details  # nothing refused
    # Q1 21.1 + Q2 (0 + 3) + Q3 (6 + 0 + 4) = 34.1 over 78
    assert rate.value == pytest.approx(34.1 / 78.0)
