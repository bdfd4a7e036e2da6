"""A rule's affected elements as a compact table: one line of values per element, each value's source a footnote.

Printed one value per line with its source in full beside it, 13 precast columns took a page and a half. The same
facts fit in a line per element when each distinct source is written once under the table and the values that every
element shares (value and source alike) are said once above it. Nothing is dropped: every value keeps its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.model.facts import ElementRecord, Evidence, Scalar


@dataclass(frozen=True)
class ValueCell:
    """One value of one element; `note` numbers its source in the table's footnotes (None: no source recorded)."""

    key: str
    value: Scalar
    note: int | None


@dataclass(frozen=True)
class ElementRow:
    record: ElementRecord
    cells: list[ValueCell]


@dataclass(frozen=True)
class ElementTable:
    common: list[ValueCell] = field(default_factory=list)
    rows: list[ElementRow] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # footnote n is sources[n - 1]


def _shared_keys(records: list[ElementRecord]) -> list[str]:
    """Keys every record carries with the same value and the same source (only worth saying once for 2+ rows)."""
    if len(records) < 2:
        return []
    first = records[0]
    return [
        key
        for key, value in first.values.items()
        if all(
            key in r.values and r.values[key] == value and r.sources.get(key) == first.sources.get(key)
            for r in records[1:]
        )
    ]


def element_table(records: list[ElementRecord]) -> ElementTable:
    """The view of `records`: values shared by all lifted out, the rest per row, sources numbered in first-use order."""
    notes: dict[str, int] = {}

    def cell(record: ElementRecord, key: str) -> ValueCell:
        source = record.sources.get(key)
        number = notes.setdefault(source, len(notes) + 1) if source else None
        return ValueCell(key, record.values[key], number)

    shared = _shared_keys(records)
    common = [cell(records[0], key) for key in shared]
    rows = [ElementRow(r, [cell(r, key) for key in r.values if key not in shared]) for r in records]
    return ElementTable(common, rows, list(notes))


@dataclass(frozen=True)
class EvidenceRow:
    """Evidence items that differ only by source (the seven CN_GreenBuilding ratios read off the one building): one
    row naming every source, so the same GlobalId is not printed seven times."""

    method: str
    sources: list[str]
    note: str | None
    count: int
    global_ids: list[str]


def evidence_rows(items: list[Evidence]) -> list[EvidenceRow]:
    """`items` merged where method, note, count and GlobalIds agree, in first-seen order; no source is dropped."""
    merged: dict[tuple[str, str | None, int, tuple[str, ...]], EvidenceRow] = {}
    for item in items:
        key = (item.method, item.note, item.count, tuple(item.global_ids))
        row = merged.setdefault(key, EvidenceRow(item.method, [], item.note, item.count, list(item.global_ids)))
        if item.source not in row.sources:
            row.sources.append(item.source)
    return list(merged.values())


def named_in_tables(records: list[ElementRecord], tables: list[dict[str, Any]]) -> bool:
    """Every record's GlobalId or name is a cell of one of the card's tables (the material take-off names each
    material, the bare-element table each element): the list then only adds the sources, and can start collapsed."""
    cells = {cell for table in tables for row in table["rows"] for cell in row if isinstance(cell, str)}
    return bool(records) and all(r.global_id in cells or (r.name is not None and r.name in cells) for r in records)
