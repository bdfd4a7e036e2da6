"""Star-rating family (GB/T 50378): the declared target star level against the policy minimum."""

from __future__ import annotations

from checker.model.facts import BuildingFacts
from checker.rules.measurement import Measurement, MetricFn, Params, from_fact


def declared_star_level(building: BuildingFacts, params: Params) -> Measurement:
    """The building's declared target star level (0 = basic ... 3 = three-star)."""
    return from_fact(building.fact("target_star_level"), unit="star")


METRICS: dict[str, MetricFn] = {"declared_star_level": declared_star_level}
