"""What a metric function returns: a value with its unit, evidence, and what is missing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.model.facts import BuildingFacts, ElementRecord, Evidence, Fact, Scalar


class Measurement(BaseModel):
    """A metric's value. `denominator` lets the engine say how much of the numerator must change."""

    model_config = ConfigDict(frozen=True)

    value: Scalar = None
    unit: str = "1"
    evidence: list[Evidence] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    bound: Literal["exact", "upper", "lower"] = "exact"
    denominator: float | None = None
    gap_unit: str | None = None
    elements: list[ElementRecord] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    display: str | None = Field(
        None, description="shown instead of the number, e.g. the fact a completeness rule found"
    )


Params = Mapping[str, Any]
MetricFn = Callable[[BuildingFacts, Params], Measurement]


def from_fact(fact: Fact, unit: str | None = None) -> Measurement:
    """Pass a building fact straight through as a measurement."""
    missing = [fact.missing] if fact.value is None and fact.missing else []
    return Measurement(
        value=fact.value,
        unit=unit or fact.unit or "1",
        evidence=fact.evidence,
        missing=missing,
        bound=fact.bound,
        warnings=fact.warnings,
    )
