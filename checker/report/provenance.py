"""Trust marks for the HTML report: where the ruleset came from, what a local ruleset changed, and how many
decisive results rest on figures nobody has confirmed against the official text.

Kept beside html.py (which merges these UI strings and calls these helpers) so the report says, in both
languages, that a run against a local ruleset is not a run against the bundled one.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checker.rules.formatting import UNIT_SYMBOLS, exact_text
from checker.rules.results import CheckRun
from checker.rules.schema import I18n, Override

SHORT_HASH = 12  # hex digits of a file's SHA-256 shown in the ruleset files table; the JSON has all 64
CONDITION_OPS = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠", ">": ">", "<": "<", "in": "∈", "not_in": "∉"}
CONDITION_WORDS = {"en": {"all_of": " and ", "any_of": " or "}, "zh": {"all_of": " 且 ", "any_of": " 或 "}}

PROVENANCE_UI: dict[str, dict[str, str]] = {
    "en": {
        "ruleset_path": "Ruleset file",
        "ruleset_sha256": "Ruleset SHA-256",
        "ruleset_bundled": "bundled with greencheck",
        "ruleset_local": "local file, not bundled",
        "ruleset_local_note": "Local ruleset “{id}”: not one of the bundled rulesets.",
        "ruleset_changes": (
            "Against {parent}: {fields} field(s) changed in {rules} rule(s), {disabled} rule(s) disabled, "
            "{added} rule(s) added; each change is marked on its rule."
        ),
        "ruleset_setting_changes": "{settings} extraction setting(s) changed, listed below.",
        "extraction_overrides": "Changed extraction settings",
        "ruleset_files": "Ruleset files",
        "col_file": "File",
        "col_role": "Role",
        "col_ruleset": "Ruleset",
        "col_short_sha256": "SHA-256 (first 12)",
        "role_ruleset": "ruleset",
        "role_include": "included part",
        "disabled_rules": "Disabled rules",
        "disabled_by": "disabled by {path}: {rule_id}",
        "verdict_local": "Checked against the local ruleset “{id}” ({path}), not a bundled one: see the header.",
        "unconfirmed": (
            "{n} of {total} decisive results rest on recalled or partly confirmed figures — verify before "
            "approval (error severity: {n_err} of {total_err})."
        ),
        "unconfirmed_none": (
            "None of the {total} decisive results rests on recalled or partly confirmed figures "
            "(error severity: {total_err})."
        ),
        "overrides": "Overridden",
        "overridden_mark": "overridden",
        "override": "{field}: {old} → {new}, overridden by {path}",
        "override_via": " (through {via})",
        "added_by": "local rule, added by {path}",
    },
    "zh": {
        "ruleset_path": "规则集文件",
        "ruleset_sha256": "规则集 SHA-256",
        "ruleset_bundled": "greencheck 内置",
        "ruleset_local": "本地文件，非内置",
        "ruleset_local_note": "本地规则集“{id}”：不是内置规则集。",
        "ruleset_changes": (
            "相对于 {parent}：{rules} 条规则中共修改 {fields} 个字段，停用 {disabled} 条规则，新增 {added} 条规则；"
            "每处修改均在对应规则中标出。"
        ),
        "ruleset_setting_changes": "修改了 {settings} 项数据提取设置，列于下方。",
        "extraction_overrides": "已修改的数据提取设置",
        "ruleset_files": "规则集文件清单",
        "col_file": "文件",
        "col_role": "作用",
        "col_ruleset": "所属规则集",
        "col_short_sha256": "SHA-256（前 12 位）",
        "role_ruleset": "规则集",
        "role_include": "引入的分文件",
        "disabled_rules": "停用的规则",
        "disabled_by": "由 {path} 停用：{rule_id}",
        "verdict_local": "本报告依据本地规则集“{id}”（{path}），不是内置规则集：详见报告开头。",
        "unconfirmed": (
            "{total} 条有明确结论（通过或不通过）的结果中，有 {n} 条依据凭记忆引用或部分确认的数值——批准前请核实"
            "（错误级：{total_err} 条中 {n_err} 条）。"
        ),
        "unconfirmed_none": (
            "{total} 条有明确结论的结果均不依据凭记忆引用或部分确认的数值（其中错误级 {total_err} 条）。"
        ),
        "overrides": "已覆盖的字段",
        "overridden_mark": "已被覆盖",
        "override": "{field}：{old} → {new}，由 {path} 覆盖",
        "override_via": "（经 {via}）",
        "added_by": "本地规则，由 {path} 新增",
    },
}


def _is_condition(value: Any) -> bool:
    return isinstance(value, dict) and bool({"fact", "all_of", "any_of"} & value.keys())


def condition_text(condition: dict[str, Any], lang: str) -> str:
    """'use_category ∈ [public, mixed] and above_ground_gfa ≥ 20000': a changed scope readable at a glance."""
    for group in ("all_of", "any_of"):
        if isinstance(condition.get(group), list):
            inner = CONDITION_WORDS[lang][group].join(condition_text(c, lang) for c in condition[group])
            return f"({inner})"
    value = condition.get("value")
    shown = f"[{', '.join(str(v) for v in value)}]" if isinstance(value, list) else _scalar(value, None)
    return f"{condition.get('fact')} {CONDITION_OPS.get(str(condition.get('op')), condition.get('op'))} {shown}"


def _scalar(value: Any, unit: str | None) -> str:
    """Exact, not rounded: an override of 50 % to 49.999 % must not read '50 % → 50 %'."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        symbol = "%" if unit == "1" else UNIT_SYMBOLS.get(unit or "", unit or "")
        return f"{exact_text(value, percent=unit == '1')} {symbol}".strip()
    return str(value)


