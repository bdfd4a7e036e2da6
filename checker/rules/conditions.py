"""Applicability: three-valued evaluation of a rule's conditions on building facts.

A condition on a missing fact is neither true nor false: the rule is then `unknown`, never skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from checker.model.facts import BuildingFacts
from checker.rules.formatting import SCIENTIFIC_FROM, format_number, is_non_finite
from checker.rules.labels import FACT_LABELS, value_label
from checker.rules.schema import Condition, I18n

Value = object
OPERATORS: dict[str, Callable[[Value, Value], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "in": lambda a, b: a in b,  # type: ignore[operator]
    "not_in": lambda a, b: a not in b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    "<": lambda a, b: a < b,  # type: ignore[operator]
}
OP_WORDS = {
    "==": ("is", "为"),
    "!=": ("is not", "不为"),
    "in": ("is one of", "属于"),
    "not_in": ("is not one of", "不属于"),
    ">=": ("≥", "≥"),
    ">": (">", ">"),
    "<=": ("≤", "≤"),
    "<": ("<", "<"),
}


@dataclass
class Applicability:
    applies: bool | None
    reasons: list[I18n] = field(default_factory=list)  # why not applicable (when applies is False)
    missing: list[str] = field(default_factory=list)  # facts that decide applicability but are unknown


def _shown(value: object, lang: str = "en") -> str:
    zh = lang == "zh"
    if isinstance(value, list):
        return ("、" if zh else ", ").join(_shown(v, lang) for v in value)
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if value_label(value, lang) is not None:
        return str(value_label(value, lang))
    if isinstance(value, (int, float)) and (is_non_finite(value) or abs(value) >= SCIENTIFIC_FROM):
        return format_number(value)  # ∞, NaN, 1e+26: never 300 digits
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return str(value)


def _explain(condition: Condition, actual: object) -> I18n:
    label_en, label_zh = FACT_LABELS.get(condition.fact or "", (condition.fact or "", condition.fact or ""))
    word_en, word_zh = OP_WORDS[condition.op or "=="]
    return I18n(
        en=f"{label_en} is {_shown(actual)} (rule applies when {label_en} {word_en} {_shown(condition.value)})",
        zh=f"{label_zh}为{_shown(actual, 'zh')}（本条适用于{label_zh}{word_zh}{_shown(condition.value, 'zh')}）",
    )


def evaluate(condition: Condition, building: BuildingFacts) -> Applicability:
    if condition.all_of is not None:
        return _combine([evaluate(c, building) for c in condition.all_of], need_all=True)
    if condition.any_of is not None:
        return _combine([evaluate(c, building) for c in condition.any_of], need_all=False)
    fact = building.fact(condition.fact or "")
    if fact.value is None:
        return Applicability(None, missing=[fact.missing or str(condition.fact)])
    if is_non_finite(fact.value):  # NaN compares false both ways: it must not make a rule "not applicable"
        shown = format_number(fact.value)  # type: ignore[arg-type]
        why = f"{condition.fact}: {shown} is not a usable number (NaN, infinite or too large)"
        return Applicability(None, missing=[why])
    try:
        holds = OPERATORS[condition.op or "=="](fact.value, condition.value)
    except TypeError:
        return Applicability(None, missing=[f"{condition.fact} has a value that cannot be compared ({fact.value!r})"])
    if not settled(condition.op or "==", fact.bound, holds):
        why = fact.missing or "; ".join(fact.warnings) or f"{condition.fact} is only {fact.bound} bound"
        return Applicability(None, missing=[f"{condition.fact}: {fact.value!r} is only a {fact.bound} bound ({why})"])
    return Applicability(True) if holds else Applicability(False, reasons=[_explain(condition, fact.value)])


def settled(op: str, bound: str, holds: bool) -> bool:
    """Whether a comparison on a bounded value holds for the true value too.

    A lower bound (the true value may be higher) settles a true '>=' and a false '<='; an upper bound the
    reverse. Equality and membership are never settled by a bound.
    """
    if bound == "exact":
        return True
    if op in (">=", ">"):
        return holds == (bound == "lower")
    if op in ("<=", "<"):
        return holds == (bound == "upper")
    return False


def _combine(parts: list[Applicability], need_all: bool) -> Applicability:
    """AND: any false wins, then unknown. OR: any true wins, then unknown."""
    decisive = False if need_all else True
    hits = [p for p in parts if p.applies is decisive]
    if hits:
        if need_all:
            return Applicability(False, reasons=[r for p in hits for r in p.reasons])
        return Applicability(True)
    unknown = [p for p in parts if p.applies is None]
    if unknown:
        return Applicability(None, missing=list(dict.fromkeys(m for p in unknown for m in p.missing)))
    if need_all:
        return Applicability(True)
    return Applicability(False, reasons=[r for p in parts for r in p.reasons])


def applicability(conditions: list[Condition], building: BuildingFacts) -> Applicability:
    return _combine([evaluate(c, building) for c in conditions], need_all=True) if conditions else Applicability(True)
