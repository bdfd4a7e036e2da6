"""A figure of 1e26, NaN, ±inf or 10**400 reaches the engine and both reports without a crash (issue 9: an area of
1e26 or a threshold of inf raised decimal.InvalidOperation in the HTML renderer and neither report was written): a
non-finite figure makes its rule `unknown` naming it, the HTML shows it as such and the JSON stays valid."""

from __future__ import annotations

import json
from typing import Any

import pytest

from checker.model.facts import BuildingFacts, Evidence, Fact, ModelFacts, ModelInfo
from checker.report import render
from checker.report.json import JsonReporter
from checker.rules.engine import evaluate
from checker.rules.measurement import Measurement
from checker.rules.metrics import METRICS
from checker.rules.results import CheckRun, Status
from checker.rules.schema import Rule, Ruleset, Threshold

ROOF_EVIDENCE = Evidence(method="quantity", source="Qto_RoofBaseQuantities.ProjectedArea", global_ids=["R1"], count=1)


def _strict_json(data: bytes) -> Any:
    def refuse(token: str) -> None:
        raise AssertionError(f"{token} in the JSON report")

    return json.loads(data, parse_constant=refuse)


def _run(ruleset: Ruleset, facts: dict[str, Fact], extra_rules: list[Rule] | None = None) -> CheckRun:
    building = BuildingFacts(
        global_id="2O2Fr$t4X7Zf8NOew3FLOH",
        name="Hall",
        facts={"is_new": Fact(value=True), "use_category": Fact(value="industrial"), **facts},
    )
    info = ModelInfo(file="hostile.ifc", sha256="0" * 64, size_bytes=10, schema="IFC4")
    rules = ruleset.model_copy(update={"rules": [*ruleset.rules, *(extra_rules or [])]})
    return evaluate(rules, ModelFacts(model=info, buildings=[building]), "2024-01-01T00:00:00Z")


def _result(run: CheckRun, rule_id: str) -> Any:
    return next(r for r in run.buildings[0].results if r.rule_id == rule_id)


def _reports(run: CheckRun) -> tuple[Any, str]:
    """Both reports in both languages must render; the English HTML and the parsed JSON are returned."""
    for lang in ("en", "zh"):
        assert render(run, "html", lang)
    return _strict_json(render(run, "json")), render(run, "html", "en").decode()


@pytest.mark.parametrize(
    ("roof", "shown"),
    [(float("nan"), "NaN m²"), (float("inf"), "∞ m²"), (-float("inf"), "-∞ m²"), (10**400, "1e+400 m²")],
)
def test_a_non_finite_fact_is_unknown_naming_it(ruleset: Ruleset, roof: float | int, shown: str) -> None:
    facts = {
        "pv_panel_area": Fact(value=1800.0, unit="m2"),
        "usable_roof_area": Fact(value=roof, unit="m2", evidence=[ROOF_EVIDENCE]),
    }
    run = _run(ruleset, facts)
    why = f"usable_roof_area = {shown} is not a finite number (from Qto_RoofBaseQuantities.ProjectedArea)"
    fact = run.buildings[0].facts["usable_roof_area"]
    assert fact.value is None and fact.missing == why and fact.warnings == [why]
    coverage = _result(run, "BJ-PV-002")
    assert coverage.status is Status.UNKNOWN and coverage.value is None
    assert why in coverage.missing
    data, html = _reports(run)
    (building,) = data["buildings"]
    assert building["facts"]["usable_roof_area"]["value"] is None
    assert next(r for r in building["results"] if r["rule_id"] == "BJ-PV-002")["status"] == "unknown"
    assert shown in html


def test_an_absurd_but_finite_area_is_shown_in_scientific_notation(ruleset: Ruleset) -> None:
    facts = {"pv_panel_area": Fact(value=1e26, unit="m2"), "usable_roof_area": Fact(value=3200.0, unit="m2")}
    run = _run(ruleset, facts)
    coverage = _result(run, "BJ-PV-002")
    assert coverage.status is Status.UNKNOWN
    assert coverage.missing == [
        "PV projected area 1e+26 m² exceeds the usable roof area 3,200 m²: check the roof area, the panel "
        "quantities and CN_GreenBuilding.RoofExclusionArea"
    ]
    data, html = _reports(run)
    assert data["buildings"][0]["facts"]["pv_panel_area"]["value"] == 1e26
    assert "1e+26" in html and "100,000,000,000" not in html


