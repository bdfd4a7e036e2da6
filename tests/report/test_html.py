"""The HTML report: offline, escaped, complete about what it leaves out, and in both languages."""

from __future__ import annotations

import re
import typing
from typing import Any

import lxml.html
import pytest

from checker.model.facts import EvidenceMethod
from checker.report import render
from checker.report.html import UI, HtmlReporter, number_text, unit_text
from checker.rules.results import BuildingResult, CheckRun, Status, summarise
from checker.rules.schema import Family, Severity, SourceStatus

Doc = Any  # lxml.html.HtmlElement

EXPECTED_STATUS = {
    "CLS-GFA-001": "pass",
    "PV-COV-001": "fail",
    "PV-PWR-001": "unknown",
    "ULE-WIN-001": "not_applicable",
}


def _doc(run: CheckRun, lang: str = "en") -> Doc:
    return lxml.html.document_fromstring(render(run, "html", lang))


def _rule(doc: Doc, rule_id: str) -> Doc:
    (article,) = doc.xpath(f"//article[@data-rule-id='{rule_id}']")
    return article


def _field(node: Doc, name: str) -> str:
    (found,) = node.xpath(f".//*[@data-field='{name}']")
    return " ".join(found.text_content().split())


def test_html_is_utf8_html5(run: CheckRun) -> None:
    data = HtmlReporter().render(run, "en")
    assert data.startswith(b"<!DOCTYPE html>")
    assert b'<meta charset="utf-8">' in data
    assert _doc(run).get("lang") == "en"
    assert _doc(run, "zh").get("lang") == "zh-CN"


def test_model_text_is_escaped_not_executed(run: CheckRun, expect: Any) -> None:
    data = render(run, "html")
    assert b"<script>alert" not in data
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; &#34;&amp;&lt;&gt;" in data
    doc = _doc(run)
    scripts = doc.xpath("//script")
    assert len(scripts) == 1 and "alert" not in scripts[0].text_content()  # only the print helper
    assert _field(doc, "model-file") == f"model {expect.hostile}.ifc"
    heading = doc.xpath("//section[@class='building']/h2")[0].text_content()
    assert f"Tower {expect.hostile}" in heading


def test_no_external_references(run: CheckRun) -> None:
    doc = _doc(run)
    for element in doc.iter():
        for attribute in ("src", "href", "action", "poster", "srcset", "data"):
            value = element.get(attribute)
            assert value is None or value.startswith("#"), (element.tag, attribute, value)
    assert not doc.xpath("//link | //img | //iframe | //object | //embed | //script[@src]")
    styles = " ".join(style.text_content() for style in doc.xpath("//style"))
    assert "url(" not in styles and "@import" not in styles
    data = render(run, "html")
    assert b"http://" not in data and b"https://" not in data


def test_each_rule_shows_its_status(run: CheckRun) -> None:
    doc = _doc(run)
    articles = doc.xpath("//article[@data-rule-id]")
    assert {a.get("data-rule-id"): a.get("data-status") for a in articles} == EXPECTED_STATUS
    labels = {"pass": "✔ Pass", "fail": "✘ Fail", "unknown": "? Unknown", "not_applicable": "– Not applicable"}
    for rule_id, status in EXPECTED_STATUS.items():
        (badge,) = _rule(doc, rule_id).xpath(".//*[@data-badge='status']")
        assert badge.text_content().strip() == labels[status]
        assert f"status-{status}" in badge.get("class")


def test_families_ordered_by_worst_status_and_failures_first(run: CheckRun) -> None:
    """Issue 10 item 2: only families with a fail open the building, worst family first; the undecided rules and the
    passed or not-applicable ones follow, collapsed, grouped by family in the same order (house order breaks ties)."""
    doc = _doc(run)
    assert [s.get("data-family") for s in doc.xpath("//section[@data-family]")] == ["pv"]
    (pv,) = doc.xpath("//section[@data-family='pv']")
    assert [a.get("data-rule-id") for a in pv.xpath(".//article")] == ["PV-COV-001"]
    (undecided,) = doc.xpath("//details[@class='undecided-cards']")
    assert [a.get("data-rule-id") for a in undecided.xpath(".//article")] == ["PV-PWR-001"]
    (settled,) = doc.xpath("//details[@class='settled']")
    families = [h.get("data-family-sub") for h in settled.xpath(".//h4[@data-family-sub]")]
    assert families == ["classification", "ultra_low_energy"]


def test_verdict_is_prominent_text_and_counts(run: CheckRun) -> None:
    doc = _doc(run)
    (verdict,) = doc.xpath("//section[@data-verdict]")
    assert verdict.get("data-verdict") == "non_compliant"
    assert "✘ Non-compliant" in verdict.text_content()
    counts = {b.get("data-count-status"): b.text_content().strip() for b in verdict.xpath(".//*[@data-count-status]")}
    assert counts == {
        "fail": "✘ Fail: 1",
        "error": "⚠ Check error: 0",
        "unknown": "? Unknown: 1",
        "pass": "✔ Pass: 1",
        "not_applicable": "– Not applicable: 1",
    }


