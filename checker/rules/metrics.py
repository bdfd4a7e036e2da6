"""The explicit registry of metric functions a ruleset may name. No discovery, no import side effects."""

from __future__ import annotations

from checker.rules.families import classification, pv, star_rating
from checker.rules.measurement import Measurement, MetricFn

METRICS: dict[str, MetricFn] = {
    **classification.METRICS,
    **star_rating.METRICS,
    **pv.METRICS,
}

__all__ = ["METRICS", "Measurement", "MetricFn"]
