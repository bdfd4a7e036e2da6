"""JUnit XML for CI systems (Jenkins, GitLab, Azure Pipelines, GitHub test-report actions): each rule is a test.

One <testsuite> per building (named by its name and GlobalId) and one for the project-level rules; one <testcase>
per rule, classname `greencheck.<ruleset id>.<family>`, name `<rule id> <title>`. The layout follows the Apache Ant
JUnit schema (tests/schemas/JUnit.xsd), the dialect every JUnit reader accepts: a <testsuites> root without
attributes, and per suite `package`, `id`, `hostname`, a timestamp without zone and the properties/system-out/
system-err elements. Timings are 0: a rule is not timed, and a fixed value keeps two runs byte-identical.

Status -> JUnit:
- fail -> <failure type="<severity>">: the message, measured vs required, the citation and the elements' GlobalIds.
- error (the rule itself crashed) -> <error>: JUnit's "the test could not run", which is exactly that.
- unknown -> <failure type="unknown-<severity>"> when its severity is at or above --fail-on, else <skipped>.
  Not <error>: the check ran and found the data missing; not <skipped> when gating: JUnit readers count skipped
  tests as neither passed nor failed and show a green build, while --fail-on makes the same unknown exit 1 ("not
  proven" is not "passed"). Below --fail-on it changes no exit code, so it is a skip that still says why.
- not applicable -> <skipped message="...">; pass -> an empty <testcase>.
"""

from __future__ import annotations

import re

from lxml import etree

from checker.console import printable
from checker.report.base import ReportOptions, check_language, without_gc_pauses
from checker.report.ci_text import Owner, accepted_text, detail_lines, is_gated
from checker.rules.results import CheckRun, RuleResult, Status

HOSTNAME = "localhost"  # the schema requires one; the checking machine's name is nobody's business in a report
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
EPOCH = "1970-01-01T00:00:00"
NOT_APPLICABLE = {"en": "not applicable", "zh": "不适用"}
UNKNOWN_SKIPPED = {
    "en": "unknown (below --fail-on {fail_on}): ",
    "zh": "无法判定（低于 --fail-on {fail_on}）：",
}


# Characters XML 1.0 cannot hold that printable() leaves alone (it escapes the controls and surrogates): the two
# noncharacters U+FFFE and U+FFFF, which an IFC string can carry (\\X2\\FFFF\\X0\\).
_NOT_XML = re.compile("[\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` (already through printable) with what XML 1.0 cannot hold shown as \\uffff, so lxml never refuses it."""
    return _NOT_XML.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def _add(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    """A child element whose attributes and text are XML-safe."""
    child = etree.SubElement(parent, tag, {key: xml_text(value) for key, value in attributes.items()})
    if text is not None:
        child.text = xml_text(text)
    return child


def junit_timestamp(generated_at: str) -> str:
    """The Ant schema's xs:dateTime without a zone: '2026-01-01T00:00:00Z' -> '2026-01-01T00:00:00' (UTC)."""
    match = _TIMESTAMP.match(generated_at)
    return match.group(0) if match else EPOCH


def _outcome(case: etree._Element, result: RuleResult, owner: Owner, lang: str, options: ReportOptions) -> str:
    """Adds the child element of one test case; returns which counter it belongs to ('' for a pass)."""
    message = printable(result.message.get(lang))
    body = "\n".join(detail_lines(result, owner, lang))
    if result.accepted is not None:  # shown, not counted: a reader sees why the build stays green
        _add(case, "skipped", body, message=f"{accepted_text(result, lang)} — {message}")
        return "skipped"
    if result.status is Status.FAIL:
        _add(case, "failure", body, message=message, type=result.severity.value)
        return "failures"
    if result.status is Status.ERROR:
        _add(case, "error", body, message=message, type="check error")
        return "errors"
    if result.status is Status.UNKNOWN and is_gated(result, options.fail_on):
        _add(case, "failure", body, message=message, type=f"unknown-{result.severity.value}")
        return "failures"
    if result.status is Status.UNKNOWN:
        prefix = UNKNOWN_SKIPPED[lang].format(fail_on=options.fail_on)
        _add(case, "skipped", body, message=prefix + message)
        return "skipped"
    if result.status is Status.NOT_APPLICABLE:
        _add(case, "skipped", message=f"{NOT_APPLICABLE[lang]}: {message}")
        return "skipped"
    return ""


def _suite(
    run: CheckRun, owner: Owner, results: list[RuleResult], index: int, lang: str, options: ReportOptions
) -> etree._Element:
    counts = {"failures": 0, "errors": 0, "skipped": 0}
    suite = etree.Element("testsuite")
    properties = etree.SubElement(suite, "properties")
    for name, value in _properties(run, owner).items():
        _add(properties, "property", name=name, value=value)
    for result in results:
        case = _add(
            suite,
            "testcase",
            name=f"{printable(result.rule_id)} {printable(result.title.get(lang))}",
            classname=f"greencheck.{printable(run.ruleset.id)}.{result.family.value}",
            time="0",
        )
        counter = _outcome(case, result, owner, lang, options)
        if counter:
            counts[counter] += 1
    etree.SubElement(suite, "system-out")
    etree.SubElement(suite, "system-err")
    attributes = {
        "name": owner.label(lang),
        "package": f"greencheck.{printable(run.ruleset.id)}",
        "id": str(index),
        "timestamp": junit_timestamp(run.generated_at),
        "hostname": HOSTNAME,
        "tests": str(len(results)),
        **{key: str(value) for key, value in counts.items()},
        "time": "0",
    }
    for key, value in attributes.items():
        suite.set(key, xml_text(value))
    return suite


def _properties(run: CheckRun, owner: Owner) -> dict[str, str]:
    """What ties the suite to its inputs: the model file and hash, the ruleset and its hash, the owner's GlobalId."""
    return {
        "model.file": printable(run.model.file),
        "model.sha256": run.model.sha256,
        "ruleset.id": printable(run.ruleset.id),
        "ruleset.version": printable(run.ruleset.version),
        "ruleset.sha256": run.ruleset.sha256 or "",
        "global_id": printable(owner.global_id or ""),
        "verdict": run.summary.verdict,
        "greencheck.version": run.tool.version,
    }


def junit_tree(run: CheckRun, lang: str, options: ReportOptions | None = None) -> etree._Element:
    """The <testsuites> element: the project suite first (when there are project rules), then each building's."""
    options = options or ReportOptions()
    root = etree.Element("testsuites")
    owners: list[tuple[Owner, list[RuleResult]]] = []
    if run.project.results:
        owners.append((Owner(run.project.global_id, run.project.name, is_project=True), run.project.results))
    owners += [(Owner(b.global_id, b.name), b.results) for b in run.buildings]
    for index, (owner, results) in enumerate(owners):
        root.append(_suite(run, owner, results, index, lang, options))
    return root


class JunitReporter:
    """`CheckRun` as JUnit XML, texts in the report language."""

    format_id = "junit"
    suffix = ".junit.xml"

    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def render(self, run: CheckRun, lang: str = "en") -> bytes:
        check_language(lang)
        with without_gc_pauses():
            tree = junit_tree(run, lang, self.options)
            return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True))
