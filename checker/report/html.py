"""A self-contained HTML report for people: one file, no network, readable on screen and on paper.

Everything the template shows comes from the `CheckRun`; the only text kept here is the fixed UI
wording (in both languages) and number/unit formatting, so the template stays free of logic.
The JSON report is the complete record; long lists here are collapsed and capped, always saying so.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from checker.report.base import check_language
from checker.report.charts import bar_charts
from checker.report.provenance import PROVENANCE_UI, SHORT_HASH, override_text, ruleset_changes
from checker.rules.formatting import NOT_A_NUMBER, UNIT_SYMBOLS, is_non_finite, number_text, percent_text
from checker.rules.labels import fact_label, value_label
from checker.rules.results import CheckRun, RuleResult, Status
from checker.rules.schema import Family

INLINE_MAX = 20  # lists longer than this go inside a collapsed <details>
ROW_CAP = 200  # rows shown inside a <details>; the summary and a note give the true total

FAMILY_ORDER = [
    Family.CLASSIFICATION,
    Family.STAR_RATING,
    Family.ULTRA_LOW_ENERGY,
    Family.PREFABRICATION,
    Family.PV,
    Family.GREEN_MATERIALS,
]
STATUS_ORDER = [Status.FAIL, Status.ERROR, Status.UNKNOWN, Status.PASS, Status.NOT_APPLICABLE]
STATUS_ICON = {"pass": "✔", "fail": "✘", "error": "⚠", "unknown": "?", "not_applicable": "–"}
VERDICT_ICON = {"compliant": "✔", "non_compliant": "✘", "incomplete": "?"}
OPS = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠", ">": ">", "<": "<", "in": "∈", "not_in": "∉"}

UI: dict[str, dict[str, str]] = {
    "en": {
        "title": "Green-building compliance report",
        "model_file": "Model file",
        "schema": "IFC schema",
        "application": "Authoring application",
        "sha256": "SHA-256",
        "size": "File size",
        "bytes": "bytes",
        "length_unit": "Length unit",
        "buildings": "Buildings",
        "ruleset": "Ruleset",
        "extends": "extends",
        "generated_at": "Generated",
        "tool": "Tool",
        "report_schema": "Report schema",
        "model_warnings": "Model warnings",
        "unnamed": "(unnamed)",
        "verdict": "Overall verdict",
        "to_fix": "To fix or complete",
        "verdict_compliant": "Compliant",
        "verdict_non_compliant": "Non-compliant",
        "verdict_incomplete": "Incomplete — data missing",
        "verdict_detail": "{failed} error-severity rule(s) failed, {unknown} could not be decided",
        "status_pass": "Pass",
        "status_fail": "Fail",
        "status_error": "Check error",
        "status_unknown": "Unknown",
        "status_not_applicable": "Not applicable",
        "severity": "Severity",
        "severity_error": "error",
        "severity_warning": "warning",
        "severity_info": "info",
        "failures_only": "Show failures only (hide passed and not-applicable rules)",
        "print_filtered": "Printed with the filter “failures only”: passed and not-applicable rules are hidden.",
        "building": "Building",
        "project": "Project",
        "project_intro": "Figures the plan states per project, over the {n} building(s) of this file's IfcProject.",
        "facts": "Building facts",
        "project_facts": "Project facts",
        "fact": "Fact",
        "value": "Value",
        "source": "Source / evidence",
        "missing": "missing: {what}",
        "warning": "warning",
        "measured": "Measured",
        "required": "Required",
        "margin": "Margin",
        "gap": "Change needed",
        "bound_upper": "upper bound: the true value may be lower",
        "bound_lower": "lower bound: the true value may be higher",
        "message": "Finding",
        "remedy": "Remedy",
        "citation": "Citation",
        "clause": "clause",
        "cite_primary": "primary source",
        "cite_verified": "verified in official data",
        "cite_secondary": "secondary source",
        "cite_partly": "partly confirmed ({confidence} confidence) — verify before use",
        "cite_recalled": "recalled ({confidence} confidence) — verify before use",
        "evidence": "Evidence",
        "elements_count": "{n} element(s)",
        "global_ids": "GlobalIds",
        "n_global_ids": "{n} GlobalIds",
        "n_elements": "{n} affected elements",
        "capped": "showing {shown} of {total}; the JSON report has all",
        "missing_data": "Missing data",
        "elements": "Affected elements",
        "col_global_id": "GlobalId",
        "col_class": "Class",
        "col_name": "Name",
        "col_storey": "Storey",
        "col_values": "Values",
        "details": "Details",
        "no_results": "No rules were evaluated for this building.",
        "method_property": "property",
        "method_quantity": "quantity",
        "method_attribute": "attribute",
        "method_geometry": "geometry",
        "method_derived": "derived",
        "method_ruleset": "ruleset",
        "method_default": "default",
        "yes": "yes",
        "no": "no",
        "not_finite": "not a finite number",
        "pp": "pp",
        "family_classification": "Classification",
        "family_star_rating": "Star rating",
        "family_ultra_low_energy": "Ultra-low energy",
        "family_prefabrication": "Prefabrication",
        "family_pv": "Photovoltaics",
        "family_green_materials": "Green building materials",
    },
    "zh": {
        "title": "绿色建筑合规检查报告",
        "model_file": "模型文件",
        "schema": "IFC 版本",
        "application": "创建软件",
        "sha256": "SHA-256",
        "size": "文件大小",
        "bytes": "字节",
        "length_unit": "长度单位",
        "buildings": "建筑",
        "ruleset": "规则集",
        "extends": "继承自",
        "generated_at": "生成时间",
        "tool": "工具",
        "report_schema": "报告格式版本",
        "model_warnings": "模型警告",
        "unnamed": "（未命名）",
        "verdict": "总体结论",
        "to_fix": "需整改或补充的数据",
        "verdict_compliant": "符合",
        "verdict_non_compliant": "不符合",
        "verdict_incomplete": "无法判定——数据缺失",
        "verdict_detail": "{failed} 条错误级规则不通过，{unknown} 条无法判定",
        "status_pass": "通过",
        "status_fail": "不通过",
        "status_error": "检查出错",
        "status_unknown": "无法判定",
        "status_not_applicable": "不适用",
        "severity": "严重程度",
        "severity_error": "错误",
        "severity_warning": "警告",
        "severity_info": "提示",
        "failures_only": "只显示问题（隐藏通过和不适用的规则）",
        "print_filtered": "打印时启用了“只显示问题”筛选：通过和不适用的规则未列出。",
        "building": "建筑",
        "project": "项目",
        "project_intro": "实施方案按项目规定的指标，按本文件 IfcProject 下的 {n} 栋建筑汇总。",
        "facts": "建筑基本数据",
        "project_facts": "项目基本数据",
        "fact": "数据项",
        "value": "数值",
        "source": "来源 / 依据",
        "missing": "缺失：{what}",
        "warning": "警告",
        "measured": "实测值",
        "required": "要求",
        "margin": "余量",
        "gap": "需调整",
        "bound_upper": "上限值：实际值可能更小",
        "bound_lower": "下限值：实际值可能更大",
        "message": "结论",
        "remedy": "整改建议",
        "citation": "依据",
        "clause": "条款",
        "cite_primary": "原文来源",
        "cite_verified": "已在官方数据中核实",
        "cite_secondary": "二手来源",
        "cite_partly": "部分确认（可信度：{confidence}）——使用前请核实",
        "cite_recalled": "凭记忆引用（可信度：{confidence}）——使用前请核实",
        "evidence": "证据",
        "elements_count": "{n} 个构件",
        "global_ids": "GlobalId",
        "n_global_ids": "共 {n} 个 GlobalId",
        "n_elements": "共 {n} 个相关构件",
        "capped": "显示 {shown} / {total} 条；完整列表见 JSON 报告",
        "missing_data": "缺失数据",
        "elements": "相关构件",
        "col_global_id": "GlobalId",
        "col_class": "类型",
        "col_name": "名称",
        "col_storey": "楼层",
        "col_values": "数值",
        "details": "明细",
        "no_results": "该建筑没有执行任何规则。",
        "method_property": "属性",
        "method_quantity": "工程量",
        "method_attribute": "实体属性",
        "method_geometry": "几何计算",
        "method_derived": "推导",
        "method_ruleset": "规则集",
        "method_default": "默认值",
        "yes": "是",
        "no": "否",
        "not_finite": "非有限数值",
        "pp": "个百分点",
        "family_classification": "建筑分类",
        "family_star_rating": "星级评价",
        "family_ultra_low_energy": "超低能耗",
        "family_prefabrication": "装配式建筑",
        "family_pv": "光伏",
        "family_green_materials": "绿色建材",
    },
}
CONFIDENCE = {"en": {"high": "high", "med": "med", "low": "low"}, "zh": {"high": "高", "med": "中", "low": "低"}}

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
        self.ui = {**UI[lang], **PROVENANCE_UI[lang]}

    def t(self, key: str, **fields: Any) -> str:
        """A fixed UI string; a missing key is a bug, so it raises instead of printing nothing."""
        text = self.ui[key]
        return text.format(**fields) if fields else text

    def tr(self, text: Any) -> str:
        """The language's half of an I18n field, or a {zh, en} dict found in `details` tables."""
        if isinstance(text, dict) and {"zh", "en"} <= text.keys():
            return str(text[self.lang])
        if hasattr(text, "get") and hasattr(text, "zh"):
            return str(text.get(self.lang))
        return self.value(text)

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
            return f"{value} {unit_text(unit)}".strip() if unit else str(value)
        if is_non_finite(value):
            return self.non_finite(value, unit, delta)
        sign = "+" if signed and value > 0 else ""
        if unit == "1":
            return f"{sign}{percent_text(value)} {self.t('pp') if delta else '%'}"
        if unit == "star":
            return f"{sign}{number_text(value)}★"
        if unit == "W" and max(abs(value), abs(ref) if isinstance(ref, (int, float)) else 0) >= 1000:
            return f"{sign}{number_text(value / 1000)} kW"
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
        return f"{op} {self.value(result.threshold, result.unit, ref=result.value)}".strip()

    def citation_status(self, citation: Any) -> str:
        """How far the cited figure can be trusted, in words, so nobody reads a recalled number as law."""
        confidence = CONFIDENCE[self.lang].get(citation.confidence or "", citation.confidence or "?")
        return self.t(f"cite_{citation.status.value}", confidence=confidence)

    def fact_label(self, key: str) -> str:
        """Known facts get a readable name (checker.rules.labels); unknown ones fall back to the key."""
        label = fact_label(key, self.lang)
        return label[:1].upper() + label[1:]

    def fact_value(self, value: Any, unit: str | None) -> str:
        """Categorical values in words ('新建' rather than 'new'), figures through value()."""
        return value_label(value, self.lang) or self.value(value, unit)


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


