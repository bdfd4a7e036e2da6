"""Facts whose number is NaN, ±inf or beyond the float range are made unknown before any rule sees them.

Such a figure cannot be compared (NaN is neither above nor below a threshold, ∞ "proves" every bound) and would make
metrics divide, sum or format it into nonsense or a crash; as an unknown that names the figure and its sources it is
reported like any other missing data. The model side refuses most of them at reading (index.py); this is the net
for whatever a computation or a hand-built fact still carries.
"""

from __future__ import annotations

from checker.model.facts import BuildingFacts, ElementRecord, Fact
from checker.rules.formatting import format_value, is_non_finite

__all__ = ["finite_building", "finite_facts"]


def _unknown(name: str, fact: Fact) -> Fact:
    sources = "; ".join(dict.fromkeys(ev.source for ev in fact.evidence)) or "no source recorded"
    why = f"{name} = {format_value(fact.value, fact.unit)} is not a finite number (from {sources})"
    return fact.model_copy(update={"value": None, "bound": "exact", "missing": why, "warnings": [*fact.warnings, why]})


def finite_facts(facts: dict[str, Fact]) -> dict[str, Fact]:
    """The facts, with every non-finite number made unknown naming it; the same dict when all are finite."""
    broken = [name for name, fact in facts.items() if is_non_finite(fact.value)]
    if not broken:
        return facts
    return {name: _unknown(name, fact) if name in broken else fact for name, fact in facts.items()}


def _finite_record(record: ElementRecord) -> ElementRecord:
    broken = [key for key, value in record.values.items() if is_non_finite(value)]
    if not broken:
        return record
    return record.model_copy(update={"values": {k: None if k in broken else v for k, v in record.values.items()}})


def finite_building(building: BuildingFacts) -> BuildingFacts:
    """The building with non-finite facts made unknown and non-finite element values missing (None)."""
    facts = finite_facts(building.facts)
    elements = {
        kind: [_finite_record(r) for r in records]
        for kind, records in building.elements.items()
        if any(is_non_finite(v) for r in records for v in r.values.values())
    }
    if facts is building.facts and not elements:
        return building
    return building.model_copy(update={"facts": facts, "elements": {**building.elements, **elements}})
