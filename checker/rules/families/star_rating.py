"""Star-rating family (GB/T 50378-2019, 2024 rev.): declared target vs policy minimum, and the model-provable part
of the rating: Q = (Q0 + Q1..Q5 + QA) / 10 from declared category scores, the 30 % per-category minimum,
full decoration, the 2024 green-material minimum (Table 3.2.8 T7), and the 7.2.18 points recomputed from
the material take-off replacing the declared ones inside the resource-saving score. Table 3.2.8 row T1 (envelope
thermal-performance improvement) lives in envelope_improvement.py. Every figure is a param.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from checker.model.facts import BuildingFacts, Evidence
from checker.rules.families.green_materials import points_for, ratio_note
from checker.rules.families.material_shares import Appendix, Bound, appendix_ratio, settle
from checker.rules.formatting import YES
from checker.rules.measurement import Measurement, MetricFn, Params, from_fact

LABELS = {
    "safety": ("safety & durability", "安全耐久"),
    "health": ("health & comfort", "健康舒适"),
    "convenience": ("convenience", "生活便利"),
    "resource": ("resource saving", "资源节约"),
    "environment": ("environment livability", "环境宜居"),
    "innovation": ("improvement & innovation", "提高与创新"),
}


def declared_star_level(building: BuildingFacts, params: Params) -> Measurement:
    """The building's declared target star level (0 = basic ... 3 = three-star)."""
    return from_fact(building.fact("target_star_level"), unit="star")


@dataclass
class Scorecard:
    """Declared and recomputed category scores, the total Q and the level the data supports."""

    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reasons: list[dict[str, str]] = field(default_factory=list)  # why a level is not reached / a claim is contradicted
    rows: list[list[Any]] = field(default_factory=list)
    shares: dict[str, float] = field(default_factory=dict)
    total: float | None = None
    level: int | None = None
    ratio: float | None = None
    gm_points: float | None = None
    evidence: list[Evidence] = field(default_factory=list)
    open: list[str] = field(default_factory=list)  # why the card is one end of an interval besides the ratio


def _num(building: BuildingFacts, key: str, card: Scorecard) -> float | None:
    fact = building.fact(key)
    card.evidence.extend(fact.evidence)
    if fact.value is None:
        card.missing.append(fact.missing or key)
        return None
    return float(fact.value)


def scorecard(building: BuildingFacts, params: Params) -> Scorecard:
    """The scorecard at the lower end of the green-material ratio interval (at the ratio when it is exact)."""
    return scorecards(building, params)[0]


def scorecards(building: BuildingFacts, params: Params) -> tuple[Scorecard, Scorecard, Appendix]:
    """The scorecards at both ends of the green-material ratio interval and of the 7.2.18 points an undeclared
    ScoreGreenMaterials may hide in the resource score: every figure grows with both, so the two bound it."""
    appendix = appendix_ratio(building, params)
    low = _scorecard(building, params, appendix, appendix.lower, lowest=True)
    undeclared = building.fact("star_score_green_materials").value is None
    if (appendix.ratio is not None or appendix.upper is None) and not undeclared:
        return low, low, appendix
    upper = appendix.upper if appendix.upper is not None else appendix.lower
    return low, _scorecard(building, params, appendix, upper, False), appendix


def _held_gm_points(params: Params, resource: float, lowest: bool) -> float:
    """7.2.18 points an undeclared ScoreGreenMaterials may hide in the resource score: all (low end) or none."""
    return min(max(float(p) for p in params["gm_points"]), resource) if lowest else 0.0


def _resource(building: BuildingFacts, params: Params, card: Scorecard, resource: float, lowest: bool) -> float:
    """The resource-saving score with its declared 7.2.18 points replaced by the model's (card.gm_points); without
    the declaration it may hold 0 to all of them, taken at the end `lowest` asks for."""
    declared_gm = building.fact("star_score_green_materials").value
    if declared_gm is None:
        limit = _held_gm_points(params, resource, True)
        card.open.append(
            "CN_GreenBuilding.ScoreGreenMaterials (the 7.2.18 points inside the declared resource-saving score): "
            f"without it the score may hold 0 to {limit:g} points of 7.2.18, which the model's points replace"
        )
        return resource - _held_gm_points(params, resource, lowest) + float(card.gm_points or 0.0)
    if float(declared_gm) > float(card.gm_points or 0.0):
        supported, ratio = f"{card.gm_points:g}", f"{card.ratio:.1%}"
        en = f"7.2.18 green materials: {declared_gm:g} points declared, the model supports {supported} (ratio {ratio})"
        zh = f"7.2.18 绿色建材：申报 {declared_gm:g} 分，模型仅支持 {supported} 分（应用比例 {ratio}）"
        card.reasons.append({"en": en, "zh": zh})
    return resource - float(declared_gm) + float(card.gm_points or 0.0)


