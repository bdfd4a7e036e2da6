"""The JSON report is the complete, schema-described record of a run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker.errors import ReportError
from checker.model.facts import Fact
from checker.report import REPORTERS, Reporter, render
from checker.report.json import JsonReporter, main, report_json_schema, schema_text
from checker.rules.results import CheckRun

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "report.schema.json"


def test_json_round_trips_into_the_result_model(run: CheckRun) -> None:
    data = JsonReporter().render(run, "en")
    assert CheckRun.model_validate_json(data) == run


def test_json_layout_is_in_schema_order_utf8_and_complete(run: CheckRun, expect: Any) -> None:
    text = render(run, "json").decode("utf-8")
    doc = json.loads(text)
    assert list(doc) == [field.alias or name for name, field in CheckRun.model_fields.items()]  # fixed: runs diff
    assert text.startswith('{\n  "schema_version": ')
    assert "屋顶光伏覆盖率" in text  # Chinese is written as-is, not \u-escaped
    assert text.endswith("}\n")
    assert doc["model"]["schema"] == "IFC4"  # the alias, not the Python field name
    assert doc["model"]["file"] == f"model {expect.hostile}.ifc"
    building = doc["buildings"][0]
    pv = next(r for r in building["results"] if r["rule_id"] == "PV-COV-001")
    assert "elements" not in pv  # written once per building, named by index (schema 3.0)
    panels = [building["records"][i] for i in pv["element_refs"]]
    assert len(panels) == expect.panels  # never truncated, unlike the HTML
    assert panels[-1]["global_id"] == f"PV{expect.panels - 1:04d}xxxxxxxxxxxxxxxx"
    assert doc["summary"] == {
        "verdict": "non_compliant",
        "counts": {"pass": 1, "fail": 1, "not_applicable": 1, "unknown": 1, "error": 0},
        "failed_errors": 1,
        "unknown_errors": 1,
        "buildings": 1,
        "accepted": 0,  # no waivers file or baseline given
        # the pass (primary citation) and the fail (recalled) are decisive, both of error severity
        "unconfirmed_basis": {"decisive": 2, "unconfirmed": 1, "decisive_errors": 2, "unconfirmed_errors": 1},
    }


def test_json_is_identical_for_both_languages(run: CheckRun) -> None:
    assert render(run, "json", "zh") == render(run, "json", "en")


def test_json_validates_against_committed_schema(run: CheckRun) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    doc = json.loads(render(run, "json"))
    validator.validate(doc)
    # The schema has teeth: a report without a summary or with an invented status is rejected.
    del doc["summary"]
    assert not validator.is_valid(doc)
    doc = json.loads(render(run, "json"))
    doc["buildings"][0]["results"][0]["status"] = "maybe"
    assert not validator.is_valid(doc)


def test_committed_schema_matches_result_model() -> None:
    """Fails after a change to results.py until `python -m checker.report.json --write-schema` is rerun."""
    committed = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert committed == report_json_schema(), (
        "regenerate: python -m checker.report.json --write-schema docs/report.schema.json"
    )


def test_schema_script_writes_the_committed_text(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    assert main(["--write-schema", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == schema_text()
    assert json.loads(target.read_text(encoding="utf-8")) == report_json_schema()


def test_non_finite_numbers_become_null(run: CheckRun) -> None:
    building = run.buildings[0]
    facts = {**building.facts, "roof_area": Fact(value=float("nan"), unit="m2")}
    broken = run.model_copy(update={"buildings": [building.model_copy(update={"facts": facts})]})
    doc = json.loads(render(broken, "json"))  # json.loads would accept NaN; the text must not contain it
    assert doc["buildings"][0]["facts"]["roof_area"]["value"] is None
    assert b"NaN" not in render(broken, "json")


def test_registry_and_errors(run: CheckRun) -> None:
    assert set(REPORTERS) == {"json", "html", "ids", "junit", "sarif", "bcf", "bcf2"}
    for fmt, cls in REPORTERS.items():
        reporter = cls()
        assert isinstance(reporter, Reporter)
        assert reporter.format_id == fmt
        assert reporter.suffix == {"junit": ".junit.xml", "bcf2": ".bcf2.bcf"}.get(fmt, f".{fmt}")
    with pytest.raises(ReportError, match="unknown report format 'pdf'"):
        render(run, "pdf")
    with pytest.raises(ReportError, match="unsupported report language 'fr'"):
        render(run, "json", "fr")
