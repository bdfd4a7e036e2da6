"""Envelope figures that stay honest when the model does not say whether some elements are exterior.

Envelope records carry `exterior`: "declared" (IsExternal = TRUE), "inferred" (the model shows it, e.g. a wall hosting
a window declared exterior) or "candidate" (IsExternal missing; absent = declared, for hand-built facts). A figure is
decided only when the candidates cannot change the verdict:
- worst element (U: the highest; SHGC: the lowest): the sure elements already fail -> fail; every candidate meets
  the limit too -> pass, noting the candidates; otherwise unknown, naming the candidates that could change it;
- area-weighted mean over the sure elements and any subset of the candidates: it lies between the smallest and the
  largest of (the sure mean, each candidate's value), so the rule decides only when that interval is on one side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from checker.model.facts import BuildingFacts, ElementRecord
from checker.rules.measurement import Params

CANDIDATE = "candidate"
EPS = 1e-12
Bound = Literal["exact", "upper", "lower"]

CLASS_LABELS = {
    "walls": ("exterior walls (incl. opaque curtain walls)", "外墙（含非透光幕墙）"),
    "roofs": ("roofs", "屋面"),
    "floors": ("floors over outside / ground", "地面及外挑楼板"),
    "floors_unheated": ("floors between heated and unheated space", "分隔供暖与非供暖空间的楼板"),
    "windows": ("exterior windows (incl. transparent curtain walls)", "外窗（含透光幕墙）"),
    "skylights": ("skylights (windows in a roof)", "屋顶透光部分"),
    "doors": ("exterior doors", "外门"),
}
# what an element of the class is called in "IsExternal missing on 3 walls"
NOUNS = {
    "walls": "walls",
    "roofs": "roofs",
    "floors": "floors",
    "floors_unheated": "floors",
    "windows": "windows or curtain walls",
    "skylights": "skylights",
    "doors": "doors",
}
SINGULAR = {
    "walls": "wall",
    "roofs": "roof",
    "floors": "floor",
    "windows or curtain walls": "window or curtain wall",
    "skylights": "skylight",
    "doors": "door",
}
U_UNIT = "W/(m2.K)"


def element_u(record: ElementRecord, rsi: float, rse: float) -> tuple[float | None, str]:
    """(U, source) of one envelope element (the formula lives on ElementRecord, shared with the U-value facts)."""
    return record.u_value(rsi, rse)


def why_u_missing(record: ElementRecord) -> str:
    parts = [str(record.values["note"])] if record.values.get("note") else []
    if "r_layers" in record.sources and record.values.get("r_layers") is None:
        parts.append(record.sources["r_layers"])
    label = f"{record.global_id} ({record.name})" if record.name else record.global_id
    return f"{label}: " + ("; ".join(parts) if parts else "no ThermalTransmittance")


def class_stats(records: list[ElementRecord], rsi: float, rse: float) -> dict[str, Any]:
    """Count, total area, and over the elements known to be exterior: area-weighted mean U (None if an area or U
    is missing) and worst U; the U per element (candidates included)."""
    us = [(r, *element_u(r, rsi, rse)) for r in records]
    sure = [(r, u) for r, u, _ in us if not is_candidate(r)]
    known = [u for _, u in sure if u is not None]
    areas = [r.values.get("area_m2") for r, _ in sure]
    complete = known and len(known) == len(sure) and all(isinstance(a, (int, float)) and a > 0 for a in areas)
    sure_area = sum(float(a) for a in areas if isinstance(a, (int, float)))
    mean = sum(float(r.values["area_m2"]) * u for r, u in sure) / sure_area if complete and sure_area > 0 else None  # type: ignore[arg-type,operator,misc]
    return {
        "count": len(records),
        "candidates": len(records) - len(sure),
        "area": round(sum(float(a) for r in records if isinstance(a := r.values.get("area_m2"), (int, float))), 3),
        "mean": mean,
        "worst": max(known) if len(known) == len(sure) and known else None,
        "per_element": us,
    }


def surface_resistances(params: Params, cls: str) -> tuple[float, float]:
    """Surface resistances for U computed from layers: ruleset data (rsi_<class>/rse_<class>), never a code default."""
    return float(params[f"rsi_{cls}"]), float(params[f"rse_{cls}"])


def is_candidate(record: ElementRecord) -> bool:
    return record.values.get("exterior") == CANDIDATE


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Decided:
    """The figure to compare, the direction it may be off, and what is uncertain. verdict: None = cannot tell."""

    value: float | None
    bound: Bound = "exact"
    missing: list[str] = field(default_factory=list)
    verdict: bool | None = None


def _listing(items: Sequence[tuple[ElementRecord, float | None]], what: str, limit: int = 20) -> str:
    shown = [f"{r.global_id}, {what} {'unknown' if v is None else f'{v:.2f}'}" for r, v in items[:limit]]
    return "; ".join(shown) + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def counted(count: int, noun: str) -> str:
    """'1 wall', '3 walls' for a plural noun of NOUNS."""
    return f"{count} {SINGULAR.get(noun, noun) if count == 1 else noun}"


def candidates_note(items: Sequence[tuple[ElementRecord, float | None]], noun: str, what: str) -> str:
    """'IsExternal missing on 3 walls (2XQ.., U 0.80): cannot tell whether they are exterior'."""
    they = "it is" if len(items) == 1 else "they are"
    listing = _listing(items, what)
    return f"IsExternal missing on {counted(len(items), noun)} ({listing}): cannot tell whether {they} exterior"


def worst_with_candidates(
    items: Sequence[tuple[ElementRecord, float | None]],
    limit: float,
    op: str,
    noun: str,
    what: str,
    unknown_note: str,
) -> Decided:
    """The worst value against `limit` (op '<=': the highest is worst; '>=': the lowest). `unknown_note` names the
    sure elements whose value is missing (the caller knows why)."""
    worse_is_higher = op == "<="
    worst = max if worse_is_higher else min
    toward_worse: Bound = "lower" if worse_is_higher else "upper"
    toward_better: Bound = "upper" if worse_is_higher else "lower"

    def complies(value: float) -> bool:
        return value <= limit + EPS if worse_is_higher else value >= limit - EPS

    sure = [(r, v) for r, v in items if not is_candidate(r)]
    candidates = [(r, v) for r, v in items if is_candidate(r)]
    known = [v for _, v in sure if v is not None]
    sure_lacking = [r for r, v in sure if v is None]
    deciders = [(r, v) for r, v in candidates if v is None or not complies(v)]
    doubts = ([unknown_note] if sure_lacking else []) + ([candidates_note(deciders, noun, what)] if deciders else [])
    if known and not complies(worst(known)):
        bound: Bound = "exact" if not sure_lacking and not deciders else toward_worse
        return Decided(worst(known), bound, doubts, verdict=False)
    if sure_lacking or deciders:
        return Decided(worst(known) if known else None, toward_worse, doubts)
    everything = known + [v for _, v in candidates if v is not None]
    if not everything:
        return Decided(None, missing=[f"identifiable {noun}: none found"])
    if not candidates:
        return Decided(worst(everything), verdict=True)
    they = "it complies" if len(candidates) == 1 else "they all comply"
    note = (
        f"IsExternal missing on {counted(len(candidates), noun)} but {they} ({what} {worst(everything):.3f} at worst)"
    )
    return Decided(worst(everything), toward_better, [note], verdict=True)


@dataclass(frozen=True)
class Interval:
    """Where an area-weighted mean can lie (None: unbounded); `may_be_absent` when no element of the class is known
    to be exterior, so the class itself may not exist."""

    low: float | None
    high: float | None
    sure_mean: float | None = None
    missing: list[str] = field(default_factory=list)
    may_be_absent: bool = False


def mean_with_candidates(
    items: Sequence[tuple[ElementRecord, float | None]], noun: str, what: str, unknown_note: str
) -> Interval:
    """Area-weighted mean over the sure elements and whichever candidates are exterior."""
    sure = [(r, v) for r, v in items if not is_candidate(r)]
    candidates = [(r, v) for r, v in items if is_candidate(r)]
    lacking = [r.global_id for r, v in sure if v is None]
    no_area = [r.global_id for r, _ in sure if (_number(r.values.get("area_m2")) or 0.0) <= 0]
    missing = [unknown_note] if lacking else []
    if no_area:
        missing.append(f"area of {counted(len(no_area), noun)} for the area-weighted mean: {', '.join(no_area[:20])}")
    unknown_candidates = [(r, v) for r, v in candidates if v is None]
    if unknown_candidates:
        missing.append(candidates_note(unknown_candidates, noun, what))
    if missing:
        return Interval(None, None, missing=missing)
    weighted = [(_number(r.values.get("area_m2")) or 0.0, float(v or 0.0)) for r, v in sure]
    area = sum(a for a, _ in weighted)
    mean = sum(a * u for a, u in weighted) / area if sure else None
    values = ([mean] if mean is not None else []) + [float(v) for _, v in candidates if v is not None]
    if not values:
        return Interval(None, None, missing=[f"identifiable {noun}: none found"])
    doubt = [candidates_note(candidates, noun, what)] if candidates else []
    return Interval(min(values), max(values), mean, doubt, may_be_absent=not sure)


def decide_mean(interval: Interval, limit: float) -> Decided:
    """An area-weighted mean U against `limit` (<=): pass when the interval's top meets it, fail when its bottom
    misses it and the class is known to exist, else unknown."""
    if interval.low is None or interval.high is None:
        return Decided(None, missing=interval.missing)
    doubt: Bound = "upper" if interval.missing else "exact"
    if interval.high <= limit + EPS:
        return Decided(interval.high, doubt, interval.missing, verdict=True)
    if interval.may_be_absent:
        return Decided(None, missing=interval.missing)
    if interval.low > limit + EPS:
        return Decided(interval.low, "lower" if interval.missing else "exact", interval.missing, verdict=False)
    return Decided(interval.low, "lower", interval.missing)


def band_columns(building: BuildingFacts, params: Params) -> tuple[list[int], str, str | None]:
    """Columns of the limit table the building may fall in, their description, and what is missing when more than
    one is possible. Column i holds values ≤ band_upper[i]; the last column is open-ended."""
    fact_key = str(params["band_fact"])
    uppers = [float(u) for u in params["band_upper"]]
    labels = [str(b) for b in params["band_labels"]]
    fact = building.fact(fact_key)
    value = _number(fact.value)
    if value is None:
        what = fact.missing or fact_key
        return list(range(len(labels))), "any column", f"{fact_key} ({what}), needed to pick the limits' column"
    index = next((i for i, u in enumerate(uppers) if value <= u + EPS), len(uppers))
    span = {"exact": [index], "upper": list(range(index + 1)), "lower": list(range(index, len(labels)))}[fact.bound]
    shown = " ".join(labels[i] for i in span)
    if len(span) == 1:
        return span, f"{fact_key} {value:g}: {shown}", None
    return span, f"{fact_key} {value:g} ({fact.bound} bound): {shown}", f"{fact_key} exactly ({fact.missing})"
