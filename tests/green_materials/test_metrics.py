"""Green-materials and star metrics on hand-built BuildingFacts (no IFC)."""

from __future__ import annotations

from typing import Any

import pytest

from checker.model.facts import BuildingFacts, ElementRecord, Fact
from checker.rules.families import green_materials as gm
from checker.rules.families import star_rating as star

APPENDIX = {
    "category_names": ["structure_envelope", "decoration", "mep", "outdoor"],
    "category_weights": [45, 35, 15, 5],
    "qualify_share": 0.80,
}
STAR = {
    **APPENDIX,
    "category_keys": ["safety", "health", "convenience", "resource", "environment"],
    "category_max": [100, 100, 100, 200, 100],
    "convenience_max_pre": 70,
    "min_share": 0.30,
    "innovation_max": 100,
    "control_items_score": 400,
    "level_thresholds": [60, 70, 85],
    "star_ratios": [0.10, 0.20, 0.30],
    "gm_thresholds": [0.30, 0.50, 0.70],
    "gm_points": [4, 8, 12],
}


def mat(
    name: str, kind: str | None, category: str | None, mass: float | None, certified: bool | None, **extra: Any
) -> ElementRecord:
    values = {
        "construction_elements": extra.get("construction_elements", 1),
        "kind": kind,
        "category": category,
        "mass_kg": mass,
        "volume_m3": None if mass is None else mass / 1000,
        "cost": None,
        "element_count": 1,
        "green_certified": certified,
        "recyclable": extra.get("recyclable"),
        "reusable": extra.get("reusable"),
    }
    return ElementRecord(global_id=f"IfcMaterial#{name}", ifc_class="IfcMaterial", name=name, values=values)


def building(records: list[ElementRecord], **facts: Any) -> BuildingFacts:
    return BuildingFacts(
        global_id="B", facts={k: Fact(value=v) for k, v in facts.items()}, elements={"materials": records}
    )


def test_eighty_percent_boundary_and_empty_category() -> None:
    records = [
        mat("a", "预拌混凝土", "structure_envelope", 800, True),
        mat("b", "预拌混凝土", "structure_envelope", 200, False),
        mat("c", "保温材料", "structure_envelope", 790, True),
        mat("d", "保温材料", "structure_envelope", 210, False),
        mat("e", "陶瓷", "decoration", 10, True),
    ]
    result = gm.appendix_ratio(building(records), APPENDIX)
    # concrete exactly 80 % qualifies, insulation 79 % does not: 1/2 x 45; decoration 1/1 x 35;
    # mep and outdoor absent score 0
    assert result.ratio == pytest.approx((22.5 + 35) / 100)
    assert [row[-1] for row in result.categories] == [22.5, 35.0, 0.0, 0.0]


def test_missing_certification_is_unknown_and_unclassified_furniture_is_excluded() -> None:
    records = [
        mat("a", "预拌混凝土", "structure_envelope", 800, None),
        mat("x", None, None, 50, True, construction_elements=0),  # on furniture only
    ]
    measured = gm.green_material_ratio(building(records), APPENDIX)
    assert measured.value is None and "GreenCertified" in measured.missing[0]
    assert "x" in measured.warnings[0]


def test_kind_without_quantities_is_decided_only_when_it_cannot_depend_on_them() -> None:
    every = gm.appendix_ratio(
        building([mat("a", "LED灯具", "mep", None, True), mat("b", "LED灯具", "mep", None, True)]), APPENDIX
    )
    assert every.kinds[0][2] == "every material certified" and every.ratio == pytest.approx(0.15)
    none = gm.appendix_ratio(
        building([mat("a", "LED灯具", "mep", None, False), mat("b", "LED灯具", "mep", None, False)]), APPENDIX
    )
    assert none.kinds[0][6] is False and none.ratio == 0.0
    mixed = gm.appendix_ratio(
        building([mat("a", "LED灯具", "mep", None, True), mat("b", "LED灯具", "mep", None, False)]), APPENDIX
    )
    # the share cannot be told: not qualified (0) .. qualified (15 %); never an element count
    assert mixed.ratio is None and (mixed.lower, mixed.upper) == (0.0, 0.15)
    assert mixed.kinds[0][6] == "unknown" and "LED灯具" in mixed.open[0]


