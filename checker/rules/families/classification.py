"""Classification family: the facts every other rule depends on (use, new or retrofit) are known; and declarations
that scope rules expect (a declared energy target), with the expected values as ruleset params."""

from __future__ import annotations

from checker.model.facts import BuildingFacts
from checker.rules.formatting import KNOWN, YES, format_value
from checker.rules.labels import fact_label, value_label
from checker.rules.measurement import Measurement, MetricFn, Params


def fact_known(building: BuildingFacts, params: Params) -> Measurement:
    """1 when the fact named by params['fact'] is known exactly, else unknown naming what is missing.

    A bound is not knowing: a floor area that is 'at least 12,000 m²' does not decide a 20,000 m² trigger."""
    key = str(params["fact"])
    fact = building.fact(key)
    if fact.value is None:
        return Measurement(value=None, unit=KNOWN, missing=[fact.missing or f"fact {key}"])
    if isinstance(fact.value, bool):
        shown = "yes" if fact.value else "no"
    else:
        shown = value_label(fact.value, "en") or format_value(fact.value, fact.unit)
    if fact.bound != "exact":
        why = fact.missing or "; ".join(fact.warnings) or "part of the data is missing"
        return Measurement(
            value=None,
            unit=KNOWN,
            evidence=fact.evidence,
            missing=[f"{fact_label(key, 'en')} is only a {fact.bound} bound ({shown}): {why}"],
        )
    return Measurement(
        value=1,
        unit=KNOWN,
        evidence=fact.evidence,
        warnings=fact.warnings,
        details={"fact_value": fact.value},
        display=f"{fact_label(key, 'en')}: {shown}",
    )


def fact_in(building: BuildingFacts, params: Params) -> Measurement:
    """1 when the fact named by params['fact'] takes one of params['values'], 0 when it takes another value,
    unknown when the fact is, or when it takes one of params['undecided'] (a value that alone cannot tell: a hybrid
    structure may or may not be a steel-structure building), naming the property whose declaration decides."""
    name = str(params["fact"])
    fact = building.fact(name)
    if fact.value is None:
        return Measurement(value=None, unit=YES, missing=[fact.missing or f"fact {name}"])
    expected = list(params["values"])
    if fact.value in list(params.get("undecided", [])):
        why = f"{name} = {fact.value} does not tell: declare {params.get('declare', name)}"
        return Measurement(value=None, unit=YES, evidence=fact.evidence, warnings=fact.warnings, missing=[why])
    hit = fact.value in expected
    return Measurement(
        value=1 if hit else 0,
        unit=YES,
        evidence=fact.evidence,
        warnings=fact.warnings,
        details={"fact_value": fact.value, "expected": expected},
        display=f"{name} = {fact.value}" if hit else f"{name} = {fact.value} (expected one of {', '.join(expected)})",
    )


def data_completeness(building: BuildingFacts, params: Params) -> Measurement:
    """The share of the data inputs the building's other rules read that the model provides (plan 三(三)); the
    engine computes it after those rules (checker/rules/completeness.py) and sets it as facts."""
    score, provided, needed = (building.fact(key) for key in ("data_completeness", "data_inputs_provided",
                                                              "data_inputs_needed"))  # fmt: skip
    if score.value is None:
        return Measurement(value=None, unit="1", missing=[score.missing or "fact data_completeness"])
    return Measurement(
        value=score.value,
        unit="1",
        evidence=score.evidence,
        denominator=float(needed.value) if isinstance(needed.value, int) else None,
        gap_unit="items",
        display=f"{provided.value} of {needed.value} data items provided",
    )


METRICS: dict[str, MetricFn] = {"fact_known": fact_known, "fact_in": fact_in, "data_completeness": data_completeness}
