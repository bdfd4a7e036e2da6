"""evaluate(ruleset, facts) -> CheckRun. Pure: no IO, the clock is passed in.

Per rule and building: applicability (three-valued) -> metric -> comparison -> RuleResult with value,
threshold, margin, and for fails how much has to change. Missing data gives `unknown`, never `pass`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from string import Template

from checker import __version__
from checker.model.facts import BuildingFacts, Fact, ModelFacts
from checker.rules.checklist import data_to_add
from checker.rules.conditions import applicability
from checker.rules.finite import finite_building, finite_facts
from checker.rules.formatting import finite_float, format_value
from checker.rules.measurement import Measurement
from checker.rules.metrics import METRICS
from checker.rules.results import (
    BuildingResult,
    CheckRun,
    ProjectResult,
    RuleResult,
    RulesetRef,
    Status,
    ToolInfo,
    summarise,
)
from checker.rules.schema import I18n, Rule, Ruleset
from checker.rules.texts import zh_text

log = logging.getLogger(__name__)
OP_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda v, t: v >= t or math.isclose(v, t, rel_tol=1e-9, abs_tol=1e-12),
    ">": lambda v, t: v > t and not math.isclose(v, t, rel_tol=1e-9, abs_tol=1e-12),
    "<=": lambda v, t: v <= t or math.isclose(v, t, rel_tol=1e-9, abs_tol=1e-12),
    "<": lambda v, t: v < t and not math.isclose(v, t, rel_tol=1e-9, abs_tol=1e-12),
    "==": lambda v, t: math.isclose(v, t, rel_tol=1e-9, abs_tol=1e-12),
}


def evaluate(ruleset: Ruleset, facts: ModelFacts, generated_at: str) -> CheckRun:
    """Project rules on the project's facts, building rules on each building's facts seen with the project's."""
    proj = facts.project
    project_facts = finite_facts(proj.facts)
    as_building = BuildingFacts(global_id=proj.global_id or "project", name=proj.name, facts=project_facts)
    project = ProjectResult(
        global_id=proj.global_id,
        name=proj.name,
        building_ids=proj.building_ids,
        facts=project_facts,
        results=[evaluate_rule(rule, as_building) for rule in ruleset.rules if rule.level == "project"],
    )
    building_rules = [rule for rule in ruleset.rules if rule.level == "building"]
    buildings = []
    for b in map(finite_building, facts.buildings):
        seen = with_project(b, project_facts)  # once per building, not per rule
        results = [evaluate_rule(rule, seen) for rule in building_rules]
        todo = data_to_add(b.global_id, b.facts, [*project.results, *results], ruleset.extraction)
        buildings.append(
            BuildingResult(global_id=b.global_id, name=b.name, facts=b.facts, results=results, data_to_add=todo)
        )
    ref = RulesetRef.of(ruleset)
    return CheckRun(
        tool=ToolInfo(version=__version__),
        generated_at=generated_at,
        model=facts.model,
        ruleset=ref,
        project=project,
        buildings=buildings,
        summary=summarise(buildings, project),
    )


def with_project(building: BuildingFacts, project_facts: dict[str, Fact]) -> BuildingFacts:
    """The building's facts with the project's beside them, so a building rule may depend on a per-project figure."""
    if not project_facts:
        return building
    return building.model_copy(update={"facts": {**project_facts, **building.facts}})


def _base(rule: Rule) -> dict[str, object]:
    return {
        "rule_id": rule.id,
        "family": rule.family,
        "title": rule.title,
        "severity": rule.severity,
        "citation": rule.citation,
        "op": rule.require.op,
        "threshold": rule.require.value,
        "unit": rule.require.unit,
        "overrides": rule.overrides,
        "added_by": rule.added_by,
    }


