"""Every fixed phrase `greencheck check` prints on stdout, in English and Chinese (`--lang`).

One table, so a line never comes out half translated: a test checks both languages have the same keys. Rule titles
come from the ruleset (both languages required there); text from the model (names, warnings) is shown as it is.
Error lines on stderr (`greencheck: error: ...`) stay English: scripts and tests match them.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "verdict_compliant": "COMPLIANT",
        "verdict_non_compliant": "NON-COMPLIANT",
        "verdict_incomplete": "INCOMPLETE (data missing)",
        "file_line": "{file}: {verdict} — {counts}",
        "count_fail": "{n:,} fail",
        "count_error": "{n:,} check error",
        "count_unknown": "{n:,} unknown",
        "count_pass": "{n:,} pass",
        "count_not_applicable": "{n:,} not applicable",
        "no_results": "no rule applied",
        "sep": ", ",
        "item_sep": "; ",
        "owner_line": "{owner}: {text}",
        "fails": "{counts} — {items}",
        "unknown_tail": "{n:,} unknown: data missing, see the report",
        "clean": "all rules pass or do not apply",
        "more_items": "+{n:,} more",
        "project": "project {name}",
        "project_unnamed": "project",
        "building_unnamed": "building {index} (GlobalId {gid})",
        "more_buildings": (
            "+{n:,} more buildings ({fails:,} with fails, {unknowns:,} with unknowns only): see the report"
        ),
        "warning": "warning: {text}",
        "warnings_many": "{n:,} warnings (all in the report), the first: {text}",
        "local_ruleset": "warning: checked against the local ruleset '{id}' ({path}), not a bundled one",
        "ruleset_sha": "  sha256 {sha}",
        "note_unconfirmed": (
            "note: {unconfirmed:,} of {decisive:,} decisive results ({unconfirmed_errors:,} of {decisive_errors:,} "
            "error-severity) rest on unconfirmed figures: verify before approval"
        ),
        "note_accepted": "note: {n:,} fail(s) or unknown(s) accepted by waivers or the baseline: not counted",
        "report": "report: {paths}",
        "tally": "{n:,} files: {counts}; reports in {out}",
        "tally_compliant": "{n:,} compliant",
        "tally_non_compliant": "{n:,} non-compliant",
        "tally_incomplete": "{n:,} incomplete",
        "tally_error": "{n:,} error",
    },
    "zh": {
        "verdict_compliant": "符合",
        "verdict_non_compliant": "不符合",
        "verdict_incomplete": "无法判定（数据缺失）",
        "file_line": "{file}：{verdict} — {counts}",
        "count_fail": "不通过 {n:,} 条",
        "count_error": "检查出错 {n:,} 条",
        "count_unknown": "无法判定 {n:,} 条",
        "count_pass": "通过 {n:,} 条",
        "count_not_applicable": "不适用 {n:,} 条",
        "no_results": "没有适用的规则",
        "sep": "，",
        "item_sep": "；",
        "owner_line": "{owner}：{text}",
        "fails": "{counts} — {items}",
        "unknown_tail": "无法判定 {n:,} 条：缺少数据，详见报告",
        "clean": "全部规则通过或不适用",
        "more_items": "另有 {n:,} 条",
        "project": "项目 {name}",
        "project_unnamed": "项目",
        "building_unnamed": "建筑 {index}（GlobalId {gid}）",
        "more_buildings": "另有 {n:,} 栋建筑（{fails:,} 栋有不通过项，{unknowns:,} 栋仅有无法判定项）：详见报告",
        "warning": "警告：{text}",
        "warnings_many": "警告 {n:,} 条（全文见报告），第一条：{text}",
        "local_ruleset": "警告：按本地规则集“{id}”（{path}）检查，不是内置规则集",
        "ruleset_sha": "  sha256 {sha}",
        "note_unconfirmed": (
            "注意：{decisive:,} 条定论结果中有 {unconfirmed:,} 条（错误级 {decisive_errors:,} 条中 "
            "{unconfirmed_errors:,} 条）依据未经原文核实的数值，审批前请核对"
        ),
        "note_accepted": "注意：{n:,} 条不通过或无法判定的结果已由豁免或基线接受，不计入结论",
        "report": "报告：{paths}",
        "tally": "共 {n:,} 个文件：{counts}；报告在 {out}",
        "tally_compliant": "符合 {n:,} 个",
        "tally_non_compliant": "不符合 {n:,} 个",
        "tally_incomplete": "无法判定 {n:,} 个",
        "tally_error": "出错 {n:,} 个",
    },
}


def say(lang: str, key: str, **values: object) -> str:
    """The phrase `key` in `lang` (zh unless "en") with `values` filled in."""
    return TEXT["en" if lang == "en" else "zh"][key].format(**values)
