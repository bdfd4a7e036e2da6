"""Issue 10 item 3: every figure in the HTML report honest and consistent, checked on real samples in both languages.

Each test names the misleading text the report printed before and asserts the exact text it prints now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lxml.html
import pytest

from checker.report import render
from checker.rules.results import CheckRun

Doc = Any  # lxml.html.HtmlElement
Checked = Callable[[str], CheckRun]


def _doc(run: CheckRun, lang: str) -> Doc:
    return lxml.html.document_fromstring(render(run, "html", lang))


def _rule(doc: Doc, rule_id: str) -> Doc:
    (article,) = doc.xpath(f"//main//article[@data-rule-id='{rule_id}']")
    return article


def _field(node: Doc, name: str) -> str | None:
    found = node.xpath(f".//*[@data-field='{name}']")
    return " ".join(found[0].text_content().split()) if found else None


@pytest.mark.parametrize(
    ("lang", "detail"),
    [
        (
            "en",
            "Error-severity rules: 3 failed, 10 could not be decided "
            "(all severities, as counted below: 5 failed or in error, 15 undecided)",
        ),
        (
            "zh",
            "错误级规则：3 条不通过，10 条无法判定（含各严重程度，即下方计数：5 条不通过或检查出错，15 条无法判定）",
        ),
    ],
)
def test_verdict_counts_say_which_rules_they_count(checked: Checked, lang: str, detail: str) -> None:
    """Before: '3 error-severity rule(s) failed, 10 could not be decided' beside the badge 'Unknown: 15'."""
    doc = _doc(checked("fail-ule-public-windows"), lang)
    (verdict,) = doc.xpath("//section[@data-verdict]")
    assert _field(verdict, "verdict-detail") == detail
    badges = [" ".join(b.text_content().split()) for b in verdict.xpath(".//*[@data-count-status]")]
    assert badges[0].endswith(": 5") and badges[2].endswith(": 15")  # fail, unknown: the numbers in brackets


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unknown_cards_show_no_margin(checked: Checked, lang: str) -> None:
    """Before: 'Measured — / Required ≥ 85 pts / Margin —' on an unknown card: a margin column beside no figure."""
    doc = _doc(checked("fail-ule-public-windows"), lang)
    unknowns = doc.xpath("//main//article[@data-status='unknown']")
    assert len(unknowns) == 15
    assert all(not card.xpath(".//*[@data-field='margin']") for card in unknowns)
    decided = doc.xpath("//main//article[@data-status='fail' or @data-status='pass']//*[@data-field='margin']")
    assert decided, "margins stay where a decided figure exists"
