"""SARIF 2.1.0 for code-scanning pages (GitHub, GitLab, Azure DevOps, VS Code's SARIF viewer).

One run: tool.driver carries each rule once (title, citation, family, severity); one result per rule that did not
pass on a building (or the project), located in the IFC file (the artifact, with its SHA-256) and, by GlobalId, in
its elements (logicalLocations of kind "element", fullyQualifiedName "<building GlobalId>/<element GlobalId>").

Status -> SARIF:
- fail -> kind "fail", level from severity (error / warning / note).
- error (the rule crashed) -> kind "fail", level from severity, properties.status "error": the check proves nothing,
  and counts like a fail in the verdict and the exit code.
- unknown -> kind "open": SARIF's "the tool could not tell, more information needed", which is what a rule left
  unknown for want of data is; the spec requires level "none" with it. Whether it sets the exit code (--fail-on) is
  in the result's properties ("gatesExitCode").
- pass and not applicable -> no result (SARIF lists findings; the JUnit and JSON reports list every rule).
"""

from __future__ import annotations

import hashlib
import os
from typing import Any
from urllib.parse import quote

from checker.console import printable
from checker.report.base import BYTES_THAT_DECODED_AS_NOTHING, ReportOptions, check_language, without_gc_pauses
from checker.report.ci_text import (
    COLON,
    MAX_LISTED_IDS,
    Owner,
    accepted_text,
    citation_text,
    element_ids,
    figures_text,
    is_gated,
    labelled,
    listed_ids,
    missing_lines,
    word,
)
from checker.report.json import INDENTED_MAX_BUILDINGS, finite_dumps
from checker.rules.results import CheckRun, RuleResult, Status

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
SEVERITY_TO_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
REPORTED = (Status.FAIL, Status.ERROR, Status.UNKNOWN)
FINGERPRINT = "greencheck/v1"  # rule id + owner GlobalId: the same finding keeps its identity across runs


def artifact_uri(path: str) -> str:
    """The model path as a URI reference: relative as given (so code scanning finds it in the repository), an
    absolute path as a file: URI. Bytes that are not UTF-8 in a file name are percent-encoded as the bytes they are."""
    raw = os.fsencode(path).replace(b"\\", b"/") if os.sep == "\\" else os.fsencode(path)
    if os.path.isabs(path):
        return "file://" + quote(raw)
    return quote(raw)


def _descriptor(result: RuleResult, lang: str) -> dict[str, Any]:
    """One reportingDescriptor: what the rule checks and on what authority."""
    title = printable(result.title.get(lang))
    citation = result.citation
    return {
        "id": result.rule_id,
        "name": result.rule_id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": f"{title}. {labelled(lang, 'citation', citation_text(citation, lang))}"},
        "defaultConfiguration": {"level": SEVERITY_TO_LEVEL[result.severity.value]},
        "properties": {
            "family": result.family.value,
            "severity": result.severity.value,
            "citation": {
                "document": citation.document,
                "clause": citation.clause,
                "status": citation.status.value,
                "confidence": citation.confidence,
            },
            "tags": [result.family.value, result.severity.value],
        },
    }


def _message(result: RuleResult, owner: Owner, lang: str) -> str:
    """One paragraph: the rule, the owner, what was measured against what, what is missing, and the GlobalIds."""
    parts = [
        f"{result.rule_id} {printable(result.title.get(lang))}{COLON[lang]}{printable(result.message.get(lang))}",
        owner.label(lang),
        figures_text(result, lang),
        *missing_lines(result, lang),
    ]
    ids = element_ids(result, owner)
    if ids:
        parts.append(f"{word(lang, 'elements')} ({len(ids)}){COLON[lang]}{listed_ids(ids, lang)}")
    return " — ".join(parts)


def _logical_locations(result: RuleResult, owner: Owner) -> list[dict[str, str]]:
    """The owner itself, then each element under it (capped like the message; the JSON report has them all)."""
    if owner.global_id is None:
        return []
    locations = [{"kind": "element", "name": owner.global_id, "fullyQualifiedName": owner.global_id}]
    for global_id in element_ids(result, owner)[:MAX_LISTED_IDS]:
        full = f"{owner.global_id}/{global_id}"
        locations.append({"kind": "element", "name": global_id, "fullyQualifiedName": full})
    return locations