def _scorecard(
    building: BuildingFacts, params: Params, appendix: Appendix, ratio: float | None, lowest: bool = True
) -> Scorecard:
    """Everything the star rules need at one green-material ratio, computed from the facts and the params; `lowest`
    takes an undeclared ScoreGreenMaterials at the end that gives the lower figures."""
    card = Scorecard()
    keys: list[str] = list(params["category_keys"])
    maxima = [float(m) for m in params["category_max"]]
    stage = building.fact("star_assessment_stage")
    if stage.value is None:
        card.missing.append(stage.missing or "star_assessment_stage")
    elif stage.value == "pre":
        maxima[keys.index("convenience")] = float(params["convenience_max_pre"])
    declared = {k: _num(building, f"star_score_{k}", card) for k in keys}
    innovation = building.fact("star_score_innovation").value
    control = building.fact("star_control_items_met").value
    decoration = building.fact("full_decoration").value
    for key, value in (("star_control_items_met", control), ("full_decoration", decoration)):
        if value is None:
            card.missing.append(building.fact(key).missing or key)
    card.ratio = ratio
    card.missing.extend(appendix.missing)
    card.warnings.extend(appendix.warnings)
    if card.missing:
        return card
    recomputed = dict(declared)
    card.gm_points = points_for(float(card.ratio), params["gm_thresholds"], params["gm_points"])  # type: ignore[arg-type]
    recomputed["resource"] = _resource(building, params, card, float(declared["resource"]), lowest)  # type: ignore[arg-type]
    min_share = float(params["min_share"])
    for key, maximum in zip(keys, maxima, strict=True):
        value = min(float(recomputed[key]), maximum)  # type: ignore[arg-type]
        if float(recomputed[key]) > maximum:  # type: ignore[arg-type]
            card.warnings.append(f"{key} score {recomputed[key]:g} exceeds its maximum {maximum:g}: capped")
        recomputed[key] = value
        card.shares[key] = value / maximum
        card.rows.append(
            [
                f"{LABELS[key][0]} / {LABELS[key][1]}",
                declared[key],
                round(value, 3),
                maximum,
                round(maximum * min_share, 3),
            ]
        )
        if card.shares[key] < min_share - 1e-12:
            card.reasons.append(
                {
                    "en": f"{LABELS[key][0]}: {value:g} is below {min_share:.0%} of {maximum:g}",
                    "zh": f"{LABELS[key][1]}：{value:g} 低于满分 {maximum:g} 的 {min_share:.0%}",
                }
            )
    bonus = min(float(innovation or 0.0), float(params["innovation_max"]))
    if innovation is None:
        card.warnings.append("CN_GreenBuilding.ScoreInnovation is absent: bonus counted as 0")
    card.rows.append(
        [
            f"{LABELS['innovation'][0]} / {LABELS['innovation'][1]}",
            innovation,
            bonus,
            float(params["innovation_max"]),
            0.0,
        ]
    )
    base = float(params["control_items_score"]) if control else 0.0
    card.total = round((base + sum(float(v) for v in recomputed.values()) + bonus) / 10.0, 4)  # type: ignore[arg-type,misc]
    card.rows.append(["Q = (Q0 + Q1..Q5 + QA) / 10", None, card.total, None, None])
    if not control:
        card.reasons.append({"en": "control items are not all met: no rating", "zh": "控制项未全部满足：不能评级"})
        card.level = -1
        return card
    card.level = _level(card, params, bool(decoration), min_share)
    return card


