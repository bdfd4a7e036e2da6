"""Every bundled rule is complete, cited, data-driven, and exercised by the bundled samples."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from checker.api import check_file
from checker.rules.loader import bundled_dir, list_rulesets, load_ruleset
from checker.rules.metrics import METRICS
from checker.rules.schema import Family, SourceStatus

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "sample_models").glob("*.ifc"))
RULES = [(ruleset.id, rule) for ruleset in list_rulesets() for rule in ruleset.rules]


def test_bundled_rulesets_load_and_cover_every_family() -> None:
    default = load_ruleset()
    assert {rule.family for rule in default.rules} == set(Family) - {Family.IDS}  # ids: results of IDS files
    assert [r.id for r in list_rulesets()] == sorted(p.stem for p in bundled_dir().glob("*.toml"))


@pytest.mark.parametrize(("ruleset_id", "rule"), RULES, ids=[f"{rs}:{r.id}" for rs, r in RULES])
def test_rule_is_complete_and_cited(ruleset_id: str, rule: object) -> None:
    assert rule.metric in METRICS  # type: ignore[attr-defined]
    for text in (rule.title, rule.remedy):  # type: ignore[attr-defined]
        assert text.zh.strip() and text.en.strip()
        assert re.search(r"[\u4e00-\u9fff]", text.zh), "the Chinese text must be Chinese"
    citation = rule.citation  # type: ignore[attr-defined]
    assert citation.document.strip() and citation.clause.strip()
    if citation.status in (SourceStatus.RECALLED, SourceStatus.PARTLY):
        assert citation.confidence in ("high", "med", "low")


def test_rule_ids_are_unique_across_the_default_ruleset() -> None:
    ids = [rule.id for rule in load_ruleset().rules]
    assert len(ids) == len(set(ids))


@pytest.fixture(scope="module")
def outcomes() -> dict[str, set[str]]:
    """rule id -> the statuses it reaches over every bundled sample model."""
    ruleset = load_ruleset()
    seen: dict[str, set[str]] = defaultdict(set)
    for path in SAMPLES:
        run = check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z")
        for building in run.buildings:
            for result in building.results:
                seen[result.rule_id].add(result.status.value)
    return seen


def test_every_family_passes_and_fails_on_the_samples(outcomes: dict[str, set[str]]) -> None:
    """Each family has a sample that passes one of its rules and one that fails (or, for completeness checks, stays
    unknown on) one; per-rule pass/fail cases on
    hand-built facts live in tests/rules/cases)."""
    by_family: dict[str, set[str]] = defaultdict(set)
    for rule in load_ruleset().rules:
        by_family[rule.family.value] |= outcomes[rule.id]
    assert {
        family: "pass" in statuses and bool(statuses & {"fail", "unknown"}) for family, statuses in by_family.items()
    } == {f.value: True for f in Family if f is not Family.IDS}  # ids: the user's IDS files, never a ruleset rule


def test_no_rule_errors_on_any_sample(outcomes: dict[str, set[str]]) -> None:
    assert sorted(rule_id for rule_id, statuses in outcomes.items() if "error" in statuses) == []
