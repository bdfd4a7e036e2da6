"""Classification family: the facts every other rule depends on (use, new or retrofit) are known."""

from __future__ import annotations

from checker.model.facts import BuildingFacts
from checker.rules.formatting import format_value
from checker.rules.labels import fact_label, value_label
from checker.rules.measurement import Measurement, MetricFn, Params


def fact_known(building: BuildingFacts, params: Params) -> Measurement:
    """1 when the fact named by params['fact'] is known exactly, else unknown naming what is missing.

    A bound is not knowing: a floor area that is 'at least 12,000 m²' does not decide a 20,000 m² trigger."""
    key = str(params["fact"])
    fact = building.fact(key)
    if fact.value is None:
        return Measurement(value=None, missing=[fact.missing or f"fact {key}"])
    if isinstance(fact.value, bool):
        shown = "yes" if fact.value else "no"
    else:
        shown = value_label(fact.value, "en") or format_value(fact.value, fact.unit)
    if fact.bound != "exact":
        why = fact.missing or "; ".join(fact.warnings) or "part of the data is missing"
        return Measurement(
            value=None,
            evidence=fact.evidence,
            missing=[f"{fact_label(key, 'en')} is only a {fact.bound} bound ({shown}): {why}"],
        )
    return Measurement(
        value=1,
        unit="1",
        evidence=fact.evidence,
        warnings=fact.warnings,
        details={"fact_value": fact.value},
        display=f"{fact_label(key, 'en')}: {shown}",
    )


METRICS: dict[str, MetricFn] = {"fact_known": fact_known}
