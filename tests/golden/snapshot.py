"""Golden digests of every check: what each sample and corpus model concluded, to prove a refactor changes nothing.

Issue 13 (speed) must leave reports and verdicts unchanged on every sample and corpus file. This module reduces a
`CheckRun` to a compact, deterministic digest (per building and for the project: each rule's status, rounded figures,
the GlobalIds behind it, its facts, the verdicts) that tests/golden/test_golden.py compares with the committed
snapshots samples.json and corpus.json. Figures are rounded to SIGNIFICANT digits, numbers inside texts too, so float
noise from tessellation or summation order cannot flip a digest; everything else (texts, evidence, element records,
the report tables in `details`) enters as a short hash, so any visible change of a report shows.

Regenerate the snapshots after an intended change of results, from the repository root:

    python -m tests.golden.snapshot --write

`--check` prints what differs from the snapshots (exit 1 if anything does); `--dump MODEL` prints one model's digest
with every hash expanded into the normalised content it hashes, to diff by hand between two commits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from checker.errors import ModelLoadError
from checker.model.facts import Fact
from checker.rules.loader import load_ruleset
from checker.rules.results import BuildingResult, CheckRun, ProjectResult, RuleResult, summarise
from checker.rules.schema import Ruleset
from tests.conftest import SAMPLES_DIR, check_or_refusal, corpus_models
from tests.golden.compare import differences, dumps

REGENERATE = "python -m tests.golden.snapshot --write"
GOLDEN_DIR = Path(__file__).resolve().parent
SNAPSHOTS = {"samples": GOLDEN_DIR / "samples.json", "corpus": GOLDEN_DIR / "corpus.json"}
SIGNIFICANT = 4  # digits kept of every figure: geometry noise (~1e-12 relative) never reaches them
ZERO = 1e-9  # |x| below this is 0: a margin of 1e-16 is a float artefact of value == threshold, not a figure
HASH_CHARS = 8
LISTED_IDS = 3  # GlobalId sets up to this size are listed; larger ones are "<count> ids #<hash>"
DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?![\w.])")  # 4769.446431, not the clause 4.0.1 nor a GlobalId

Outcome = CheckRun | ModelLoadError


def sample_models() -> list[Path]:
    """The bundled samples (sample_models/*.ifc), sorted."""
    return sorted(SAMPLES_DIR.glob("*.ifc"))


# --- normalisation -----------------------------------------------------------------------------------------------


def rounded(x: float) -> float | str:
    """SIGNIFICANT digits; tiny values are 0 and -0.0 is 0.0; NaN and infinities as text (JSON has none)."""
    if not math.isfinite(x):
        return str(x)
    if abs(x) < ZERO:
        return 0.0
    return float(f"{x:.{SIGNIFICANT}g}") + 0.0


def _round_decimals(text: str) -> str:
    return DECIMAL.sub(lambda m: f"{rounded(float(m.group()))}", text)


def normalised(value: Any) -> Any:
    """The value with every float rounded and every decimal number inside a string rounded, recursively."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return rounded(value)
    if isinstance(value, str):
        return _round_decimals(value)
    if isinstance(value, dict):
        return {str(k): normalised(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalised(v) for v in value]
    raise TypeError(f"cannot digest {type(value).__name__}")


def fingerprint(value: Any, full: bool) -> Any:
    """A short hash of the normalised value (its canonical JSON), or the normalised value itself when `full`."""
    norm = normalised(value)
    if full:
        return norm
    canonical = json.dumps(norm, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:HASH_CHARS]


def id_set(ids: Iterable[str], full: bool) -> list[str] | str:
    """A set of GlobalIds: listed (sorted) when short or `full`, else its size and a hash of the sorted ids."""
    unique = sorted(set(ids))
    if full or len(unique) <= LISTED_IDS:
        return unique
    return f"{len(unique)} ids #{fingerprint(unique, full=False)}"


def _compact(entry: dict[str, Any]) -> dict[str, Any]:
    """Drop empty fields (None, [], exact bounds) so a line holds only what was found."""
    return {k: v for k, v in entry.items() if v not in (None, [], "", "exact")}


def _figure(value: Any) -> Any:
    return rounded(value) if isinstance(value, float) else value


# --- digests -----------------------------------------------------------------------------------------------------


def rule_digest(result: RuleResult, full: bool = False) -> dict[str, Any]:
    """Status, figures, GlobalIds; texts, evidence with element records, and report tables as three hashes."""
    ids = [g for e in result.evidence for g in e.global_ids] + [e.global_id for e in result.elements]
    texts = result.model_dump(
        mode="json", include={"message", "remedy", "display", "missing", "unit", "op", "gap_unit", "accepted"}
    )
    evidence = [e.model_dump(mode="json") | {"global_ids": sorted(e.global_ids)} for e in result.evidence]
    elements = sorted((e.model_dump(mode="json") for e in result.elements), key=lambda e: str(e["global_id"]))
    return _compact(
        {
            "status": result.status.value,
            "value": _figure(result.value),
            "threshold": _figure(result.threshold),
            "margin": _figure(result.margin),
            "gap": _figure(result.gap),
            "bound": result.bound,
            "ids": id_set(ids, full),
            "text": fingerprint(texts, full),
            "records": fingerprint({"evidence": evidence, "elements": elements}, full) if ids or evidence else None,
            "details": fingerprint(result.details, full) if result.details else None,
        }
    )


def fact_digest(fact: Fact, full: bool = False) -> dict[str, Any]:
    """Value, bound, the kinds of source behind it, its GlobalIds, and a hash of its sources and texts."""
    evidence = [e.model_dump(mode="json", exclude={"global_ids"}) for e in fact.evidence]
    return _compact(
        {
            "value": _figure(fact.value),
            "bound": fact.bound,
            "src": sorted({e.method for e in fact.evidence}),
            "ids": id_set((g for e in fact.evidence for g in e.global_ids), full),
            "text": fingerprint(
                {"unit": fact.unit, "missing": fact.missing, "warnings": fact.warnings, "evidence": evidence}, full
            ),
        }
    )


def _rules_and_facts(level: BuildingResult | ProjectResult, full: bool) -> dict[str, Any]:
    return {
        "facts": {name: fact_digest(fact, full) for name, fact in level.facts.items()},
        "rules": {r.rule_id: rule_digest(r, full) for r in level.results},
    }


def building_digest(building: BuildingResult, full: bool = False) -> dict[str, Any]:
    """Verdict (as if the building were alone in its file), data completeness, data to add, facts and rules."""
    completeness = building.completeness
    to_add = {
        row.key: {
            "n": row.element_count,
            "rules": len(row.rules),
            "ids": id_set(row.global_ids, full),
            "text": fingerprint(row.model_dump(mode="json", exclude={"element_count", "global_ids"}), full),
        }
        for row in building.data_to_add
    }
    return {
        "name": building.name,
        "verdict": summarise([building]).verdict,
        "completeness": f"{completeness.provided}/{completeness.needed}" if completeness else None,
        "data_to_add": to_add,
        **_rules_and_facts(building, full),
    }


def project_digest(project: ProjectResult, full: bool = False) -> dict[str, Any]:
    return {
        "global_id": project.global_id,
        "name": project.name,
        "buildings": sorted(project.building_ids),
        "verdict": summarise([], project).verdict,
        **_rules_and_facts(project, full),
    }


def run_digest(outcome: Outcome, full: bool = False) -> dict[str, Any]:
    """One model's digest: its refusal, or the verdict, counts, model warnings, project and buildings."""
    if isinstance(outcome, ModelLoadError):
        return {"refused": outcome.reason}
    run = outcome
    return {
        "verdict": run.summary.verdict,
        "counts": dict(run.summary.counts),
        "model": {
            "schema": run.model.schema_name,
            "length_unit": run.model.length_unit,
            "warnings": sorted(normalised(run.model.warnings)),
        },
        "project": project_digest(run.project, full),
        "buildings": {b.global_id: building_digest(b, full) for b in run.buildings},
    }


def snapshot(paths: Iterable[Path], ruleset: Ruleset) -> dict[str, Any]:
    """File name -> digest of each model, each checked once in this process."""
    return {path.name: run_digest(check_or_refusal(path, ruleset)) for path in paths}


# --- snapshot files ----------------------------------------------------------------------------------------------


def load(kind: str) -> dict[str, Any]:
    """The committed digests of 'samples' or 'corpus': file name -> digest."""
    data: dict[str, Any] = json.loads(SNAPSHOTS[kind].read_text(encoding="utf-8"))
    return dict(data["files"])


def write(kind: str, digests: dict[str, Any]) -> Path:
    about = f"golden digests (tests/golden/snapshot.py); regenerate: {REGENERATE}"
    path = SNAPSHOTS[kind]
    path.write_text(dumps({"about": about, "files": digests}), encoding="utf-8")
    return path


def _models(kind: str) -> list[Path]:
    return sample_models() if kind == "samples" else corpus_models()


def main(argv: list[str] | None = None) -> int:
    """--write the snapshots, --check them (exit 1 on a difference) or --dump one model's full digest."""
    parser = argparse.ArgumentParser(prog="python -m tests.golden.snapshot", description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="check every model and rewrite the snapshots")
    action.add_argument("--check", action="store_true", help="print what differs from the snapshots")
    action.add_argument("--dump", metavar="MODEL", type=Path, help="print one model's digest, hashes expanded")
    parser.add_argument("--only", choices=sorted(SNAPSHOTS), help="samples or corpus only")
    args = parser.parse_args(argv)
    ruleset = load_ruleset()
    if args.dump:
        full = run_digest(check_or_refusal(args.dump, ruleset), full=True)
        print(json.dumps(full, indent=1, ensure_ascii=False))  # one value a line: `diff` shows what changed
        return 0
    changed = False
    for kind in [args.only] if args.only else sorted(SNAPSHOTS):
        models = _models(kind)
        if not models:
            print(f"{kind}: no models found (corpus absent?): snapshot left as it is", file=sys.stderr)
            continue
        digests = snapshot(models, ruleset)
        if args.write:
            print(f"{kind}: {len(digests)} models -> {write(kind, digests)}")
            continue
        found = differences(load(kind), digests)
        changed |= bool(found)
        print(f"{kind}: {len(digests)} models, " + ("\n  ".join(["differences:", *found]) if found else "unchanged"))
    return int(changed)


if __name__ == "__main__":
    raise SystemExit(main())
