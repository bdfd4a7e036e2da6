"""Open an IFC file (STEP or .ifczip) from a stranger safely, or refuse it with one clear reason.

Only a regular file of at most `max_bytes` is read (a FIFO, a device or a folder is refused unread); it is read in
chunks, an .ifczip is inflated as a stream under running limits (ifczip.py), and text that ifcopenshell would lose
is repaired first (step_text.py). Every failure becomes a `ModelLoadError` naming the file and the reason; nothing
here prints. Temporary files are made in one place, `_scratch_dir`, and removed when the model is parsed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import ifcopenshell

from checker.defaults import DEFAULT_MAX_MODEL_BYTES
from checker.errors import ModelLoadError
from checker.input_files import InputRefused, open_regular, read_chunks
from checker.model.ifczip import ZipRefused, unpack_ifc_member
from checker.model.step_text import (
    BOM,
    END_MARKER,
    WHITESPACE,
    StepScan,
    TextRepairs,
    plan_repairs,
    repair_chunks,
    scan_step,
    source_chunks,
)

SUPPORTED_SCHEMAS = {"IFC2X3": "IFC2X3", "IFC4": "IFC4", "IFC4X3_ADD2": "IFC4X3_ADD2"}
# Schema ids that real exporters write for a schema ifcopenshell knows under another name.
SCHEMA_ALIASES = {"IFC4X3": "IFC4X3_ADD2", "IFC4X3_TC1": "IFC4X3_ADD2", "IFC4X3_ADD1": "IFC4X3_ADD2"}
_SCHEMA_RE = re.compile(rb"FILE_SCHEMA\s*\(\s*\(\s*'([^']*)'", re.IGNORECASE)
_FD_PATHS = Path("/proc/self/fd")


@dataclass(frozen=True)
class LoadedModel:
    """An opened IFC file with what a report needs to identify it."""

    file: ifcopenshell.file
    path: Path
    sha256: str
    size_bytes: int
    schema: str
    application: str | None
    warnings: list[str] = field(default_factory=list)


def load_model(path: str | Path, max_bytes: int = DEFAULT_MAX_MODEL_BYTES) -> LoadedModel:
    """Open `path` (.ifc or .ifczip) if it is a regular file of at most `max_bytes` (unpacked too).

    Raises:
        ModelLoadError: missing, not a regular file, too large, empty, truncated, not IFC, unsupported schema,
            unsafe archive, or no entities at all.
    """
    path = Path(path)
    shown = str(path)
    try:
        handle = open_regular(path, "an IFC file", max_bytes)
    except InputRefused as exc:
        raise ModelLoadError(shown, exc.reason) from exc
    with handle, _scratch_dir() as scratch:
        size = os.fstat(handle.fileno()).st_size
        if size == 0:
            raise ModelLoadError(shown, "file is empty")
        if handle.read(4) == b"PK\x03\x04" or path.suffix.lower() == ".ifczip":
            digest = _sha256(handle, max_bytes, shown)
            member = scratch / "member.ifc"
            try:
                unpack_ifc_member(handle, member, max_bytes)
            except ZipRefused as exc:
                raise ModelLoadError(shown, str(exc)) from exc
            with member.open("rb") as text:
                model, warnings, _ = _load_text(text, member, scratch, shown, max_bytes)
        else:
            model, warnings, digest = _load_text(handle, _descriptor_path(handle, path), scratch, shown, max_bytes)
    schema = model.schema_identifier or model.schema
    return LoadedModel(model, path, digest, size, schema, _application(model), warnings)


@contextmanager
def _scratch_dir() -> Iterator[Path]:
    """The only place that makes temporary files: a private folder, removed with everything in it on exit."""
    folder = tempfile.mkdtemp(prefix="greencheck-")
    try:
        yield Path(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sha256(handle: BinaryIO, max_bytes: int, shown: str) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    try:
        for chunk in read_chunks(handle, max_bytes):
            digest.update(chunk)
    except InputRefused as exc:
        raise ModelLoadError(shown, exc.reason) from exc
    handle.seek(0)
    return digest.hexdigest()


def _descriptor_path(handle: BinaryIO, path: Path) -> Path:
    """A name for the very file that was checked (Linux /proc/self/fd), so that ifcopenshell cannot be handed
    another file (a FIFO) put in its place since; elsewhere the path itself."""
    by_descriptor = _FD_PATHS / str(handle.fileno())
    return by_descriptor if _FD_PATHS.is_dir() and by_descriptor.exists() else path


def _load_text(
    text: BinaryIO, as_is: Path, scratch: Path, shown: str, max_bytes: int
) -> tuple[ifcopenshell.file, list[str], str]:
    """Check the STEP text, repair it into the scratch folder if it needs it, and parse it;
    (model, warnings, SHA-256 of the text)."""
    text.seek(0)
    try:
        scan = scan_step(text, max_bytes)
    except InputRefused as exc:
        raise ModelLoadError(shown, exc.reason) from exc
    schema, warnings = _check_step_text(scan, shown)
    source = as_is
    if scan.bom or scan.raw_bytes or scan.doubled_escape or warnings:
        source = scratch / "model.ifc"
        warnings.extend(_rewrite(text, source, scan, schema, max_bytes))
    ifcopenshell.get_log()  # drop messages left by earlier files: the log is read below for this one
    model = _open(source, shown)
    warnings.extend(_parse_warnings())
    if not model.types():
        raise ModelLoadError(shown, "holds no entities (its DATA section is empty): nothing to check")
    return model, warnings, scan.sha256


def _rewrite(text: BinaryIO, target: Path, scan: StepScan, schema: str, max_bytes: int) -> list[str]:
    """Write the text as ifcopenshell can read it: no byte-order mark, the schema under ifcopenshell's name, raw
    bytes as escapes; the warnings say what was changed."""
    repairs = TextRepairs()
    if scan.raw_bytes or scan.doubled_escape:
        repairs = plan_repairs(source_chunks(text, max_bytes, scan.bom))
    chunks = source_chunks(text, max_bytes, scan.bom)
    patched = _patched_schema(chunks, schema)
    with target.open("wb") as out:
        for chunk in repair_chunks(patched, repairs) if scan.raw_bytes or scan.doubled_escape else patched:
            out.write(chunk)
    notes = ["a UTF-8 byte-order mark before ISO-10303-21 was skipped"] if scan.bom else []
    return notes + repairs.warnings()


def _patched_schema(chunks: Iterator[bytes], schema: str) -> Iterator[bytes]:
    """The first chunk holds the header (read in chunks of 1 MiB, the header is checked in its first 64 KiB)."""
    first = True
    for chunk in chunks:
        yield _SCHEMA_RE.sub(f"FILE_SCHEMA(('{schema}'".encode(), chunk, count=1) if first else chunk
        first = False


def _check_step_text(scan: StepScan, shown: str) -> tuple[str, list[str]]:
    """Recognise the common non-IFC files by their first bytes and return the schema to open with."""
    if not scan.has_content:
        raise ModelLoadError(shown, "file is empty")
    head = scan.head.lstrip(BOM + WHITESPACE)
    lowered = head[:512].lower()
    if head.startswith(b"version https://git-lfs"):
        raise ModelLoadError(shown, "is a Git LFS pointer, not the IFC content (fetch it with 'git lfs pull')")
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        raise ModelLoadError(shown, "is an HTML page saved with an .ifc name, not an IFC file")
    if lowered.startswith(b"<?xml") or lowered.startswith(b"{"):
        raise ModelLoadError(shown, "ifcXML / ifcJSON is not supported; export IFC-SPF (.ifc)")
    if not head.startswith(b"ISO-10303-21"):
        raise ModelLoadError(shown, "not an IFC-SPF file (does not start with ISO-10303-21;)")
    match = _SCHEMA_RE.search(head)
    if match is None or not match.group(1).strip():
        found = re.search(rb"FILE_SCHEMA\s*\([^;]{0,60}", head)
        detail = found.group(0).decode("ascii", "replace") if found else "missing"
        raise ModelLoadError(shown, f"header FILE_SCHEMA is malformed: {detail}")
    declared = match.group(1).decode("ascii", "replace").strip().upper()
    warnings: list[str] = []
    if declared in SCHEMA_ALIASES:
        warnings.append(f"schema '{declared}' read as {SCHEMA_ALIASES[declared]}")
        declared = SCHEMA_ALIASES[declared]
    if declared not in SUPPORTED_SCHEMAS:
        shown_schema = declared or "(empty)"
        raise ModelLoadError(shown, f"unsupported schema '{shown_schema}' (supported: IFC2X3, IFC4, IFC4X3_ADD2)")
    if END_MARKER not in scan.tail:
        raise ModelLoadError(shown, "file is truncated (no END-ISO-10303-21; terminator)")
    return declared, warnings


def _open(source: Path, shown: str) -> ifcopenshell.file:
    """Parse with ifcopenshell (as IFC-SPF whatever the name), turning its errors into one line."""
    try:
        return ifcopenshell.open(str(source), format=".ifc")
    except ifcopenshell.SchemaError as exc:
        raise ModelLoadError(shown, f"unsupported schema ({exc})") from exc
    except (ifcopenshell.Error, RuntimeError, UnicodeDecodeError, ValueError) as exc:
        raise ModelLoadError(shown, f"cannot be parsed as IFC ({_parse_detail(exc)})") from exc
    except OSError as exc:
        raise ModelLoadError(shown, f"cannot be read ({exc.strerror or exc})") from exc


_LOG_TAGS = re.compile(r"^(?:\[[^\]]*\]\s*)+")


def _parse_warnings() -> list[str]:
    """ifcopenshell opens damaged files leniently and only logs what it dropped: surface that in the report."""
    log_lines = ifcopenshell.get_log().splitlines()
    # "[error] [VAL012] [2026-12-01 01:11:20] message": the tags and the time stamp would make reports differ per run
    errors = [_LOG_TAGS.sub("", line).strip() for line in log_lines if "[error]" in line]
    if not errors:
        return []
    return [
        f"the IFC parser reported {len(errors)} error(s), so some entities may be missing from the check "
        f"(first: {errors[0][:160]})"
    ]


def _parse_detail(exc: Exception) -> str:
    """ifcopenshell says 'check logs'; the first logged error says where the syntax broke."""
    text = str(exc).strip() or type(exc).__name__
    logged = [line for line in ifcopenshell.get_log().splitlines() if "[error]" in line]
    if logged:
        text = logged[-1].split("] ", 2)[-1].strip()
    return text


def _application(model: ifcopenshell.file) -> str | None:
    """Authoring tool: IfcApplication if present, else the header's originating_system."""
    for app in model.by_type("IfcApplication"):
        name = " ".join(str(x) for x in (app.ApplicationFullName, app.Version) if x)
        if name:
            return name
    try:
        system = model.header.file_name.originating_system
    except (AttributeError, RuntimeError):
        return None
    return str(system) or None
