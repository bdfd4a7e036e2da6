"""The explicit registry of metric functions a ruleset may name. No discovery, no import side effects."""

from __future__ import annotations

from checker.rules.families import (
    baseline_energy,
    baseline_skylights,
    classification,
    energy_supply,
    envelope_improvement,
    green_materials,
    material_claims,
    prefabrication,
    pv,
    star_rating,
    ultra_low_energy,
    window_airtightness,
)
from checker.rules.measurement import Measurement, MetricFn

METRICS: dict[str, MetricFn] = {
    **classification.METRICS,
    **star_rating.METRICS,
    **envelope_improvement.METRICS,
    **pv.METRICS,
    **green_materials.METRICS,
    **material_claims.METRICS,
    **ultra_low_energy.METRICS,
    **prefabrication.METRICS,
    **baseline_energy.METRICS,
    **baseline_skylights.METRICS,
    **energy_supply.METRICS,
    **window_airtightness.METRICS,
}

__all__ = ["METRICS", "Measurement", "MetricFn"]