def _other_details(details: dict[str, Any]) -> dict[str, Any]:
    """The non-table entries of `details`, shown as plain key/value pairs."""
    tables = {name for name, _ in _tables(details)} | {"tables", "bars"}
    return {key: value for key, value in details.items() if key not in tables}


def _families(results: list[RuleResult]) -> list[tuple[Family, list[RuleResult]]]:
    """Results grouped by family in the house order, worst status first, rule order kept otherwise."""
    rank = {status: index for index, status in enumerate(STATUS_ORDER)}
    grouped = []
    for family in FAMILY_ORDER:
        members = [result for result in results if result.family is family]
        if members:
            grouped.append((family, sorted(members, key=lambda result: rank[result.status])))
    return grouped


def _pretty(value: Any) -> str:
    """Nested `details` entries that are not tables, as readable JSON (escaped by the template)."""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)


SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
TO_FIX_STATUSES = {"fail": 0, "error": 0, "unknown": 1}


def _to_fix(results: list[RuleResult]) -> list[RuleResult]:
    """What needs action, most serious first: error-severity fails, then unknowns, then warnings."""
    to_fix = [r for r in results if r.status.value in TO_FIX_STATUSES]
    return sorted(to_fix, key=lambda r: (SEVERITY_RANK[r.severity.value], TO_FIX_STATUSES[r.status.value], r.rule_id))


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


