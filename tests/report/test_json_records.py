"""Schema 3.0: each element record is written once per building and results name theirs by index (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pydantic
import pytest

from checker.api import check_file
from checker.report import render
from checker.rules.results import CheckRun
from checker.rules.schema import Ruleset

SAMPLES = Path(__file__).resolve().parents[2] / "sample_models"


@pytest.fixture(scope="module")
def prefab_run(ruleset: Ruleset) -> CheckRun:
    return check_file(SAMPLES / "prefab-pass-public-aa.ifc", ruleset, generated_at="2024-01-01T00:00:00Z")


def test_rules_sharing_elements_write_each_record_once(prefab_run: CheckRun) -> None:
    doc = json.loads(render(prefab_run, "json"))
    (building,) = doc["buildings"]
    refs = {r["rule_id"]: r["element_refs"] for r in building["results"] if r["element_refs"]}
    # P, its precast-volume item and the structure rules list the same precast members
    assert set(refs["BJ-PREFAB-001"]) & set(refs["BJ-PREFAB-002"])
    pointed = sorted({i for indices in refs.values() for i in indices})
    assert pointed == list(range(len(building["records"])))  # every record used, none twice
    assert sum(len(indices) for indices in refs.values()) > len(building["records"])
    (result,) = (r for r in prefab_run.buildings[0].results if r.rule_id == "BJ-PREFAB-001")
    shown = [building["records"][i]["global_id"] for i in refs["BJ-PREFAB-001"]]
    assert shown == [record.global_id for record in result.elements]


def test_a_report_reads_back_into_the_same_run(prefab_run: CheckRun) -> None:
    assert CheckRun.model_validate_json(render(prefab_run, "json")) == prefab_run


def test_a_schema_2_report_with_inline_elements_still_reads(prefab_run: CheckRun) -> None:
    """A baseline written before 3.0 (--baseline old.json) repeats the records inside each result."""
    doc = json.loads(render(prefab_run, "json"))
    for building in doc["buildings"]:
        records = building.pop("records")
        for result in building["results"]:
            result["elements"] = [records[i] for i in result.pop("element_refs") or []]
    doc["project"].pop("records")
    doc["schema_version"] = "2.3"
    old = CheckRun.model_validate(doc)
    assert old.buildings[0].results == prefab_run.buildings[0].results


def test_a_reference_outside_the_records_is_refused(prefab_run: CheckRun) -> None:
    doc = json.loads(render(prefab_run, "json"))
    building = doc["buildings"][0]
    result = next(r for r in building["results"] if r["element_refs"])
    result["element_refs"] = [len(building["records"])]
    with pytest.raises(pydantic.ValidationError, match="point outside"):
        CheckRun.model_validate(doc)
