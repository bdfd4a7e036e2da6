"""Which files a batch checks: files, folders (recursive) and globs, each model once, in a stable order."""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from checker.input_files import CHUNK_BYTES

MODEL_SUFFIXES = (".ifc", ".ifczip")
_GLOB_CHARS = frozenset("*?[")


def _is_model(path: Path) -> bool:
    return path.name.lower().endswith(MODEL_SUFFIXES)


def _expand(argument: Path) -> Iterable[Path]:
    """A folder gives its models (recursive, suffix case-insensitive); a glob is expanded here for shells that do
    not; anything else is taken as a file, so a missing one becomes an error row instead of vanishing."""
    text = str(argument)
    if argument.is_dir():
        for root, dirs, files in os.walk(argument):
            dirs.sort()
            yield from (Path(root) / name for name in sorted(files) if _is_model(Path(name)))
    elif not argument.exists() and _GLOB_CHARS & set(text):
        for match in sorted(glob.glob(text, recursive=True)):
            yield from _expand(Path(match)) if Path(match).is_dir() else [Path(match)]
    else:
        yield argument


def collect_models(arguments: Sequence[Path]) -> list[Path]:
    """Every model named or found, each resolved file once, sorted by its path relative to the common parent."""
    seen: set[str] = set()
    found: list[Path] = []
    for argument in arguments:
        for path in _expand(argument):
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                found.append(path)
    if not found:
        return []
    parent = common_parent(found)
    return sorted(found, key=lambda path: relative_name(path, parent))


def common_parent(paths: Sequence[Path]) -> Path:
    """The deepest folder holding every path (absolute, symlinks not followed)."""
    folders = [os.path.dirname(os.path.abspath(path)) for path in paths]
    return Path(os.path.commonpath(folders))


def relative_name(path: Path, parent: Path) -> str:
    """The path shown in rows: relative to the common parent, with forward slashes."""
    return Path(os.path.relpath(os.path.abspath(path), parent)).as_posix()


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file's content; None when it cannot be read as a regular file (the check says why)."""
    digest = hashlib.sha256()
    try:
        if not path.is_file():
            return None
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
