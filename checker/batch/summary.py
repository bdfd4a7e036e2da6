"""summary.json (a pydantic model; its JSON Schema: `python -m checker.batch.summary > docs/batch-summary.schema.json`)
and summary.csv of a batch."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Literal

from pydantic import BaseModel, Field

from checker.batch.indicators import BuildingOutcome, Indicator, assess, family_outcome
from checker.rules.results import BuildingResult, CheckRun, Status, summarise
from checker.rules.schema import Family

SUMMARY_SCHEMA_VERSION = "1.0"
FAMILIES = [family.value for family in Family]
FamilyVerdict = Literal["compliant", "non_compliant", "incomplete", "not_applicable"]
_OUTCOME_VERDICT: dict[str, FamilyVerdict] = {"yes": "compliant", "no": "non_compliant", "unknown": "incomplete"}


class BuildingRow(BaseModel):
    global_id: str
    name: str | None
    use: str | None = Field(description="use_category fact (None: unknown)")
    above_ground_area: float | None = Field(description="above_ground_gfa in m2; None when unknown or only a bound")
    area_bound: Literal["exact", "upper", "lower"] = "exact"
    verdict: Literal["compliant", "non_compliant", "incomplete"]
    families: dict[str, FamilyVerdict] = Field(description="per family: its error-severity rules' verdict")
    counts: dict[str, int] = Field(description="results per status")
    indicators: dict[str, BuildingOutcome] = Field(description="the building's place in each zone indicator")
    data_completeness: float | None = Field(
        None, description="BIM data completeness: share of the data items the rules need that the model provides"
    )
    data_inputs_provided: int | None = None
    data_inputs_needed: int | None = None


class ModelEntry(BaseModel):
    file: str = Field(description="path relative to the batch's common parent folder")
    stem: str = Field(description="report file name without suffix")
    state: Literal["checked", "skipped", "error"] = Field(description="skipped: unchanged since the last run")
    error: str | None = Field(None, description="the one-line reason a model could not be checked")
    verdict: Literal["compliant", "non_compliant", "incomplete", "error"]
    exit_code: int = Field(description="0, 1 or 2 as `greencheck check` would give for this model alone")
    reports: list[str] = Field(default_factory=list, description="report file names in the output folder")
    buildings: list[BuildingRow] = Field(default_factory=list)


class RulesetInfo(BaseModel):
    id: str
    version: str
    sha256: str | None


class Totals(BaseModel):
    models: int
    checked: int
    skipped: int
    errors: int
    buildings: int
    verdicts: dict[str, int] = Field(description="models per verdict, errors included")


class BatchSummary(BaseModel):
    schema_version: str = SUMMARY_SCHEMA_VERSION
    tool_version: str
    generated_at: str
    ruleset: RulesetInfo
    lang: str
    formats: list[str]
    exit_code: int
    totals: Totals
    models: list[ModelEntry]
    indicators: list[Indicator]


def _fact_value(building: BuildingResult, name: str) -> object:
    fact = building.facts.get(name)
    return fact.value if fact is not None else None


def _family_verdict(building: BuildingResult, family: Family) -> FamilyVerdict:
    results = [r for r in building.results if r.family is family]
    if all(r.status is Status.NOT_APPLICABLE for r in results):
        return "not_applicable"
    return _OUTCOME_VERDICT[family_outcome(building, family)]


def building_row(building: BuildingResult) -> BuildingRow:
    area = building.facts.get("above_ground_gfa")
    use = _fact_value(building, "use_category")
    exact_area = area is not None and area.bound == "exact" and isinstance(area.value, int | float)
    summary = summarise([building])
    completeness = building.completeness
    return BuildingRow(
        global_id=building.global_id,
        name=building.name,
        use=use if isinstance(use, str) else None,
        above_ground_area=float(area.value) if exact_area and area is not None and area.value is not None else None,
        area_bound=area.bound if area is not None else "exact",
        verdict=summary.verdict,
        families={family.value: _family_verdict(building, family) for family in Family},
        counts=summary.counts,
        indicators=assess(building),
        data_completeness=completeness.score if completeness else None,
        data_inputs_provided=completeness.provided if completeness else None,
        data_inputs_needed=completeness.needed if completeness else None,
    )


def model_entry(
    file: str, stem: str, state: Literal["checked", "skipped"], run: CheckRun, exit_code: int, reports: list[str]
) -> ModelEntry:
    return ModelEntry(
        file=file,
        stem=stem,
        state=state,
        verdict=run.summary.verdict,
        exit_code=exit_code,
        reports=reports,
        buildings=[building_row(building) for building in run.buildings],
    )


def error_entry(file: str, stem: str, reason: str) -> ModelEntry:
    return ModelEntry(file=file, stem=stem, state="error", error=reason, verdict="error", exit_code=2)


def totals(models: list[ModelEntry]) -> Totals:
    verdicts: dict[str, int] = {}
    for model in models:
        verdicts[model.verdict] = verdicts.get(model.verdict, 0) + 1
    return Totals(
        models=len(models),
        checked=sum(m.state == "checked" for m in models),
        skipped=sum(m.state == "skipped" for m in models),
        errors=sum(m.state == "error" for m in models),
        buildings=sum(len(m.buildings) for m in models),
        verdicts=verdicts,
    )


CSV_COLUMNS = [
    "file", "state", "error", "building_global_id", "building", "use", "above_ground_area_m2", "verdict",
    *FAMILIES, *(f"count_{status.value}" for status in Status), "data_completeness", "data_inputs_provided",
    "data_inputs_needed", "reports",
]  # fmt: skip


def summary_csv(summary: BatchSummary) -> bytes:
    """One row per model x building (one row for a model with an error), UTF-8 with a BOM so spreadsheets read it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for model in summary.models:
        head = [model.file, model.state, model.error or ""]
        tail = [" ".join(model.reports)]
        if not model.buildings:
            writer.writerow([*head, "", "", "", "", model.verdict, *([""] * (len(CSV_COLUMNS) - 9)), *tail])
        for row in model.buildings:
            area = "" if row.above_ground_area is None else f"{row.above_ground_area:g}"
            families = [row.families[family] for family in FAMILIES]
            counts = [str(row.counts.get(status.value, 0)) for status in Status]
            bim = ["" if v is None else f"{v:g}" for v in (row.data_completeness, row.data_inputs_provided,
                                                          row.data_inputs_needed)]  # fmt: skip
            writer.writerow([*head, row.global_id, row.name or "", row.use or "", area, row.verdict, *families,
                             *counts, *bim, *tail])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def summary_schema_text() -> str:
    """The JSON Schema of summary.json, as committed in docs/batch-summary.schema.json."""
    schema = BatchSummary.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "greencheck batch summary"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":  # python -m checker.batch.summary > docs/batch-summary.schema.json
    sys.stdout.write(summary_schema_text())
