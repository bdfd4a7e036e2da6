"""BIM data completeness (发改环资〔2024〕241号 三(三)): the share of the data the building's rules read that the model
provides, counted over the same [[extraction.data_inputs]] rows the "data to add" checklist lists.

Which rows a building needs is not a second table: the engine records, per rule, the facts and element lists the rule
read (its applicability conditions and its metric; the metric of a rule whose applicability is undecided is run once
more only to see what it reads). A row is needed when a rule that applies, or may apply, read one of its facts or its
records; rules that do not apply ask for nothing, and the completeness rule itself is never counted. Per-element
properties read without records (U-values, SHGC, heat recovery, PrefabAbsentItems: rows with `mentions` only) are
counted only when a rule names them as missing: the table does not say which rules read them when they are present.

Each row counts once (equal weights): a property is provided only when no element lacks it, because a rule needs all
of them; the row's element counts (40 of 52 windows carry U) show how far a missing row is.
"""

from __future__ import annotations

from typing import Any

from checker.model.config import DataInput, ExtractionConfig
from checker.model.facts import BuildingFacts, Evidence, Fact
from checker.rules.checklist import GLOBAL_ID, SET_PREFIXES, record_in_row, record_lacks
from checker.rules.results import Completeness, DataItem, MissingData, RuleResult

METRIC = "data_completeness"  # the metric of the completeness rule, evaluated after every other rule of a building
FACT_KEYS = ("data_completeness", "data_inputs_provided", "data_inputs_needed")
# (provided, elements lacking it, elements the row is about, ids of the rules needing it); None: not needed
Row = tuple[bool, int, int | None, list[str]] | None


class _ReadLog(dict[str, Any]):
    """A facts or elements dict that notes every key a rule looks up (as 'fact:key' or 'elements:key')."""

    def __init__(self, data: dict[str, Any], kind: str, seen: set[str]) -> None:
        super().__init__(data)
        self._kind, self._seen = kind, seen

    def get(self, key: str, default: Any = None) -> Any:  # noqa: D102 - dict.get, noted
        self._seen.add(f"{self._kind}:{key}")
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self._seen.add(f"{self._kind}:{key}")
        return super().__getitem__(key)


def traced(building: BuildingFacts) -> tuple[BuildingFacts, set[str]]:
    """The building whose facts and element lists note what is read, and the set they note it in."""
    seen: set[str] = set()
    facts, elements = _ReadLog(building.facts, "fact", seen), _ReadLog(building.elements, "elements", seen)
    return building.model_copy(update={"facts": facts, "elements": elements}), seen


def _named_by(texts: list[str], named: dict[str, list[str]]) -> list[str]:
    """Ids of the rules one of whose missing entries carries one of `texts` (the engine copies them verbatim)."""
    return [rid for rid, missing in named.items() if any(text in entry for entry in missing for text in texts)]


def _gids(texts: list[str]) -> set[str]:
    return {gid for text in texts for gid in GLOBAL_ID.findall(text) if not gid.startswith(SET_PREFIXES)}


def _fact_row(row: DataInput, building: BuildingFacts, reads: dict[str, set[str]], named: dict[str, list[str]]) -> Row:
    """(provided, lacking, elements, rules) of a row read through facts, None when no counted rule needs it: read by
    none, or lacking but named by none (the rules decided without it, e.g. an any_of condition already met)."""
    read = [key for key in row.facts if any(f"fact:{key}" in seen for seen in reads.values())]
    rules = [rid for rid, seen in reads.items() if any(f"fact:{key}" in seen for key in read)]
    facts = [building.fact(key) for key in read]
    texts = [str(f.missing) for f in facts if not (f.value is not None and f.bound == "exact") and f.missing]
    naming = _named_by(texts, named)
    if naming:
        lacking = 1 if row.entity == "IfcBuilding" else max(len(_gids(texts)), 1)
        return False, lacking, 1 if row.entity == "IfcBuilding" else None, naming
    settled = [f for f in facts if f.value is not None and f.bound == "exact"]
    return (True, 0, 1 if row.entity == "IfcBuilding" else None, rules) if settled else None