def test_header_identifies_the_model(run: CheckRun, expect: Any) -> None:
    doc = _doc(run)
    assert _field(doc, "sha256") == expect.sha
    # Issue 10 item 2: the run's metadata moved below the verdicts (section.run-meta, all of it kept as evidence);
    # the page header keeps the model file and the ruleset on one line.
    assert "cn-gb-50378 2019.1" in " ".join(doc.xpath("//header")[0].text_content().split())
    header = " ".join(doc.xpath("//section[@data-field='run-meta']")[0].text_content().split())
    for text in (
        "IFC4",
        "Revit 2024",
        "1,234,567 bytes",
        expect.building_id,
        "cn-gb-50378 2019.1 — Green building evaluation",
        "2025-01-02T03:04:05+08:00",
        "greencheck 0.1.0",
    ):
        assert text in header


def test_measured_value_threshold_margin_and_units(run: CheckRun) -> None:
    doc = _doc(run)
    cov = _rule(doc, "PV-COV-001")
    assert (_field(cov, "value"), _field(cov, "requirement"), _field(cov, "margin"), _field(cov, "gap")) == (
        "43.8 %",
        "≥ 50.0 %",
        "-6.3 pp",
        "6.3 pp",
    )
    gfa = _rule(doc, "CLS-GFA-001")
    assert (_field(gfa, "value"), _field(gfa, "requirement"), _field(gfa, "margin")) == (
        "12,345.68 m²",
        "≥ 10,000 m²",
        "+2,345.68 m²",
    )
    assert not gfa.xpath(".//*[@data-field='gap']")
    power = _rule(doc, "PV-PWR-001")
    assert (_field(power, "value"), _field(power, "requirement")) == ("—", "≥ 50 kW")


def test_remedy_only_for_failures_and_citation_status_badges(run: CheckRun) -> None:
    doc = _doc(run)
    cov = _rule(doc, "PV-COV-001")
    assert _field(cov, "remedy") == "Add about 110 m² of roof PV panels."
    assert _field(cov, "message") == "PV covers 43.8 % of the usable roof, below 50 %."
    assert not _rule(doc, "CLS-GFA-001").xpath(".//*[@data-field='remedy']")
    badges = {rid: _rule(doc, rid).xpath(".//*[@data-citation-status]")[0].text_content() for rid in EXPECTED_STATUS}
    assert badges == {
        "PV-COV-001": "recalled (med confidence) — verify before use",
        "CLS-GFA-001": "primary source",
        "PV-PWR-001": "secondary source",
        "ULE-WIN-001": "partly confirmed (low confidence) — verify before use",
    }
    assert _field(cov, "citation").startswith("GB/T 50378-2019, clause 7.2.9")


def test_missing_data_and_facts(run: CheckRun) -> None:
    doc = _doc(run)
    missing = [li.text_content() for li in _rule(doc, "PV-PWR-001").xpath(".//ul[@class='missing']/li")]
    assert missing == ["CN_GreenBuilding.PeakPower on 250 IfcSolarDevice", "pv_peak_power"]
    rows = {
        tr.get("data-fact"): [" ".join(" ".join(td.itertext()).split()) for td in tr.xpath("td")]
        for tr in doc.xpath("//tr[@data-fact]")
    }
    assert rows["pv_peak_power"][1] == "missing: CN_GreenBuilding.PeakPower on 250 panels"
    assert rows["above_ground_gfa"][0] == "Above-ground gross floor area above_ground_gfa"
    assert rows["above_ground_gfa"][1] == "12,345.68 m²"
    assert "quantity Qto_BuildingStoreyBaseQuantities.GrossFloorArea 5 element(s)" in rows["above_ground_gfa"][2]
    assert rows["government_invested"][1] == "yes"


def test_long_lists_are_collapsed_with_their_total(run: CheckRun, expect: Any) -> None:
    cov = _rule(_doc(run), "PV-COV-001")
    (elements,) = cov.xpath(".//details[.//table[@class='elements']]")
    assert elements.xpath("summary")[0].text_content() == f"{expect.panels} affected elements"
    assert elements.get("data-total") == str(expect.panels)
    rows = elements.xpath(".//table[@class='elements']/tbody/tr")
    assert len(rows) == 200 and rows[0].get("data-global-id") == "PV0000xxxxxxxxxxxxxxxx"
    assert "showing 200 of 250; the JSON report has all" in elements.text_content()
    # an evidence row shows its first GlobalId and the rest behind "N more" (N + 1 = the total), in full up to the cap
    (cell,) = cov.xpath(".//table[@class='evidence']//td[@class='gid-cell']")
    (more,) = cell.xpath("details")
    assert more.get("data-total") == str(expect.evidence_ids)
    assert more.xpath("summary")[0].text_content() == f"{expect.evidence_ids - 1} more"
    shown = cell.xpath("code") + more.xpath(".//li")
    assert len(shown) == min(expect.evidence_ids, 1 + 200)
    # a short list stays in the row
    (short,) = _rule(_doc(run), "CLS-GFA-001").xpath(".//td[@class='gid-cell']")
    assert [c.text_content() for c in short.xpath("code")] == ["ST01"]
    assert short.xpath("details/summary")[0].text_content() == "1 more"
    assert [li.text_content() for li in short.xpath(".//li")] == ["ST02"]