def _review(result: RuleResult, run: CheckRun, lang: str) -> dict[str, Any]:
    """A waiver as an external, accepted suppression; against a baseline, SARIF's baselineState."""
    found: dict[str, Any] = {}
    if result.accepted is not None and result.accepted.kind == "waiver":
        found["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": accepted_text(result, lang)}
        ]
    if run.review is not None and run.review.baseline is not None:
        found["baselineState"] = "unchanged" if result.accepted is not None and result.accepted.in_baseline else "new"
    return found


def _result(result: RuleResult, rule_index: int, owner: Owner, uri: str, lang: str, fail_on: str) -> dict[str, Any]:
    kind = "open" if result.status is Status.UNKNOWN else "fail"
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri, "index": 0}}}
    logical = _logical_locations(result, owner)
    if logical:
        location["logicalLocations"] = logical
    identity = f"{result.rule_id}\n{owner.global_id or ''}".encode("utf-8", BYTES_THAT_DECODED_AS_NOTHING)
    return {
        "ruleId": result.rule_id,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": "none" if kind == "open" else SEVERITY_TO_LEVEL[result.severity.value],
        "message": {"text": _message(result, owner, lang)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: hashlib.sha256(identity).hexdigest()},
        "properties": {
            "status": result.status.value,
            "severity": result.severity.value,
            "gatesExitCode": is_gated(result, fail_on),
            "buildingGlobalId": owner.global_id,
            "value": result.value,
            "unit": result.unit,
            "threshold": result.threshold,
            "bound": result.bound,
        },
    }


def sarif_log(run: CheckRun, lang: str, options: ReportOptions | None = None) -> dict[str, Any]:
    """The SARIF log as a dict (one run)."""
    options = options or ReportOptions()
    uri = artifact_uri(options.model_path or run.model.file)
    owners: list[tuple[Owner, list[RuleResult]]] = [
        (Owner(run.project.global_id, run.project.name, is_project=True), run.project.results),
        *((Owner(b.global_id, b.name), b.results) for b in run.buildings),
    ]
    rules: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for owner, owner_results in owners:
        for result in owner_results:
            if result.rule_id not in rules:
                rules[result.rule_id] = len(descriptors)
                descriptors.append(_descriptor(result, lang))
            if result.status in REPORTED:
                found = _result(result, rules[result.rule_id], owner, uri, lang, options.fail_on)
                results.append(found | _review(result, run, lang))
    ruleset = run.ruleset
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": {"name": run.tool.name, "version": run.tool.version, "rules": descriptors}},
                "language": "zh-CN" if lang == "zh" else "en",
                "artifacts": [
                    {
                        "location": {"uri": uri},
                        "length": run.model.size_bytes,
                        "hashes": {"sha-256": run.model.sha256},
                        "roles": ["analysisTarget"],
                    }
                ],
                "results": results,
                "properties": {
                    "ruleset": {"id": ruleset.id, "version": ruleset.version, "sha256": ruleset.sha256},
                    "verdict": run.summary.verdict,
                    "counts": run.summary.counts,
                    "failOn": options.fail_on,
                    "generatedAt": run.generated_at,
                },
            }
        ],
    }


class SarifReporter:
    """`CheckRun` as a SARIF 2.1.0 log, texts in the report language."""

    format_id = "sarif"
    suffix = ".sarif"

    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def render(self, run: CheckRun, lang: str = "en") -> bytes:
        check_language(lang)
        with without_gc_pauses():
            # indented for people up to INDENTED_MAX_BUILDINGS, as the JSON report; beyond, read by programs
            text = finite_dumps(sarif_log(run, lang, self.options), len(run.buildings) <= INDENTED_MAX_BUILDINGS)
        return text.encode("utf-8", BYTES_THAT_DECODED_AS_NOTHING)
