"""Open an IFC file (STEP or .ifczip) from a stranger safely, or refuse it with one clear reason.

Every failure becomes a `ModelLoadError` naming the file and the reason; nothing here prints.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import ifcopenshell

from checker.errors import ModelLoadError

SUPPORTED_SCHEMAS = {"IFC2X3": "IFC2X3", "IFC4": "IFC4", "IFC4X3_ADD2": "IFC4X3_ADD2"}
# Schema ids that real exporters write for a schema ifcopenshell knows under another name.
SCHEMA_ALIASES = {"IFC4X3": "IFC4X3_ADD2", "IFC4X3_TC1": "IFC4X3_ADD2", "IFC4X3_ADD1": "IFC4X3_ADD2"}
MAX_UNZIPPED_BYTES = 2 * 1024**3
MAX_ZIP_RATIO = 200
HEADER_BYTES = 64 * 1024
_SCHEMA_RE = re.compile(rb"FILE_SCHEMA\s*\(\s*\(\s*'([^']*)'", re.IGNORECASE)
_END_MARKER = b"END-ISO-10303-21"


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


def load_model(path: str | Path) -> LoadedModel:
    """Open `path` (.ifc or .ifczip).

    Raises:
        ModelLoadError: missing, empty, truncated, not IFC, unsupported schema, unsafe archive.
    """
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise ModelLoadError(shown, "file not found")
    if path.is_dir():
        raise ModelLoadError(shown, "is a directory, not an IFC file")
    raw = path.read_bytes()
    if not raw.strip():
        raise ModelLoadError(shown, "file is empty")
    digest = hashlib.sha256(raw).hexdigest()
    archived = raw[:4] == b"PK\x03\x04" or path.suffix.lower() == ".ifczip"
    if archived:
        raw = _read_ifczip(path, shown)
    schema, warnings = _check_step_text(raw, shown)
    # ifcopenshell opens the file on disk only when it is a plain .ifc whose header names the schema it supports.
    as_is = not archived and not warnings and path.suffix.lower() == ".ifc"
    ifcopenshell.get_log()  # drop messages left by earlier files: the log is read below for this one
    model = _open(raw, path, schema, shown, as_is)
    warnings.extend(_parse_warnings())
    application = _application(model)
    return LoadedModel(
        model, path, digest, path.stat().st_size, model.schema_identifier or model.schema, application, warnings
    )


def _read_ifczip(path: Path, shown: str) -> bytes:
    """Read the single .ifc member of an .ifczip into memory, refusing archive bombs; nothing is written to disk."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".ifc")]
            if len(members) != 1:
                raise ModelLoadError(shown, f"an .ifczip must hold exactly one .ifc file, found {len(members)}")
            member = members[0]
            if member.file_size > MAX_UNZIPPED_BYTES or member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
                raise ModelLoadError(shown, "archive expands too much to be a plausible IFC file (zip bomb guard)")
            with archive.open(member) as handle:
                data = handle.read(MAX_UNZIPPED_BYTES + 1)
            if len(data) > MAX_UNZIPPED_BYTES:
                raise ModelLoadError(shown, "archive member is larger than its header says (zip bomb guard)")
            return data
    except zipfile.BadZipFile as exc:
        raise ModelLoadError(shown, f"not a valid .ifczip archive ({exc})") from exc


def _check_step_text(raw: bytes, shown: str) -> tuple[str, list[str]]:
    """Recognise the common non-IFC files by their first bytes and return the schema to open with."""
    head = raw[:HEADER_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
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
    if _END_MARKER not in raw[-4096:]:
        raise ModelLoadError(shown, "file is truncated (no END-ISO-10303-21; terminator)")
    return declared, warnings


def _open(raw: bytes, path: Path, schema: str, shown: str, as_is: bool) -> ifcopenshell.file:
    """Parse with ifcopenshell; unless the file can be opened as it is, write the (unzipped, schema-patched) bytes
    to a private temporary file first."""
    source = path
    tmpdir: str | None = None
    try:
        if not as_is:
            tmpdir = tempfile.mkdtemp(prefix="greencheck-")
            source = Path(tmpdir) / "model.ifc"
            source.write_bytes(_SCHEMA_RE.sub(f"FILE_SCHEMA(('{schema}'".encode(), raw, count=1))
        return ifcopenshell.open(str(source))
    except ifcopenshell.SchemaError as exc:
        raise ModelLoadError(shown, f"unsupported schema ({exc})") from exc
    except (ifcopenshell.Error, RuntimeError, UnicodeDecodeError, ValueError) as exc:
        raise ModelLoadError(shown, f"cannot be parsed as IFC ({_parse_detail(exc)})") from exc
    except OSError as exc:
        raise ModelLoadError(shown, f"cannot be read ({exc.strerror or exc})") from exc
    finally:
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)


def _parse_warnings() -> list[str]:
    """ifcopenshell opens damaged files leniently and only logs what it dropped: surface that in the report."""
    errors = [line.split("] ", 2)[-1].strip() for line in ifcopenshell.get_log().splitlines() if "[error]" in line]
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