def test_details_table_is_rendered(run: CheckRun) -> None:
    (table,) = _rule(_doc(run), "PV-COV-001").xpath(".//table[@data-table='table']")
    assert [th.text_content() for th in table.xpath(".//th")] == ["Orientation", "m2"]
    assert [[td.text_content() for td in tr.xpath("td")] for tr in table.xpath("tbody/tr")] == [
        ["South", "300.5"],
        ["East", "137"],
    ]


def test_failures_only_filter_and_print_support(run: CheckRun) -> None:
    data = render(run, "html").decode()
    doc = lxml.html.document_fromstring(data)
    (box,) = doc.xpath("//input[@type='checkbox' and @id='failures-only']")
    assert doc.xpath("//label[@for='failures-only']")[0].text_content().startswith("Show failures only")
    assert box.getnext().tag == "label" and box.getnext().getnext().tag == "main"  # `~ main` selectors need this
    assert '#failures-only:checked ~ main .rule[data-status="pass"]' in data
    assert '#failures-only:checked ~ main .rule[data-status="not_applicable"]' in data
    assert re.search(r"@media print \{[^@]*\.filter-toggle, \.filter-label \{ display: none; \}", data)
    assert 'addEventListener("beforeprint"' in data


def test_both_languages_are_complete(run: CheckRun) -> None:
    assert UI["en"].keys() == UI["zh"].keys()
    needed = [f"family_{f.value}" for f in Family] + [f"status_{s.value}" for s in Status]
    needed += [f"severity_{s.value}" for s in Severity] + [f"cite_{s.value}" for s in SourceStatus]
    needed += [f"method_{m}" for m in typing.get_args(EvidenceMethod)]
    for lang in ("en", "zh"):
        assert not [key for key in needed if key not in UI[lang]]
    en, zh = render(run, "html", "en").decode(), render(run, "html", "zh").decode()
    for text in (
        "Non-compliant",
        "Building facts",
        "Show failures only",
        "Roof PV coverage",
        "Photovoltaics",
        "Remedy",
    ):
        assert text in en and text not in zh
    for text in (
        "不符合",
        "建筑基本数据",
        "只显示问题",
        "屋顶光伏覆盖率",
        "光伏",
        "整改建议",
        "凭记忆引用（可信度：中）",
    ):
        assert text in zh and text not in en
    assert "增加屋顶光伏组件约 110 m²。" in zh


def test_building_without_results_and_other_details(run: CheckRun) -> None:
    empty = BuildingResult(global_id="EMPTY", name=None, facts={}, results=[])
    result = run.buildings[0].results[0].model_copy(update={"details": {"points": 12, "notes": ["a", "b"]}})
    full = run.buildings[0].model_copy(update={"results": [result]})
    buildings = [full, empty]
    doc = _doc(run.model_copy(update={"buildings": buildings, "summary": summarise(buildings)}))
    (section,) = doc.xpath("//section[@data-building-id='EMPTY']")
    assert "(unnamed)" in section.text_content()
    assert "No rules were evaluated for this building." in section.text_content()
    text = _rule(doc, result.rule_id).text_content()
    assert "points: 12" in text and [
        li.text for li in _rule(doc, result.rule_id).xpath('.//ul[@class="texts"]/li')
    ] == ["a", "b"]


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0.5625, "1", "56.3 %"),
        (1, "1", "100.0 %"),
        (12500.0, "W", "12.5 kW"),
        (999.0, "W", "999 W"),
        (1234567, "m2", "1,234,567 m²"),
        (0.15, "W/(m2.K)", "0.15 W/(m²·K)"),
        (3, "star", "3★"),
        (False, None, "no"),
        ("public", None, "public"),
        (None, "m2", "—"),
    ],
)
def test_value_formatting(run: CheckRun, value: Any, unit: str | None, expected: str) -> None:
    from checker.report.html import _Formatter

    assert _Formatter("en").value(value, unit) == expected


def test_number_and_unit_helpers() -> None:
    assert number_text(12345.678) == "12,345.68"
    assert number_text(-0.0001) == "0"
    assert number_text(56.25, places=1) == "56.3"
    assert unit_text("m3") == "m³"
    assert unit_text("kg/m3") == "kg/m³"
    assert unit_text("1") == ""


def test_undecided_rules_are_listed_by_the_data_they_lack(run: CheckRun) -> None:
    """Issue 10 item 2: under the fails, each unknown rule appears beside the data it lacks, linked to its card."""
    doc = _doc(run)
    (section,) = doc.xpath("//section[@class='checklist']")
    assert section.get("data-undecided") == "1"
    links = section.xpath(".//a[@data-rule-link]")
    assert links and [a.get("data-rule-link") for a in links] == ["PV-PWR-001"] * len(links)
    for link in links:
        target = link.get("href").lstrip("#")
        assert doc.xpath(f"//article[@id='{target}']/@data-status") == ["unknown"]
