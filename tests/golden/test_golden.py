"""Every sample and corpus model gives exactly its committed golden digest (issue 13: faster, results unchanged).

The digests (tests/golden/snapshot.py) hold each rule's status, rounded figures and GlobalIds, the facts and the
verdicts per building and project. The samples reuse the session's `checked` runs and the corpus files the
`corpus_checked` runs tests/test_corpus.py also uses, so no model is checked twice for these tests.
After an intended change of results, regenerate and review the diff: python -m tests.golden.snapshot --write
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checker.errors import ModelLoadError
from checker.rules.results import CheckRun
from tests.conftest import corpus_models
from tests.golden.compare import differences
from tests.golden.snapshot import REGENERATE, SNAPSHOTS, load, normalised, rounded, run_digest, sample_models

SAMPLES = sample_models()
SHOWN_LINES = 30


@pytest.fixture(scope="module")
def golden() -> Callable[[str], dict[str, Any]]:
    """golden('samples' | 'corpus') -> the committed digests, file name -> digest (each file read once)."""
    cache: dict[str, dict[str, Any]] = {}

    def get(kind: str) -> dict[str, Any]:
        if kind not in cache:
            cache[kind] = load(kind)
        return cache[kind]

    return get


def assert_unchanged(recorded: dict[str, Any], name: str, outcome: CheckRun | ModelLoadError, kind: str) -> None:
    """The model's digest equals the recorded one; else name each difference (where: before -> after)."""
    assert name in recorded, f"{name} has no golden digest in {SNAPSHOTS[kind].name}: run {REGENERATE}"
    found = differences({name: recorded[name]}, {name: run_digest(outcome)})
    shown = found[:SHOWN_LINES] + ([f"... and {len(found) - SHOWN_LINES} more"] if len(found) > SHOWN_LINES else [])
    if found:  # pytest.fail without the traceback: the locals (a whole CheckRun) would bury the differences
        pytest.fail(
            f"{len(found)} difference(s) from {SNAPSHOTS[kind].name} (where: before -> after):\n  "
            + "\n  ".join(shown)
            + f"\nIf the change is intended, regenerate the snapshots and review their diff: {REGENERATE}"
            + "\n(python -m tests.golden.snapshot --dump MODEL prints a model's digest with the hashes expanded)",
            pytrace=False,
        )


@pytest.mark.parametrize("model", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_results_are_unchanged(
    model: Path, checked: Callable[[str], CheckRun], golden: Callable[[str], dict[str, Any]]
) -> None:
    assert_unchanged(golden("samples"), model.name, checked(model.name), "samples")


def test_corpus_results_are_unchanged(
    corpus_file: Path,
    corpus_checked: Callable[[Path], CheckRun | ModelLoadError],
    golden: Callable[[str], dict[str, Any]],
) -> None:
    assert_unchanged(golden("corpus"), corpus_file.name, corpus_checked(corpus_file), "corpus")


def test_snapshots_hold_no_stale_models(golden: Callable[[str], dict[str, Any]]) -> None:
    """A removed or renamed model leaves no digest behind (the corpus side only where the corpus is present)."""
    assert sorted(golden("samples")) == [p.name for p in SAMPLES], f"run {REGENERATE}"
    if corpus_models():
        assert sorted(golden("corpus")) == [p.name for p in corpus_models()], f"run {REGENERATE}"


def test_digest_ignores_float_noise_but_not_figures() -> None:
    """Summation order or tessellation noise leaves a digest as it is; a change in the 4th digit does not."""
    assert rounded(0.1 + 0.2) == rounded(0.3) and rounded(3457.948872000001) == rounded(3457.948872)
    assert rounded(0.4 - 0.1 - 0.3) == 0.0 == rounded(-1e-17)  # a margin of value == threshold
    assert rounded(3457.9) != rounded(3459.1)
    assert normalised("area is 4769.446431000002 (rule applies at 4.0.1)") == "area is 4769.0 (rule applies at 4.0.1)"


def test_a_difference_names_model_building_rule_and_both_values() -> None:
    before = {
        "m.ifc": {"buildings": {"2O2Fr$t4X7Zf8NOew3FLOH": {"name": "Hall", "rules": {"BJ-PV-002": {"value": 0.5}}}}}
    }
    after = json.loads(json.dumps(before).replace("0.5", "0.42"))
    assert differences(before, after) == [
        "m.ifc | building Hall [2O2Fr$t4X7Zf8NOew3FLOH] | BJ-PV-002 | value: 0.5 -> 0.42"
    ]
