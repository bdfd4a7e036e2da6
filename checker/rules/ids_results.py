"""The user's IDS files as results: each specification becomes one result per building (family "ids"), folded into
the CheckRun so every report (HTML, JSON, JUnit, SARIF) shows them like any rule.

Severity follows the specification's cardinality (required and prohibited: error; optional: warning). A building's
status: fail when one of its applicable elements fails a requirement (prohibited: when any element applies), pass
when all pass (prohibited: when none applies), not applicable when none applies. Applicable elements outside any
building are judged in a project-level result; a required specification no element of the model meets is a
project-level fail (IDS: at least one element must apply). The citation is the IDS file itself, status primary: it
is the user's own requirement.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.model.facts import ElementRecord
from checker.model.ids_outcomes import IdsElement, IdsFileOutcome, IdsSpecOutcome
from checker.rules.results import CheckRun, ProjectResult, RuleResult, Status, summarise
from checker.rules.schema import Citation, Family, I18n, Severity, SourceStatus

SEVERITY = {"required": Severity.ERROR, "optional": Severity.WARNING, "prohibited": Severity.ERROR}


def _citation(outcome: IdsFileOutcome, spec: IdsSpecOutcome) -> Citation:
    info = ", ".join(
        f"{label} {value}"
        for label, value in (
            ("title", outcome.title),
            ("author", outcome.author),
            ("version", outcome.version),
            ("date", outcome.date),
        )
        if value
    )
    document = f"{outcome.file} ({info})" if info else outcome.file
    clause = f"specification {spec.index}" + (f" ({spec.identifier})" if spec.identifier else "")
    return Citation(document=document, clause=clause, status=SourceStatus.PRIMARY)


def _record(element: IdsElement, prohibited: bool) -> ElementRecord:
    why = "; ".join(element.reasons) or ("matches a prohibited specification" if prohibited else "")
    return ElementRecord(
        global_id=element.global_id,
        ifc_class=element.ifc_class,
        name=element.name,
        values={"ids_failure": why},
        sources={"ids_failure": "ifctester"},
    )


def _status(spec: IdsSpecOutcome, elements: Sequence[IdsElement]) -> tuple[Status, list[IdsElement], I18n]:
    """The status over these applicable elements, the failing ones and the message."""
    total = len(elements)
    if not spec.applies_to_version:
        text = "the model's IFC schema is not among the specification's ifcVersion"
        return (
            Status.NOT_APPLICABLE,
            [],
            I18n(en=f"Not applicable: {text}.", zh="不适用：模型的 IFC 版本不在该规范的 ifcVersion 中。"),
        )
    if spec.usage == "prohibited":
        if total:
            en = f"{total} element(s) match a prohibited specification."
            return Status.FAIL, list(elements), I18n(en=en, zh=f"{total} 个构件符合被禁止的规范。")
        return (
            Status.PASS,
            [],
            I18n(en="No element matches the prohibited specification.", zh="没有构件符合被禁止的规范。"),
        )
    if not total:
        return Status.NOT_APPLICABLE, [], I18n(en="Not applicable: no element matches.", zh="不适用：没有适用的构件。")
    failing = [element for element in elements if element.reasons]
    if failing:
        first = failing[0].reasons[0]
        en = f"{len(failing)} of {total} applicable element(s) fail: {first}"
        return Status.FAIL, failing, I18n(en=en, zh=f"{total} 个适用构件中 {len(failing)} 个不满足：{first}")
    en = f"All {total} applicable element(s) meet the specification."
    return Status.PASS, [], I18n(en=en, zh=f"全部 {total} 个适用构件满足该规范。")


def _result(rule_id: str, outcome: IdsFileOutcome, spec: IdsSpecOutcome, elements: Sequence[IdsElement]) -> RuleResult:
    status, failing, message = _status(spec, elements)
    remedy_text = spec.instructions or f"Make the listed elements meet specification {spec.index} of {outcome.file}."
    return RuleResult(
        rule_id=rule_id,
        family=Family.IDS,
        title=I18n(en=spec.name, zh=spec.name),
        severity=SEVERITY[spec.usage],
        status=status,
        display=f"{len(elements)} applicable, {len(failing)} failing",
        message=message,
        remedy=I18n(
            en=remedy_text, zh=spec.instructions or f"使所列构件满足 {outcome.file} 的第 {spec.index} 条规范。"
        ),
        citation=_citation(outcome, spec),
        elements=[_record(element, spec.usage == "prohibited") for element in failing],
        details={"ids_file": outcome.file, "usage": spec.usage, "identifier": spec.identifier},
    )


def _rule_ids(outcomes: Sequence[IdsFileOutcome]) -> list[str]:
    """'IDS:<file stem>' per file; a stem given twice gets '-2', '-3'."""
    seen: dict[str, int] = {}
    prefixes = []
    for outcome in outcomes:
        seen[outcome.stem] = seen.get(outcome.stem, 0) + 1
        count = seen[outcome.stem]
        prefixes.append(f"IDS:{outcome.stem}" + (f"-{count}" if count > 1 else ""))
    return prefixes


def _no_element_fail(rule_id: str, outcome: IdsFileOutcome, spec: IdsSpecOutcome) -> RuleResult:
    """A required specification that no element of the model meets: the model lacks what it asks for."""
    base = _result(rule_id, outcome, spec, [])
    message = I18n(
        en="No element of the model matches this required specification.", zh="模型中没有构件符合这条必需的规范。"
    )
    return base.model_copy(update={"status": Status.FAIL, "message": message})


def fold_ids(run: CheckRun, outcomes: Sequence[IdsFileOutcome]) -> CheckRun:
    """The run with each IDS specification's results added to its buildings and the project, summary recounted."""
    if not outcomes:
        return run
    per_building: dict[str, list[RuleResult]] = {building.global_id: [] for building in run.buildings}
    project: list[RuleResult] = []
    for prefix, outcome in zip(_rule_ids(outcomes), outcomes, strict=True):
        for spec in outcome.specifications:
            rule_id = f"{prefix}:{spec.index}"
            by_building: dict[str | None, list[IdsElement]] = {}
            for element in spec.elements:  # grouped once: thousands of buildings times thousands of elements
                known = element.building_id if element.building_id in per_building else None
                by_building.setdefault(known, []).append(element)
            for building_id, results in per_building.items():
                results.append(_result(rule_id, outcome, spec, by_building.get(building_id, [])))
            outside = by_building.get(None, [])
            if outside:
                project.append(_result(rule_id, outcome, spec, outside))
            elif spec.usage == "required" and spec.applies_to_version and not spec.elements:
                project.append(_no_element_fail(rule_id, outcome, spec))
    buildings = [
        building.model_copy(update={"results": [*building.results, *per_building[building.global_id]]})
        for building in run.buildings
    ]
    project_result: ProjectResult = run.project.model_copy(update={"results": [*run.project.results, *project]})
    return run.model_copy(
        update={"buildings": buildings, "project": project_result, "summary": summarise(buildings, project_result)}
    )
