"""The engine on hand-built BuildingFacts: three-valued applicability, bounds, crashing metrics,
margin and gap signs."""

from __future__ import annotations

from typing import Any

import pytest

from checker.model.facts import BuildingFacts, Evidence, Fact, ModelFacts, ModelInfo
from checker.rules.conditions import applicability
from checker.rules.engine import evaluate, evaluate_rule
from checker.rules.measurement import Measurement
from checker.rules.metrics import METRICS
from checker.rules.results import Status, exit_status
from checker.rules.schema import Condition, Rule, Ruleset

EV = [Evidence(method="property", source="hand-built")]


def rule(**changes: Any) -> Rule:
    data: dict[str, Any] = {
        "id": "T-PV-001",
        "family": "pv",
        "title": {"zh": "覆盖率", "en": "coverage"},
        "severity": "error",
        "citation": {"document": "Doc", "clause": "1", "status": "primary"},
        "metric": "pv_roof_coverage",
        "require": {"op": ">=", "value": 0.5, "unit": "1"},
        "remedy": {"zh": "加", "en": "add"},
        "shortfall": {"zh": "需增加 $gap m²", "en": "add $gap m²"},
    }
    data.update(changes)
    return Rule.model_validate(data)


def building(**facts: Any) -> BuildingFacts:
    made = {}
    for key, value in facts.items():
        made[key] = (
            value
            if isinstance(value, Fact)
            else Fact(
                value=value,
                evidence=EV if value is not None else [],
                missing=None if value is not None else f"{key} not declared",
            )
        )
    return BuildingFacts(global_id="0000000000000000000000", name="hand-built", facts=made)


def cond(data: dict[str, Any]) -> Condition:
    return Condition.model_validate(data)


PUBLIC = {"fact": "use_category", "op": "in", "value": ["public", "mixed"]}
GOV = {"fact": "government_invested", "op": "==", "value": True}
INDUSTRIAL = {"fact": "use_category", "op": "==", "value": "industrial"}


# --- three-valued applicability ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("use", "gov", "expected"),
    [
        ("public", True, True),
        ("public", False, False),
        ("public", None, None),  # public but investment unknown: cannot tell
        ("industrial", None, True),  # any_of: the industrial branch is true whatever the unknown says
        ("residential", None, False),  # all_of(public, gov) is false without knowing gov; industrial false
        (None, True, None),
        (None, None, None),
    ],
)
def test_any_of_all_of_with_unknown_facts(use: str | None, gov: bool | None, expected: bool | None) -> None:
    condition = cond({"any_of": [{"all_of": [PUBLIC, GOV]}, INDUSTRIAL]})
    verdict = applicability([condition], building(use_category=use, government_invested=gov))
    assert verdict.applies is expected
    if expected is None:
        assert verdict.missing
    if expected is False:
        assert verdict.reasons and verdict.reasons[0].en and verdict.reasons[0].zh


def test_missing_fact_is_unknown_not_skipped() -> None:
    verdict = applicability([cond(PUBLIC)], BuildingFacts(global_id="x", facts={}))
    assert verdict.applies is None
    assert verdict.missing == ["fact 'use_category' was not extracted"]


def test_uncomparable_value_is_unknown() -> None:
    verdict = applicability(
        [cond({"fact": "above_ground_gfa", "op": ">=", "value": 20000})], building(above_ground_gfa="big")
    )
    assert verdict.applies is None
    assert "cannot be compared" in verdict.missing[0]


def test_unknown_applicability_makes_the_rule_unknown() -> None:
    r = rule(applies_when=[PUBLIC])
    result = evaluate_rule(r, building(use_category=None, pv_panel_area=2000.0, usable_roof_area=3000.0))
    assert result.status is Status.UNKNOWN
    assert result.missing == ["use_category not declared"]
    assert result.value is None


def test_not_applicable_explains_why() -> None:
    result = evaluate_rule(rule(applies_when=[PUBLIC]), building(use_category="residential"))
    assert result.status is Status.NOT_APPLICABLE
    assert "residential" in result.message.en and "居住" in result.message.zh


# --- measurements ------------------------------------------------------------------------------------------------


def coverage(area: Fact | float | None, roof: float | None = 3200.0) -> BuildingFacts:
    area_fact = (
        area
        if isinstance(area, Fact)
        else Fact(value=area, unit="m2", evidence=EV, missing=None if area is not None else "panel area")
    )
    return building(pv_panel_area=area_fact, usable_roof_area=roof)


def test_pass_with_positive_margin() -> None:
    result = evaluate_rule(rule(), coverage(1800.0))
    assert result.status is Status.PASS
    assert result.value == pytest.approx(0.5625)
    assert result.margin == pytest.approx(0.0625)
    assert result.gap is None
    assert result.evidence


def test_fail_gap_is_in_numerator_units() -> None:
    result = evaluate_rule(rule(), coverage(1000.0))
    assert result.status is Status.FAIL
    assert result.margin == pytest.approx(-0.1875)
    assert result.gap == pytest.approx(600.0)
    assert "add 600 m²" in result.message.en and "需增加 600 m²" in result.message.zh
    assert result.remedy is not None


def test_exactly_at_threshold_passes_with_zero_margin() -> None:
    result = evaluate_rule(rule(), coverage(1600.0))
    assert result.status is Status.PASS
    assert result.margin == pytest.approx(0.0)


def test_upper_bound_that_passes_is_unknown() -> None:
    upper = Fact(value=2000.0, unit="m2", evidence=EV, bound="upper", warnings=["tilt unknown: upper bound"])
    result = evaluate_rule(rule(), coverage(upper))
    assert result.status is Status.UNKNOWN
    assert result.bound == "upper"
    assert result.missing == ["tilt unknown: upper bound"]
    assert "upper bound" in result.message.en


