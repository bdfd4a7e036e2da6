"""Which BCF topics a check raises, independent of the BCF version: the designer's to-do list for the BIM tool.

- One topic per rule that failed on a building (or on the project): TopicType "Issue", the failing elements selected.
- One topic per building "data to add" (TopicType "Request") when rules at or above --fail-on stayed unknown: a
  designer answers an unknown by adding properties, not by changing the design, and twelve rules unknown for want of
  one property (CN_GreenBuilding.TargetStarLevel) are one request, not twelve issues. It lists the building's
  checklist rows those rules need and selects the elements that lack them (a project-level unknown joins each
  building's request); unknowns below --fail-on change no exit code and raise nothing, as in the JUnit report.
- A rule that crashed (status error) raises no topic: it is a fault of the checker, not of the model, and nothing a
  designer does in the BIM tool fixes it; JUnit, SARIF and the JSON report carry it.

Topic GUIDs are uuid5 of the ruleset id, the project and building GlobalIds and the rule id (no timestamp, no file
hash): a re-check of a revised model gives a still-failing rule the same GUID, so a BCF tool updates the topic it
already has instead of opening a duplicate (the identity SARIF's partialFingerprints use).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from checker.console import printable
from checker.report.ci_text import (
    PARENTHESES,
    Owner,
    citation_text,
    element_ids,
    figures_text,
    is_gated,
    labelled,
    missing_lines,
)
from checker.rules.results import BuildingResult, CheckRun, MissingData, RuleResult, Status
from checker.rules.schema import Citation, Severity

# A viewer slows to a crawl selecting tens of thousands of components; the JSON report lists them all.
MAX_SELECTED = 1000
NAMESPACE = uuid.UUID("6f1c7c0e-2b1a-5d7e-9a43-6c0e2f9b1d55")  # greencheck's own namespace for topic GUIDs
AUTHOR = "greencheck"
STATUS_OPEN = "Open"
TYPE_ISSUE = "Issue"
TYPE_REQUEST = "Request"
LABEL_DATA = "data_to_add"
PRIORITY = {Severity.ERROR: "High", Severity.WARNING: "Normal", Severity.INFO: "Low"}
IFC_GUID = re.compile(r"[0-9A-Za-z_$]{22}")
BCF_WORDS = {
    "en": {
        "selected": "Elements selected in the viewpoint: {n}",
        "capped": "{n} more not selected (all in the JSON report)",
        "unselectable": "Not selectable (no GlobalId): {ids}",
        "data_title": "Data to add ({n} properties)",
        "data_intro": "Rules that stay unknown until the model carries this data: {rules}",
        "row": "{entity} {pset}.{property} ({value_type}) missing on {count}{names}; needed by {rules}",
        "allowed": "Values read: {values}",
        "undecided": "{rule}: {missing}",
    },
    "zh": {
        "selected": "视点中已选中 {n} 个构件",
        "capped": "另有 {n} 个未选中（JSON 报告中列出全部）",
        "unselectable": "无法选中（无 GlobalId）：{ids}",
        "data_title": "需补充的数据（{n} 项属性）",
        "data_intro": "模型补充以下数据前无法判定的条文：{rules}",
        "row": "{entity} {pset}.{property}（{value_type}）缺少的对象数：{count}{names}；用于 {rules}",
        "allowed": "可识别的取值：{values}",
        "undecided": "{rule}：{missing}",
    },
}


@dataclass(frozen=True)
class DocumentRef:
    """A standard's clause the topic rests on (no URL: the rulesets cite documents, not web pages)."""

    guid: str
    description: str


@dataclass(frozen=True)
class Topic:
    guid: str
    viewpoint_guid: str
    topic_type: str
    title: str
    description: str
    priority: str
    labels: tuple[str, ...]
    project_id: str | None
    building_id: str | None
    components: tuple[str, ...] = ()
    documents: tuple[DocumentRef, ...] = field(default_factory=tuple)


def bcf_word(lang: str, key: str, **values: object) -> str:
    return BCF_WORDS[lang][key].format(**values)


def ifc_guid(global_id: str | None) -> str | None:
    """The GlobalId when it is one BCF accepts (22 characters of the IFC base-64 alphabet), else None."""
    return global_id if global_id and IFC_GUID.fullmatch(global_id) else None


def stable_guid(*parts: str | None) -> str:
    return str(uuid.uuid5(NAMESPACE, "\n".join(part or "" for part in parts)))


def _selection(ids: list[str], lang: str) -> tuple[tuple[str, ...], list[str]]:
    """The selectable GlobalIds (capped) and the description lines that say what was and was not selected."""
    selectable = [global_id for global_id in ids if ifc_guid(global_id)]
    unselectable = [printable(global_id) for global_id in ids if not ifc_guid(global_id)]
    lines = []
    if selectable:
        lines.append(bcf_word(lang, "selected", n=min(len(selectable), MAX_SELECTED)))
    if len(selectable) > MAX_SELECTED:
        lines.append(bcf_word(lang, "capped", n=len(selectable) - MAX_SELECTED))
    if unselectable:
        lines.append(bcf_word(lang, "unselectable", ids=", ".join(unselectable[:MAX_SELECTED])))
    return tuple(selectable[:MAX_SELECTED]), lines


def _document(topic_guid: str, citation: Citation, lang: str) -> DocumentRef:
    return DocumentRef(stable_guid(topic_guid, "citation"), citation_text(citation, lang))


