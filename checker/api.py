"""The library API the CLI (and any other caller) uses: load -> facts -> rules -> reports.

`check_file` checks in this process (debugging, profiling); `check_file_isolated` checks in a child process with
memory and time limits, so a file that crashes ifcopenshell costs one error, not the batch (checker.isolation).

Example:
    >>> from checker.api import check_file, check_file_isolated, write_reports
    >>> from checker.rules.loader import load_ruleset
    >>> run = check_file_isolated("sample_models/pass-public-office.ifc", load_ruleset())
    >>> run.summary.verdict
    'compliant'
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO

from checker.defaults import DEFAULT_MAX_MODEL_BYTES
from checker.errors import ModelLoadError, ReportError
from checker.isolation import Limits, run_isolated
from checker.model.extract import extract_facts
from checker.model.facts import ModelFacts
from checker.model.ids_run import run_ids_files
from checker.model.loader import LoadedModel, load_model
from checker.report import ReportOptions, make_reporter, render
from checker.rules.engine import evaluate
from checker.rules.ids_results import fold_ids
from checker.rules.results import CheckRun
from checker.rules.schema import Ruleset

PhaseCallback = Callable[[str], None]
# Temporary report files being written: removed on an interrupt even when it lands between creating and tracking.
_UNFINISHED_WRITES: set[Path] = set()


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _no_phase(phase: str) -> None:
    """Default phase callback: an in-process check reports no progress."""


def facts_for_file(
    path: str | Path,
    ruleset: Ruleset,
    geometry_limit: int | None = None,
    on_phase: PhaseCallback = _no_phase,
    max_file_bytes: int = DEFAULT_MAX_MODEL_BYTES,
) -> ModelFacts:
    """Open a model and extract its building facts with the ruleset's mapping tables.

    `on_phase("reading" | "extracting")` is called before each step, so an isolated check knows what crashed.
    A file (or the model unpacked from an .ifczip) over `max_file_bytes` is refused unread.
    """
    return _loaded_and_facts(path, ruleset, geometry_limit, on_phase, max_file_bytes)[1]


def _loaded_and_facts(
    path: str | Path,
    ruleset: Ruleset,
    geometry_limit: int | None,
    on_phase: PhaseCallback,
    max_file_bytes: int,
) -> tuple[LoadedModel, ModelFacts]:
    """facts_for_file, keeping the opened model for the IDS run."""
    on_phase("reading")
    loaded = load_model(path, max_file_bytes)
    on_phase("extracting")
    config = (
        ruleset.extraction
        if geometry_limit is None
        else ruleset.extraction.model_copy(update={"geometry_element_limit": geometry_limit})
    )
    facts = extract_facts(loaded, config)
    if not facts.buildings:
        raise ModelLoadError(str(path), "contains no IfcBuilding: nothing to check")
    return loaded, facts


def check_file(
    path: str | Path,
    ruleset: Ruleset,
    generated_at: str | None = None,
    geometry_limit: int | None = None,
    on_phase: PhaseCallback = _no_phase,
    max_file_bytes: int = DEFAULT_MAX_MODEL_BYTES,
    ids_files: Sequence[str | Path] = (),
) -> CheckRun:
    """Check one IFC file against a ruleset in this process, and run `ids_files` (IDS 1.0) on it with ifctester,
    their specifications folded in as results of family "ids". Raises CheckerError subclasses on bad input."""
    loaded, facts = _loaded_and_facts(path, ruleset, geometry_limit, on_phase, max_file_bytes)
    on_phase("evaluating")
    run = evaluate(ruleset, facts, generated_at or now_utc())
    if not ids_files:
        return run
    on_phase("ids")
    return fold_ids(run, run_ids_files(loaded.file, ids_files))


def check_file_isolated(
    path: str | Path,
    ruleset: Ruleset,
    generated_at: str | None = None,
    geometry_limit: int | None = None,
    limits: Limits | None = None,
    max_file_bytes: int = DEFAULT_MAX_MODEL_BYTES,
    ids_files: Sequence[str | Path] = (),
) -> CheckRun:
    """check_file (its IDS run included) in a child process limited to `limits` (default 8 GB address space, 600 s).

    Raises:
        IsolatedCheckError: the file crashed the child (e.g. SIGSEGV in the geometry engine) or exceeded a limit.
        CheckerError: bad input, as check_file.
        WorkerInternalError: an unexpected exception in the child (type, message and traceback carried over).
    """
    return run_isolated(
        partial(check_file, max_file_bytes=max_file_bytes, ids_files=tuple(ids_files)),
        (path, ruleset, generated_at or now_utc(), geometry_limit),
        str(path),
        limits or Limits(),
    )


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and rename, so a report is never half written.

    The temp file is tracked before it exists, so remove_unfinished_writes() can delete it on SIGINT / SIGTERM
    whatever line the signal interrupts.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    _UNFINISHED_WRITES.add(tmp)
    try:
        # O_EXCL: never through an existing file or symlink; 0o666 minus the umask, like any file we write.
        handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        _UNFINISHED_WRITES.discard(tmp)


def remove_unfinished_writes() -> None:
    """Delete every report temp file still being written (called when a signal stops the run)."""
    for tmp in list(_UNFINISHED_WRITES):
        tmp.unlink(missing_ok=True)
        _UNFINISHED_WRITES.discard(tmp)


def write_reports(
    run: CheckRun,
    formats: list[str],
    out_dir: Path,
    stem: str,
    lang: str = "en",
    options: ReportOptions | None = None,
) -> list[Path]:
    """Render each format and write it atomically as <out_dir>/<stem>.<suffix>."""
    written = []
    for fmt in formats:
        target = out_dir / f"{stem}{make_reporter(fmt).suffix}"
        try:
            atomic_write(target, render(run, fmt, lang, options))
        except OSError as exc:
            raise ReportError(f"{target}: cannot write report ({exc.strerror or exc})") from exc
        written.append(target)
    return written


def report_suffixes(formats: Sequence[str]) -> list[str]:
    """The file suffix of each report format, e.g. [".html", ".json"]."""
    return [make_reporter(fmt).suffix for fmt in formats]


def stdout_usage_error(models: Sequence[Path], formats: Sequence[str]) -> str | None:
    """Why `--out -` cannot be honoured (one report stream takes one model in one format), or None."""
    if len(formats) != 1:
        return f"--out - writes one report to stdout: choose exactly one format (-f), not {','.join(formats)}"
    if len(models) != 1:
        return f"--out - writes one report to stdout: give exactly one model, not {len(models)}"
    return None


@contextmanager
def stdout_reserved_for_report(stdout: BinaryIO) -> Iterator[BinaryIO]:
    """--out -: yields the stream the report goes to, and for the duration sends everything else written to file
    descriptor 1 (a library's print, the geometry engine's C++ messages, the isolated check's child process) to
    stderr, so stdout parses as the report. A stdout with no file descriptor (a test runner's buffer) is yielded as it
    is: nothing below Python can write to it."""
    try:
        fd = stdout.fileno()
        error_fd = sys.stderr.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation, ValueError):
        yield stdout
        return
    sys.stdout.flush()
    stdout.flush()
    saved = os.dup(fd)
    os.dup2(error_fd, fd)
    try:
        with os.fdopen(os.dup(saved), "wb") as report_stream:
            yield report_stream
    finally:
        sys.stdout.flush()
        os.dup2(saved, fd)
        os.close(saved)


def write_report_to(stream: BinaryIO, run: CheckRun, fmt: str, lang: str, options: ReportOptions | None = None) -> None:
    """The whole report rendered first, then written at once: a failed render leaves stdout empty, not half a file."""
    data = render(run, fmt, lang, options)
    try:
        stream.write(data)
        stream.flush()
    except OSError as exc:
        raise ReportError(f"cannot write the report to stdout ({exc.strerror or exc})") from exc


def plan_reports(models: Sequence[Path], out_dir: Path, suffixes: Sequence[str]) -> list[tuple[Path, str]]:
    """(model, report stem) per distinct input, in order: the stems never collide and no report overwrites an input.

    The first model named x.ifc gets the stem `x`; another x.ifc gets `x-<first 8 hex of sha256 of its resolved
    path>` (all 64 if even that is taken), so names are stable across runs and unique per input path. A stem whose
    report would land on an input file (a model named m.json inside the output folder) is passed over the same way,
    so the input is never overwritten and its report still written. Stems are compared case-insensitively, as on
    case-insensitive file systems; a model given twice (same resolved path) is checked once. Report file names are
    compared too: with -f bcf,bcf2 the model a.bcf2.ifc (a.bcf2 + .bcf) would otherwise write over a.ifc's BCF 2.1
    report (a + .bcf2.bcf).
    """
    resolved = [_resolve(model) for model in models]
    inputs = set(resolved)
    input_files = {_file_id(path) for path in resolved} - {None}
    used: set[str] = set()
    written: set[str] = set()  # report file names taken, case-folded
    plan: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for model, path in zip(models, resolved, strict=True):
        if path in seen:
            continue
        seen.add(path)
        digest = hashlib.sha256(os.fsencode(path)).hexdigest()
        natural = model.name.rsplit(".", 1)[0] if "." in model.name.lstrip(".") else model.name
        for stem in (natural, f"{natural}-{digest[:8]}", f"{natural}-{digest}"):
            targets = [_resolve(out_dir / f"{stem}{suffix}") for suffix in suffixes]
            names = {f"{stem}{suffix}".casefold() for suffix in suffixes}
            if stem.casefold() in used or names & written:
                continue
            if any(t in inputs or _file_id(t) in input_files for t in targets):
                continue
            break
        else:  # pragma: no cover - a SHA-256 collision between two paths
            raise ReportError(f"{model}: no free report name in {out_dir}")
        used.add(stem.casefold())
        written.update(names)
        plan.append((model, stem))
    return plan


def _resolve(path: Path) -> Path:
    """The absolute path with symlinks followed (the file need not exist)."""
    return Path(os.path.realpath(path))


def _file_id(path: Path) -> tuple[int, int] | None:
    """(device, inode) of an existing file, to catch a hard link to an input; None when there is no such file."""
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino)