def evaluate_rule(rule: Rule, building: BuildingFacts) -> RuleResult:
    """One rule on one building; a crashing metric gives status error, not a lost run."""
    base = _base(rule)
    scope = applicability(rule.applies_when, building)
    if scope.applies is False:
        reason = scope.reasons[0] if scope.reasons else I18n(en="conditions not met", zh="不满足适用条件")
        return RuleResult(
            **base,
            status=Status.NOT_APPLICABLE,
            message=I18n(en=f"Not applicable: {reason.en}", zh=f"不适用：{reason.zh}"),
        )
    if scope.applies is None:
        missing = "; ".join(scope.missing)
        return RuleResult(
            **base,
            status=Status.UNKNOWN,
            missing=scope.missing,
            message=I18n(
                en=f"Cannot tell whether the rule applies: missing {missing}",
                zh=f"无法判断是否适用：缺少 {zh_text(missing)}",
            ),
        )
    try:
        params = {**rule.params, "require_op": rule.require.op, "require_value": rule.require.value}
        measured = METRICS[rule.metric](building, params)
    except Exception as exc:  # noqa: BLE001 - a rule bug must not stop the other rules
        log.debug("rule %s crashed", rule.id, exc_info=True)
        return RuleResult(
            **base,
            status=Status.ERROR,
            message=I18n(
                en=f"Rule could not be evaluated: {type(exc).__name__}: {exc}",
                zh=f"规则计算出错：{type(exc).__name__}: {exc}",
            ),
        )
    return _judge(rule, base, measured)


def _judge(rule: Rule, base: dict[str, object], measured: Measurement) -> RuleResult:
    common = {
        **base,
        "unit": measured.unit,
        "evidence": measured.evidence,
        "elements": measured.elements,
        "details": {**measured.details, **({"warnings": measured.warnings} if measured.warnings else {})},
        "bound": measured.bound,
        "display": measured.display,
    }
    if measured.value is None:
        missing = measured.missing or ["the data this rule needs"]
        text = "; ".join(missing)
        return RuleResult(
            **common,
            status=Status.UNKNOWN,
            missing=missing,
            remedy=rule.remedy,
            message=I18n(en=f"Unknown: missing {text}", zh=f"无法判定：缺少 {zh_text(text)}"),
        )
    value = measured.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return RuleResult(
            **common,
            status=Status.UNKNOWN,
            value=str(value),
            missing=[f"a numeric value (got {value!r})"],
            message=I18n(en=f"Unknown: value {value!r} is not a number", zh=f"无法判定：数值 {value!r} 不是数字"),
        )
    number, threshold = finite_float(value), finite_float(rule.require.value)
    if number is None or threshold is None:
        return _not_finite(rule, common, value, measured)
    passed = COMPARE[rule.require.op](number, threshold)
    shown_margin = _margin(rule.require.op, number, threshold)  # ±inf when 1e308 meets -1e308: shown, not stored
    margin = finite_float(shown_margin)
    shown_value, shown_threshold = (
        format_value(value, measured.unit),
        f"{OP_SYMBOLS[rule.require.op]} {format_value(threshold, measured.unit)}",
    )
    if _uncertain(rule.require.op, measured.bound, passed):
        why = (
            measured.missing
            or measured.warnings
            or [f"the measured value is only {_a(measured.bound)} bound of the true value"]
        )
        verb_en, verb_zh = ("meets", "满足") if passed else ("misses", "不满足")
        msg = I18n(
            en=(
                f"Unknown: {shown_value} {verb_en} {shown_threshold} only as {_a(measured.bound)} bound; "
                f"{'; '.join(why)}"
            ),
            zh=(
                f"无法判定：{shown_value} 仅作为{'上限' if measured.bound == 'upper' else '下限'}"
                f"{verb_zh} {shown_threshold}；{zh_text('；'.join(why))}"
            ),
        )
        return RuleResult(
            **common, status=Status.UNKNOWN, value=value, margin=margin, missing=why, remedy=rule.remedy, message=msg
        )
    if passed and measured.bound != "exact" and measured.missing:
        note = "; ".join(measured.missing)
        msg = I18n(
            en=(
                f"Pass: {shown_value} ({shown_threshold} required) as {_a(measured.bound)} bound, "
                f"so it holds whatever the missing data turn out to be: {note}"
            ),
            zh=(
                f"满足：{shown_value}（要求 {shown_threshold}）为{'下限' if measured.bound == 'lower' else '上限'}，"
                f"无论缺失数据如何均满足：{zh_text(note)}"
            ),
        )
        return RuleResult(
            **common, status=Status.PASS, value=value, margin=margin, missing=measured.missing, message=msg
        )
    if passed and measured.display is not None:
        return RuleResult(
            **common,
            status=Status.PASS,
            value=value,
            margin=margin,
            message=I18n(en=f"Pass: {measured.display}", zh=f"满足：{zh_text(measured.display)}"),
        )
    if passed:
        msg = I18n(
            en=f"Pass: {shown_value} ({shown_threshold} required; margin {format_value(shown_margin, measured.unit)})",
            zh=f"满足：{shown_value}（要求 {shown_threshold}；余量 {format_value(shown_margin, measured.unit)}）",
        )
        return RuleResult(**common, status=Status.PASS, value=value, margin=margin, message=msg)
    shown_gap = _gap(rule.require.op, number, threshold, measured.denominator)
    gap = finite_float(shown_gap)
    msg = _fail_message(rule, shown_value, shown_threshold, shown_margin, shown_gap, measured)
    return RuleResult(
        **common,
        status=Status.FAIL,
        value=value,
        margin=margin,
        gap=gap,
        gap_unit=measured.gap_unit or measured.unit,
        remedy=rule.remedy,
        message=msg,
    )


