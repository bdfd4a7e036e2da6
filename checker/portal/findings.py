"""What the revision page and the review opinion show of a report: each open finding (a fail or an unknown) as one
row of plain text, in the words the CI formats already use, so the page, the opinion and the PDF say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.report.ci_text import Owner, citation_text, element_ids, measured_text, required_text
from checker.rules.formatting import difference_text
from checker.rules.results import Acceptance, CheckRun, RuleResult, Status
from checker.rules.review import WAIVABLE

PROJECT_WORDS = {"zh": "项目", "en": "Project"}


@dataclass(frozen=True)
class Finding:
    rule_id: str
    title: str
    status: str  # fail or unknown
    owner_id: str  # the building's GlobalId, or the project's as a waiver names it
    owner_name: str
    on_project: bool  # a project-level rule, not one building's
    measured: str
    required: str
    margin: str
    clause: str
    element_ids: tuple[str, ...]
    accepted: Acceptance | None

    @property
    def counts(self) -> bool:
        """Still open: no waiver (or baseline) accepts it, so it decides the verdict."""
        return self.accepted is None


def margin_text(result: RuleResult, lang: str) -> str:
    """'-15.9 pp', '+2 points': how far the measured figure is from the threshold ('—' without both)."""
    if result.margin is None:
        return "—"
    sign = "-" if result.margin < 0 else "+" if result.margin > 0 else ""
    return sign + difference_text(result.margin, result.unit, lang)


def failing_ids(result: RuleResult, owner: Owner) -> tuple[str, ...]:
    """The elements the rule names (as BCF selects them); without any, the GlobalIds its figures came from."""
    own = [element.global_id for element in result.elements if element.global_id != owner.global_id]
    return tuple(dict.fromkeys(own)) or tuple(element_ids(result, owner))


def _finding(result: RuleResult, owner: Owner, owner_id: str, lang: str) -> Finding:
    return Finding(
        rule_id=result.rule_id,
        title=result.title.get(lang) or result.title.get("en") or result.rule_id,
        status=result.status.value,
        owner_id=owner_id,
        owner_name=owner.name or owner_id,
        on_project=owner.is_project,
        measured=measured_text(result, lang),
        required=required_text(result, lang),
        margin=margin_text(result, lang),
        clause=citation_text(result.citation, lang),
        element_ids=failing_ids(result, owner),
        accepted=result.accepted,
    )


def findings_of(run: CheckRun, lang: str) -> list[Finding]:
    """Fails first, then unknowns; the project's own results before each building's, in report order."""
    project_id = run.project.global_id or "project"
    project = Owner(run.project.global_id, run.project.name or PROJECT_WORDS.get(lang, "Project"), is_project=True)
    owned: list[tuple[RuleResult, Owner, str]] = [(r, project, project_id) for r in run.project.results]
    for building in run.buildings:
        owner = Owner(building.global_id, building.name)
        owned += [(r, owner, building.global_id) for r in building.results]
    rows = [_finding(result, owner, key, lang) for result, owner, key in owned if result.status in WAIVABLE]
    return sorted(rows, key=lambda row: 0 if row.status == Status.FAIL.value else 1)
