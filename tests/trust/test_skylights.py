"""GB 55015 skylights (屋顶透光部分): a window filling an opening of the roof is a skylight, judged by its own limit
and never as a facade window (it has no facade, so it would leave the facade WWR band unknown). Models built like
authoring tools export them: Revit and ArchiCAD skylights are IfcWindow filling an opening of the roof slab."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import greencheck_trust_envelope_models as em  # loaded by tests/trust/conftest.py
import pytest

from checker.api import check_file
from checker.rules.results import Status
from checker.rules.schema import Ruleset

NEW_PUBLIC = {"ConstructionType": "New", "GovernmentInvested": True, "ShapeFactor": 0.25}


def run(model: Any, ruleset: Ruleset) -> tuple[Any, dict[str, Any]]:
    checked = check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")
    (building,) = checked.buildings
    return building, {r.rule_id: r for r in building.results}


def office_with_skylight(make_model: Callable[..., Any], skylight_u: float | None, window_u: float = 1.8) -> Any:
    """A 20 m x 10 m x 4 m office: U 0.30 walls, one 1.5 m x 1.5 m window (U window_u) per facade, a U 0.30 roof
    with one 1.2 m x 1.2 m skylight. Facade WWR = 2.25 / 80 or 2.25 / 40, all <= 0.20: window limit 2.5."""
    model = em.office(make_model, green=dict(NEW_PUBLIC))
    for side in "SENW":
        em.window(model, em.wall(model, side, 0.30), window_u, shgc=0.4)
    roof = em.roof(model, 0.30)
    model.skylight = em.window(model, roof, skylight_u, shgc=0.4, size=(1.2, 1.2))
    return model


def test_a_skylight_is_not_a_facade_window(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = office_with_skylight(make_model, skylight_u=2.2)
    building, results = run(model, ruleset)
    assert building.facts["skylight_count"].value == 1
    assert building.facts["u_worst_skylights"].value == pytest.approx(2.2)
    window = results["BJ-E55-WIN-PUB"]  # worst facade window 1.8 / 2.5; the skylight is not among them
    assert window.status is Status.PASS and window.value == pytest.approx(1.8 / 2.5)
    assert model.skylight.GlobalId not in {e.global_id for e in window.elements}
    skylight = results["BJ-E55-SKYLIGHT-PUB"]  # 2.2 / 2.4
    assert skylight.status is Status.PASS and skylight.value == pytest.approx(2.2 / 2.4)
    share = results["BJ-E55-SKYLIGHT-SHARE"]  # 1.44 m² of skylight / 200 m² of roof
    assert share.status is Status.PASS and share.value == pytest.approx(1.44 / 200.0)


def test_a_poor_skylight_fails_with_its_global_id(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = office_with_skylight(make_model, skylight_u=3.0)
    _, results = run(model, ruleset)
    skylight = results["BJ-E55-SKYLIGHT-PUB"]
    assert skylight.status is Status.FAIL and skylight.value == pytest.approx(3.0 / 2.4)
    assert [e.global_id for e in skylight.elements] == [model.skylight.GlobalId]


def test_a_skylight_without_u_is_unknown_and_named(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = office_with_skylight(make_model, skylight_u=None)
    _, results = run(model, ruleset)
    skylight = results["BJ-E55-SKYLIGHT-PUB"]
    assert skylight.status is Status.UNKNOWN
    assert model.skylight.GlobalId in " ".join(skylight.missing)


def test_no_skylight_in_an_identified_roof_is_not_applicable(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = em.office(make_model, green=dict(NEW_PUBLIC))
    for side in "SENW":
        em.wall(model, side, 0.30)
    em.roof(model, 0.30)
    building, results = run(model, ruleset)
    assert building.facts["skylight_count"].value == 0 and building.facts["skylight_count"].bound == "exact"
    assert results["BJ-E55-SKYLIGHT-PUB"].status is Status.NOT_APPLICABLE
    assert results["BJ-E55-SKYLIGHT-SHARE"].status is Status.NOT_APPLICABLE


def test_a_window_without_a_facade_may_be_a_skylight(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """A window in no opening (no host, no facade) could be a skylight: the count is only a lower bound. Walls with
    their windows and no roof at all prove there is no skylight: not applicable."""
    model = em.office(make_model, green=dict(NEW_PUBLIC))
    for side in "SENW":
        em.window(model, em.wall(model, side, 0.30), 1.8, shgc=0.4)
    building, results = run(model, ruleset)
    assert (building.facts["skylight_count"].value, building.facts["skylight_count"].bound) == (0, "exact")
    assert results["BJ-E55-SKYLIGHT-PUB"].status is Status.NOT_APPLICABLE
    loose = model.element("IfcWindow", "Window in no opening")
    model.pset(loose, "Pset_WindowCommon", {"IsExternal": True})
    building, results = run(model, ruleset)
    assert building.facts["skylight_count"].bound == "lower"
    assert loose.GlobalId in building.facts["skylight_count"].missing
    assert results["BJ-E55-SKYLIGHT-PUB"].status is Status.UNKNOWN


def test_t1_improvement_counts_the_skylight_as_its_own_component(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """GB/T 50378 T1 (two-star, 10 %) against the GB 55015 baseline (stricter column): walls (0.45 − 0.30) / 0.45,
    roof (0.35 − 0.30) / 0.35, windows (2.5 − 1.8) / 2.5, skylight (2.4 − 2.2) / 2.4 = 8.3 %: the skylight is the
    lowest and fails the 10 % target; it no longer leaves the facade windows' WWR band unknown."""
    model = office_with_skylight(make_model, skylight_u=2.2)
    model.pset(model.building, "CN_GreenBuilding", {"TargetStarLevel": 2})
    _, results = run(model, ruleset)
    t1 = results["BJ-STAR-021"]
    assert t1.status is Status.FAIL
    assert t1.value == pytest.approx((2.4 - 2.2) / 2.4, abs=1e-4)
