"""Waivers and baselines: findings an approval office has accepted stay in every report but stop deciding the
verdict and the exit code, as checkov's skips and baseline file or sqlfluff's noqa do for code.

A waiver names a rule, optionally a building and the elements it covers, a reason, an approver and an expiry date;
after that date the finding counts again. A baseline is an earlier JSON report of the same project: a fail or unknown
already there, no worse, is accepted, so a resubmitted model fails only on what is new or worse. Nothing carries
over between models: the review is applied to each CheckRun on its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.errors import ReviewError
from checker.input_files import InputRefused, read_regular
from checker.rules.results import (
    Acceptance,
    BuildingResult,
    CheckRun,
    ReviewFile,
    ReviewInfo,
    RuleResult,
    Status,
    summarise,
)
from checker.rules.ruleset_files import read_toml

WAIVABLE = (Status.FAIL, Status.UNKNOWN)  # a check error is the tool's failure, never waived
MAX_BASELINE_BYTES = 1024**3  # a JSON report of 3,000 buildings is ~280 MB
HIGHER_IS_BETTER = (">=", ">")
LOWER_IS_BETTER = ("<=", "<")
EPS = 1e-9


class Waiver(BaseModel):
    """One accepted finding. With `elements`, it covers the finding only while every element the rule reports is
    listed: a new failing element makes the finding count again."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(min_length=1)
    building: str | None = Field(None, description="building GlobalId; none: every building and the project")
    elements: list[str] = Field(default_factory=list)
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: date

    def where(self) -> str:
        return f"{self.rule}" + (f" on building {self.building}" if self.building else "")


class WaiversFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waiver: list[Waiver] = Field(default_factory=list)


@dataclass(frozen=True)
class Review:
    """What a run is reviewed against: loaded once, applied to each model's run."""

    waivers: list[Waiver] = field(default_factory=list)
    waivers_file: ReviewFile | None = None
    baseline: CheckRun | None = None
    baseline_file: ReviewFile | None = None


def _file(path: Path, blob: bytes) -> ReviewFile:
    return ReviewFile(path=str(path), sha256=hashlib.sha256(blob).hexdigest())


def _one_line(path: Path, exc: ValidationError, what: str) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{path}: {what}: {where}: {first['msg']}"


def load_waivers(path: Path) -> tuple[list[Waiver], ReviewFile]:
    """The [[waiver]] entries of a TOML file, read under the ruleset files' size and shape limits."""
    blob, data = read_toml(path, "a waivers file", ReviewError)
    try:
        parsed = WaiversFile.model_validate(data)
    except ValidationError as exc:
        raise ReviewError(_one_line(path, exc, "not a waivers file")) from None
    return parsed.waiver, _file(path, blob)


def load_baseline(path: Path) -> tuple[CheckRun, ReviewFile]:
    """An earlier greencheck JSON report (`-f json`)."""
    try:
        blob = read_regular(path, "a baseline report", MAX_BASELINE_BYTES)
    except InputRefused as exc:
        raise ReviewError(f"{path}: {exc.reason}") from exc
    try:
        return CheckRun.model_validate_json(blob), _file(path, blob)
    except ValidationError as exc:
        raise ReviewError(_one_line(path, exc, "not a greencheck JSON report")) from None


def load_review(waivers: Path | None, baseline: Path | None) -> Review | None:
    if waivers is None and baseline is None:
        return None
    loaded_waivers, waivers_file = load_waivers(waivers) if waivers else ([], None)
    loaded_baseline, baseline_file = load_baseline(baseline) if baseline else (None, None)
    return Review(loaded_waivers, waivers_file, loaded_baseline, baseline_file)


def _covers(waiver: Waiver, result: RuleResult, owner: str) -> bool:
    if waiver.rule != result.rule_id or (waiver.building is not None and waiver.building != owner):
        return False
    return not waiver.elements or {e.global_id for e in result.elements} <= set(waiver.elements)


