"""The HTML report's reading order: what needs action first, what passed collapsed, each shared table once.

A reader decides from the verdict, the verdict per building and the list of fails; everything else (passes,
not-applicable rules, facts, the run's metadata) stays in the page as evidence but below or collapsed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from checker.rules.results import CheckRun, RuleResult, Status
from checker.rules.schema import Family, Severity

FAMILY_ORDER = [
    Family.CLASSIFICATION,
    Family.STAR_RATING,
    Family.ULTRA_LOW_ENERGY,
    Family.PREFABRICATION,
    Family.PV,
    Family.GREEN_MATERIALS,
    Family.IDS,
]
STATUS_ORDER = [Status.FAIL, Status.ERROR, Status.UNKNOWN, Status.PASS, Status.NOT_APPLICABLE]
STATUS_RANK = {status: index for index, status in enumerate(STATUS_ORDER)}
SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
ACTION_STATUSES = {Status.FAIL, Status.ERROR, Status.UNKNOWN}
OVERVIEW_MAX = 20  # fails listed under the verdict; the rest are counted (many buildings in one file)


def _rank(result: RuleResult) -> tuple[int, int]:
    """Worst status first (fail, error, unknown, pass, n/a); among equals, a requirement (error) before a warning
    before an info rule, so an info fail (BIM data completeness) never heads the report."""
    return STATUS_RANK[result.status], SEVERITY_RANK[result.severity]


def families(results: list[RuleResult]) -> list[tuple[Family, list[RuleResult]]]:
    """Results grouped by family, the family with the worst result first (by status, then severity), the house
    order breaking ties; inside a family, worst first, rule order kept otherwise."""
    grouped = []
    for family in FAMILY_ORDER:
        members = [result for result in results if result.family is family]
        if members:
            grouped.append((family, sorted(members, key=_rank)))
    return sorted(grouped, key=lambda group: _rank(group[1][0]))


def needs_action(results: list[RuleResult]) -> list[RuleResult]:
    """Fails, check errors and unknowns: the cards shown open."""
    return [result for result in results if result.status in ACTION_STATUSES]


def failing(results: list[RuleResult]) -> list[RuleResult]:
    """Fails and check errors: the cards shown open, first."""
    return [result for result in results if result.status in (Status.FAIL, Status.ERROR)]


def undecided_rules(results: list[RuleResult]) -> list[RuleResult]:
    """Unknowns: listed by the data they lack, their cards collapsed."""
    return [result for result in results if result.status is Status.UNKNOWN]


def settled(results: list[RuleResult]) -> list[RuleResult]:
    """Passed and not-applicable rules: kept in the page as evidence, collapsed."""
    return [result for result in results if result.status not in ACTION_STATUSES]


@dataclass(frozen=True)
class FailEntry:
    """One fail (or check error) listed under the verdict, linking to its card."""

    owner_id: str
    owner_name: str | None
    result: RuleResult


def fail_overview(run: CheckRun, in_full: int) -> list[FailEntry]:
    """Every fail of the project and of the buildings shown in full, in page order, so all of them are on the first
    screen (issue 10: verdict, verdict per building and every fail before any scrolling)."""
    owners = [(run.project.global_id or "project", run.project.name, run.project.results)]
    owners += [(b.global_id, b.name, b.results) for b in run.buildings[:in_full]]
    entries = []
    for owner_id, name, results in owners:
        for _, rules in families(results):
            entries += [FailEntry(owner_id, name, r) for r in rules if r.status in (Status.FAIL, Status.ERROR)]
    return entries


class SharedTables:
    """Tables and charts that several rules of one building carry (the star scorecard, the material table, Table 4.0.1):
    the first card in page order shows them, the others link to it. Never across buildings: each has its own."""

    def __init__(self) -> None:
        self._first: dict[str, tuple[str, str]] = {}
        self._tables: dict[str, list[tuple[tuple[str, str], list[list[Any]]]]] = {}

    def shown_in(self, content: Any, owner: str, anchor: str, rule_id: str) -> tuple[str, str] | None:
        """None when `content` is new for `owner` (show it here); else (anchor, rule id) of the card showing it."""
        key = json.dumps([owner, content], ensure_ascii=False, sort_keys=True, default=str)
        first = self._first.setdefault(key, (anchor, rule_id))
        return None if first[0] == anchor else first

    def table_shown_in(self, table: dict[str, Any], owner: str, anchor: str, rule_id: str) -> tuple[str, str] | None:
        """As shown_in, for a table whose every row is in a table with the same title and columns already shown for
        `owner`, cell for cell (a shown cell may say more: 'raise to 80 %: P 34 % → 40 %' covers 'raise to 80 %').
        A table with any other figure is shown: a link must never hide a number."""
        key = json.dumps([owner, table.get("title"), table["columns"]], ensure_ascii=False, default=str)
        shown = self._tables.setdefault(key, [])
        for first, rows in shown:
            if first[0] != anchor and all(any(_covers(old, new) for old in rows) for new in table["rows"]):
                return first
        shown.append(((anchor, rule_id), table["rows"]))
        return None


class SharedElements:
    """Element lists a card shares with an earlier card of the same building (the precast members of P and of the
    precast volume ratio): every record identical, value for value and source for source, so a link loses nothing."""

    def __init__(self) -> None:
        self._shown: dict[str, list[tuple[tuple[str, str], set[tuple[object, ...]]]]] = {}
        self._keys: dict[int, tuple[object, ...]] = {}  # id(record) -> its key: cards share the same record objects

    def _key(self, record: Any) -> tuple[object, ...]:
        """The record's key, built once per record object (the run holds every record while the report renders)."""
        key = self._keys.get(id(record))
        if key is None:
            key = self._keys[id(record)] = _record_key(record)
        return key

    def shown_in(self, records: list[Any], owner: str, anchor: str, rule_id: str) -> tuple[str, str] | None:
        keys = {self._key(record) for record in records}
        shown = self._shown.setdefault(owner, [])
        for first, first_keys in shown:
            if first[0] != anchor and keys <= first_keys:
                return first
        shown.append(((anchor, rule_id), keys))
        return None


