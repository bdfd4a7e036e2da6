"""Invariant 1 (issue 8): removing any one property never turns a non-pass into a pass.

A generated project is checked, one property the builder wrote is removed (drawn by hypothesis), and the project is
checked again: no rule result of the project or of any building may go from fail / unknown / not applicable to pass.
Missing data may only make a verdict less certain.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import greencheck_invariants_strategies as S
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.rules.results import Status

B = S.b


def newly_passing(project: Any, omit: str, folder: Path) -> list[str]:
    """The results that pass only once `omit` is removed, described for the failure message."""
    before = B.results_by_key(B.check(project, folder))
    after = B.results_by_key(B.check(project, folder, omit=omit))
    return [
        f"{where} {rule}: {before[(where, rule)].status.value} ({before[(where, rule)].message.en}) -> pass "
        f"({result.message.en})"
        for (where, rule), result in after.items()
        if result.status is Status.PASS and before[(where, rule)].status is not Status.PASS
    ]


@S.fast(150)
@given(project=S.projects(), data=st.data())
def test_removing_a_property_never_makes_a_rule_pass(project: Any, data: st.DataObject, folder: Path) -> None:
    omit = data.draw(st.sampled_from(B.written_keys(project)), label="removed property")
    assert newly_passing(project, omit, folder) == []


# --- the cases the invariant found (fixed in checker/; kept as plain tests) ---------------------------------------
OFFICE_3_STAR = (
    ("ConstructionType", "New"),
    ("GovernmentInvested", True),
    ("TargetStarLevel", 3),
    ("FullDecoration", True),
    ("ControlItemsMet", True),
    ("AssessmentStage", "pre"),
    ("ScoreSafety", 48.0),
    ("ScoreHealth", 48.0),
    ("ScoreConvenience", 36.0),
    ("ScoreResource", 102.0),
    ("ScoreEnvironment", 48.0),
    ("ScoreInnovation", 18.0),
    ("ScoreGreenMaterials", 4.0),
)


def test_a_material_without_green_certified_no_longer_hides_a_pass_behind_its_kind(folder: Path) -> None:
    """A gypsum board with MaterialKind but no GreenCertified made the whole green-material ratio unknown, while the
    same board without MaterialKind counted as 'not certified': removing the kind turned BJ-STAR-012 from unknown
    into a pass. Now the unflagged board leaves only its own kind undecided: ratio 45-80 %, decided where it cannot
    matter (BJ-GM-001 passes on the lower bound), the same before and after."""
    materials = (
        B.Material("C30 concrete", "预拌混凝土", "structure_envelope", certified=True),
        B.Material("Gypsum board", "石膏制品", "decoration", certified=None, density=1000.0),
    )
    members = (B.Member("IfcColumn", 0, False, 20.0, material=0), B.Member("partition", 0, False, 5.0, material=1))
    office = B.Building("Office", (40.0, 25.0), (B.Storey("L1", 0.0),), green=OFFICE_3_STAR, members=members)
    project = B.Project((dataclasses.replace(office, materials=materials),))
    kind = "Office Gypsum board|CN_GreenBuilding.MaterialKind"
    before, after = (B.results_by_key(B.check(project, folder, omit=omit)) for omit in (None, kind))
    ratio = before[("Office", "BJ-GM-001")]
    assert (ratio.status, ratio.value, ratio.bound) == (Status.PASS, 0.45, "lower")
    assert ratio.details["ratio_interval"] == [0.45, 0.8]
    assert "GreenCertified missing on Office Gypsum board" in ratio.missing[0]
    assert after[("Office", "BJ-GM-001")].status is Status.UNKNOWN  # an unclassified uncertified kind: 0-45 %
    for run in (before, after):
        share = run[("Office", "BJ-STAR-012")]
        assert (share.status, share.value) == (Status.PASS, pytest.approx(0.48))
    assert newly_passing(project, kind, folder) == []


def test_a_wall_without_load_bearing_or_is_external_no_longer_drops_out_of_q2a(folder: Path) -> None:
    """An exterior masonry wall (80 m²) beside a curtain wall (20 m²): q2a 20 %, Q2 = 0 + 3 (q2b 60 %) + 0 (masonry
    partition) + 3 (q2d 60 %) = 6 points, a fail. Without the wall's IsExternal (or LoadBearing) it used to be left
    out of every total: q2a 100 %, Q2 11 points, a pass. Now q2a is unknown, naming the wall."""
    green = (
        ("ConstructionType", "New"),
        ("GovernmentInvested", True),
        ("FullDecoration", True),
        ("ExteriorWallIntegratedRatio", 0.6),
        ("PartitionIntegratedRatio", 0.6),
    )
    members = (B.Member("IfcColumn", 0, False, 20.0), B.Member("partition", 0, False, 5.0, non_masonry=False))
    facade = B.Facade(0, "S", 80.0, 0.3, curtain=B.Glazing(20.0, 1.4))
    material = B.Material("C30 concrete", "预拌混凝土", "structure_envelope")
    hall = B.Building("Hall", (40.0, 25.0), (B.Storey("L1", 0.0),), green=green, members=members, facades=(facade,))
    project = B.Project((dataclasses.replace(hall, materials=(material,)),))
    before = B.check(project, folder)
    q2 = B.results_by_key(before)[("Hall", "BJ-PREFAB-003")]
    assert (q2.status, q2.value, before.buildings[0].facts["prefab_q2a_total"].value) == (Status.FAIL, 6.0, 100.0)
    for flag in ("IsExternal", "LoadBearing"):
        omit = f"Hall/facade 1|Pset_WallCommon.{flag}"
        after = B.check(project, folder, omit=omit)
        q2a = after.buildings[0].facts["prefab_q2a_total"]
        q2 = B.results_by_key(after)[("Hall", "BJ-PREFAB-003")]
        (wall,) = (e for e in q2.elements if "may_be" in e.values)
        assert wall.name == "Hall/facade 1" and wall.global_id in (q2a.missing or "") and q2a.value is None
        assert q2.status is Status.UNKNOWN and wall.global_id in q2.missing[0]
        assert newly_passing(project, omit, folder) == []


def test_an_undeclared_score_green_materials_no_longer_passes_the_resource_score_unchecked(folder: Path) -> None:
    """Declared resource 170 including 12 points of 7.2.18 that the model does not support (nothing certified):
    Q = (400 + 37 + 80 + 60 + 158 + 80 + 30) / 10 = 84.5, a three-star fail. Without ScoreGreenMaterials the resource
    score was taken unchecked: Q 85.7, a pass. Now Q lies between 84.5 and 85.7: unknown, naming the property."""
    scores = {"ScoreSafety": 37.0, "ScoreHealth": 80.0, "ScoreConvenience": 60.0, "ScoreResource": 170.0}
    scores |= {"ScoreEnvironment": 80.0, "ScoreInnovation": 30.0, "ScoreGreenMaterials": 12.0}
    material = B.Material("C30 concrete", "预拌混凝土", "structure_envelope", certified=False)
    office = B.Building(
        "Office",
        (40.0, 25.0),
        (B.Storey("L1", 0.0),),
        green=tuple((dict(OFFICE_3_STAR) | scores).items()),
        members=(B.Member("IfcColumn", 0, False, 20.0),),
        materials=(material,),
    )
    project = B.Project((office,))
    omit = "Office|CN_GreenBuilding.ScoreGreenMaterials"
    before, after = (
        B.results_by_key(B.check(project, folder, omit=key))[("Office", "BJ-STAR-011")] for key in (None, omit)
    )
    assert (before.status, before.value) == (Status.FAIL, pytest.approx(84.5))
    assert after.status is Status.UNKNOWN and after.value is None
    assert "ScoreGreenMaterials" in after.missing[0] and "between 84.5 and 85.7" in after.missing[-1]
    assert newly_passing(project, omit, folder) == []


def test_a_missing_unit_cost_no_longer_switches_a_failing_cost_share_to_a_passing_mass_share(folder: Path) -> None:
    """The known suspect: certified concrete (120 m³ at 500 CNY/m³) and plain concrete (20 m³ at 3,000 CNY/m³) of one
    kind. By cost 60,000 / 120,000 = 50 %: the kind does not qualify (0 %, BJ-GM-001 fails) and the certified share
    fails (BJ-GM-005, 70 %). Without either UnitCost the cost basis used to be dropped for the complete mass basis,
    120 / 140 = 85.7 %: both passed. The cost basis stays in use: by cost the share is now only a bound that settles
    nothing, so both rules are unknown."""
    materials = (
        B.Material("Certified concrete", "预拌混凝土", "structure_envelope", certified=True, cost=500.0),
        B.Material("Plain concrete", "预拌混凝土", "structure_envelope", certified=False, cost=3000.0),
    )
    columns = (
        B.Member("IfcColumn", 0, False, 60.0, material=0),
        B.Member("IfcColumn", 0, False, 60.0, material=0),
        B.Member("IfcColumn", 0, False, 20.0, material=1),
    )
    green = (("ConstructionType", "New"), ("GovernmentInvested", True), ("TargetStarLevel", 3))
    office = B.Building("Office", (40.0, 25.0), (B.Storey("L1", 0.0),), green=green, members=columns)
    project = B.Project((dataclasses.replace(office, materials=materials),))
    before = B.results_by_key(B.check(project, folder))
    share = before[("Office", "BJ-GM-005")]
    assert (share.status, share.value, share.details["basis"]) == (Status.FAIL, 0.5, "cost (CNY)")
    assert (before[("Office", "BJ-GM-001")].status, before[("Office", "BJ-GM-001")].value) == (Status.FAIL, 0.0)
    for name in ("Plain concrete", "Certified concrete"):
        omit = f"Office {name}|CN_GreenBuilding.UnitCost"
        after = B.results_by_key(B.check(project, folder, omit=omit))
        assert after[("Office", "BJ-GM-005")].status is Status.UNKNOWN
        assert "mass (kg): 85.7% (exact)" in after[("Office", "BJ-GM-005")].missing[-1]
        assert after[("Office", "BJ-GM-001")].status is Status.UNKNOWN
        assert newly_passing(project, omit, folder) == []


def test_a_recyclable_material_without_density_no_longer_makes_the_share_exact(folder: Path) -> None:
    """Found by the removal hunt: steel and gypsum, both recyclable, beside a curtain wall without material or
    volume (it may only lower the mass share): 100 % as an upper bound, unknown. Without the gypsum's density the
    share could also rise, and a share pushed both ways was reported as an exact 100 % pass."""
    materials = (
        B.Material("Q355 steel", "钢结构构件", "structure_envelope", recyclable=True, density=7850.0),
        B.Material("Gypsum panel", "石膏制品", "decoration", recyclable=True, density=1000.0),
    )
    members = (B.Member("IfcColumn", 0, False, 5.0, material=0), B.Member("partition", 0, False, 5.0, material=1))
    facade = B.Facade(0, "S", 40.0, 0.3, curtain=B.Glazing(20.0, 1.4))
    green = (("ConstructionType", "New"), ("GovernmentInvested", True))
    office = B.Building("Office", (40.0, 25.0), (B.Storey("L1", 0.0),), green=green, members=members)
    project = B.Project((dataclasses.replace(office, facades=(facade,), materials=materials),))
    omit = "Office Gypsum panel|Pset_MaterialCommon.MassDensity"
    before, after = (
        B.results_by_key(B.check(project, folder, omit=key))[("Office", "BJ-GM-007")] for key in (None, omit)
    )
    assert (before.status, before.value, before.bound) == (Status.UNKNOWN, 1.0, "upper")
    assert "(IfcCurtainWall, volume unknown)" in before.missing[0]
    assert (after.status, after.value) == (Status.UNKNOWN, None)
    assert after.missing[-1] == "the mass (kg) share could be higher or lower: missing data push both ways"
    assert newly_passing(project, omit, folder) == []
