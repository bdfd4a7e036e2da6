"""A self-contained HTML report for people: one file, no network, readable on screen and on paper.

Everything the template shows comes from the `CheckRun`; the only text kept here is the fixed UI
wording (in both languages) and number/unit formatting, so the template stays free of logic.
The JSON report is the complete record; long lists here are collapsed and capped, always saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
    Template,
    select_autoescape,
)
from markupsafe import Markup

from checker.report.base import BYTES_THAT_DECODED_AS_NOTHING, check_language, without_gc_pauses
from checker.report.charts import rule_charts
from checker.report.checklist_view import CHECKLIST_UI, card_missing, ids_data_uri, row_anchor, undecided
from checker.report.element_view import element_table, evidence_rows, named_in_tables
from checker.report.html_order import (
    OVERVIEW_MAX,
    STATUS_ORDER,
    SharedElements,
    SharedTables,
    fail_overview,
    failing,
    families,
    is_empty,
    is_mapping,
    needs_action,
    record_table,
    settled,
    undecided_rules,
)
from checker.report.html_ui import CONFIDENCE, UI
from checker.report.provenance import PROVENANCE_UI, SHORT_HASH, override_text, reader_note, ruleset_changes
from checker.report.review_view import REVIEW_UI
from checker.rules.formatting import (
    KNOWN,
    NOT_A_NUMBER,
    UNIT_SYMBOLS,
    YES,
    against_declared,
    declared_difference_text,
    is_non_finite,
    number_text,
    percent_text,
    requirement_text,
    unit_word,
)
from checker.rules.labels import CATEGORICAL_ELEMENT_KEYS, fact_label, value_label
from checker.rules.results import BuildingResult, CheckRun, RuleResult, summarise
from checker.rules.texts import in_language

INLINE_MAX = 20  # lists longer than this go inside a collapsed <details>
GID_INLINE = 1  # GlobalIds shown in an evidence row before the rest go behind a "N more" summary
ROW_CAP = 200  # rows shown inside a <details>; the summary and a note give the true total
# Buildings shown with every rule; the others are one table row each (verdict and counts), so 3,000 buildings in one
# file make a report of a few MB, not hundreds. The JSON report keeps every result of every building.
BUILDINGS_IN_FULL = 50

STATUS_ICON = {"pass": "✔", "fail": "✘", "error": "⚠", "unknown": "?", "not_applicable": "–"}
VERDICT_ICON = {"compliant": "✔", "non_compliant": "✘", "incomplete": "?"}
OPS = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠", ">": ">", "<": "<", "in": "∈", "not_in": "∉"}


_SUPERSCRIPT = re.compile(r"(?<=[A-Za-z])([23])(?![0-9])")
_UNIT_DOT = re.compile(r"(?<=[A-Za-z²³)])\.(?=[A-Za-z(])")


def unit_text(unit: str | None) -> str:
    """'m2' → 'm²', 'W/(m2.K)' → 'W/(m²·K)': the rules' shared symbol table first, then a generic rewrite."""
    if not unit or unit == "1":
        return ""
    if unit in UNIT_SYMBOLS:
        return UNIT_SYMBOLS[unit]
    text = _SUPERSCRIPT.sub(lambda m: "²" if m.group(1) == "2" else "³", unit)
    return _UNIT_DOT.sub("·", text)


