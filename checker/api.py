"""The library API the CLI (and any other caller) uses: load -> facts -> rules -> reports.

Example:
    >>> from checker.api import check_file, write_reports
    >>> from checker.rules.loader import load_ruleset
    >>> run = check_file("sample_models/pass-public-office.ifc", load_ruleset())
    >>> run.summary.verdict
    'compliant'
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from checker.errors import ModelLoadError, ReportError
from checker.model.extract import extract_facts
from checker.model.facts import ModelFacts
from checker.model.loader import load_model
from checker.report import REPORTERS, render
from checker.rules.engine import evaluate
from checker.rules.results import CheckRun
from checker.rules.schema import Ruleset


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def facts_for_file(path: str | Path, ruleset: Ruleset, geometry_limit: int | None = None) -> ModelFacts:
    """Open a model and extract its building facts with the ruleset's mapping tables."""
    loaded = load_model(path)
    config = (
        ruleset.extraction
        if geometry_limit is None
        else ruleset.extraction.model_copy(update={"geometry_element_limit": geometry_limit})
    )
    facts = extract_facts(loaded, config)
    if not facts.buildings:
        raise ModelLoadError(str(path), "contains no IfcBuilding: nothing to check")
    return facts


def check_file(
    path: str | Path, ruleset: Ruleset, generated_at: str | None = None, geometry_limit: int | None = None
) -> CheckRun:
    """Check one IFC file against a ruleset. Raises CheckerError subclasses on bad input."""
    return evaluate(ruleset, facts_for_file(path, ruleset, geometry_limit), generated_at or now_utc())


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and rename, so a report is never half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report should be as readable as any file we write
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_reports(run: CheckRun, formats: list[str], out_dir: Path, stem: str, lang: str = "en") -> list[Path]:
    """Render each format and write it atomically as <out_dir>/<stem>.<suffix>."""
    written = []
    for fmt in formats:
        reporter = REPORTERS[fmt]()
        target = out_dir / f"{stem}{reporter.suffix}"
        try:
            atomic_write(target, render(run, fmt, lang))
        except OSError as exc:
            raise ReportError(f"{target}: cannot write report ({exc.strerror or exc})") from exc
        written.append(target)
    return written
