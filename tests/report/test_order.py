"""Issue 10 item 2, a report that reads top-down: fails listed under the verdict, the verdict per building, passed and
not-applicable rules collapsed, facts and metadata after the rules, shared tables shown once, no raw JSON in cards."""

from __future__ import annotations

from typing import Any

import lxml.html

from checker.report import render
from checker.report.html_order import SharedTables, record_table
from checker.rules.results import CheckRun

Doc = Any


def _doc(run: CheckRun, lang: str = "en") -> Doc:
    return lxml.html.document_fromstring(render(run, "html", lang))


def test_fails_and_building_verdicts_come_right_after_the_verdict(run: CheckRun) -> None:
    doc = _doc(run)
    main = doc.xpath("//main")[0]
    order = [el.get("class") for el in main.xpath("./section")]
    assert order[:4] == ["verdict verdict-non_compliant", "overview", "project", "building"]
    assert order[-1] == "run-meta"
    (row,) = doc.xpath("//tr[@data-building-verdict]")
    assert row.get("data-verdict") == "non_compliant"
    assert row.xpath("string(td[@data-field='fail-count'])") == "1"
    assert row.xpath("string(td[@data-field='unknown-count'])") == "1"
    links = doc.xpath("//li[@data-fail-link]")
    assert [li.get("data-fail-link") for li in links] == ["PV-COV-001"]
    target = links[0].xpath(".//a/@href")[0].lstrip("#")
    assert doc.xpath(f"//article[@id='{target}']/@data-status") == ["fail"]


def test_passes_unknown_cards_and_facts_are_collapsed(run: CheckRun) -> None:
    doc = _doc(run)
    settled = doc.xpath("//details[@class='settled']//article/@data-status")
    assert settled and set(settled) <= {"pass", "not_applicable"}
    assert not doc.xpath("//details[@class='settled']//article[@data-status='fail' or @data-status='unknown']")
    assert doc.xpath("//details[@class='facts-block']//tr[@data-fact]")
    undecided = doc.xpath("//details[@class='undecided-cards']//article/@data-status")
    assert undecided and set(undecided) == {"unknown"}
    # collapsed groups stay closed in print (the print script opens only the other <details>)
    assert all(d.get("data-print-closed") is not None for d in doc.xpath("//details[@class!='long-list']"))


def test_details_are_labelled_text_and_empty_ones_are_dropped(run: CheckRun) -> None:
    details = {"reasons": [], "flags": {"government_invested": True, "note": None}, "items": {"q1": {"ratio": 0.4}}}
    building = run.buildings[0]
    result = building.results[0].model_copy(update={"details": details})
    changed = run.model_copy(update={"buildings": [building.model_copy(update={"results": [result]})]})
    (card,) = _doc(changed).xpath(f"//article[@data-rule-id='{result.rule_id}']")
    text = " ".join(card.text_content().split())
    assert not card.xpath(".//pre") and "reasons" not in text and "note" not in text
    assert "flags: government_invested: yes" in text
    (items,) = card.xpath(".//details[@data-details-key='items']")
    assert items.xpath(".//table//td/text()") == ["q1", "0.4"]  # no unit is known for a raw detail: the figure as is


def test_record_table_and_shared_tables() -> None:
    assert record_table({"a": {"x": 1}, "b": {"y": 2}}) == {
        "columns": ["", "x", "y"],
        "rows": [["a", 1, None], ["b", None, 2]],
    }
    assert record_table({"a": 1}) is None and record_table({}) is None
    full = {"title": "T", "columns": ["item", "v", "to reach"], "rows": [["q1", 1, "x: P 1 → 2"], ["q2", 2, ""]]}
    part = {"title": "T", "columns": ["item", "v", "to reach"], "rows": [["q1", 1, "x"]]}
    other_figure = {"title": "T", "columns": ["item", "v", "to reach"], "rows": [["q1", 9, "x"]]}
    shared = SharedTables()
    assert shared.table_shown_in(full, "B1", "rule-a", "A") is None
    assert shared.table_shown_in(full, "B1", "rule-a", "A") is None  # the same card again is no repeat
    assert shared.table_shown_in(part, "B1", "rule-b", "B") == ("rule-a", "A")
    assert shared.table_shown_in(other_figure, "B1", "rule-c", "C") is None  # a different number is shown
    assert shared.table_shown_in(part, "B2", "rule-d", "A") is None  # another building shows its own
    assert shared.shown_in({"bars": [1]}, "B1", "rule-a", "A") is None
    assert shared.shown_in({"bars": [1]}, "B1", "rule-b", "B") == ("rule-a", "A")
    assert shared.shown_in({"bars": [1]}, "B2", "rule-c", "B") is None


def test_requirements_come_before_warnings_and_info_among_fails(checked: Any) -> None:
    """The failing sample's BJ-BIM-001 (info) fail is listed last: its family (classification) no longer heads the
    report, and the error-severity fails open the list under the verdict."""
    doc = _doc(checked("prefab-fail-government"))
    links = [li.get("data-fail-link") for li in doc.xpath("//li[@data-fail-link]")]
    severities = {r.rule_id: r.severity.value for r in checked("prefab-fail-government").buildings[0].results}
    listed = [severities[rule_id] for rule_id in links]
    assert links[-1] == "BJ-BIM-001" and listed[0] == "error"
    assert [r for r in ("error", "warning", "info") if r in listed] == sorted(set(listed), key=listed.index)
    families = doc.xpath("//section[@class='building']//section[contains(@class, 'family')]/@data-family")
    assert families and families[0] != "classification"