def override_value(value: Any, unit: str | None, lang: str) -> str:
    """One side of an override: figures with their unit, conditions as text, tables as compact JSON."""
    if isinstance(value, list) and value and all(_is_condition(item) for item in value):
        return CONDITION_WORDS[lang]["all_of"].join(condition_text(item, lang) for item in value)
    if _is_condition(value):
        return condition_text(value, lang)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return _scalar(value, unit)


def override_text(override: Override, ui: dict[str, str], lang: str) -> str:
    """'require.value: 50 % → 30 %, overridden by /path/my.toml (through param_sets.x)'."""
    text = ui["override"].format(
        field=override.field,
        old=override_value(override.old, override.unit, lang),
        new=override_value(override.new, override.unit, lang),
        path=override.by,
    )
    return text + (ui["override_via"].format(via=override.via) if override.via else "")


def ruleset_changes(run: CheckRun) -> dict[str, int]:
    """Changed fields, changed rules, disabled and added rules; a rule evaluated on several buildings counts once."""
    rules = {result.rule_id: result for building in run.buildings for result in building.results}
    return {
        "fields": sum(len(result.overrides) for result in rules.values()),
        "rules": sum(bool(result.overrides) for result in rules.values()),
        "disabled": len(run.ruleset.disabled_rules),
        "settings": len(run.ruleset.extraction_overrides),
        "added": sum(result.added_by is not None for result in rules.values()),
    }


STANDARDS_REFERENCE = "docs/standards-reference.md"
CONFIDENCE_WORDS = {
    "en": {"high": "high", "med": "medium", "low": "low", "med-high": "medium to high", "low–med": "low to medium"},
    "zh": {"high": "高", "med": "中", "low": "低", "med-high": "中到高", "low–med": "低到中"},
}
# "RECALLED med", "RECALLED, med", "RECALLED interpretation, med": a confidence written without brackets
RECALLED_INLINE = r"RECALLED(?: interpretation)?,? ((?:low|med|high)(?:[-–](?:low|med|high))?)\b"
# The ruleset's status shorthand (kept in the TOML, where it is data) in words a reader understands; order matters.
SHORTHAND: dict[str, list[tuple[str, str]]] = {
    "en": [
        (r"standards\.md §([\d.]+(?: and §[\d.]+)?)", "greencheck's standards reference ({ref}), section {0}"),
        (r"VERIFIED-2nd \((S\d[^)]*)\)", "verified against a second source ({0})"),
        (r"VERIFIED-2nd \(?weak\)?", "verified against a second, weak source"),
        (r"VERIFIED-2nd (S\d+)", "verified against a second source ({0})"),
        (r"VERIFIED-2nd", "verified against a second source"),
        (r"RECALLED \(([^)]*)\)", "recalled, not yet checked against the official text (confidence: {conf0})"),
        (RECALLED_INLINE, "recalled, not yet checked against the official text (confidence: {conf0})"),
        (r"RECALLED", "recalled, not yet checked against the official text"),
        (r"UNRESOLVED", "not confirmed"),
        (r"PRIMARY", "from the official text"),
    ],
    "zh": [
        (r"standards\.md §([\d.]+(?: and §[\d.]+)?)", "greencheck 标准资料（{ref}）第 {0} 节"),
        (r"VERIFIED-2nd \((S\d[^)]*)\)", "已经第二来源核实（{0}）"),
        (r"VERIFIED-2nd \(?weak\)?", "已经第二来源核实（来源较弱）"),
        (r"VERIFIED-2nd (S\d+)", "已经第二来源核实（{0}）"),
        (r"VERIFIED-2nd", "已经第二来源核实"),
        (r"RECALLED \(([^)]*)\)", "凭记忆引用，尚未与官方原文核对（可信度：{conf0}）"),
        (RECALLED_INLINE, "凭记忆引用，尚未与官方原文核对（可信度：{conf0}）"),
        (r"RECALLED", "凭记忆引用，尚未与官方原文核对"),
        (r"UNRESOLVED", "尚未确认"),
        (r"PRIMARY", "出自官方原文"),
    ],
}
SOURCE_ID = re.compile(r"(?<![\w-])S(\d{1,2})(?![\d\w])")  # S1..S99 (source list); S235, S355 are steel grades


def _confidence(text: str, lang: str) -> str:
    """'med; windows low' -> 'medium; windows low': the confidence words inside a status bracket."""
    words = CONFIDENCE_WORDS[lang]
    return re.sub(r"[a-z]+(?:[-–][a-z]+)?", lambda m: words.get(m.group(0), m.group(0)), text)


def reader_note(note: I18n | str | None, lang: str) -> str:
    """A citation note in the report's language with the ruleset's status shorthand in words ("VERIFIED-2nd (S1)"
    -> "verified against a second source (source S1)"); the source numbers are those of the standards reference."""
    if note is None:
        return ""
    text = note.get(lang) if isinstance(note, I18n) else note
    for pattern, words in SHORTHAND[lang]:

        def spelled(match: re.Match[str], words: str = words) -> str:
            confidence = _confidence(match.group(1), lang) if match.groups() else ""
            return words.format(*match.groups(), ref=STANDARDS_REFERENCE, conf0=confidence)

        text = re.sub(pattern, spelled, text)
    return SOURCE_ID.sub(("来源 S\\1" if lang == "zh" else "source S\\1"), text)
