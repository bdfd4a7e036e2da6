"""Keyword matching for the ruleset's mapping tables (use categories, construction status, PV and rural markers).

One rule for every table: Latin keywords match at the start of a word ('house' not in 'warehouse'), short ones
(<= 3 letters) only as whole words ('PV' not in 'PVC'), Chinese anywhere ('光伏' in '光伏组件'). When a text matches
several categories of one table, a match lying inside a longer match of another category does not count: 综合楼
(public) is not also 'mixed' through 综合, so a keyword table never needs exceptions written as code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Match:
    """One keyword found in a text, with its character span (end exclusive)."""

    keyword: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def inside(self, other: Match) -> bool:
        """Strictly contained in a longer match."""
        return other.start <= self.start and self.end <= other.end and other.length > self.length


@lru_cache(maxsize=256)
def _patterns(keywords: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each keyword with its compiled pattern; a table is compiled once, not per element scanned."""
    compiled = []
    for keyword in keywords:
        key = keyword.lower().strip()
        if not key:
            continue
        if key.isascii():
            tail = "(?![a-z0-9])" if len(key) <= 3 else ""
            compiled.append((keyword, re.compile(rf"(?<![a-z0-9]){re.escape(key)}{tail}")))
        else:
            compiled.append((keyword, re.compile(re.escape(key))))
    return tuple(compiled)


def keyword_spans(text: str, keywords: Sequence[str]) -> list[Match]:
    """Every occurrence of every keyword, by the matching rule of this module."""
    return list(_spans(text, tuple(keywords)))


@lru_cache(maxsize=65536)
def _spans(text: str, keywords: tuple[str, ...]) -> tuple[Match, ...]:
    """Memoised: a model repeats a few hundred names and type names over its elements, and the same tables are asked
    of each (113k scans of 40k elements on a 40 MB model)."""
    lowered = text.lower()
    return tuple(
        Match(keyword, m.start(), m.end())
        for keyword, pattern in _patterns(keywords)
        for m in pattern.finditer(lowered)
    )


def category_matches(text: str, table: Sequence[tuple[str, Sequence[str]]]) -> dict[str, list[Match]]:
    """{category: its matches} over a (category, keywords) table, in table order, dropping every match that lies
    inside a longer match of another category."""
    spans = {category: keyword_spans(text, words) for category, words in table}
    kept: dict[str, list[Match]] = {}
    for category, matches in spans.items():
        others = [m for other, found in spans.items() if other != category for m in found]
        survivors = [m for m in matches if not any(m.inside(o) for o in others)]
        if survivors:
            kept.setdefault(category, []).extend(survivors)
    return kept


def longest(matches: Sequence[Match]) -> str:
    """The keyword of the longest match (the most specific word), for evidence such as '教室 ×8'."""
    return max(matches, key=lambda m: (m.length, -m.start)).keyword
