"""Issue 11 item 2 (SARIF): one result per rule that did not pass on a building, the IFC file as the artifact,
GlobalIds in the message and as logical locations; validated against the official OASIS SARIF 2.1.0 JSON Schema
(tests/schemas/sarif-schema-2.1.0.json) with every reference resolved inside that file, never over the network."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from checker.api import check_file
from checker.report import ReportOptions, render
from checker.report.sarif import artifact_uri
from checker.rules.results import CheckRun, Status
from checker.rules.schema import Ruleset

SCHEMA = Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json"
PREFAB_FAILS = {
    "BJ-PV-001",
    "BJ-PV-002",
    "BJ-PREFAB-001",
    "BJ-PREFAB-003",
    "BJ-PREFAB-005",
    "BJ-GM-005",
    "BJ-E55-SOLAR",
    "BJ-BIM-001",  # info: 14 of 23 data items (issue 12, plan 三(三))
}
HALL = "0hEbSnznDKh8jLqKO0J1za"
MODEL = "sample_models/prefab-fail-government.ifc"
HOSTILE = '<x>&"Tower\n::error::injected-line\rgreencheck: COMPLIANT\x07\x1b]0;owned\x07\x1b[2J\x85\u2028\u202e'


def _offline(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)  # a reference outside the schema file would need the network: refuse it


@cache
def _validator() -> Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    registry: Registry[Any] = Registry(retrieve=_offline)
    return Draft4Validator(schema, registry=registry)


def _sarif(run: CheckRun, lang: str = "en", fail_on: str = "error", path: str | None = MODEL) -> dict[str, Any]:
    log = json.loads(render(run, "sarif", lang, ReportOptions(fail_on=fail_on, model_path=path)))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(log)]
    assert not errors, errors
    return log


def test_prefab_fail_government(checked: Callable[[str], CheckRun], sample: Callable[[str], Path]) -> None:
    run = checked("prefab-fail-government")
    log = _sarif(run)
    assert (log["$schema"], log["version"]) == (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "2.1.0",
    )
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("greencheck", run.tool.version)
    assert len(driver["rules"]) == 83  # every rule once: 1 project rule + 82 building rules
    artifact = sarif_run["artifacts"][0]
    assert artifact["location"]["uri"] == MODEL
    sha = hashlib.sha256(sample("prefab-fail-government").read_bytes()).hexdigest()
    assert artifact["hashes"] == {"sha-256": sha}
    assert sarif_run["properties"]["ruleset"] == {
        "id": "beijing-subcenter-2024",
        "version": run.ruleset.version,
        "sha256": run.ruleset.sha256,
    }
    results = sarif_run["results"]
    assert Counter((r["kind"], r["level"]) for r in results) == {
        ("fail", "error"): 5,  # + GB 55015 solar (issue 12)
        ("fail", "warning"): 2,
        ("fail", "note"): 1,  # BJ-BIM-001 (info): the model lacks data its rules need
        # + GB 55015 walls, roofs, windows U and SHGC; + gas heating and heat pumps; + BJ-GM-008, BJ-GM-009, BJ-STAR-030
        ("open", "none"): 26,
    }
    assert {r["ruleId"] for r in results if r["kind"] == "fail"} == PREFAB_FAILS
    for result in results:  # each result points at its own rule descriptor
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": MODEL, "index": 0}
    prefab = next(r for r in results if r["ruleId"] == "BJ-PREFAB-001")
    assert "Elements (15): 27hOfTV4DKDOmuvwQyP7O_, 0d0fDodr1SMhUqEUR$gkYG" in prefab["message"]["text"]
    logical = prefab["locations"][0]["logicalLocations"]
    assert logical[0] == {"kind": "element", "name": HALL, "fullyQualifiedName": HALL}
    assert logical[1] == {
        "kind": "element",
        "name": "27hOfTV4DKDOmuvwQyP7O_",
        "fullyQualifiedName": f"{HALL}/27hOfTV4DKDOmuvwQyP7O_",
    }
    assert len(logical) == 16
    descriptor = driver["rules"][prefab["ruleIndex"]]
    assert descriptor["properties"]["citation"] == {
        "document": "GB/T 51129-2017",
        "clause": "3.0.3, 4.0.1 (Table 4.0.1), 5.0.1, 5.0.2",
        "status": "partly",
        "confidence": "high",
    }
    assert (descriptor["properties"]["family"], descriptor["properties"]["severity"]) == ("prefabrication", "error")
    gated = Counter(r["properties"]["gatesExitCode"] for r in results if r["kind"] == "open")
    # issue 12: + 4 GB 55015 error-severity unknowns, gas heating and heat pumps; + BJ-STAR-030 (error), BJ-GM-008
    # (info) and BJ-GM-009 (warning) unknowns
    assert gated == {True: 16, False: 10}


def test_two_buildings_have_no_findings(checked: Callable[[str], CheckRun]) -> None:
    """Compliant: East Hall's one finding is the steel-structure warning (京政办发〔2017〕8号, issue 12), no error."""
    (sarif_run,) = _sarif(checked("mixed-two-buildings"), path=None)["runs"]
    assert [(r["ruleId"], r["level"]) for r in sarif_run["results"]] == [("BJ-STRUCT-STEEL", "warning")]
    assert sarif_run["artifacts"][0]["location"]["uri"] == "mixed-two-buildings.ifc"  # the run keeps the file name
    assert sarif_run["properties"]["verdict"] == "compliant"