def _record_row(
    row: DataInput, building: BuildingFacts, reads: dict[str, set[str]], named: dict[str, list[str]]
) -> Row:
    """A row read from records: provided when no record of the row lacks it; a row naming no value (elements
    without any material) lists only the elements lacking it, so it has no total."""
    rules = [rid for rid, seen in reads.items() if f"elements:{row.records}" in seen]
    records = building.elements.get(str(row.records), [])
    lacking = sum(record_lacks(r, row) for r in records)
    total = sum(record_in_row(r, row) for r in records) if row.record_value else None
    if not rules or total == 0:
        return None  # no rule reads it, or no element of the row is in the building
    if lacking == 0:
        return True, 0, total, rules
    naming = _named_by([str(row.mentions)], named)
    return (False, lacking, total, naming) if naming else None


def _mention_row(row: DataInput, named: dict[str, list[str]]) -> Row:
    """A row read per element without records: counted only where rules name it missing (see the module text)."""
    mention = str(row.mentions)
    naming = _named_by([mention], named)
    if not naming:
        return None
    texts = [entry for rid in naming for entry in named[rid] if mention in entry]
    return False, max(len(_gids(texts)), 1), None, naming


def _merge(earlier: DataItem | None, item: DataItem) -> DataItem:
    """Rows naming the same entity, set and property (as the checklist merges them) are one item."""
    if earlier is None:
        return item
    totals = [n for n in (earlier.elements, item.elements) if n is not None]
    return item.model_copy(
        update={
            "provided": earlier.provided and item.provided,
            "lacking": earlier.lacking + item.lacking,
            "elements": sum(totals) if totals else None,
            "rules": list(dict.fromkeys([*earlier.rules, *item.rules])),
        }
    )


def data_completeness(
    building: BuildingFacts,
    reads: dict[str, set[str]],
    results: list[RuleResult],
    todo: list[MissingData],
    extraction: ExtractionConfig,
) -> Completeness:
    """The rows the counted rules (`reads`: rule id -> what it read, for rules that apply or may apply) need, and
    whether the model provides each. A row the model lacks counts when a counted rule names it in its missing
    entries (an unknown, or a verdict given on a bound), as the checklist matches its rows."""
    named = {r.rule_id: r.missing for r in results if r.missing and r.rule_id in reads}
    listed = {row.key for row in todo}
    items: dict[tuple[str, str, str], DataItem] = {}
    for row in extraction.data_inputs:
        if row.facts:
            found = _fact_row(row, building, reads, named)
        elif row.records:
            found = _record_row(row, building, reads, named)
        else:
            found = _mention_row(row, named)
        if found is None:
            continue
        provided, lacking, total, rules = found
        key = f"{row.entity}:{row.pset}.{row.property}"
        identity = (row.entity, row.pset, row.property)
        item = DataItem(
            key=key,
            entity=row.entity,
            pset=row.pset,
            property=row.property,
            provided=provided,
            lacking=lacking,
            elements=total,
            in_checklist=key in listed,
            rules=rules,
        )
        items[identity] = _merge(items.get(identity), item)
    ordered = sorted(items.values(), key=lambda item: item.provided)  # stable: missing first, table order kept
    count = sum(item.provided for item in ordered)
    return Completeness(
        score=count / len(ordered) if ordered else None, provided=count, needed=len(ordered), items=ordered
    )


def completeness_facts(completeness: Completeness, rules: int) -> dict[str, Fact]:
    """The score and its counts as building facts, so the completeness rule reads them like any other fact."""
    source = (
        f"computed from {completeness.needed} data inputs of the ruleset ([[extraction.data_inputs]]) "
        f"read by {rules} applicable or undecided rules"
    )
    evidence = [Evidence(method="derived", source=source)]
    missing = None if completeness.needed else "a data input read by an applicable or undecided rule"
    return {
        "data_completeness": Fact(value=completeness.score, unit="1", evidence=evidence, missing=missing),
        "data_inputs_provided": Fact(value=completeness.provided, evidence=evidence),
        "data_inputs_needed": Fact(value=completeness.needed, evidence=evidence),
    }