def _record_key(record: Any) -> tuple[object, ...]:
    """Everything a record shows, hashable; values by repr so that a NaN equals a NaN as in the shown text."""
    values = tuple(sorted((key, repr(value)) for key, value in record.values.items()))
    sources = tuple(sorted(record.sources.items()))
    return (record.global_id, record.ifc_class, record.name, record.type_name, record.storey, values, sources)


def _covers(shown: list[Any], row: list[Any]) -> bool:
    """Every cell of `row` equals the shown row's, or is the start of its longer text."""
    return len(shown) == len(row) and all(
        old == new or (isinstance(old, str) and isinstance(new, str) and bool(new) and old.startswith(new))
        for old, new in zip(shown, row, strict=True)
    )


def is_empty(value: Any) -> bool:
    """None, '' and empty lists or dicts say nothing: they are dropped rather than printed as `reasons: []`."""
    return value is None or (isinstance(value, (str, list, tuple, dict)) and not value)


def is_mapping(value: Any) -> bool:
    """A nested dict of details (not a {zh, en} text): shown as labelled text, never as raw JSON."""
    return isinstance(value, dict) and not {"zh", "en"} <= value.keys()


def record_table(value: Any) -> dict[str, Any] | None:
    """A dict of records ({"q1a": {"ratio": 0.4, "points": 21.1}, ...}) as {columns, rows}: one row per record, a
    column per field, so per-item figures read as a table rather than a nested listing; None for anything else."""
    if not is_mapping(value) or not value or not all(is_mapping(record) for record in value.values()):
        return None
    columns: list[str] = []
    for record in value.values():
        columns += [key for key in record if key not in columns]
    rows = [[name, *(record.get(column) for column in columns)] for name, record in value.items()]
    return {"columns": ["", *columns], "rows": rows}