class _Formatter:
    """The per-language helpers the template calls; bound to one language for one render."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.ui = {**UI[lang], **PROVENANCE_UI[lang], **CHECKLIST_UI[lang], **REVIEW_UI[lang]}

    def t(self, key: str, **fields: Any) -> str:
        """A fixed UI string; a missing key is a bug, so it raises instead of printing nothing."""
        text = self.ui[key]
        return text.format(**fields) if fields else text

    def tr(self, text: Any) -> str:
        """The language's half of an I18n field, or a {zh, en} dict found in `details` tables."""
        if isinstance(text, dict) and {"zh", "en"} <= text.keys():
            return self.free(str(text[self.lang]))
        if hasattr(text, "get") and hasattr(text, "zh"):
            return self.free(str(text.get(self.lang)))
        return self.value(text)

    def free(self, text: str | None) -> str:
        """A free text from facts, evidence or a metric (written in English) in the report's language; the Chinese
        halves of messages may embed such a text too, so they pass here as well (checker.rules.texts)."""
        return "" if text is None else in_language(text, self.lang)

    def value(
        self, value: Any, unit: str | None = None, ref: Any = None, delta: bool = False, signed: bool = False
    ) -> str:
        """A value with its unit for people: ratios as % (differences in pp),
        W as kW from 1000 W (judged on `ref` too)."""
        if value is None:
            return "—"
        if isinstance(value, bool):
            return self.t("yes" if value else "no")
        if not isinstance(value, (int, float)):
            shown = self.free(str(value))
            return f"{shown} {unit_text(unit)}".strip() if unit else shown
        if is_non_finite(value):
            return self.non_finite(value, unit, delta)
        sign = "+" if signed and value > 0 else ""
        if unit == "1":
            return f"{sign}{percent_text(value)} {self.t('pp') if delta else '%'}"
        if unit == "star":
            return f"{sign}{number_text(value)}★"
        if unit == "points" and self.lang == "zh":
            return f"{sign}{number_text(value)} 分"
        if unit == "W" and max(abs(value), abs(ref) if isinstance(ref, (int, float)) else 0) >= 1000:
            return f"{sign}{number_text(value / 1000)} kW"
        word = unit_word(value, unit, self.lang) if unit else None
        if word is not None:  # '84.8 分', not the English 'pts'
            return f"{sign}{number_text(value)} {word}"
        return f"{sign}{number_text(value)} {unit_text(unit)}".strip()

    def non_finite(self, value: float | int, unit: str | None, delta: bool = False) -> str:
        """∞ / -∞ with the unit, NaN in words, an integer beyond the float range in scientific notation: a figure
        that float arithmetic cannot handle is shown as such, never as a crash."""
        text = percent_text(value) if unit == "1" else number_text(value)
        if text == NOT_A_NUMBER:
            return self.t("not_finite")
        if unit == "star":
            return f"{text}★"
        return f"{text} {(self.t('pp') if delta else '%') if unit == '1' else unit_text(unit)}".strip()

    def requirement(self, result: RuleResult) -> str:
        """'≥ 50 %': the operator and threshold in the same unit style as the measured value."""
        if result.threshold is None:
            return "—"
        op = OPS.get(result.op or "", result.op or "")
        if result.unit in (KNOWN, YES) or self.declared(result):  # a placeholder threshold (1, 0) read as words
            return requirement_text(result.op or "", result.threshold, result.unit, op, self.lang)
        return f"{op} {self.value(result.threshold, result.unit, ref=result.value)}".strip()

    @staticmethod
    def declared(result: RuleResult) -> bool:
        """The figure is the model's value minus the declared one, required '≥ 0': shown in words, no margin."""
        return against_declared(result.op, result.threshold)

    def measured(self, result: RuleResult) -> str:
        """The measured figure; a difference against a declaration in words ('1★ less than declared')."""
        if self.declared(result) and isinstance(result.value, (int, float)) and not is_non_finite(result.value):
            return declared_difference_text(result.value, result.unit, self.lang)
        if result.unit == YES and isinstance(result.value, (int, float)):
            return self.t("yes" if result.value else "no")
        return self.value(result.value, result.unit, ref=result.threshold)

    def citation_status(self, citation: Any) -> str:
        """How far the cited figure can be trusted, in words, so nobody reads a recalled number as law."""
        confidence = CONFIDENCE[self.lang].get(citation.confidence or "", citation.confidence or "?")
        return self.t(f"cite_{citation.status.value}", confidence=confidence)

    def citation_note(self, citation: Any) -> str:
        """The citation's note for the reader: its language's half, internal shorthand in words."""
        return reader_note(citation.note, self.lang)

    def fact_label(self, key: str) -> str:
        """Known facts get a readable name (checker.rules.labels); unknown ones fall back to the key."""
        label = fact_label(key, self.lang)
        return label[:1].upper() + label[1:]

    def fact_value(self, value: Any, unit: str | None) -> str:
        """Categorical values in words ('新建' rather than 'new'), figures through value()."""
        return value_label(value, self.lang) or self.value(value, unit)

    def element_value(self, key: str, value: Any) -> str:
        """An element's value; a categorical one (its use, its fuel) in words of the report's language."""
        named = value_label(value, self.lang) if key in CATEGORICAL_ELEMENT_KEYS else None
        return named or self.value(value)


def _tables(details: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every {"columns": [...], "rows": [[...]]} value in `details`, keyed by its name."""
    found = []
    for name, value in details.items():
        if _is_table(value):
            found.append((name, value))
        elif name == "tables" and isinstance(value, list):
            found.extend((f"tables[{i}]", table) for i, table in enumerate(value) if _is_table(table))
    return found


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("columns"), list) and isinstance(value.get("rows"), list)


# Raw GB/T 51129 figures (per-item records, Q1-Q4, P, grade) that a card's Table 4.0.1 and its measured line already
# show: printed again as key/value pairs they were a page of machine output. The JSON report keeps them.
FIGURES_IN_TABLE = frozenset({"items", "P", "Q1", "Q2", "Q3", "Q4", "grade"})
# BJ-BIM-001's missing data items by their checklist keys: the building's "data to add" checklist, right after the
# fails, lists the same rows with their entity, type and allowed values. The JSON report keeps the keys.
SHOWN_IN_CHECKLIST = frozenset({"missing_data"})


def _other_details(details: dict[str, Any]) -> dict[str, Any]:
    """The non-table entries of `details`, shown as plain key/value pairs (less the figures a table or the
    checklist shows)."""
    tables = {name for name, _ in _tables(details)}
    hidden = tables | {"tables", "bars"} | SHOWN_IN_CHECKLIST | (FIGURES_IN_TABLE if tables else set())
    return {key: value for key, value in details.items() if key not in hidden}


@dataclass(frozen=True)
class BuildingRow:
    """One building beyond the full listing: its verdict and its counts per status."""

    global_id: str
    name: str | None
    verdict: str
    counts: dict[str, int]


def _building_rows(buildings: list[BuildingResult]) -> list[BuildingRow]:
    """Verdict and counts per building, judged as the summary judges the whole file (project results apart)."""
    rows = []
    for building in buildings:
        summary = summarise([building])
        rows.append(BuildingRow(building.global_id, building.name, summary.verdict, summary.counts))
    return rows


CSS_STRING_MAX = 90  # characters of a file name in the printed running header


def _css_string(text: str, limit: int = CSS_STRING_MAX) -> Markup:
    """A quoted CSS string for the print header: every character other than a letter, digit, '.', '_' or '-' as a
    6-digit escape, so no file name can close the string or the <style> element (HTML escaping does not apply
    inside <style>); long names are cut with '…'."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    body = "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else f"\\{ord(c):06x}" for c in text)
    return Markup(f'"{body}"')  # noqa: S704 - every character that could end the string or the element is escaped


