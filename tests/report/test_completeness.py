"""BIM data completeness per building (issue 12, plan 三(三)): the share of the data inputs the building's applicable
or undecided rules read that the model provides, the rule BJ-BIM-001 on it, and its place in the HTML report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ifcopenshell
import ifcopenshell.util.element
import lxml.html

from checker.api import check_file
from checker.report.html import HtmlReporter
from checker.rules.results import BuildingResult, CheckRun, Status
from checker.rules.schema import Ruleset

GENERATED_AT = "2024-01-01T00:00:00Z"
# prefab-fail-government.ifc: 11 of 26 rows missing, every one a row of its "data to add" checklist
GOVERNMENT_MISSING = [
    "IfcBuilding:CN_GreenBuilding.TargetStarLevel",
    "IfcBuilding:CN_GreenBuilding.InAdministrativeOfficeArea",
    "IfcBuilding:CN_GreenBuilding.Rural",
    "IfcBuilding:CN_GreenBuilding.ScoreGreenMaterials",
    "IfcWall:Pset_WallCommon.ThermalTransmittance",
    "IfcRoof:Pset_RoofCommon.ThermalTransmittance",
    "IfcMaterial:CN_GreenBuilding.MaterialKind",
    "IfcMaterial:CN_GreenBuilding.MaterialCategory",
    "IfcMaterial:Pset_MaterialCommon.MassDensity",
    "IfcElement:IfcRelAssociatesMaterial.RelatingMaterial",
    "IfcBuilding:CN_GreenBuilding.HeatingSource",
]


def _bim(building: BuildingResult):  # noqa: ANN202 - a RuleResult
    return next(r for r in building.results if r.rule_id == "BJ-BIM-001")


def test_complete_sample_passes(checked: Callable[[str], CheckRun]) -> None:
    """pass-public-office declares everything its applicable rules read: 39 of 39 rows, score 1.0."""
    b = checked("pass-public-office").buildings[0]
    c = b.completeness
    assert c is not None and (c.provided, c.needed, c.score) == (39, 39, 1.0)
    assert _bim(b).status is Status.PASS and _bim(b).value == 1.0
    assert b.facts["data_completeness"].value == 1.0 and b.facts["data_inputs_needed"].value == 39
    # rules that do not apply ask for nothing; the completeness rule is never counted
    not_applicable = {r.rule_id for r in b.results if r.status is Status.NOT_APPLICABLE}
    assert all(not set(item.rules) & (not_applicable | {"BJ-BIM-001"}) for item in c.items)
    occupancy = next(i for i in c.items if i.key == "IfcBuilding:Pset_BuildingCommon.OccupancyType")
    assert "BJ-CLS-001" in occupancy.rules and occupancy.lacking == 0 and occupancy.elements == 1
    panels = next(i for i in c.items if i.key == "IfcSolarDevice:CN_GreenBuilding.PeakPower")
    assert (panels.provided, panels.lacking, panels.elements) == (True, 0, 18)  # 18 panels, each with its power


def test_incomplete_sample_fails_with_the_checklist_rows(checked: Callable[[str], CheckRun]) -> None:
    """prefab-fail-government: 15 of 26 (0.5769); the missing rows are checklist rows and the rule names them."""
    b = checked("prefab-fail-government").buildings[0]
    c = b.completeness
    assert c is not None and (c.provided, c.needed) == (15, 26)
    assert c.score is not None and abs(c.score - 15 / 26) < 1e-12
    assert [i.key for i in c.missing] == GOVERNMENT_MISSING
    assert all(i.in_checklist for i in c.missing)
    assert set(GOVERNMENT_MISSING) <= {row.key for row in b.data_to_add}
    kind = next(i for i in c.missing if i.property == "MaterialKind")
    assert (kind.lacking, kind.elements) == (2, 2)  # both construction materials lack it
    rule = _bim(b)
    assert rule.status is Status.FAIL and rule.severity.value == "info"
    assert rule.details["missing_data"] == GOVERNMENT_MISSING
    assert rule.gap is not None and round(rule.gap) == 11
    assert "15 of 26 data items provided" not in rule.message.en  # a fail shows the share and what to add
    assert "add 11 more data items" in rule.message.en


def test_no_property_found_scores_zero(checked: Callable[[str], CheckRun]) -> None:
    """unknown-missing-data carries none of the 13 rows its rules read: 0 of 13, and they are its checklist."""
    b = checked("unknown-missing-data").buildings[0]
    c = b.completeness
    assert c is not None and (c.provided, c.needed, c.score) == (0, 13, 0.0)
    assert sorted(i.key for i in c.missing) == sorted(row.key for row in b.data_to_add)
    assert _bim(b).status is Status.FAIL


def test_one_building_per_score(checked: Callable[[str], CheckRun]) -> None:
    """mixed-two-buildings: a public hall and a residential block read different rows, both complete."""
    scores = {
        b.name: (b.completeness.provided, b.completeness.needed) for b in checked("mixed-two-buildings").buildings
    }
    assert scores == {"East Hall": (39, 39), "West Apartments": (27, 27)}


def test_removing_one_declaration_costs_one_row(
    ruleset: Ruleset, sample: Callable[[str], Path], tmp_path: Path
) -> None:
    """As an authoring tool exports it without CN_GreenBuilding.ScoreSafety: 38 of 39, the row names the building."""
    model = ifcopenshell.open(str(sample("pass-public-office")))
    building = model.by_type("IfcBuilding")[0]
    pset = model.by_id(ifcopenshell.util.element.get_pset(building, "CN_GreenBuilding")["id"])
    pset.HasProperties = [p for p in pset.HasProperties if p.Name != "ScoreSafety"]
    target = tmp_path / "no-structure-type.ifc"
    model.write(str(target))
    b = check_file(target, ruleset, generated_at=GENERATED_AT).buildings[0]
    c = b.completeness
    assert c is not None and (c.provided, c.needed) == (38, 39)
    assert [(i.key, i.lacking, i.in_checklist) for i in c.missing] == [
        ("IfcBuilding:CN_GreenBuilding.ScoreSafety", 1, True)
    ]
    assert _bim(b).status is Status.FAIL


def test_html_verdict_table_shows_the_share_and_links_the_checklist(checked: Callable[[str], CheckRun]) -> None:
    run = checked("prefab-fail-government")
    gid = run.buildings[0].global_id
    en = HtmlReporter().render(run, lang="en").decode("utf-8")
    zh = HtmlReporter().render(run, lang="zh").decode("utf-8")
    assert f'data-field="bim-data"><a href="#rule-{gid}-checklist">15 of 26 data items provided (57.7 %)</a>' in en
    assert "所需 26 项数据中已提供 15 项（57.7 %）" in zh
    complete = HtmlReporter().render(checked("pass-public-office"), lang="en").decode("utf-8")
    assert 'data-field="bim-data">39 of 39 data items provided (100.0 %)</td>' in complete


def test_the_card_does_not_repeat_the_checklist(checked: Callable[[str], CheckRun]) -> None:
    """The BIM card's missing keys are the checklist's rows: the HTML card leaves them to the checklist (JSON keeps
    them), so a missing property is listed once."""
    run = checked("prefab-fail-government")
    page = lxml.html.document_fromstring(HtmlReporter().render(run, lang="en"))
    (card,) = page.xpath("//article[@data-rule-id='BJ-BIM-001']")
    assert "missing_data" not in card.text_content()
    assert "IfcBuilding:CN_GreenBuilding.HeatingSource" not in card.text_content()
    assert page.xpath("//table//*[contains(text(), 'CN_GreenBuilding.HeatingSource')]")