def _level(card: Scorecard, params: Params, decoration: bool, min_share: float) -> int:
    """Highest star level whose model-provable conditions all hold (0 = basic level)."""
    if not decoration:
        card.reasons.append({"en": "no full decoration: no star level", "zh": "未全装修：不能评星级"})
        return 0
    if any(s < min_share - 1e-12 for s in card.shares.values()):
        return 0
    level = 0
    for star, (threshold, ratio) in enumerate(
        zip(params["level_thresholds"], params["star_ratios"], strict=True), start=1
    ):
        if float(card.total) < float(threshold) - 1e-9:  # type: ignore[arg-type]
            card.reasons.append(
                {
                    "en": f"{star}-star needs Q ≥ {threshold}; recomputed Q = {card.total:g}",
                    "zh": f"{star}星级要求总分 ≥ {threshold}；复算总分 {card.total:g}",
                }
            )
            break
        if float(card.ratio) < float(ratio) - 1e-12:  # type: ignore[arg-type]
            card.reasons.append(
                {
                    "en": (
                        f"{star}-star needs a green-material ratio ≥ {float(ratio):.0%} (2024 rev. Table 3.2.8); "
                        f"model gives {card.ratio:.1%}"
                    ),
                    "zh": (
                        f"{star}星级要求绿色建材应用比例 ≥ {float(ratio):.0%}（2024版表3.2.8）；模型为 {card.ratio:.1%}"
                    ),
                }
            )
            break
        level = star
    return level


def _details(card: Scorecard, params: Params) -> dict[str, Any]:
    bars = [
        {
            "label": {"en": LABELS[k][0], "zh": LABELS[k][1]},
            "value": round(s, 4),
            "threshold": float(params["min_share"]),
            "unit": "1",
        }
        for k, s in card.shares.items()
    ]
    if card.total is not None:
        bars.append(
            {
                "label": {"en": "total score Q", "zh": "总得分 Q"},
                "value": card.total,
                "threshold": float(params["level_thresholds"][-1]),
                "unit": "points",
            }
        )
    if card.ratio is not None:
        bars.append(
            {
                "label": {"en": "green-material ratio", "zh": "绿色建材应用比例"},
                "value": card.ratio,
                "threshold": float(params["star_ratios"][-1]),
                "unit": "1",
            }
        )
    table = {
        "title": {"en": "Star scorecard (declared vs recomputed)", "zh": "星级评分表（申报与复算）"},
        "columns": ["category", "declared", "recomputed", "maximum", "minimum"],
        "rows": card.rows,
    }
    return {
        "tables": [table],
        "bars": bars,
        "reasons": card.reasons,
        "total_score": card.total,
        "level_reached": card.level,
        "green_material_ratio": card.ratio,
        "green_material_points": card.gm_points,
    }


def _settled(
    building: BuildingFacts, params: Params, unit: str, figure: Callable[[Scorecard], float]
) -> Measurement | tuple[Scorecard, float, Bound, Appendix]:
    """A figure of the scorecard, settled over the green-material ratio interval: (card, value, bound, appendix),
    or the unknown measurement (missing data, or an interval that does not decide the rule)."""
    low, high, appendix = scorecards(building, params)
    if low.missing or high.missing:
        return Measurement(value=None, unit=unit, missing=low.missing, warnings=low.warnings, evidence=low.evidence)
    values = figure(low), figure(high)
    settled = settle(*values, params)
    if settled is None:
        spread = [f"the green-material ratio between {low.ratio:.1%} and {high.ratio:.1%}"] if appendix.open else []
        spread += ["the 7.2.18 points the resource score may hold"] if low.open else []
        note = (
            f"with {' and '.join(spread)} the figure lies between {values[0]:g} and {values[1]:g}, "
            "which does not settle the rule"
        )
        details = {
            **_details(high, params),
            "green_material_ratio_interval": [appendix.lower, appendix.upper],
            "at_lower_ratio": {"total_score": low.total, "level_reached": low.level, "gm_points": low.gm_points},
        }
        why = [*appendix.open, *low.open, note]
        return Measurement(
            value=None, unit=unit, missing=why, warnings=low.warnings, evidence=low.evidence, details=details
        )
    value, bound = settled
    return (high if bound == "upper" else low), value, bound, appendix


def _bounded(card: Scorecard, bound: Bound, appendix: Appendix, params: Params) -> dict[str, Any]:
    """Measurement fields for a scorecard figure: a bound names what the ratio interval (and an undeclared
    ScoreGreenMaterials) leaves open."""
    details = _details(card, params)
    if bound == "exact":
        return {"bound": bound, "warnings": card.warnings, "details": details}
    details["green_material_ratio_interval"] = [appendix.lower, appendix.upper]
    ratio_open = [ratio_note(appendix, bound)] if appendix.open else []
    return {
        "bound": bound,
        "missing": [*appendix.open, *card.open],
        "warnings": [*card.warnings, *ratio_open, *(f"{bound} bound: {note}" for note in card.open)],
        "details": details,
    }