def _worse(now: RuleResult, then: RuleResult) -> bool:
    """A figure that moved away from the requirement; a changed value that is not a number counts as worse."""
    if now.value == then.value:
        return False
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (now.value, then.value))
    if not numbers:
        return True
    now_value, then_value = float(now.value), float(then.value)  # type: ignore[arg-type]
    if now.op in HIGHER_IS_BETTER:
        return now_value < then_value - EPS
    if now.op in LOWER_IS_BETTER:
        return now_value > then_value + EPS
    return True


class _Reviewer:
    """Applies one Review to one run, noting the waivers that expired or matched nothing."""

    def __init__(self, review: Review, today: date) -> None:
        self.review = review
        self.today = today
        self.used: set[int] = set()
        self.expired: list[str] = []
        self.baseline: dict[tuple[str, str], RuleResult] = {}
        if review.baseline is not None:
            base = review.baseline
            owners = [(base.project.global_id or "project", base.project.results)]
            owners += [(b.global_id, b.results) for b in base.buildings]
            self.baseline = {(owner, r.rule_id): r for owner, results in owners for r in results}

    def result(self, result: RuleResult, owner: str) -> RuleResult:
        if result.status not in WAIVABLE:
            return result
        waiver, baseline = self._waiver(result, owner), self._baseline(result, owner)
        if waiver is not None:
            waiver = waiver.model_copy(update={"in_baseline": baseline is not None})
        acceptance = waiver or baseline
        return result.model_copy(update={"accepted": acceptance}) if acceptance else result

    def _waiver(self, result: RuleResult, owner: str) -> Acceptance | None:
        for index, waiver in enumerate(self.review.waivers):
            if not _covers(waiver, result, owner):
                continue
            self.used.add(index)
            if waiver.expires < self.today:
                self.expired.append(
                    f"waiver for {waiver.where()} (approved by {waiver.approver}) expired on "
                    f"{waiver.expires.isoformat()}: the {result.status.value} counts again"
                )
                continue
            source = self.review.waivers_file.path if self.review.waivers_file else ""
            return Acceptance(
                kind="waiver",
                reason=waiver.reason,
                approver=waiver.approver,
                expires=waiver.expires.isoformat(),
                source=source,
            )
        return None

    def _baseline(self, result: RuleResult, owner: str) -> Acceptance | None:
        then = self.baseline.get((owner, result.rule_id))
        if then is None or then.status is not result.status or _worse(result, then):
            return None
        source = self.review.baseline_file.path if self.review.baseline_file else ""
        reason = f"already {result.status.value} in the baseline, no worse"
        return Acceptance(kind="baseline", reason=reason, source=source, in_baseline=True)

    def unused(self) -> list[str]:
        return [
            f"waiver for {w.where()} covered no fail or unknown: check its rule id, building and elements, or remove it"
            for i, w in enumerate(self.review.waivers)
            if i not in self.used
        ]


def apply_review(run: CheckRun, review: Review | None) -> CheckRun:
    """`run` with each accepted fail or unknown marked, the summary recounted and the review recorded."""
    if review is None:
        return run
    reviewer = _Reviewer(review, date.fromisoformat(run.generated_at[:10]))
    project_owner = run.project.global_id or "project"
    project = run.project.model_copy(
        update={"results": [reviewer.result(r, project_owner) for r in run.project.results]}
    )
    buildings = [_reviewed_building(b, reviewer) for b in run.buildings]
    info = ReviewInfo(
        waivers=review.waivers_file,
        baseline=review.baseline_file,
        expired=reviewer.expired,
        unused=reviewer.unused(),
    )
    update: dict[str, Any] = {"project": project, "buildings": buildings, "review": info}
    update["summary"] = summarise(buildings, project)
    return run.model_copy(update=update)


def _reviewed_building(building: BuildingResult, reviewer: _Reviewer) -> BuildingResult:
    return building.model_copy(update={"results": [reviewer.result(r, building.global_id) for r in building.results]})
