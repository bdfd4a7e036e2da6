"""What the CI formats (JUnit XML, SARIF) say about one rule result, in the report language.

Both formats end up in a CI log or a code-scanning page, so every text that came from a model or a ruleset goes
through checker.console.printable: a building named "A\\n::error::x" or carrying a bidi override cannot forge a line
or reorder what a reviewer reads, and XML 1.0 (which cannot hold most control characters at all) stays well formed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from checker.console import printable
from checker.rules.formatting import against_declared, declared_difference_text, requirement_text, value_text
from checker.rules.results import FAIL_ON_SEVERITIES, RuleResult, Status
from checker.rules.schema import Citation
from checker.rules.texts import in_language

OPS = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠", ">": ">", "<": "<", "in": "∈", "not_in": "∉"}
# GlobalIds listed per result in a CI report; the JSON report always lists them all.
MAX_LISTED_IDS = 500
WORDS = {
    "en": {
        "measured": "Measured",
        "required": "Required",
        "lower": "at least",
        "upper": "at most",
        "citation": "Citation",
        "elements": "Elements",
        "missing": "Missing data",
        "remedy": "Remedy",
        "more": "and {n} more (all in the JSON report)",
        "building": "Building",
        "project": "Project",
        "unnamed": "(unnamed)",
        "confidence": "{confidence} confidence",
    },
    "zh": {
        "measured": "实测",
        "required": "要求",
        "lower": "至少",
        "upper": "至多",
        "citation": "依据",
        "elements": "构件",
        "missing": "缺少数据",
        "remedy": "整改建议",
        "more": "另有 {n} 个（JSON 报告中列出全部）",
        "building": "建筑",
        "project": "项目",
        "unnamed": "（未命名）",
        "confidence": "可信度：{confidence}",
    },
}
STATUS_WORDS = {
    "en": {
        "primary": "primary",
        "verified": "verified",
        "secondary": "secondary",
        "partly": "partly confirmed",
        "recalled": "recalled, not confirmed",
    },
    "zh": {
        "primary": "原文",
        "verified": "已核实",
        "secondary": "二手来源",
        "partly": "部分确认",
        "recalled": "凭记忆，未确认",
    },
}
COLON = {"en": ": ", "zh": "："}
CONFIDENCE_WORDS = {"en": {}, "zh": {"high": "高", "med": "中", "low": "低"}}
PARENTHESES = {"en": (" (", ")", ", "), "zh": ("（", "）", "，")}


def word(lang: str, key: str, **values: object) -> str:
    return WORDS[lang][key].format(**values)


def labelled(lang: str, key: str, text: str) -> str:
    """'Measured: 43.8 %' / '实测：43.8 %'."""
    return f"{word(lang, key)}{COLON[lang]}{text}"


@dataclass(frozen=True)
class Owner:
    """The building (or the project) a result belongs to, as the CI formats name it."""

    global_id: str | None
    name: str | None
    is_project: bool = False

    def label(self, lang: str) -> str:
        """'Building District Service Hall (0hEbSnznDKh8jLqKO0J1za)', escaped."""
        kind = word(lang, "project" if self.is_project else "building")
        name = printable(self.name) if self.name else word(lang, "unnamed")
        return f"{kind} {name} ({printable(self.global_id)})" if self.global_id else f"{kind} {name}"


def is_gated(result: RuleResult, fail_on: str) -> bool:
    """The result's severity is at or above --fail-on and no waiver or baseline accepts it: its fail or unknown sets
    exit code 1."""
    return result.severity in FAIL_ON_SEVERITIES[fail_on] and result.counts


ACCEPTED = {
    "en": {
        "waiver": "waived until {expires} by {approver}: {reason}",
        "baseline": "in the baseline {source}, no worse",
    },
    "zh": {"waiver": "已豁免至 {expires}（批准人 {approver}）：{reason}", "baseline": "基线 {source} 中已有，且未变差"},
}


def accepted_text(result: RuleResult, lang: str) -> str:
    """Why an accepted fail or unknown does not count ('' when it counts)."""
    accepted = result.accepted
    if accepted is None:
        return ""
    return printable(ACCEPTED[lang][accepted.kind].format(**accepted.model_dump()))


def measured_text(result: RuleResult, lang: str) -> str:
    """'43.8 %', '1★ less than declared', 'at least 1,200 m²' for a lower bound; '—' when nothing was measured."""
    if result.display:
        return in_language(printable(result.display), lang)
    value = result.value
    if value is None:
        return "—"
    if (
        against_declared(result.op, result.threshold)
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        text = declared_difference_text(value, result.unit, lang)
    else:
        text = value_text(value, result.unit, lang)
    if result.bound in ("lower", "upper"):
        return f"{word(lang, result.bound)} {text}"
    return text


def required_text(result: RuleResult, lang: str) -> str:
    return _required(result.op or "", result.threshold, result.unit, lang)


@lru_cache(maxsize=4096)
def _required(op: str, threshold: float | None, unit: str | None, lang: str) -> str:
    """Cached: a run of 3,000 buildings asks the same few hundred requirements 150,000 times."""
    return "—" if threshold is None else requirement_text(op, threshold, unit, OPS.get(op, op), lang)


def citation_text(citation: Citation, lang: str) -> str:
    """'GB/T 51129-2017 4.0.1 (recalled, not confirmed, med confidence)': nobody reads a recalled figure as law."""
    return _citation(citation.document, citation.clause, citation.status.value, citation.confidence, lang)


@lru_cache(maxsize=4096)
def _citation(document: str, clause: str, status: str, confidence: str | None, lang: str) -> str:
    opening, closing, comma = PARENTHESES[lang]
    shown = STATUS_WORDS[lang][status]
    if confidence:
        shown += comma + word(lang, "confidence", confidence=CONFIDENCE_WORDS[lang].get(confidence, confidence))
    return f"{printable(document)} {printable(clause)}{opening}{shown}{closing}"


def element_ids(result: RuleResult, owner: Owner) -> list[str]:
    """The GlobalIds behind the result: its elements, then its evidence, each once, the owner itself left out."""
    ids = [element.global_id for element in result.elements]
    ids += [global_id for evidence in result.evidence for global_id in evidence.global_ids]
    return [global_id for global_id in dict.fromkeys(ids) if global_id != owner.global_id]


def listed_ids(ids: list[str], lang: str) -> str:
    shown = ", ".join(printable(global_id) for global_id in ids[:MAX_LISTED_IDS])
    return shown if len(ids) <= MAX_LISTED_IDS else f"{shown} {word(lang, 'more', n=len(ids) - MAX_LISTED_IDS)}"


def detail_lines(result: RuleResult, owner: Owner, lang: str) -> list[str]:
    """The body of a failure: message, measured vs required, citation, missing data, remedy and elements."""
    lines = [printable(result.message.get(lang)), owner.label(lang), figures_text(result, lang)]
    lines.append(labelled(lang, "citation", citation_text(result.citation, lang)))
    lines += missing_lines(result, lang)
    if result.remedy is not None and result.status is Status.FAIL:
        lines.append(labelled(lang, "remedy", printable(result.remedy.get(lang))))
    ids = element_ids(result, owner)
    if ids:
        lines.append(f"{word(lang, 'elements')} ({len(ids)}){COLON[lang]}{listed_ids(ids, lang)}")
    return lines


def figures_text(result: RuleResult, lang: str) -> str:
    """'Measured: 43.8 %; Required: ≥ 50 %'."""
    separator = "；" if lang == "zh" else "; "
    return (
        labelled(lang, "measured", measured_text(result, lang))
        + separator
        + labelled(lang, "required", required_text(result, lang))
    )


def missing_lines(result: RuleResult, lang: str) -> list[str]:
    """What is missing, each entry once; one the message already names word for word is not repeated."""
    message = result.message.get(lang)
    texts = [printable(in_language(text, lang)) for text in result.missing]
    return [labelled(lang, "missing", text) for text in dict.fromkeys(texts) if text not in message]
