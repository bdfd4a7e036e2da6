"""Many buildings in one file are reported at bounded size (issue 9: 3,000 empty IfcBuildings, a 344 KB file, wrote
620 MB of reports; 300 of them wrote 350 MB of JSON and 350 MB of HTML before this fix, 28 MB and 6.4 MB after).

The file is built here with ifcopenshell the way a block-per-building exporter writes it (one IfcBuilding with one
empty storey per block under one site); 300 keep the test fast, the 3,000 figures are in
benchmarks/RESULTS_BUILDINGS.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.root
import ifcopenshell.api.unit
import pytest

from checker.api import check_file
from checker.report import render
from checker.report.html import BUILDINGS_IN_FULL, HtmlReporter
from checker.rules.results import CheckRun, summarise
from checker.rules.schema import Ruleset

COUNT = 300


def many_buildings(path: Path, count: int) -> Path:
    ifc = ifcopenshell.file(schema="IFC4")
    project = ifcopenshell.api.root.create_entity(ifc, ifc_class="IfcProject", name="Campus")
    ifcopenshell.api.unit.assign_unit(ifc)
    site = ifcopenshell.api.root.create_entity(ifc, ifc_class="IfcSite", name="Site")
    ifcopenshell.api.aggregate.assign_object(ifc, products=[site], relating_object=project)
    buildings = [
        ifcopenshell.api.root.create_entity(ifc, ifc_class="IfcBuilding", name=f"Block {i}") for i in range(count)
    ]
    ifcopenshell.api.aggregate.assign_object(ifc, products=buildings, relating_object=site)
    for building in buildings:
        storey = ifcopenshell.api.root.create_entity(ifc, ifc_class="IfcBuildingStorey", name="L1")
        ifcopenshell.api.aggregate.assign_object(ifc, products=[storey], relating_object=building)
    ifc.write(str(path))
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, ruleset: Ruleset) -> CheckRun:
    path = many_buildings(tmp_path_factory.mktemp("many") / "campus.ifc", COUNT)
    return check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z")


def _first(run: CheckRun, count: int) -> CheckRun:
    """The same run cut to its first `count` buildings, to see how a report grows per building."""
    buildings = run.buildings[:count]
    return run.model_copy(update={"buildings": buildings, "summary": summarise(buildings, run.project)})


def test_a_model_warning_names_the_building_count(run: CheckRun) -> None:
    assert (
        f"the file holds {COUNT} IfcBuildings, more than the 200 a project file plausibly has: check that the "
        "exporter did not write one IfcBuilding per block or object (every building is checked and reported)"
    ) in run.model.warnings
    assert len(run.buildings) == COUNT


def test_the_project_figure_does_not_repeat_every_building(run: CheckRun) -> None:
    """The project's open ends named all 300 buildings, and every building rule repeated that text."""
    area = run.project.facts["project_new_public_above_ground_gfa"]
    assert area.bound == "lower" and area.value == 0.0
    assert "Block 0, Block 1," in (area.missing or "") and f"and {COUNT - 10} more" in (area.missing or "")
    assert len(area.missing or "") < 1_000


def test_json_is_complete_compact_and_linear(run: CheckRun) -> None:
    blob = render(run, "json")
    data = json.loads(blob)
    assert len(data["buildings"]) == COUNT
    rules = len(data["buildings"][0]["results"])
    assert rules > 50 and all(len(b["results"]) == rules for b in data["buildings"])
    assert data["buildings"][-1]["name"] == f"Block {COUNT - 1}"
    assert not blob.startswith(b"{\n")  # beyond 50 buildings: no indentation
    per_building = len(blob) / COUNT
    # was 1.17 MB per building (350 MB for 300); 113 KB with 53 building rules, 136 KB with 62, 148 KB with 67:
    # about 2.2 KB per rule and building, so the budget follows the ruleset's size
    assert per_building < 2_400 * rules, (per_building, rules)
    third = len(render(_first(run, COUNT // 3), "json"))
    assert len(blob) / third == pytest.approx(3.0, rel=0.05)  # linear: a third of the buildings, a third of the size


def test_json_of_few_buildings_stays_indented(run: CheckRun) -> None:
    blob = render(_first(run, 3), "json").decode()
    assert blob.startswith('{\n  "schema_version": "')
    assert len(json.loads(blob)["buildings"]) == 3


def test_html_shows_the_first_buildings_in_full_and_the_rest_in_one_table(run: CheckRun) -> None:
    html = render(run, "html", "en").decode()
    assert html.count('<section class="building"') == BUILDINGS_IN_FULL == 50
    rows = re.findall(r'<tr data-building-id="([^"]+)" data-verdict="([^"]+)">', html)
    assert [gid for gid, _ in rows] == [b.global_id for b in run.buildings[BUILDINGS_IN_FULL:]]
    assert {verdict for _, verdict in rows} == {"incomplete"}
    assert (
        f"This file holds {COUNT} buildings: the first 50 are shown in full, the other {COUNT - 50} in one table at "
        "the end with their verdict and counts. The JSON report has every result of every building."
    ) in html
    assert f"Other buildings ({COUNT - 50})" in html
    # 8.51 MB with 67 building rules (50 buildings in full): about 127 KB per rule, so the budget follows the ruleset
    building_rules = len(run.buildings[0].results)
    assert len(html.encode()) < 135_000 * building_rules, (len(html.encode()), building_rules)
    # every building beyond the 50 costs one table row, not a section: under 1 KB each
    extra = (len(html.encode()) - len(render(_first(run, 100), "html", "en"))) / (COUNT - 100)
    assert extra < 1_000, extra


def test_a_row_counts_what_the_building_section_would_show(run: CheckRun) -> None:
    html = render(run, "html", "zh").decode()
    building = run.buildings[-1]
    counts = summarise([building]).counts
    row = re.search(rf'<tr data-building-id="{re.escape(building.global_id)}".*?</tr>', html)
    assert row is not None
    cells = re.findall(r"<td>(\d+)</td>", row.group(0))
    assert sum(map(int, cells)) == len(building.results) == sum(counts.values())
    assert "其余建筑（250 栋）" in html


def test_the_limit_is_a_renderer_option(run: CheckRun) -> None:
    html = HtmlReporter(buildings_in_full=COUNT).render(_first(run, 60), "en").decode()
    assert html.count('<section class="building"') == 60 and "Other buildings" not in html