def test_upper_bound_that_fails_still_fails() -> None:
    upper = Fact(value=1000.0, unit="m2", evidence=EV, bound="upper", warnings=["tilt unknown"])
    result = evaluate_rule(rule(), coverage(upper))
    assert result.status is Status.FAIL  # the true projection is even smaller
    assert result.gap == pytest.approx(600.0)


def test_missing_measurement_is_unknown_never_pass() -> None:
    result = evaluate_rule(rule(), coverage(None))
    assert result.status is Status.UNKNOWN
    assert result.missing == ["panel area"]
    assert result.remedy is not None


def test_zero_usable_roof_is_unknown() -> None:
    result = evaluate_rule(rule(), coverage(100.0, roof=0.0))
    assert result.status is Status.UNKNOWN
    assert "usable roof area above zero" in result.missing[0]


def test_metric_that_raises_gives_error_not_a_lost_run() -> None:
    result = evaluate_rule(rule(), coverage(1000.0, roof="lots"))  # type: ignore[arg-type]
    assert result.status is Status.ERROR
    assert "ValueError" in result.message.en


def test_registered_metric_that_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(b: BuildingFacts, params: Any) -> Measurement:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(METRICS, "boom", boom)
    result = evaluate_rule(rule(metric="boom"), building())
    assert result.status is Status.ERROR
    assert "ZeroDivisionError: division by zero" in result.message.en


def test_non_numeric_value_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(METRICS, "flag", lambda b, p: Measurement(value=True, unit="1"))
    result = evaluate_rule(rule(metric="flag", require={"op": ">=", "value": 1}), building())
    assert result.status is Status.UNKNOWN


@pytest.mark.parametrize(
    ("op", "value", "threshold", "status", "margin", "gap"),
    [
        (">=", 3.0, 2.0, Status.PASS, 1.0, None),
        (">=", 1.0, 2.0, Status.FAIL, -1.0, 1.0),
        (">", 2.0, 2.0, Status.FAIL, 0.0, 0.0),
        ("<=", 0.4, 0.5, Status.PASS, 0.1, None),
        ("<=", 0.8, 0.5, Status.FAIL, -0.3, 0.3),
        ("<", 0.5, 0.5, Status.FAIL, 0.0, 0.0),
        ("==", 2.0, 2.0, Status.PASS, 0.0, None),
        ("==", 2.5, 2.0, Status.FAIL, -0.5, 0.5),
    ],
)
def test_margin_and_gap_signs(
    monkeypatch: pytest.MonkeyPatch,
    op: str,
    value: float,
    threshold: float,
    status: Status,
    margin: float,
    gap: float | None,
) -> None:
    """margin > 0 is room to spare, < 0 is a shortfall; gap is always a positive amount to change."""
    monkeypatch.setitem(METRICS, "fixed", lambda b, p: Measurement(value=value, unit="W/(m2.K)", evidence=EV))
    result = evaluate_rule(
        rule(metric="fixed", require={"op": op, "value": threshold, "unit": "W/(m2.K)"}, shortfall=None), building()
    )
    assert result.status is status
    assert result.margin == pytest.approx(margin)
    assert result.gap == (None if gap is None else pytest.approx(gap))
    assert result.threshold == threshold and result.op == op


def test_evaluate_builds_a_run_per_building() -> None:
    ruleset = Ruleset.model_validate(
        {"id": "t", "version": "1", "title": {"zh": "t", "en": "t"}, "rules": [rule().model_dump(mode="json")]}
    )
    info = ModelInfo(file="x.ifc", sha256="0" * 64, size_bytes=1, schema="IFC4")
    facts = ModelFacts(
        model=info,
        buildings=[
            coverage(1800.0).model_copy(update={"global_id": "A", "name": "A"}),
            coverage(1000.0).model_copy(update={"global_id": "B", "name": "B"}),
        ],
    )
    run = evaluate(ruleset, facts, "2024-01-01T00:00:00Z")
    assert [b.results[0].status for b in run.buildings] == [Status.PASS, Status.FAIL]
    assert run.summary.verdict == "non_compliant"
    assert run.summary.counts["pass"] == 1 and run.summary.counts["fail"] == 1
    assert exit_status(run) == 1 and exit_status(run, "never") == 0
    assert run.generated_at == "2024-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("op", "value", "bound", "expected"),
    [
        (">=", 25_000.0, "lower", True),  # at least 25,000 m²: certainly >= 20,000
        (">=", 15_000.0, "lower", None),  # at least 15,000 m²: could still reach 20,000
        (">=", 15_000.0, "upper", False),  # at most 15,000 m²: certainly below
        (">=", 25_000.0, "upper", None),
        ("<=", 63.0, "lower", False),  # height at least 63 m: never <= 60
        ("<=", 58.0, "lower", None),
        (">", 63.0, "lower", True),
        ("==", 63.0, "lower", None),  # equality is never settled by a bound
        ("<=", 58.0, "exact", True),
    ],
)
def test_conditions_honour_bounds(op: str, value: float, bound: str, expected: bool | None) -> None:
    threshold = 20_000.0 if value > 1000 else 60.0
    building = BuildingFacts(global_id="b", facts={"x": Fact(value=value, bound=bound, warnings=["partial data"])})
    result = applicability([Condition(fact="x", op=op, value=threshold)], building)
    assert result.applies is expected
    if expected is None:
        assert "bound" in result.missing[0] and "partial data" in result.missing[0]