def test_points_tiers_and_alternative_set() -> None:
    params = {**APPENDIX, "thresholds": [0.30, 0.50, 0.70], "alt_thresholds": [0.40, 0.60, 0.70], "points": [4, 8, 12]}
    records = [mat("a", "预拌混凝土", "structure_envelope", 1, True), mat("b", "陶瓷", "decoration", 1, False)]
    measured = gm.green_material_points(building(records), params)  # ratio 45 %
    assert measured.value == 4 and measured.details["points_with_alternative_thresholds"] == 4
    assert (
        gm.points_for(0.59, [0.40, 0.60, 0.70], [4, 8, 12]) == 4
        and gm.points_for(0.60, [0.40, 0.60, 0.70], [4, 8, 12]) == 8
    )


def test_shares_by_mass_undeclared_flags_do_not_qualify() -> None:
    records = [
        mat("steel", "钢", "structure_envelope", 150, True, recyclable=True),
        mat("conc", "混凝土", "structure_envelope", 850, False),
    ]
    measured = gm.recyclable_reusable_share(building(records), {"thresholds": [0.10, 0.15], "points": [3, 6]})
    assert measured.value == pytest.approx(0.15) and measured.details["points"] == 6
    assert (
        measured.bound == "exact" and measured.warnings
    )  # conc declares neither Recyclable nor Reusable: does not qualify
    assert measured.denominator == pytest.approx(1000)
    no_mass = gm.recyclable_reusable_share(
        building([mat("m", "k", "mep", None, True)]), {"thresholds": [0.1], "points": [3]}
    )
    assert no_mass.value is None


def scored(**over: Any) -> BuildingFacts:
    facts = {
        "target_star_level": 3,
        "star_assessment_stage": "pre",
        "star_control_items_met": True,
        "full_decoration": True,
        "star_score_safety": 60.0,
        "star_score_health": 60.0,
        "star_score_convenience": 21.0,
        "star_score_resource": 150.0,
        "star_score_environment": 60.0,
        "star_score_innovation": 100.0,
        "star_score_green_materials": 8.0,
        **over,
    }
    records = [
        mat("a", "预拌混凝土", "structure_envelope", 1, True),
        mat("b", "陶瓷", "decoration", 1, True),
    ]  # ratio 80 % -> 12 points
    return building(records, **facts)


def test_pre_assessment_convenience_minimum_and_recomputed_points() -> None:
    card = star.scorecard(scored(), STAR)
    # convenience 21 of 70 (pre-assessment) is exactly 30 %; resource 150 - 8 + 12 = 154
    assert card.shares["convenience"] == pytest.approx(0.30)
    assert card.total == pytest.approx((400 + 60 + 60 + 21 + 154 + 60 + 100) / 10)  # 85.5
    assert card.level == 3
    assert star.green_points_overclaim(scored(), STAR).value == 4  # under-declared is not a contradiction


def test_category_below_thirty_percent_blocks_stars() -> None:
    measured = star.star_level_margin(scored(star_score_convenience=20.0), STAR)
    assert measured.details["level_reached"] == 0 and measured.value == -3
    assert star.star_min_category_share(scored(star_score_convenience=20.0), STAR).value == pytest.approx(20 / 70)


def test_control_items_not_met_and_missing_scores() -> None:
    assert star.star_level_margin(scored(star_control_items_met=False), STAR).value == -4
    missing = star.star_level_margin(scored(star_score_health=None), STAR)
    assert missing.value is None and any("health" in m for m in missing.missing)


def test_full_decoration_metric() -> None:
    assert star.full_decoration(scored(full_decoration=False), {}).value == 0
    assert star.full_decoration(scored(full_decoration=None), {}).value is None
