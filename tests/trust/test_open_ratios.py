"""A renewable utilisation may exceed 100 % (zero-energy buildings): 1.2 typed IfcRatioMeasure is 120 %, an untyped
1.2 is ambiguous (120 % or 1.2 %) and stays unknown instead of becoming a false fail, 120 is read as a percentage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import facts_for_file
from checker.rules.schema import Ruleset


def _renewable(make_model: Callable[..., Any], ruleset: Ruleset, value: Any) -> Any:
    model = make_model(length_unit="METRE")
    written = model.file.create_entity("IfcRatioMeasure", 1.2) if value == "typed" else value
    model.pset(model.building, "CN_GreenBuilding", {"RenewableEnergyUtilisation": written})
    (building,) = facts_for_file(model.write(), ruleset).buildings
    return building.facts["renewable_utilisation"]


def test_typed_ratio_above_one_is_taken_as_written(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    fact = _renewable(make_model, ruleset, "typed")
    assert fact.value == pytest.approx(1.2) and not fact.warnings


def test_untyped_value_between_one_and_ten_is_ambiguous(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    fact = _renewable(make_model, ruleset, 1.2)
    assert fact.value is None and "could be 120% or 1.2 %" in (fact.missing or "")


@pytest.mark.parametrize(("raw", "expected"), [(0.3, 0.3), (120.0, 1.2)])
def test_untyped_ratio_or_percentage(
    make_model: Callable[..., Any], ruleset: Ruleset, raw: float, expected: float
) -> None:
    assert _renewable(make_model, ruleset, raw).value == pytest.approx(expected)
