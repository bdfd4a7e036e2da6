"""Classification family: the facts every other rule depends on (use, new or retrofit) are known."""

from __future__ import annotations

from checker.model.facts import BuildingFacts
from checker.rules.measurement import Measurement, MetricFn, Params


def fact_known(building: BuildingFacts, params: Params) -> Measurement:
    """1 when the fact named by params['fact'] is known, else unknown naming what is missing."""
    fact = building.fact(str(params["fact"]))
    if fact.value is None:
        return Measurement(value=None, missing=[fact.missing or f"fact {params['fact']}"])
    return Measurement(
        value=1,
        unit="1",
        evidence=fact.evidence,
        warnings=fact.warnings,
        details={"fact_value": fact.value},
        display=f"{params['fact']} = {fact.value}",
    )


METRICS: dict[str, MetricFn] = {"fact_known": fact_known}