def _not_finite(rule: Rule, common: dict[str, object], value: float | int, measured: Measurement) -> RuleResult:
    """NaN, ±inf or a number beyond the float range cannot be compared: unknown, naming the figure and its sources.

    NaN compares false both ways (a '<=' would fail and a '!=' pass on nothing) and ∞ would 'prove' any bound, so
    neither is ever judged; the JSON report keeps valid (no NaN token) because the value is stored as null.
    """
    sources = "; ".join(dict.fromkeys(ev.source for ev in measured.evidence)) or "no evidence recorded"
    if finite_float(value) is None:
        figure = f"the measured {rule.metric} is {format_value(value, measured.unit)} (from {sources})"
        missing = [f"a finite value of {rule.metric} ({format_value(value, measured.unit)}, from {sources})"]
    else:
        figure = f"the threshold of {rule.id} is {format_value(rule.require.value, rule.require.unit)} (ruleset)"
        missing = [f"a finite threshold (require.value of {rule.id})"]
    return RuleResult(
        **common,
        status=Status.UNKNOWN,
        missing=missing,
        remedy=rule.remedy,
        message=I18n(
            en=f"Unknown: {figure}: not a finite number that can be compared",
            zh=f"无法判定：{figure}：不是可比较的有限数值",
        ),
    )


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _uncertain(op: str, bound: str, passed: bool) -> bool:
    """A bound settles a verdict only in one direction: an upper bound can prove a fail of '>=' but not a pass."""
    if bound == "exact" or op == "==":
        return bound != "exact"
    at_least = op in (">=", ">")
    return passed == ((bound == "upper") == at_least)


def _margin(op: str, value: float, threshold: float) -> float:
    """Signed slack: positive means room to spare, negative means short of the requirement."""
    if op in (">=", ">"):
        return value - threshold
    if op in ("<=", "<"):
        return threshold - value
    return -abs(value - threshold)


def _gap(op: str, value: float, threshold: float, denominator: float | None) -> float:
    """How much the measured quantity (or a ratio's numerator) must change to comply."""
    delta = abs(threshold - value)
    return delta * denominator if denominator is not None else delta


def _fail_message(
    rule: Rule, shown_value: str, shown_threshold: str, margin: float, gap: float, measured: Measurement
) -> I18n:
    gap_unit = measured.gap_unit or measured.unit
    subst = {
        "value": shown_value,
        "threshold": shown_threshold,
        "gap": format_value(gap, gap_unit).split(" ")[0],
        "gap_with_unit": format_value(gap, gap_unit),
    }
    extra_en = extra_zh = ""
    if rule.shortfall is not None:
        extra_en = ": " + Template(rule.shortfall.en).safe_substitute(subst)
        extra_zh = "：" + Template(rule.shortfall.zh).safe_substitute(subst)
    if math.isclose(margin, 0.0, abs_tol=1e-12):  # a strict requirement ('above 25 years') met only with equality
        return I18n(
            en=f"Fail: {shown_value} ({shown_threshold} required: equal is not enough)",
            zh=f"不满足：{shown_value}（要求 {shown_threshold}，等于不满足要求）",
        )
    short = format_value(-margin, measured.unit)
    return I18n(
        en=f"Fail: {shown_value} ({shown_threshold} required; short by {short}){extra_en}",
        zh=f"不满足：{shown_value}（要求 {shown_threshold}；差 {short}）{extra_zh}",
    )
