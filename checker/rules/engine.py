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
from checker.rules.completeness import METRIC as COMPLETENESS
from checker.rules.completeness import completeness_facts, data_completeness, traced
from checker.rules.conditions import applicability
from checker.rules.finite import finite_building, finite_facts
from checker.rules.formatting import (
    against_declared,
    declared_difference_text,
    difference_text,
    finite_float,
    format_value,
    requirement_text,
    value_text,
)
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
        reads: dict[str, set[str]] = {}
        results = [
            _traced_rule(rule, seen, reads) if rule.metric != COMPLETENESS else _pending(rule)
            for rule in building_rules
        ]
        todo = data_to_add(b.global_id, b.facts, [*project.results, *results], ruleset.extraction, b.elements)
        completeness = data_completeness(b, reads, results, todo, ruleset.extraction)
        more = completeness_facts(completeness, len(reads))
        if any(rule.metric == COMPLETENESS for rule in building_rules):  # after the rules whose data it counts
            with_score = seen.model_copy(update={"facts": {**seen.facts, **more}})
            keys = [item.key for item in completeness.missing]
            results = [
                _with_missing(evaluate_rule(rule, with_score), keys) if rule.metric == COMPLETENESS else result
                for rule, result in zip(building_rules, results, strict=True)
            ]
        buildings.append(
            BuildingResult(
                global_id=b.global_id,
                name=b.name,
                facts={**b.facts, **more},
                results=results,
                data_to_add=todo,
                completeness=completeness,
            )
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


def _traced_rule(rule: Rule, building: BuildingFacts, reads: dict[str, set[str]]) -> RuleResult:
    """evaluate_rule, noting in `reads` what a rule that applies or may apply read (its metric run once more, for
    that only, when its applicability is undecided): the data the completeness score counts."""
    watched, seen = traced(building)
    result = evaluate_rule(rule, watched)
    if result.status is Status.NOT_APPLICABLE:
        return result
    if result.status is Status.UNKNOWN and applicability(rule.applies_when, building).applies is None:
        try:
            METRICS[rule.metric](
                watched, {**rule.params, "require_op": rule.require.op, "require_value": rule.require.value}
            )
        except Exception:  # noqa: BLE001, S110 - only what it reads is wanted; evaluate_rule reported any crash
            pass
    reads[rule.id] = seen
    return result


def _pending(rule: Rule) -> RuleResult:
    """A placeholder replaced once the building's other rules are evaluated."""
    return RuleResult(**_base(rule), status=Status.UNKNOWN, message=I18n(en="pending", zh="待定"))


def _with_missing(result: RuleResult, keys: list[str]) -> RuleResult:
    """The completeness rule names the missing rows by their checklist keys; the checklist says the rest."""
    return result.model_copy(update={"details": {**result.details, "missing_data": keys}})


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
    en, zh = (_shown(rule.require.op, value, threshold, measured, lang) for lang in ("en", "zh"))
    if _uncertain(rule.require.op, measured.bound, passed):
        why = (
            measured.missing
            or measured.warnings
            or [f"the measured value is only {_a(measured.bound)} bound of the true value"]
        )
        verb_en, verb_zh = ("meets", "满足") if passed else ("misses", "不满足")
        msg = I18n(
            en=f"Unknown: {en[0]} {verb_en} {en[1]} only as {_a(measured.bound)} bound; {'; '.join(why)}",
            zh=(
                f"无法判定：{zh[0]} 仅作为{'上限' if measured.bound == 'upper' else '下限'}"
                f"{verb_zh} {zh[1]}；{zh_text('；'.join(why))}"
            ),
        )
        return RuleResult(
            **common, status=Status.UNKNOWN, value=value, margin=margin, missing=why, remedy=rule.remedy, message=msg
        )
    if passed and measured.bound != "exact" and measured.missing:
        note = "; ".join(measured.missing)
        msg = I18n(
            en=(
                f"Pass: {en[0]} ({en[1]} required) as {_a(measured.bound)} bound, "
                f"so it holds whatever the missing data turn out to be: {note}"
            ),
            zh=(
                f"满足：{zh[0]}（要求 {zh[1]}）为{'下限' if measured.bound == 'lower' else '上限'}，"
                f"无论缺失数据如何均满足：{zh_text(note)}"
            ),
        )
        return RuleResult(
            **common, status=Status.PASS, value=value, margin=margin, missing=measured.missing, message=msg
        )
    if passed:
        return RuleResult(
            **common, status=Status.PASS, value=value, margin=margin, message=_pass_message(rule, en, zh, measured)
        )
    shown_gap = _gap(rule.require.op, number, threshold, measured.denominator)
    gap = finite_float(shown_gap)
    msg = _fail_message(rule, (en, zh), shown_margin, shown_gap, measured)
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


def _shown(op: str, value: float | int, threshold: float, measured: Measurement, lang: str) -> tuple[str, str, str]:
    """(measured, required, margin-or-display prefix) in one language: a difference against a declaration in words
    ('1★ less than declared'), points and levels as words, the requirement as the reader checks it."""
    if against_declared(op, threshold):
        shown = declared_difference_text(value, measured.unit, lang)
    else:
        shown = value_text(value, measured.unit, lang)
    margin = difference_text(_margin(op, float(value), threshold), measured.unit, lang)
    return shown, requirement_text(op, threshold, measured.unit, OP_SYMBOLS[op], lang), margin


def _pass_message(rule: Rule, en: tuple[str, str, str], zh: tuple[str, str, str], measured: Measurement) -> I18n:
    """'Pass: 56.3 % (≥ 50.0 % required; margin 6.3 pp)'; a display text instead of the figure where the metric
    gives one; a difference against a declaration in words ('Pass: 3★, as declared')."""
    declared = against_declared(rule.require.op, rule.require.value)
    if declared:
        shown = measured.display
        return I18n(
            en=f"Pass: {shown}, {en[0]}" if shown else f"Pass: {en[0]}",
            zh=f"满足：{zh_text(shown)}，{zh[0]}" if shown else f"满足：{zh[0]}",
        )
    if measured.display is not None:
        return I18n(en=f"Pass: {measured.display}", zh=f"满足：{zh_text(measured.display)}")
    return I18n(
        en=f"Pass: {en[0]} ({en[1]} required; margin {en[2]})",
        zh=f"满足：{zh[0]}（要求 {zh[1]}；余量 {zh[2]}）",
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
    if denominator is None:
        return delta
    gap = delta * denominator
    # a ratio of counts (15 of 26 items) gives back a count: 0.423… × 26 is 11, not 10.999999999999998
    return float(round(gap)) if abs(gap - round(gap)) < 1e-9 else gap


def _fail_message(
    rule: Rule, shown: tuple[tuple[str, str, str], ...], margin: float, gap: float, measured: Measurement
) -> I18n:
    """'Fail: 31.3 % (≥ 50.0 % required; short by 18.8 pp): add about 600 m² of panels': the shortfall as a size
    with the direction in the words, in the unit vocabulary of the figure (percentage points for ratios)."""
    gap_unit = measured.gap_unit or measured.unit
    texts = {}
    for lang, (value, required, short) in zip(("en", "zh"), shown, strict=True):
        with_unit = (
            difference_text(gap, gap_unit, lang) if gap_unit == measured.unit else value_text(gap, gap_unit, lang)
        )
        subst = {"value": value, "threshold": required, "gap": format_value(gap, gap_unit).split(" ")[0]}
        template = None if rule.shortfall is None else rule.shortfall.get(lang)
        extra = "" if template is None else Template(template).safe_substitute(subst, gap_with_unit=with_unit)
        texts[lang] = (value, required, short, extra)
    (v_en, r_en, s_en, x_en), (v_zh, r_zh, s_zh, x_zh) = texts["en"], texts["zh"]
    x_en, x_zh = (f": {x_en}" if x_en else ""), (f"：{x_zh}" if x_zh else "")
    if against_declared(rule.require.op, rule.require.value):
        found = measured.display
        return I18n(
            en=f"Fail: {found}, {v_en}{x_en}" if found else f"Fail: {v_en}{x_en}",
            zh=f"不满足：{zh_text(found)}，{v_zh}{x_zh}" if found else f"不满足：{v_zh}{x_zh}",
        )
    if math.isclose(margin, 0.0, abs_tol=1e-12):  # a strict requirement ('above 25 years') met only with equality
        return I18n(
            en=f"Fail: {v_en} ({r_en} required: equal is not enough)",
            zh=f"不满足：{v_zh}（要求 {r_zh}，等于不满足要求）",
        )
    return I18n(
        en=f"Fail: {v_en} ({r_en} required; short by {s_en}){x_en}",
        zh=f"不满足：{v_zh}（要求 {r_zh}；差 {s_zh}）{x_zh}",
    )
