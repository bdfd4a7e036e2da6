"""`greencheck check --ids`: the user's IDS specifications as results of every report, per building."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.api import check_file, check_file_isolated
from checker.cli import main
from checker.model.ids_run import MAX_IDS_BYTES, concrete_classes
from checker.report.ids_export import export_ids
from checker.rules.results import SCHEMA_VERSION, CheckRun, Status
from checker.rules.schema import Family, Ruleset, Severity

pytest.importorskip("ifctester")

HAND_WRITTEN = """<?xml version="1.0" encoding="utf-8"?>
<ids xmlns="http://standards.buildingsmart.org/IDS" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <info><title>Office rules</title><version>3</version><author>qa@example.com</author><date>2026-11-30</date></info>
  <specifications>
    <specification name="No proxies &lt;script&gt;alert(1)&lt;/script&gt;" ifcVersion="IFC2X3 IFC4 IFC4X3_ADD2">
      <applicability minOccurs="0" maxOccurs="0"><entity><name><simpleValue>IFCSLAB</simpleValue></name></entity>
      </applicability>
      <requirements/>
    </specification>
    <specification name="Slabs state whether they are external" ifcVersion="IFC2X3 IFC4 IFC4X3_ADD2">
      <applicability minOccurs="0" maxOccurs="unbounded"><entity><name><simpleValue>IFCSLAB</simpleValue></name>
      </entity></applicability>
      <requirements><property dataType="IFCBOOLEAN"><propertySet><simpleValue>Pset_SlabCommon</simpleValue>
      </propertySet><baseName><simpleValue>IsExternal</simpleValue></baseName></property></requirements>
    </specification>
    <specification name="Every building has a wind turbine" ifcVersion="IFC2X3 IFC4 IFC4X3_ADD2">
      <applicability minOccurs="1" maxOccurs="unbounded">
        <entity><name><simpleValue>IFCELECTRICGENERATOR</simpleValue></name></entity></applicability>
      <requirements/>
    </specification>
  </specifications>