def _is_block(value: Any) -> bool:
    """Lists and dicts (other than a {zh, en} text) are shown as a JSON block rather than inline."""
    if isinstance(value, dict):
        return not {"zh", "en"} <= value.keys()
    return isinstance(value, (list, tuple))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """Built on first use, not at import; autoescape on for every template and string (ruff S701)."""
    env = Environment(
        loader=PackageLoader("checker.report"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        families=_families,
        tables=_tables,
        other_details=_other_details,
        INLINE_MAX=INLINE_MAX,
        ROW_CAP=ROW_CAP,
        STATUS_ORDER=[s.value for s in STATUS_ORDER],
        STATUS_ICON=STATUS_ICON,
        VERDICT_ICON=VERDICT_ICON,
        pretty=_pretty,
        is_block=_is_block,
        is_text_list=_is_text_list,
        to_fix=_to_fix,
        anchor=_anchor,
        ruleset_changes=ruleset_changes,
        SHORT_HASH=SHORT_HASH,
    )
    return env


class HtmlReporter:
    """`CheckRun` as one offline HTML page in English or Chinese."""

    format_id = "html"
    suffix = ".html"

    def render(self, run: CheckRun, lang: str = "en") -> bytes:
        check_language(lang)
        fmt = _Formatter(lang)
        template = _environment().get_template("report.html.j2")
        html = template.render(
            run=run,
            lang=lang,
            html_lang="zh-CN" if lang == "zh" else "en",
            t=fmt.t,
            tr=fmt.tr,
            q=fmt.value,
            req=fmt.requirement,
            cite_status=fmt.citation_status,
            fact_label=fmt.fact_label,
            fact_value=fmt.fact_value,
            bar_charts=lambda details: bar_charts(details, lang),
            override_text=lambda override: override_text(override, fmt.ui, lang),
        )
        return html.encode("utf-8")