def _failing_ids(result: RuleResult, owner: Owner) -> list[str]:
    """The rule's own elements; only when it lists none, the GlobalIds its figures came from (BJ-PV-002's roof slab).
    Evidence is no default: it names the storeys a floor area was summed over, and selecting a storey selects all
    on it, which is not what failed."""
    ids = [element.global_id for element in result.elements if element.global_id != owner.global_id]
    return list(dict.fromkeys(ids)) or element_ids(result, owner)


def _fail_topic(run: CheckRun, owner: Owner, result: RuleResult, lang: str) -> Topic:
    guid = stable_guid(run.ruleset.id, run.project.global_id, owner.global_id, result.rule_id)
    components, selection_lines = _selection(_failing_ids(result, owner), lang)
    lines = [printable(result.message.get(lang)), owner.label(lang), figures_text(result, lang)]
    lines.append(labelled(lang, "citation", citation_text(result.citation, lang)))
    lines += missing_lines(result, lang)
    if result.remedy is not None:
        lines.append(labelled(lang, "remedy", printable(result.remedy.get(lang))))
    return Topic(
        guid=guid,
        viewpoint_guid=stable_guid(guid, "viewpoint"),
        topic_type=TYPE_ISSUE,
        title=f"{printable(result.rule_id)} {printable(result.title.get(lang))}",
        description="\n".join(lines + selection_lines),
        priority=PRIORITY[result.severity],
        labels=(result.family.value, result.severity.value),
        project_id=ifc_guid(run.project.global_id),
        building_id=None if owner.is_project else ifc_guid(owner.global_id),
        components=components,
        documents=(_document(guid, result.citation, lang),),
    )


def _row_text(row: MissingData, lang: str) -> str:
    opening, closing, comma = PARENTHESES[lang]
    names = f"{opening}{comma.join(printable(name) for name in row.names)}{closing}" if row.names else ""
    text = bcf_word(
        lang,
        "row",
        entity=printable(row.entity),
        pset=printable(row.pset),
        property=printable(row.property),
        value_type=printable(row.value_type),
        count=row.element_count,
        names=names,
        rules=", ".join(printable(rule) for rule in row.rules),
    )
    if row.allowed:
        values = comma.join(printable(value) for value in row.allowed)
        text += ("；" if lang == "zh" else "; ") + bcf_word(lang, "allowed", values=values)
    return text


def _data_topic(run: CheckRun, building: BuildingResult, gated: list[RuleResult], lang: str) -> Topic:
    """The building's "data to add" request: the checklist rows the gated unknown rules need."""
    owner = Owner(building.global_id, building.name)
    gated_ids = {result.rule_id for result in gated}
    rows = [row for row in building.data_to_add if gated_ids.intersection(row.rules)]
    covered = {rule for row in rows for rule in row.rules}
    lines = [owner.label(lang), bcf_word(lang, "data_intro", rules=", ".join(printable(r) for r in sorted(gated_ids)))]
    lines += [_row_text(row, lang) for row in rows]
    for result in gated:  # an unknown no checklist row explains (a missing geometry, say) still says what it lacks
        if result.rule_id not in covered:
            missing = "; ".join(printable(text) for text in result.missing) or printable(result.message.get(lang))
            lines.append(bcf_word(lang, "undecided", rule=printable(result.rule_id), missing=missing))
    ids = [global_id for row in rows for global_id in row.global_ids]
    components, selection_lines = _selection(list(dict.fromkeys(ids)), lang)
    guid = stable_guid(run.ruleset.id, run.project.global_id, building.global_id, LABEL_DATA)
    severities = {result.severity for result in gated}
    highest = next(severity for severity in PRIORITY if severity in severities)
    return Topic(
        guid=guid,
        viewpoint_guid=stable_guid(guid, "viewpoint"),
        topic_type=TYPE_REQUEST,
        title=bcf_word(lang, "data_title", n=len(rows)),
        description="\n".join(lines + selection_lines),
        priority=PRIORITY[highest],
        labels=(LABEL_DATA, *sorted({result.family.value for result in gated})),
        project_id=ifc_guid(run.project.global_id),
        building_id=ifc_guid(building.global_id),
        components=components,
    )


def plan_topics(run: CheckRun, lang: str, fail_on: str) -> list[Topic]:
    """The project's failed rules, then per building its failed rules and its data request, in report order.

    A project-level rule left unknown joins every building's request: each building's checklist already lists the
    data the project rules need (the engine builds it from the project's results and the building's own)."""
    project = Owner(run.project.global_id, run.project.name, is_project=True)
    # a waived or baseline-accepted fail raises no topic: the office accepted it, the designer has nothing to fix
    topics = [_fail_topic(run, project, r, lang) for r in run.project.results if r.status is Status.FAIL and r.counts]
    project_gated = [r for r in run.project.results if r.status is Status.UNKNOWN and is_gated(r, fail_on)]
    for building in run.buildings:
        owner = Owner(building.global_id, building.name)
        topics += [_fail_topic(run, owner, r, lang) for r in building.results if r.status is Status.FAIL and r.counts]
        gated = project_gated + [r for r in building.results if r.status is Status.UNKNOWN and is_gated(r, fail_on)]
        if gated:
            topics.append(_data_topic(run, building, gated, lang))
    return topics
