"""The result model: what a check concluded, frozen and independent of any output format.

`CheckRun` is also the JSON report (its JSON Schema is committed as docs/report.schema.json).
"""

from __future__ import annotations

import builtins
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from checker.model.facts import ElementRecord, Evidence, Fact, ModelInfo, Scalar
from checker.rules.schema import (
    Citation,
    DisabledRule,
    Family,
    I18n,
    Override,
    Ruleset,
    RulesetFile,
    Severity,
    SourceStatus,
)

# 2.0: project level (CheckRun.project), ruleset provenance and overrides, Summary.unconfirmed_basis (issue 8).
# 2.1: BuildingResult.data_to_add, the "data to add" checklist (issue 10).
# 2.2: Family "ids" (results of the user's IDS files, check --ids); RuleResult.accepted, Summary.accepted and
#      CheckRun.review (waivers and baselines).
# 2.3: BuildingResult.completeness, the BIM data-completeness score (issue 12, plan 三(三)).
# 3.0: element records once per building (BuildingResult.records, ProjectResult.records), results point at them
#      (RuleResult.element_refs) instead of repeating them (issue 13: a 40 MB model's report fell from 61 to 24 MB).
#      Reading a 2.x report still works: inline `elements` are read as before.
SCHEMA_VERSION = "3.0"


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"
    ERROR = "error"  # the rule itself crashed: the check cannot be trusted


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Acceptance(Frozen):
    """Why a fail or an unknown no longer counts in the verdict and the exit code, though every report still shows
    it: a signed waiver (until its expiry date) or a baseline report in which it was already there, no worse."""

    kind: Literal["waiver", "baseline"]
    reason: str
    approver: str | None = None
    expires: str | None = Field(None, description="ISO date; the waiver stops applying the day after")
    source: str = Field(description="the waivers file or the baseline report, as given on the command line")
    in_baseline: bool = Field(False, description="the baseline report has this finding too, no worse")


class RuleResult(Frozen):
    rule_id: str
    family: Family
    title: I18n
    severity: Severity
    status: Status
    value: Scalar = None
    unit: str | None = None
    op: str | None = None
    threshold: float | None = None
    margin: float | None = Field(
        None, description="value minus threshold, signed so that negative means short of the requirement"
    )
    gap: float | None = Field(None, description="how much the measured quantity must change to comply (fails only)")
    gap_unit: str | None = Field(
        None, description="unit of gap: a ratio's gap is in its numerator's unit (e.g. m2 of panels)"
    )
    bound: Literal["exact", "upper", "lower"] = "exact"
    display: str | None = Field(
        None, description="what was found, for rules whose value is not a figure (e.g. a data-completeness check)"
    )
    message: I18n
    remedy: I18n | None = None
    citation: Citation
    evidence: list[Evidence] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    elements: list[ElementRecord] = Field(
        default_factory=list,
        exclude=True,
        description="the elements the result is about; in the JSON report as element_refs into the owner's records",
    )
    element_refs: list[int] | None = Field(
        None,
        description="JSON report: the result's element records, as indices into its building's (project's) records",
    )
    details: dict[str, Any] = Field(default_factory=dict, description="family-specific tables, e.g. a scoring table")
    overrides: list[Override] = Field(
        default_factory=list, description="fields of the rule a local ruleset changed from its parent, oldest first"
    )
    added_by: str | None = Field(None, description="the ruleset file that added this rule on top of its parent")
    accepted: Acceptance | None = Field(
        None, description="a waiver or the baseline accepting this fail or unknown: shown, not counted"
    )

    @property
    def counts(self) -> bool:
        """A fail, check error or unknown that no waiver or baseline accepts: it decides the verdict and exit code."""
        return self.accepted is None


class MissingData(Frozen):
    """One property to add to the model, listed once per building however many rules it would unlock."""

    entity: str = Field(description="IFC class the property belongs on, e.g. IfcBuilding")
    pset: str = Field(description="property or quantity set, e.g. CN_GreenBuilding")
    property: str
    value_type: str = Field(description="IFC value type, e.g. IfcInteger, IfcLabel, IfcAreaMeasure")
    allowed: list[str] = Field(default_factory=list, description="values read (an enumeration or keyword table)")
    enumerated: bool = Field(False, description="true: only the allowed values are read; false: keywords matched")
    facts: list[str] = Field(description="the facts that stay unknown (or a bound) without it")
    rules: list[str] = Field(description="ids of the unknown rules this property would help decide")
    element_count: int = Field(description="how many elements (or materials) lack it (1 for the building itself)")
    global_ids: list[str] = Field(default_factory=list, description="the GlobalIds of those elements, all of them")
    mentions: str | None = Field(
        None, description="for a property the rules read per element: the text their missing entries carry"
    )
    names: list[str] = Field(
        default_factory=list,
        description="for a property on IfcMaterial (no GlobalId): the materials lacking it, as 'name (#step id)'",
    )
    requirement: Literal["property", "material"] = Field(
        "property", description="'material': the elements lack a material association (IfcRelAssociatesMaterial)"
    )

    @builtins.property  # the field `property` shadows the builtin inside the class body
    def key(self) -> str:
        """'IfcBuilding:CN_GreenBuilding.TargetStarLevel': one row's identity."""
        return f"{self.entity}:{self.pset}.{self.property}"


