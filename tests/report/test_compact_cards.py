"""Issue 10 item 2, the printed length: a fail card says each figure once. Evidence rows that differ only by source are
one row, element values are one line with numbered sources, an element list two cards share is linked, and the raw
Table 4.0.1 figures are left to the JSON. Checked on the failing prefab sample (6 fails), whose report prints on 8 A4
pages (tests/browser)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import html as lxml_html

from checker.model.facts import ElementRecord, Evidence
from checker.report.element_view import element_table, evidence_rows, named_in_tables
from checker.report.html import HtmlReporter
from checker.rules.results import CheckRun

BUILDING = "0hEbSnznDKh8jLqKO0J1za"


@pytest.fixture(scope="module")
def fail_run(checked: Callable[[str], CheckRun]) -> CheckRun:
    return checked("prefab-fail-government")


def _card(doc: lxml_html.HtmlElement, rule_id: str) -> lxml_html.HtmlElement:
    (card,) = doc.xpath(f"//article[@data-rule-id='{rule_id}']")
    return card


def _record(gid: str, values: dict[str, object], sources: dict[str, str]) -> ElementRecord:
    return ElementRecord(global_id=gid, ifc_class="IfcColumn", values=values, sources=sources)  # type: ignore[arg-type]


def test_shared_values_are_said_once_and_sources_numbered_in_first_use_order() -> None:
    records = [
        _record("A", {"item": "q1a", "volume_m3": 8.0, "rated": True}, {"volume_m3": "Qto.NetVolume", "rated": "L1"}),
        _record("B", {"item": "q1a", "volume_m3": 5.0, "rated": True}, {"volume_m3": "Qto.NetVolume", "rated": "L1"}),
        _record("C", {"item": "q1a", "volume_m3": 2.0, "rated": True}, {"volume_m3": "geometry", "rated": "L1"}),
    ]
    view = element_table(records)
    assert [(c.key, c.value, c.note) for c in view.common] == [("item", "q1a", None), ("rated", True, 1)]
    assert [[(c.key, c.value, c.note) for c in row.cells] for row in view.rows] == [
        [("volume_m3", 8.0, 2)],
        [("volume_m3", 5.0, 2)],
        [("volume_m3", 2.0, 3)],
    ]
    assert view.sources == ["L1", "Qto.NetVolume", "geometry"]
    # one element: nothing is lifted out (there is no "all" to speak of)
    single = element_table(records[:1])
    assert single.common == [] and [c.key for c in single.rows[0].cells] == ["item", "volume_m3", "rated"]


def test_evidence_rows_merge_only_what_differs_by_source() -> None:
    building = Evidence(method="property", source="CN_GreenBuilding.FullDecoration", global_ids=["B"], count=1)
    other = Evidence(method="property", source="CN_GreenBuilding.DryFloorRatio", global_ids=["B"], count=1)
    walls = Evidence(method="quantity", source="Qto_WallBaseQuantities.NetSideArea", global_ids=["W1"], count=1)
    walls2 = Evidence(method="quantity", source="Qto_WallBaseQuantities.NetSideArea", global_ids=["W2"], count=1)
    rows = evidence_rows([building, walls, other, walls2, building])
    assert [(r.method, r.sources, r.global_ids) for r in rows] == [
        ("property", ["CN_GreenBuilding.FullDecoration", "CN_GreenBuilding.DryFloorRatio"], ["B"]),
        ("quantity", ["Qto_WallBaseQuantities.NetSideArea"], ["W1"]),
        ("quantity", ["Qto_WallBaseQuantities.NetSideArea"], ["W2"]),
    ]


def test_element_list_named_in_the_cards_tables() -> None:
    wall = _record("W1", {}, {})
    material = ElementRecord(global_id="IfcMaterial#83", ifc_class="IfcMaterial", name="C30 concrete")
    tables = [{"columns": ["material"], "rows": [["C30 concrete"]]}, {"columns": ["GlobalId"], "rows": [["W1"]]}]
    assert named_in_tables([wall, material], tables)
    assert not named_in_tables([wall, material], tables[:1])
    assert not named_in_tables([], tables)


def test_prefab_card_one_line_per_element_with_numbered_sources(fail_run: CheckRun) -> None:
    doc = lxml_html.fromstring(HtmlReporter().render(fail_run, "en"))
    p_card = _card(doc, "BJ-PREFAB-001")
    rows = p_card.xpath(".//table[@class='elements']/tbody/tr")
    assert len(rows) == 13
    assert p_card.xpath("string(.//p[@class='common-values'])").split() == [
        "All",
        "13",
        "elements:",
        "above_ground",
        "yes",
    ]
    sources = [li.text_content() for li in p_card.xpath(".//ol[@data-field='element-sources']/li")]
    assert sources[0] == "Pset_ConcreteElementGeneral.ConstructionMethod = 'Precast'"
    assert "Qto_ColumnBaseQuantities.NetVolume" in sources
    # column C1's volume: 8 m³ with the note number of NetVolume
    (c1,) = [row for row in rows if row.xpath("string(td[2])").startswith("C1")]
    volume = [span for span in c1.xpath(".//span[@class='kv-item']") if span.xpath("string(span)") == "volume_m3"]
    (note,) = volume[0].xpath("sup/text()")
    assert (
        "".join(volume[0].xpath("text()")).strip() == "8"
        and sources[int(note) - 1] == "Qto_ColumnBaseQuantities.NetVolume"
    )
    # the seven CN_GreenBuilding ratios on the building are one evidence row naming all seven
    (building_row,) = [
        tr for tr in p_card.xpath(".//table[@class='evidence']//tr") if BUILDING in tr.xpath("string(td[4])")
    ]
    assert building_row.xpath("string(td[2])").count("CN_GreenBuilding.") == 7
    # the raw Q1..Q4, P and per-item records are in the JSON, not printed again under Table 4.0.1
    keys = p_card.xpath(".//dd//span[@class='key']/text()")
    assert not {"P", "Q1", "Q2", "Q3", "Q4", "items", "grade"} & set(keys) and "grade_note" in keys


def test_precast_ratio_card_links_to_the_elements_listed_in_the_assembly_rate(fail_run: CheckRun) -> None:
    doc = lxml_html.fromstring(HtmlReporter().render(fail_run, "en"))
    ratio = _card(doc, "BJ-PREFAB-005")
    assert not ratio.xpath(".//table[@class='elements']")
    (link,) = ratio.xpath(".//p[@data-shared-elements]/a")
    assert link.get("href") == f"#rule-{BUILDING}-BJ-PREFAB-001"
    assert link.text_content() == "The 10 elements, with their values and sources, are listed in BJ-PREFAB-001"
    # green materials: the take-off tables name every material and bare element, so the list starts collapsed
    (collapsed,) = _card(doc, "BJ-GM-005").xpath(".//details[contains(@class, 'elements-block')]")
    assert collapsed.get("data-print-closed") is not None
    assert len(collapsed.xpath(".//table[@class='elements']/tbody/tr")) == 5


def test_group_score_table_shows_only_its_own_group_total(fail_run: CheckRun) -> None:
    """Q2's card used to print "Q1 / Q2 / Q3 / Q4 = 0.0 / 5.0 / 0.0 / 0.0" beside P's "21.1 / 5.0 / 6.0 / 6.0": the
    groups it does not score now stay out of its table and its details."""
    (building,) = fail_run.buildings
    results = {r.rule_id: r for r in building.results}
    q2 = results["BJ-PREFAB-003"].details
    assert {"Q1", "Q3", "Q4"}.isdisjoint(q2) and q2["Q2"] == 5.0
    assert q2["tables"][0]["rows"][-1][:5] == ["Q2", "", "", "5.0", "20"]
    p = results["BJ-PREFAB-001"].details
    assert p["tables"][0]["rows"][-1][:5] == ["Q1 / Q2 / Q3 / Q4", "", "", "21.1 / 5.0 / 6.0 / 6.0", "50 / 20 / 30"]
    assert p["tables"][0]["rows"][0][0] == {
        "zh": "q1a 柱、支撑、承重墙等竖向构件",
        "en": "q1a Vertical load-bearing members (precast volume)",
    }
