"""What `greencheck check` prints for a person: one line per file, one per building, a tally for a batch.

Short on purpose: the report holds every detail. A building line names its fails by id and title and counts its
unknowns; lines are fitted to WIDTH terminal columns (a CJK character takes two) by shortening titles with an
ellipsis and naming how many more there are; a file with many buildings shows the first MAX_BUILDINGS, worst first.
Every text from a model or a ruleset is escaped by checker.console.printable before it is measured.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from checker.console import printable
from checker.console_text import say
from checker.rules.results import CheckRun, RuleResult, RulesetRef, Status
from checker.rules.schema import Severity
from checker.rules.texts import in_language

WIDTH = 120
MAX_BUILDINGS = 20
MAX_OWNER = 40  # columns for a building or project name
MIN_TITLE = 14  # a rule title shortened below this says too little: "+N more" instead
FAILING = (Status.FAIL, Status.ERROR)
COUNT_ORDER = (Status.FAIL, Status.ERROR, Status.UNKNOWN, Status.PASS, Status.NOT_APPLICABLE)


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters (Chinese) take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def fit(text: str, width: int) -> str:
    """`text` cut to `width` columns, ending in an ellipsis when cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 1
    for char in text:
        used += display_width(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def shown_names(models: Sequence[Path], cwd: Path | None = None) -> list[str]:
    """The file name of each model, or its path from `cwd` when another model of the batch has the same name."""
    here = Path(os.path.abspath(cwd or Path.cwd()))
    names = [model.name.casefold() for model in models]
    return [
        _relative(model, here) if names.count(name) > 1 else model.name
        for model, name in zip(models, names, strict=True)
    ]


def _relative(model: Path, here: Path) -> str:
    """Relative to `here` (up to two levels up), else absolute: a/x.ifc and b/x.ifc stay told apart."""
    absolute = os.path.abspath(model)
    relative = os.path.relpath(absolute, here)
    return absolute if relative.startswith(os.path.join(os.pardir, os.pardir, os.pardir)) else relative


def file_lines(run: CheckRun, shown: str, reports: Sequence[Path], lang: str, verbose: bool = False) -> list[str]:
    """The verdict line of one checked file, its warnings, its notes, one line per building and its reports."""
    summary = run.summary
    verdict = say(lang, f"verdict_{summary.verdict}")
    lines = [say(lang, "file_line", file=printable(shown), verdict=verdict, counts=_counts(run.all_results(), lang))]
    lines += warning_lines(run.model.warnings, lang, verbose)
    if run.review is not None:  # an expired or stale waiver is for the officer to act on: always in full
        lines += warning_lines([*run.review.expired, *run.review.unused], lang, verbose=True)
    if summary.accepted:
        lines.append("  " + say(lang, "note_accepted", n=summary.accepted))
    basis = summary.unconfirmed_basis
    if basis.unconfirmed:
        lines.append("  " + say(lang, "note_unconfirmed", **basis.model_dump()))
    lines += owner_lines(run, lang)
    if reports:
        paths = ", ".join([printable(reports[0]), *(printable(path.name) for path in reports[1:])])
        lines.append("  " + say(lang, "report", paths=paths))
    return lines


def _counts(results: Sequence[RuleResult], lang: str) -> str:
    counts = {status: sum(r.status is status for r in results) for status in COUNT_ORDER}
    parts = [say(lang, f"count_{status.value}", n=n) for status, n in counts.items() if n]
    return say(lang, "sep").join(parts) or say(lang, "no_results")


def warning_lines(warnings: Sequence[str], lang: str, verbose: bool) -> list[str]:
    """Every warning in full with --verbose; otherwise one line: the count and the first, shortened."""
    warnings = [in_language(warning, lang) for warning in warnings]  # the model's warnings are written in English
    if verbose:
        return ["  " + say(lang, "warning", text=printable(warning)) for warning in warnings]
    if len(warnings) == 1:
        return [fit("  " + say(lang, "warning", text=printable(warnings[0])), WIDTH)]
    if not warnings:
        return []
    return [fit("  " + say(lang, "warnings_many", n=len(warnings), text=printable(warnings[0])), WIDTH)]


def owner_lines(run: CheckRun, lang: str) -> list[str]:
    """The project (when it has fails or unknowns) and up to MAX_BUILDINGS buildings, worst first."""
    lines = []
    project = run.project
    if any(r.status in (*FAILING, Status.UNKNOWN) for r in project.results):
        name = printable(project.name or project.global_id or "")
        owner = say(lang, "project", name=name) if name else say(lang, "project_unnamed")
        lines.append(building_line(owner, project.results, lang))
    labelled = [(building_label(i, b.name, b.global_id, lang), b.results) for i, b in enumerate(run.buildings, 1)]
    ranked = sorted((item for item in labelled if item[1]), key=lambda item: _rank(item[1]))
    lines += [building_line(label, results, lang) for label, results in ranked[:MAX_BUILDINGS]]
    rest = ranked[MAX_BUILDINGS:]
    if rest:
        fails = sum(_rank(results) == 0 for _, results in rest)
        unknowns = sum(_rank(results) == 1 for _, results in rest)
        lines.append(fit("  " + say(lang, "more_buildings", n=len(rest), fails=fails, unknowns=unknowns), WIDTH))
    return lines


def _rank(results: Sequence[RuleResult]) -> int:
    """0 a fail (or a rule error), 1 an unknown, 2 neither: the order buildings are listed in."""
    statuses = {r.status for r in results}
    return 0 if statuses & set(FAILING) else 1 if Status.UNKNOWN in statuses else 2


def building_label(index: int, name: str | None, global_id: str, lang: str) -> str:
    """The building's name, or "building 2 (GlobalId 3xA9bQ0d…)" when it has none."""
    if name and name.strip():
        return fit(printable(name), MAX_OWNER)
    return say(lang, "building_unnamed", index=index, gid=fit(printable(global_id), 9))


def building_line(owner: str, results: Sequence[RuleResult], lang: str) -> str:
    """ "  Hall B: 2 fail — BJ-PV-002 PV roof coverage; ...; +1 more; 11 unknown: data missing, see the report"."""
    # info-severity fails (promotions such as BJ-BIM-001's data completeness) last: requirements come first
    failing = sorted((r for r in results if r.status in FAILING), key=lambda r: r.severity is Severity.INFO)
    unknown = sum(r.status is Status.UNKNOWN for r in results)
    tail = say(lang, "unknown_tail", n=unknown) if unknown else ""
    head = f"  {say(lang, 'owner_line', owner=fit(owner, MAX_OWNER), text='')}"
    if not failing:
        return head + (tail or say(lang, "clean"))
    counts = say(lang, "sep").join(
        say(lang, f"count_{status.value}", n=n) for status in FAILING if (n := sum(r.status is status for r in failing))
    )
    fails = [(printable(r.rule_id), printable(r.title.get(lang))) for r in failing]
    return _fit_items(head, counts, fails, tail, lang)


def _fit_items(head: str, counts: str, fails: list[tuple[str, str]], tail: str, lang: str) -> str:
    """As many fails as fit in WIDTH, "+N more" for the rest; titles share the room left, each shortened with an
    ellipsis but never below MIN_TITLE columns (then fewer fails are shown)."""
    sep = say(lang, "item_sep")

    def line(shown: list[str]) -> str:
        more = [say(lang, "more_items", n=len(fails) - len(shown))] if len(shown) < len(fails) else []
        body = say(lang, "fails", counts=counts, items=sep.join([*shown, *more]))
        return head + sep.join(part for part in (body, tail) if part)

    for keep in range(len(fails), 0, -1):
        bare = line([f"{rule_id} " for rule_id, _title in fails[:keep]])
        cap = _title_cap([display_width(title) for _id, title in fails[:keep]], WIDTH - display_width(bare))
        if cap >= MIN_TITLE:
            return line([f"{rule_id} {fit(title, cap)}" for rule_id, title in fails[:keep]])
    return line([])


def _title_cap(widths: list[int], room: int) -> int:
    """The largest per-title width c with sum(min(width, c)) <= room: short titles stay whole, long ones share."""
    if sum(widths) <= room:
        return max(widths, default=0) or MIN_TITLE
    cap = 0
    for cap in range(max(widths), -1, -1):
        if sum(min(width, cap) for width in widths) <= room:
            break
    return cap


def ruleset_lines(ruleset: RulesetRef, lang: str) -> list[str]:
    """Said once per batch: the check used a local ruleset (path and SHA-256), not a bundled one."""
    if ruleset.bundled:
        return []
    path = printable(ruleset.path or "")
    return [
        say(lang, "local_ruleset", id=printable(ruleset.id), path=path),
        say(lang, "ruleset_sha", sha=ruleset.sha256),
    ]


def tally_line(verdicts: Sequence[str], errors: int, out: Path, lang: str) -> str:
    """ "3 files: 1 compliant, 1 non-compliant, 1 error; reports in reports/"."""
    parts = [
        say(lang, f"tally_{verdict}", n=n)
        for verdict in ("compliant", "non_compliant", "incomplete")
        if (n := verdicts.count(verdict))
    ]
    parts += [say(lang, "tally_error", n=errors)] if errors else []
    folder = printable(out) if str(out).endswith(os.sep) else printable(f"{out}{os.sep}")
    return say(lang, "tally", n=len(verdicts) + errors, counts=say(lang, "sep").join(parts), out=folder)