</ids>
"""


@pytest.fixture(scope="module")
def exported_ids(ruleset: Ruleset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ids") / "requirements.ids"
    path.write_text(export_ids(ruleset, concrete_classes), encoding="utf-8")
    return path


def _ids_results(run: CheckRun) -> dict[str, list[tuple[str, Status]]]:
    """title -> (building id or 'project', status) of every IDS result."""
    found: dict[str, list[tuple[str, Status]]] = {}
    for result in run.project.results:
        if result.family is Family.IDS:
            found.setdefault(result.title.en, []).append(("project", result.status))
    for building in run.buildings:
        for result in building.results:
            if result.family is Family.IDS:
                found.setdefault(result.title.en, []).append((building.global_id, result.status))
    return found


def test_round_trip_fails_exactly_on_the_checklist_rows_every_building_needs(
    ruleset: Ruleset, sample: Callable[[str], Path], exported_ids: Path
) -> None:
    run = check_file_isolated(sample("unknown-missing-data"), ruleset, ids_files=[exported_ids])
    (building,) = run.buildings
    failed = {r.details["identifier"] for r in building.results if r.family is Family.IDS and r.status is Status.FAIL}
    checklist = {row.key for row in building.data_to_add}
    assert failed == {
        "IfcBuilding:Pset_BuildingCommon.OccupancyType",
        "IfcBuilding:CN_GreenBuilding.ConstructionType",
        "IfcBuilding:CN_GreenBuilding.GovernmentInvested",
        "IfcBuilding:CN_GreenBuilding.TargetStarLevel",
        "IfcBuilding:CN_GreenBuilding.InAdministrativeOfficeArea",
        "IfcBuilding:CN_GreenBuilding.Rural",
        "IfcBuilding:CN_GreenBuilding.ScoreGreenMaterials",
    }
    assert failed <= checklist
    # the other rows are needed only by conditional rules (new buildings; GM-004): optional in the export
    assert checklist - failed == {
        "IfcBuilding:CN_GreenBuilding.IndustrialLand",
        "IfcBuilding:Qto_BuildingBaseQuantities.Height",
        "IfcBuilding:CN_GreenBuilding.StructureType",
        "IfcBuilding:CN_GreenBuilding.FacilityType",  # optional: OccupancyType or the spaces may tell (issue 12)
        "IfcSlab:Qto_SlabBaseQuantities.GrossArea",  # BJ-STRUCT-STEEL's area condition (issue 12)
        "IfcElement:IfcRelAssociatesMaterial.RelatingMaterial",
    }
    star = next(r for r in building.results if r.details.get("identifier", "").endswith("TargetStarLevel"))
    assert (star.rule_id, star.severity, star.citation.status.value) == (
        "IDS:requirements:5",  # the FacilityType row (issue 12) comes before it
        Severity.ERROR,
        "primary",
    )
    assert [e.global_id for e in star.elements] == [building.global_id]
    assert star.elements[0].values["ids_failure"] == "The required property set does not exist"
    assert run.summary.counts["fail"] == sum(r.status is Status.FAIL for r in run.all_results())


def test_round_trip_passes_on_a_sample_that_has_the_data(
    ruleset: Ruleset, sample: Callable[[str], Path], exported_ids: Path
) -> None:
    run = check_file(sample("pass-public-office"), ruleset, ids_files=[exported_ids])
    ids_results = [r for r in run.all_results() if r.family is Family.IDS]
    assert (
        sum(r.family is Family.IDS for r in run.buildings[0].results) == 74
    )  # one per data input row (issue 12: + 11)
    # materials belong to no building: judged at project level
    project = {r.details["identifier"] for r in run.project.results if r.family is Family.IDS}
    assert project and all(identifier.startswith("IfcMaterial:") for identifier in project)
    failed = [r.title.en for r in ids_results if r.status is Status.FAIL]
    assert failed == []
    assert sum(r.status is Status.PASS for r in ids_results) > 20


def test_hand_written_prohibited_optional_and_required(
    ruleset: Ruleset, sample: Callable[[str], Path], tmp_path: Path
) -> None:
    path = tmp_path / "office rules.ids"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    run = check_file(sample("unknown-missing-data"), ruleset, ids_files=[path])
    (building,) = run.buildings
    results = {r.rule_id: r for r in building.results if r.family is Family.IDS}
    prohibited = results["IDS:office rules:1"]
    assert (prohibited.status, prohibited.severity, len(prohibited.elements)) == (Status.FAIL, Severity.ERROR, 4)
    assert prohibited.title.en == "No proxies <script>alert(1)</script>"
    assert (
        prohibited.citation.document
        == "office rules.ids (title Office rules, author qa@example.com, version 3, date 2026-11-30)"
    )
    optional = results["IDS:office rules:2"]
    assert (optional.severity, optional.status, len(optional.elements)) == (Severity.WARNING, Status.FAIL, 4)
    assert {e.global_id for e in optional.elements} == {e.global_id for e in prohibited.elements}
    assert all("property set does not exist" in e.values["ids_failure"] for e in optional.elements)
    # a required specification no element meets is a project-level fail
    (required,) = [r for r in run.project.results if r.family is Family.IDS]
    assert (required.rule_id, required.status, required.severity) == ("IDS:office rules:3", Status.FAIL, Severity.ERROR)
    assert results["IDS:office rules:3"].status is Status.NOT_APPLICABLE


def _cli(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("not xml at all <", "not an XML file"),
        ('<?xml version="1.0"?><ids xmlns="http://standards.buildingsmart.org/IDS"><info/></ids>', "not a valid IDS"),
        ('<?xml version="1.0"?><!DOCTYPE ids [<!ENTITY a "aaaa">]><ids>&a;</ids>', "DOCTYPE is refused"),
    ],
)
def test_a_broken_ids_file_is_one_line_and_exit_2(
    sample: Callable[[str], Path], tmp_path: Path, content: str, why: str
) -> None:
    bad = tmp_path / "bad.ids"
    bad.write_text(content, encoding="utf-8")
    code, _out, err = _cli("check", sample("pass-public-office"), "--ids", bad, "-o", tmp_path / "out", "-q")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("greencheck: error:") and why in err
    assert not (tmp_path / "out").exists()  # refused before any model is read


def test_an_ids_file_over_4_mib_is_refused(sample: Callable[[str], Path], tmp_path: Path) -> None:
    big = tmp_path / "big.ids"
    big.write_bytes(b" " * (MAX_IDS_BYTES + 1))
    code, _out, err = _cli("check", sample("pass-public-office"), "--ids", big, "-o", tmp_path)
    assert code == 2 and "refused" in err and err.count("\n") == 1


def test_reports_show_ids_results_and_escape_hostile_names(sample: Callable[[str], Path], tmp_path: Path) -> None:
    path = tmp_path / "office.ids"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    code, _out, err = _cli(
        "check", sample("unknown-missing-data"), "--ids", path, "-o", tmp_path, "-f", "html,json,junit,sarif", "-q"
    )
    assert code == 1, err
    html = (tmp_path / "unknown-missing-data.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "IDS requirements" in html or "IDS 信息需求" in html
    report = json.loads((tmp_path / "unknown-missing-data.json").read_text(encoding="utf-8"))
    assert report["schema_version"] == SCHEMA_VERSION == "3.0"
    assert any(r["rule_id"] == "IDS:office:1" for r in report["buildings"][0]["results"])
    assert "IDS:office:1" in (tmp_path / "unknown-missing-data.junit.xml").read_text(encoding="utf-8")
    sarif = json.loads((tmp_path / "unknown-missing-data.sarif").read_text(encoding="utf-8"))
    assert "IDS:office:1" in {r["ruleId"] for r in sarif["runs"][0]["results"]}


def test_failing_elements_are_attributed_to_their_own_building(
    ruleset: Ruleset, sample: Callable[[str], Path], tmp_path: Path
) -> None:
    import ifcopenshell
    import ifcopenshell.util.element

    path = tmp_path / "h.ids"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    model_path = sample("mixed-two-buildings")
    run = check_file(model_path, ruleset, ids_files=[path])
    model = ifcopenshell.open(str(model_path))
    expected: dict[str, set[str]] = {}
    for slab in model.by_type("IfcSlab"):
        container = ifcopenshell.util.element.get_container(slab)
        building = ifcopenshell.util.element.get_aggregate(container)
        expected.setdefault(building.GlobalId, set()).add(slab.GlobalId)
    found = {
        building.global_id: {e.global_id for r in building.results if r.rule_id == "IDS:h:1" for e in r.elements}
        for building in run.buildings
    }
    assert found == expected
    assert sorted(len(ids) for ids in found.values()) == [3, 6]