class DataItem(Frozen):
    """One row of [[extraction.data_inputs]] that the building's rules read, and whether the model provides it."""

    key: str = Field(description="'IfcBuilding:CN_GreenBuilding.TargetStarLevel', as MissingData.key")
    entity: str
    pset: str
    property: str
    provided: bool = Field(description="the model settles it exactly: no element or material lacks it")
    lacking: int = Field(0, description="elements (or materials) lacking it; 1 for a building property")
    elements: int | None = Field(
        None, description="elements (or materials) the row is about, where the take-off counts them (e.g. windows)"
    )
    in_checklist: bool = Field(False, description="the row is in data_to_add (an unknown rule waits for it)")
    rules: list[str] = Field(default_factory=list, description="ids of the rules that read it")


class Completeness(Frozen):
    """How much of the data the building's applicable or undecided rules read the model provides (plan 三(三)).

    Each data input row counts once, whatever its number of elements: a row is provided only when no element lacks
    it, so 40 of 52 windows with a U-value is a missing row (its element counts say how far it is)."""

    score: float | None = Field(description="provided / needed; None when no rule needs any data input")
    provided: int
    needed: int
    items: list[DataItem] = Field(default_factory=list, description="the rows needed, missing ones first")

    @builtins.property
    def missing(self) -> list[DataItem]:
        return [item for item in self.items if not item.provided]


def resolve_records(data: Any) -> Any:
    """A report as read back: each result's element_refs become its elements again, and the shared table goes."""
    if not isinstance(data, dict) or "records" not in data:
        return data
    data = dict(data)
    records = data.pop("records") or []
    results = []
    for result in data.get("results") or []:
        if isinstance(result, dict) and result.get("element_refs") is not None:
            result = dict(result)
            refs = result.pop("element_refs")
            if not all(isinstance(i, int) and 0 <= i < len(records) for i in refs):
                raise ValueError(f"element_refs {refs!r} point outside the {len(records)} records")
            result["elements"] = [records[i] for i in refs]
        results.append(result)
    data["results"] = results
    return data


RECORDS_NOTE = "JSON report: every element record of the results once; results name theirs by index"


class SharedRecords(Frozen):
    """An owner of results whose element records the JSON report writes once (checker.report.json.share_records)."""

    @model_validator(mode="before")
    @classmethod
    def _resolve(cls, data: Any) -> Any:
        return resolve_records(data)


class BuildingResult(SharedRecords):
    global_id: str
    name: str | None
    facts: dict[str, Fact]
    results: list[RuleResult]
    data_to_add: list[MissingData] = Field(
        default_factory=list, description="each missing property once, with the unknown rules it would unlock"
    )
    completeness: Completeness | None = Field(
        None, description="the share of the data inputs the building's rules read that the model provides"
    )
    records: list[ElementRecord] = Field(default_factory=list, description=RECORDS_NOTE)


UNCONFIRMED_STATUSES = (SourceStatus.RECALLED, SourceStatus.PARTLY)
DECISIVE_STATUSES = (Status.PASS, Status.FAIL)


class UnconfirmedBasis(Frozen):
    """How many decisive results (pass or fail) rest on a figure not confirmed against the official text."""

    decisive: int = Field(description="results with status pass or fail")
    unconfirmed: int = Field(description="of those, results whose citation status is recalled or partly")
    decisive_errors: int = Field(description="decisive results of error severity")
    unconfirmed_errors: int = Field(description="of those, results whose citation status is recalled or partly")


def count_unconfirmed(results: list[RuleResult]) -> UnconfirmedBasis:
    """Counted per result (a rule on two buildings counts twice), like the status counts."""
    decisive = [r for r in results if r.status in DECISIVE_STATUSES]
    errors = [r for r in decisive if r.severity is Severity.ERROR]
    return UnconfirmedBasis(
        decisive=len(decisive),
        unconfirmed=sum(r.citation.status in UNCONFIRMED_STATUSES for r in decisive),
        decisive_errors=len(errors),
        unconfirmed_errors=sum(r.citation.status in UNCONFIRMED_STATUSES for r in errors),
    )


