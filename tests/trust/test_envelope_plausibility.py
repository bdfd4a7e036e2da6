"""U-value plausibility (issue 8, plausibility guards): a declared U outside the ruleset's range
([extraction.plausibility] min_u_value / max_u_value) is treated as missing, with a note saying what looks wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import greencheck_trust_envelope_models as em  # loaded by tests/trust/conftest.py
import pytest

from checker.api import check_file, facts_for_file
from checker.model.config import Plausibility
from checker.model.plausibility import u_value_problem
from checker.rules.schema import Ruleset


@pytest.mark.parametrize(
    ("u", "problem"),
    [
        (0.0, "0 W/(m²·K) is a placeholder (a U-value is always positive)"),
        (-0.3, "-0.3 W/(m²·K) is a placeholder (a U-value is always positive)"),
        (0.0008, "0.0008 W/(m²·K) is below 0.05: looks like kW/(m²·K) or a wrong unit"),
        (0.00001, "1e-05 W/(m²·K) is below 0.05: not physical"),
        (26.15, "26.15 W/(m²·K) is above 10: an exporter's placeholder (26.15 is common) or a wrong unit"),
        (0.05, None),
        (6.7069, None),  # single glazing, as Revit writes on curtain-wall panels
        (10.0, None),
    ],
)
def test_u_value_problem_says_what_looks_wrong(u: float, problem: str | None) -> None:
    assert u_value_problem(u, Plausibility()) == problem


def test_limits_come_from_the_ruleset(ruleset: Ruleset) -> None:
    limits = ruleset.extraction.plausibility
    assert (limits.min_u_value, limits.max_u_value) == (0.05, 10.0)
    assert u_value_problem(26.15, Plausibility(max_u_value=30.0)) is None


def office_with_wall_u(make_model: Callable[..., Any], u: float) -> Any:
    model = em.office(make_model)
    for side in "SENW":
        em.wall(model, side, 0.25 if side != "W" else u)
    return model


def test_a_kilowatt_u_value_is_unknown_not_a_pass(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Pset_WallCommon.ThermalTransmittance 0.0008 (0.8 W written in kW): it would pass 0.30 as a number."""
    model = office_with_wall_u(make_model, 0.0008)
    path = model.write()
    (building,) = facts_for_file(path, ruleset).buildings
    west = next(r for r in building.elements["envelope_walls"] if r.name == "Wall W")
    assert west.values["u_declared"] is None
    assert west.values["note"] == (
        "Pset_WallCommon.ThermalTransmittance = 0.0008 W/(m²·K) is below 0.05: looks like kW/(m²·K) or a wrong unit: "
        "ignored"
    )
    result = next(
        r for r in check_file(path, ruleset, generated_at="x").buildings[0].results if r.rule_id == "BJ-ULE-WALL-PUB"
    )
    assert result.status == "unknown" and result.value == pytest.approx(0.25) and result.bound == "lower"
    assert "looks like kW/(m²·K) or a wrong unit" in result.missing[0]


def test_a_ruleset_may_widen_the_range(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """The limits are data: a ruleset accepting up to 30 W/(m²·K) reads 26.15 as a value (and fails it)."""
    wide = ruleset.model_copy(
        update={"extraction": ruleset.extraction.model_copy(update={"plausibility": Plausibility(max_u_value=30.0)})}
    )
    model = office_with_wall_u(make_model, 26.15)
    (building,) = facts_for_file(model.write(), wide).buildings
    west = next(r for r in building.elements["envelope_walls"] if r.name == "Wall W")
    assert west.values["u_declared"] == pytest.approx(26.15)
    (default,) = facts_for_file(model.write("again.ifc"), ruleset).buildings
    assert next(r for r in default.elements["envelope_walls"] if r.name == "Wall W").values["u_declared"] is None
