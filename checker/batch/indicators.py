"""Zone-level indicators of the plan over a batch's buildings; their definitions are data (indicators.toml)."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.model.facts import Fact
from checker.rules.results import BuildingResult, Status
from checker.rules.schema import Citation, Family, I18n, Severity

Outcome = Literal["yes", "no", "unknown"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactEquals(_Strict):
    fact: str
    equals: str | bool | int


class Meets(_Strict):
    fact: str | None = None
    at_least: float | None = None
    family: Family | None = None


class IndicatorDefinition(_Strict):
    id: str
    title: I18n
    target: float = Field(description="the plan's target share (1.0 = every building)")
    weight_fact: str | None = Field(None, description="the building fact (m2) each building weighs; none: counted")
    scope: list[FactEquals] = Field(default_factory=list)
    scope_family: Family | None = Field(None, description="in scope when a rule of this family applies")
    meets: Meets
    citation: Citation


class Indicator(BaseModel):
    """One indicator's value over the batch and what it rests on."""

    id: str
    title: I18n
    target: float
    citation: Citation
    weighted_by: str | None = Field(description="the fact the share is weighted by (None: share of buildings)")
    value: float | None = Field(description="met / (met + not met), unknown buildings excluded; None if no basis")
    met_weight: float
    basis_weight: float = Field(description="weight of the buildings in scope whose outcome is known")
    buildings_met: int
    buildings_not_met: int
    buildings_unknown: int = Field(description="in scope or possibly in scope, outcome or weight unknown")
    buildings_out_of_scope: int


@functools.cache
def load_definitions() -> tuple[IndicatorDefinition, ...]:
    text = resources.files("checker.batch").joinpath("indicators.toml").read_text(encoding="utf-8")
    return tuple(IndicatorDefinition.model_validate(item) for item in tomllib.loads(text)["indicators"])


def _combine(outcomes: list[Outcome]) -> Outcome:
    """no if any says no, yes if all say yes, else unknown."""
    if "no" in outcomes:
        return "no"
    return "yes" if all(outcome == "yes" for outcome in outcomes) else "unknown"


def _in_scope(definition: IndicatorDefinition, building: BuildingResult) -> Outcome:
    outcomes: list[Outcome] = []
    for condition in definition.scope:
        value = building.facts[condition.fact].value if condition.fact in building.facts else None
        outcomes.append("unknown" if value is None else "yes" if value == condition.equals else "no")
    if definition.scope_family is not None:
        statuses = {r.status for r in building.results if r.family is definition.scope_family}
        applies = statuses - {Status.NOT_APPLICABLE, Status.UNKNOWN}
        outcomes.append("yes" if applies else "unknown" if Status.UNKNOWN in statuses else "no")
    return _combine(outcomes)


def family_outcome(building: BuildingResult, family: Family) -> Outcome:
    """Every error-severity rule of the family passes (or does not apply): yes; one fails: no; else unknown."""
    statuses = {r.status for r in building.results if r.family is family and r.severity is Severity.ERROR}
    if statuses & {Status.FAIL, Status.ERROR}:
        return "no"
    return "unknown" if Status.UNKNOWN in statuses else "yes"


def _meets(meets: Meets, building: BuildingResult) -> Outcome:
    outcomes: list[Outcome] = []
    if meets.fact is not None and meets.at_least is not None:
        outcomes.append(_at_least(building.facts.get(meets.fact), meets.at_least))
    if meets.family is not None:
        outcomes.append(family_outcome(building, meets.family))
    return _combine(outcomes)


def _at_least(fact: Fact | None, figure: float) -> Outcome:
    """Whether a fact reaches a figure; a bound decides only the way it proves (lower: yes, upper: no)."""
    value = fact.value if fact is not None else None
    if fact is None or not isinstance(value, int | float) or isinstance(value, bool):
        return "unknown"
    if value >= figure:
        return "yes" if fact.bound in ("exact", "lower") else "unknown"
    return "no" if fact.bound in ("exact", "upper") else "unknown"


def _weight(definition: IndicatorDefinition, building: BuildingResult) -> float | None:
    if definition.weight_fact is None:
        return 1.0
    fact = building.facts.get(definition.weight_fact)
    value = fact.value if fact is not None else None
    if fact is None or fact.bound != "exact" or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return float(value)


class BuildingOutcome(BaseModel):
    """One building's place in one indicator: the state and the weight it counts with (None: unknown)."""

    state: Literal["met", "not_met", "unknown", "out_of_scope"]
    weight: float | None = None


def assess(building: BuildingResult) -> dict[str, BuildingOutcome]:
    """The building's outcome in every indicator; an unknown scope, weight or outcome is unknown, never met."""
    outcomes = {}
    for definition in load_definitions():
        scope = _in_scope(definition, building)
        outcome = _meets(definition.meets, building)
        weight = _weight(definition, building)
        if scope == "no":
            outcomes[definition.id] = BuildingOutcome(state="out_of_scope")
        elif scope == "unknown" or outcome == "unknown" or weight is None:
            outcomes[definition.id] = BuildingOutcome(state="unknown", weight=weight)
        else:
            outcomes[definition.id] = BuildingOutcome(state="met" if outcome == "yes" else "not_met", weight=weight)
    return outcomes


def aggregate(per_building: list[dict[str, BuildingOutcome]]) -> list[Indicator]:
    """Each indicator over the buildings: met weight / weight of the buildings whose outcome is known."""
    indicators = []
    for definition in load_definitions():
        outcomes = [building[definition.id] for building in per_building if definition.id in building]
        count = {state: sum(o.state == state for o in outcomes) for state in ("met", "not_met", "unknown")}
        met = sum(o.weight or 0.0 for o in outcomes if o.state == "met")
        basis = met + sum(o.weight or 0.0 for o in outcomes if o.state == "not_met")
        indicators.append(
            Indicator(
                id=definition.id,
                title=definition.title,
                target=definition.target,
                citation=definition.citation,
                weighted_by=definition.weight_fact,
                value=met / basis if basis > 0 else None,
                met_weight=met,
                basis_weight=basis,
                buildings_met=count["met"],
                buildings_not_met=count["not_met"],
                buildings_unknown=count["unknown"],
                buildings_out_of_scope=sum(o.state == "out_of_scope" for o in outcomes),
            )
        )
    return indicators