class ProjectResult(SharedRecords):
    """The project-level facts and rules (the plan states some triggers per project, not per building)."""

    global_id: str | None = None
    name: str | None = None
    building_ids: list[str] = Field(default_factory=list)
    facts: dict[str, Fact] = Field(default_factory=dict)
    results: list[RuleResult] = Field(default_factory=list)
    records: list[ElementRecord] = Field(default_factory=list, description=RECORDS_NOTE)


class Summary(Frozen):
    verdict: Literal["compliant", "non_compliant", "incomplete"]
    counts: dict[str, int]
    failed_errors: int
    unknown_errors: int
    buildings: int
    accepted: int = Field(
        0, description="fails and unknowns a waiver or the baseline accepts (in counts, not in verdict)"
    )
    unconfirmed_basis: UnconfirmedBasis = Field(
        description="decisive results resting on recalled or partly confirmed figures: verify before approval"
    )


class RulesetRef(Frozen):
    id: str
    version: str
    title: I18n
    chain: list[str] = Field(default_factory=list, description="ids of the rulesets this one extends, nearest first")
    path: str | None = Field(None, description="the ruleset's own file (inside the bundled folder: relative to it)")
    sha256: str | None = Field(None, description="SHA-256 over the exact bytes of every file in `files`, in order")
    bundled: bool = Field(False, description="the ruleset is one of greencheck's bundled rulesets")
    files: list[RulesetFile] = Field(
        default_factory=list, description="every file that made the ruleset: its own, its includes, then its parents'"
    )
    disabled_rules: list[DisabledRule] = Field(default_factory=list, description="parent rules switched off")
    extraction_overrides: list[Override] = Field(
        default_factory=list, description="[extraction] settings (keyword tables, limits) changed from the parents"
    )

    @classmethod
    def of(cls, ruleset: Ruleset) -> RulesetRef:
        """What a report says about the ruleset it was checked against, provenance included."""
        return cls(
            id=ruleset.id,
            version=ruleset.version,
            title=ruleset.title,
            chain=ruleset.extends_chain,
            path=ruleset.files[0].path if ruleset.files else ruleset.source_path,
            sha256=ruleset.sha256,
            bundled=ruleset.bundled,
            files=ruleset.files,
            disabled_rules=ruleset.disabled_rules,
            extraction_overrides=ruleset.extraction_overrides,
        )


class ToolInfo(Frozen):
    name: str = "greencheck"
    version: str


class ReviewFile(Frozen):
    path: str
    sha256: str


class ReviewInfo(Frozen):
    """The waivers file and baseline report a run was reviewed against, and what in them did not apply."""

    waivers: ReviewFile | None = None
    baseline: ReviewFile | None = None
    expired: list[str] = Field(default_factory=list, description="waivers past their expiry: their findings count")
    unused: list[str] = Field(default_factory=list, description="waivers that matched no fail or unknown")


class CheckRun(Frozen):
    schema_version: str = SCHEMA_VERSION
    tool: ToolInfo
    generated_at: str
    model: ModelInfo
    ruleset: RulesetRef
    project: ProjectResult = Field(default_factory=ProjectResult)
    buildings: list[BuildingResult]
    summary: Summary
    review: ReviewInfo | None = None

    def all_results(self) -> list[RuleResult]:
        """Project results first, then each building's."""
        return [*self.project.results, *(r for b in self.buildings for r in b.results)]


def summarise(buildings: list[BuildingResult], project: ProjectResult | None = None) -> Summary:
    """Counts per status over the project's and the buildings' results; the verdict is non_compliant if any
    error-severity rule fails, incomplete if one is unknown."""
    counts = {status.value: 0 for status in Status}
    failed = unknown = 0
    results = [*(project.results if project else []), *(r for b in buildings for r in b.results)]
    accepted = 0
    for result in results:
        counts[result.status.value] += 1
        accepted += not result.counts
        if result.severity is Severity.ERROR and result.counts:
            failed += result.status in (Status.FAIL, Status.ERROR)
            unknown += result.status is Status.UNKNOWN
    verdict: Literal["compliant", "non_compliant", "incomplete"]
    verdict = "non_compliant" if failed else "incomplete" if unknown else "compliant"
    return Summary(
        verdict=verdict,
        counts=counts,
        failed_errors=failed,
        unknown_errors=unknown,
        buildings=len(buildings),
        accepted=accepted,
        unconfirmed_basis=count_unconfirmed(results),
    )


FAIL_ON_SEVERITIES = {"error": {Severity.ERROR}, "warning": {Severity.ERROR, Severity.WARNING}, "never": set()}


def exit_status(run: CheckRun, fail_on: str = "error") -> int:
    """0 when no rule at or above `fail_on` severity failed or stayed unknown, else 1."""
    severities = FAIL_ON_SEVERITIES[fail_on]
    for result in run.all_results():
        if (
            result.severity in severities
            and result.counts
            and result.status in (Status.FAIL, Status.UNKNOWN, Status.ERROR)
        ):
            return 1
    return 0