def _anchor(building_id: str, rule_id: str) -> str:
    """A stable id for a rule's article: GlobalIds may hold '$', which we keep out of fragments."""
    return "rule-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in f"{building_id}-{rule_id}")


def _is_text_list(value: Any) -> bool:
    """A list of plain strings or {zh, en} texts (e.g. reasons, warnings): shown as a bullet list."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, str) or (isinstance(v, dict) and {"zh", "en"} <= v.keys()) for v in value)
    )


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs (Jinja's per-user cache folder, mode 0700, owner checked): compiling the
    report template costs 0.3 s, as much as the rest of a small model's check. None when no such folder can be made."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """Built on first use, not at import; autoescape on for every template and string (ruff S701)."""
    env = Environment(
        loader=PackageLoader("checker.report"),
        bytecode_cache=_bytecode_cache(),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        families=families,
        needs_action=needs_action,
        settled=settled,
        failing=failing,
        undecided_rules=undecided_rules,
        undecided=undecided,
        element_table=element_table,
        evidence_rows=evidence_rows,
        named_in_tables=named_in_tables,
        fail_overview=fail_overview,
        OVERVIEW_MAX=OVERVIEW_MAX,
        is_empty=is_empty,
        is_mapping=is_mapping,
        record_table=record_table,
        tables=_tables,
        other_details=_other_details,
        INLINE_MAX=INLINE_MAX,
        GID_INLINE=GID_INLINE,
        ROW_CAP=ROW_CAP,
        STATUS_ORDER=[s.value for s in STATUS_ORDER],
        STATUS_ICON=STATUS_ICON,
        VERDICT_ICON=VERDICT_ICON,
        is_text_list=_is_text_list,
        building_rows=_building_rows,
        anchor=_anchor,
        css_string=_css_string,
        ruleset_changes=ruleset_changes,
        SHORT_HASH=SHORT_HASH,
    )
    return env


class HtmlReporter:
    """`CheckRun` as one offline HTML page in English or Chinese."""

    format_id = "html"
    suffix = ".html"

    def __init__(self, buildings_in_full: int = BUILDINGS_IN_FULL) -> None:
        self.buildings_in_full = max(0, buildings_in_full)

    def render(self, run: CheckRun, lang: str = "en") -> bytes:
        check_language(lang)
        fmt = _Formatter(lang)
        template = _environment().get_template("report.html.j2")
        with without_gc_pauses():
            return self._render(template, run, lang, fmt)

    def _render(self, template: Template, run: CheckRun, lang: str, fmt: _Formatter) -> bytes:
        by_id = {building.global_id: building for building in run.buildings}
        shared = SharedTables()  # one per render: a table is shown once per report
        shared_elements = SharedElements()
        html = template.render(
            # embedded up to the buildings shown in full: beyond, the IDS grows with every building (`-f ids`)
            ids_uri=ids_data_uri(run) if len(run.buildings) <= self.buildings_in_full else None,
            ids_building=next((b.global_id for b in run.buildings[: self.buildings_in_full] if b.data_to_add), None),
            checklist_anchor=row_anchor,
            card_missing=lambda result, owner: card_missing(
                result, [by_id[owner]] if owner in by_id else run.buildings[: self.buildings_in_full]
            ),
            shared=shared.shown_in,
            shared_table=shared.table_shown_in,
            shared_elements=shared_elements.shown_in,
            run=run,
            in_full=self.buildings_in_full,
            lang=lang,
            html_lang="zh-CN" if lang == "zh" else "en",
            t=fmt.t,
            tr=fmt.tr,
            zt=fmt.free,
            q=fmt.value,
            req=fmt.requirement,
            measured=fmt.measured,
            declared=fmt.declared,
            cite_status=fmt.citation_status,
            cite_note=fmt.citation_note,
            fact_label=fmt.fact_label,
            fact_value=fmt.fact_value,
            element_value=fmt.element_value,
            rule_charts=lambda result, chart_id: rule_charts(result, lang, chart_id),
            override_text=lambda override: override_text(override, fmt.ui, lang),
        )
        return html.encode("utf-8", BYTES_THAT_DECODED_AS_NOTHING)