def test_chinese_texts(checked: Callable[[str], CheckRun]) -> None:
    (sarif_run,) = _sarif(checked("prefab-fail-government"), "zh")["runs"]
    assert sarif_run["language"] == "zh-CN"
    prefab = next(r for r in sarif_run["results"] if r["ruleId"] == "BJ-PREFAB-001")
    assert prefab["message"]["text"].startswith("BJ-PREFAB-001 装配率不低于50%：不满足：34.1 %")
    assert "构件 (15)：27hOfTV4DKDOmuvwQyP7O_" in prefab["message"]["text"]
    descriptor = sarif_run["tool"]["driver"]["rules"][prefab["ruleIndex"]]
    assert descriptor["shortDescription"]["text"] == "装配率不低于50%"
    assert descriptor["fullDescription"]["text"].endswith("（部分确认，可信度：高）")


@pytest.mark.parametrize(
    ("given", "uri"),
    [
        ("models/a b.ifc", "models/a%20b.ifc"),
        ("/srv/ifc/南区#1.ifc", "file:///srv/ifc/%E5%8D%97%E5%8C%BA%231.ifc"),
        ("x.ifc", "x.ifc"),
    ],
)
def test_artifact_uri(given: str, uri: str) -> None:
    assert artifact_uri(given) == uri


def test_hostile_building_name(make_model: Callable[..., object], ruleset: Ruleset) -> None:
    tiny = make_model(building=HOSTILE)
    run = check_file(tiny.write("hostile.ifc"), ruleset)  # type: ignore[attr-defined]
    log = _sarif(run, path="hostile.ifc")
    results = log["runs"][0]["results"]
    texts = [r["message"]["text"] for r in results if r["properties"]["buildingGlobalId"] == run.buildings[0].global_id]
    assert texts, "the tiny model leaves rules unknown"
    assert all('Building <x>&"Tower\\n::error::injected-line\\rgreencheck' in text for text in texts)
    assert not any(char in r["message"]["text"] for r in results for char in "\n\r\x1b\x07\u202e")


def test_many_buildings_are_written_compact(checked: Callable[[str], CheckRun]) -> None:
    """Beyond 50 buildings the log has no whitespace (json's C encoder), like the JSON report; still valid SARIF."""
    run = checked("prefab-fail-government")
    hall = run.buildings[0]
    many = run.model_copy(update={"buildings": [hall.model_copy(update={"global_id": f"{i:022d}"}) for i in range(51)]})
    data = render(many, "sarif", "en")
    assert data.count(b"\n") == 1
    (sarif_run,) = _sarif(many)["runs"]
    assert len(sarif_run["results"]) == 51 * 34  # issue 12: + gas heating, heat pumps, BIM, 3 more unknowns
    assert len(sarif_run["tool"]["driver"]["rules"]) == 83


def test_check_error_is_an_error_level_finding(checked: Callable[[str], CheckRun]) -> None:
    run = checked("prefab-fail-government")
    hall = run.buildings[0]
    crashed = [r.model_copy(update={"status": Status.ERROR}) if r.rule_id == "BJ-CLS-001" else r for r in hall.results]
    run = run.model_copy(update={"buildings": [hall.model_copy(update={"results": crashed})]})
    (result,) = [r for r in _sarif(run)["runs"][0]["results"] if r["ruleId"] == "BJ-CLS-001"]
    # BJ-CLS-001 is of warning severity: the level follows it, as the verdict and the exit code do
    assert (result["kind"], result["level"], result["properties"]["status"]) == ("fail", "warning", "error")
