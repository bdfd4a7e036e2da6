"""What the HTML report needs to show the "data to add" checklist once and let unknown rule cards link to it.

A card names the checklist rows of its rule (by anchor) and keeps, as text, only the missing entries that no row
covers (e.g. "no PV panels in the building"), so each property is spelled out once per building.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from checker.report.ids import checklist_ids, merged_rows
from checker.rules.results import BuildingResult, CheckRun, MissingData, RuleResult, Status

CHECKLIST_UI: dict[str, dict[str, str]] = {
    "en": {
        "checklist": "Data to add",
        "checklist_intro": "Each property below is missing once; adding it lets the listed rules be decided.",
        "col_property": "Property set.property",
        "col_entity": "On",
        "col_value_type": "IFC type",
        "col_allowed": "Allowed values",
        "col_rules": "Rules it would decide",
        "col_lacking": "Elements lacking it",
        "keywords_note": "(words read)",
        "ids_download": "Download this checklist as IDS 1.0 (for authoring and checking tools)",
        "see_checklist": "Data to add (see the checklist)",
        "undecided": "Could not be decided: {n} rules — data to add: {rows}",
        "undecided_none": "Every rule was decided — data still worth adding: {rows}",
        "other_missing": "Missing from the model (not a property to add)",
        "no_data_named": "The rule names no missing property: see its card",
        "undecided_cards": "Cards of the {n} undecided rules (finding, citation, evidence)",
        "col_bim_data": "BIM data",
        "bim_data": "{provided} of {needed} data items provided ({share})",
        "bim_data_none": "no data item needed",
    },
    "zh": {
        "checklist": "需补充的数据",
        "checklist_intro": "下列每项属性只列一次；补充后即可判定所列条款。",
        "col_property": "属性集.属性",
        "col_entity": "所属实体",
        "col_value_type": "IFC 类型",
        "col_allowed": "允许值",
        "col_rules": "补充后可判定的条款",
        "col_lacking": "缺少的构件",
        "keywords_note": "（识别的关键词）",
        "ids_download": "下载本清单（IDS 1.0 格式，供建模与检查软件使用）",
        "see_checklist": "需补充的数据（见清单）",
        "undecided": "无法判定的条款：{n} 条 — 需补充的数据：{rows} 项",
        "undecided_none": "所有条款均已判定 — 仍建议补充的数据：{rows} 项",
        "other_missing": "模型中缺少的内容（非待补属性）",
        "no_data_named": "该条款未指明缺少的属性：见其条款卡片",
        "undecided_cards": "{n} 条无法判定条款的卡片（结论、依据、证据）",
        "col_bim_data": "BIM 数据",
        "bim_data": "所需 {needed} 项数据中已提供 {provided} 项（{share}）",
        "bim_data_none": "无需数据项",
    },
}


def row_anchor(building_id: str, row: MissingData) -> str:
    """A stable fragment for one checklist row (GlobalIds may hold '$', kept out of fragments)."""
    raw = f"todo-{building_id}-{row.entity}-{row.pset}-{row.property}"
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in raw)


@dataclass(frozen=True)
class CardMissing:
    """A rule card's missing data: links to checklist rows, and the entries no row covers."""

    rows: list[tuple[str, MissingData]] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


def _covered(entry: str, rows: list[MissingData], building: BuildingResult) -> bool:
    """An entry is covered when it carries the missing text of a fact one of the rows stands for."""
    for row in rows:
        if row.mentions and row.mentions in entry:
            return True
        for key in row.facts:
            fact = building.facts.get(key)
            if fact is not None and fact.missing and fact.missing in entry:
                return True
    return False


def card_missing(result: RuleResult, buildings: list[BuildingResult]) -> CardMissing:
    """Rows of `buildings` (the card's own, or all for a project rule) that unlock the rule, plus the rest as text."""
    links: list[tuple[str, MissingData]] = []
    covered: set[int] = set()
    for building in buildings:
        rows = [row for row in building.data_to_add if result.rule_id in row.rules]
        links.extend((row_anchor(building.global_id, row), row) for row in rows)
        covered |= {i for i, entry in enumerate(result.missing) if _covered(entry, rows, building)}
    return CardMissing(links, [entry for i, entry in enumerate(result.missing) if i not in covered])


def ids_data_uri(run: CheckRun) -> str | None:
    """The checklist's IDS file as a data: URI for a download link; None without rows."""
    if not merged_rows(run):
        return None
    payload = base64.b64encode(checklist_ids(run).encode("utf-8")).decode("ascii")
    return f"data:application/xml;base64,{payload}"


@dataclass(frozen=True)
class Undecided:
    """A building's unknown rules grouped by the data they lack: the checklist rows, then each missing entry that no
    row covers (model content such as "no PV panels") with the rules it holds up, then rules that name no data."""

    rules: list[RuleResult]
    rows: list[MissingData]
    other: list[tuple[str, list[str]]]
    unexplained: list[RuleResult]
    by_id: dict[str, RuleResult]


def undecided(building: BuildingResult) -> Undecided:
    """The grouping the report shows under the fails, so each missing item is read once with every rule it blocks."""
    unknown = [r for r in building.results if r.status is Status.UNKNOWN]
    other: dict[str, list[str]] = {}
    unexplained = []
    for result in unknown:
        found = card_missing(result, [building])
        for entry in found.other:
            other.setdefault(entry, []).append(result.rule_id)
        if not found.rows and not found.other:
            unexplained.append(result)
    by_id = {r.rule_id: r for r in building.results}
    return Undecided(unknown, list(building.data_to_add), list(other.items()), unexplained, by_id)