def star_level_margin(building: BuildingFacts, params: Params) -> Measurement:
    """Level the data supports minus the declared target (>= 0 means the claim holds); reasons in details."""
    target = building.fact("target_star_level")
    if target.value is None:
        return Measurement(value=None, unit="star", missing=[target.missing or "target_star_level"])
    found = _settled(building, params, "star", lambda card: float(card.level or 0) - float(target.value))  # type: ignore[arg-type]
    if isinstance(found, Measurement):
        return found
    card, value, bound, appendix = found
    return Measurement(
        value=int(value),
        unit="star",
        display=f"{int(card.level or 0)}★",  # the level the data supports: the figure a reader looks for
        evidence=[*card.evidence, *target.evidence],
        elements=[*building.elements.get("materials", []), *building.elements.get("elements_without_material", [])],
        **_bounded(card, bound, appendix, params),
    )


def star_total_score(building: BuildingFacts, params: Params) -> Measurement:
    """Recomputed total score Q (declared 7.2.18 points replaced by the model's)."""
    found = _settled(building, params, "points", lambda card: float(card.total or 0.0))
    if isinstance(found, Measurement):
        return found
    card, value, bound, appendix = found
    return Measurement(
        value=value,
        unit="points",  # the gap is in points of Q, as the requirement: not the item sum (10 × Q) beside it
        evidence=card.evidence,
        **_bounded(card, bound, appendix, params),
    )


def star_min_category_share(building: BuildingFacts, params: Params) -> Measurement:
    """Lowest category score as a share of its maximum (3.2.8-1 requires each >= 30 %)."""
    found = _settled(building, params, "1", lambda card: round(min(card.shares.values()), 6) if card.shares else 0.0)
    if isinstance(found, Measurement):
        return found
    card, value, bound, appendix = found
    return Measurement(value=value, unit="1", evidence=card.evidence, **_bounded(card, bound, appendix, params))


def green_points_overclaim(building: BuildingFacts, params: Params) -> Measurement:
    """Recomputed minus declared 7.2.18 points
    (negative: the declared resource-saving score claims points the model lacks)."""
    declared = building.fact("star_score_green_materials")
    appendix = appendix_ratio(building, params)
    missing = [*([declared.missing] if declared.value is None and declared.missing else []), *appendix.missing]
    if missing or appendix.lower is None or appendix.upper is None:
        return Measurement(
            value=None, unit="points", missing=missing or ["green-material ratio"], warnings=appendix.warnings
        )
    ends = [points_for(r, params["gm_thresholds"], params["gm_points"]) for r in (appendix.lower, appendix.upper)]
    settled = settle(ends[0] - float(declared.value), ends[1] - float(declared.value), params)  # type: ignore[arg-type]
    details = {
        "declared_points": declared.value,
        "recomputed_points": ends[0] if ends[0] == ends[1] else ends,
        "ratio": appendix.ratio,
        "ratio_interval": [appendix.lower, appendix.upper],
    }
    if settled is None:
        note = f"the model supports between {ends[0]:g} and {ends[1]:g} points, which does not settle the rule"
        return Measurement(value=None, unit="points", missing=[*appendix.open, note], warnings=appendix.warnings)
    value, bound = settled
    opened = bound != "exact"
    return Measurement(
        value=value,
        unit="points",
        bound=bound,
        missing=appendix.open if opened else [],
        evidence=declared.evidence,
        warnings=[*appendix.warnings, *([ratio_note(appendix, bound)] if opened else [])],
        details=details,
    )


def full_decoration(building: BuildingFacts, params: Params) -> Measurement:
    """1 when the building declares full decoration (3.2.8-2), 0 when it declares none."""
    fact = building.fact("full_decoration")
    if fact.value is None:
        return Measurement(value=None, unit=YES, missing=[fact.missing or "full_decoration"])
    return Measurement(
        value=1 if fact.value else 0,
        unit=YES,
        evidence=fact.evidence,
        display="full decoration declared" if fact.value else None,
    )


METRICS: dict[str, MetricFn] = {
    "declared_star_level": declared_star_level,
    "star_level_margin": star_level_margin,
    "star_total_score": star_total_score,
    "star_min_category_share": star_min_category_share,
    "green_points_overclaim": green_points_overclaim,
    "full_decoration": full_decoration,
}