def test_a_non_finite_threshold_that_slipped_past_validation_is_unknown(ruleset: Ruleset) -> None:
    """Validation refuses it (test_ruleset_numbers.py); a Ruleset built in code bypasses validation."""
    coverage = next(r for r in ruleset.rules if r.id == "BJ-PV-002")
    infinite = coverage.model_copy(
        update={"id": "T-PV-INF", "require": Threshold.model_construct(op=">=", value=float("inf"), unit="1")}
    )
    nan = coverage.model_copy(
        update={"id": "T-PV-NAN", "require": Threshold.model_construct(op=">=", value=float("nan"), unit="1")}
    )
    facts = {"pv_panel_area": Fact(value=1800.0, unit="m2"), "usable_roof_area": Fact(value=3200.0, unit="m2")}
    run = _run(ruleset, facts, [infinite, nan])
    assert _result(run, "BJ-PV-002").status is Status.PASS
    for rule_id, shown in (("T-PV-INF", "∞ %"), ("T-PV-NAN", "NaN %")):
        result = _result(run, rule_id)
        assert result.status is Status.UNKNOWN and result.missing == [
            f"a finite threshold (require.value of {rule_id})"
        ]
        assert result.message.en == (
            f"Unknown: the threshold of {rule_id} is {shown} (ruleset): not a finite number that can be compared"
        )
    data, html = _reports(run)
    thresholds = {r["rule_id"]: r["threshold"] for r in data["buildings"][0]["results"]}
    assert thresholds["T-PV-INF"] is None and thresholds["T-PV-NAN"] is None and thresholds["BJ-PV-002"] == 0.5
    assert "≥ ∞ %" in html


@pytest.mark.parametrize(
    ("measured", "shown"), [(float("nan"), "NaN %"), (float("-inf"), "-∞ %"), (10**400, "1e+402 %")]
)
def test_a_metric_that_measures_a_non_finite_figure_is_unknown(
    ruleset: Ruleset, monkeypatch: pytest.MonkeyPatch, measured: float | int, shown: str
) -> None:
    """A metric computing NaN (inf - inf) or ∞ from finite facts: the engine never compares it, it names it."""
    evidence = [Evidence(method="derived", source="computed from geometry of 3 elements", count=3)]
    monkeypatch.setitem(
        METRICS, "pv_roof_coverage", lambda building, params: Measurement(value=measured, unit="1", evidence=evidence)
    )
    facts = {"pv_panel_area": Fact(value=1800.0, unit="m2"), "usable_roof_area": Fact(value=3200.0, unit="m2")}
    run = _run(ruleset, facts)
    coverage = _result(run, "BJ-PV-002")
    assert coverage.status is Status.UNKNOWN and coverage.value is None and coverage.margin is None
    assert coverage.missing == [
        f"a finite value of pv_roof_coverage ({shown}, from computed from geometry of 3 elements)"
    ]
    assert coverage.message.en == (
        f"Unknown: the measured pv_roof_coverage is {shown} (from computed from geometry of 3 elements): "
        "not a finite number that can be compared"
    )
    _reports(run)


def test_the_compact_json_of_many_buildings_has_no_nan_token(ruleset: Ruleset) -> None:
    """Beyond 50 buildings pydantic's serializer writes the JSON: NaN and ±inf must be null there too."""
    coverage = next(r for r in ruleset.rules if r.id == "BJ-PV-002")
    infinite = coverage.model_copy(
        update={"id": "T-PV-INF", "require": Threshold.model_construct(op=">=", value=float("inf"), unit="1")}
    )
    facts = {"pv_panel_area": Fact(value=float("nan"), unit="m2"), "usable_roof_area": Fact(value=3200.0, unit="m2")}
    blob = JsonReporter(indented_max_buildings=0).render(_run(ruleset, facts, [infinite]))
    assert not blob.startswith(b"{\n")
    (building,) = _strict_json(blob)["buildings"]
    assert building["facts"]["pv_panel_area"]["value"] is None
    assert next(r for r in building["results"] if r["rule_id"] == "T-PV-INF")["threshold"] is None
