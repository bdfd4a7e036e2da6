"""Open a file a stranger named only if it is a regular file, and never read past a size cap.

A FIFO blocks its reader forever, /dev/zero never ends, a directory or a socket is no file: each is refused before
a byte is read. The type is checked with stat before opening, and again on the opened descriptor, which is opened
non-blocking so that a FIFO swapped in between cannot block the open either. Both the model loader and the ruleset
loader read through here; each names the file in its own error.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK_BYTES = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputRefused(Exception):
    """Why a file cannot be read, without its path: each caller names the file in its own error type."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def size_text(count: int) -> str:
    """Bytes as people read them in a one-line error: '2 GiB', '4 MiB', '512 bytes'."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def _refuse_unless_regular(info: os.stat_result, what: str, max_bytes: int) -> None:
    for test, kind in _NOT_REGULAR:
        if test(info.st_mode):
            only_files = "" if kind == "a directory" else " (only regular files are read)"
            raise InputRefused(f"is {kind}, not {what}{only_files}")
    if not stat.S_ISREG(info.st_mode):
        raise InputRefused(f"is not a regular file, not {what} (only regular files are read)")
    if info.st_size > max_bytes:
        raise InputRefused(f"is {info.st_size:,} bytes, over the {size_text(max_bytes)} limit for {what}")


def open_regular(path: Path, what: str, max_bytes: int) -> BinaryIO:
    """`path` opened for reading if it is a regular file of at most `max_bytes`; `what` names it in the reasons
    ('an IFC file', 'a ruleset file').

    Raises:
        InputRefused: missing, unreadable, not a regular file, or too large.
    """
    try:
        before = os.stat(path)
        _refuse_unless_regular(before, what, max_bytes)
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError as exc:
        raise InputRefused("file not found") from exc
    except OSError as exc:
        raise InputRefused(f"cannot be read ({exc.strerror or exc})") from exc
    handle = os.fdopen(descriptor, "rb")
    try:
        opened = os.fstat(handle.fileno())
        _refuse_unless_regular(opened, what, max_bytes)
        if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise InputRefused("was replaced while being opened")
    except BaseException:
        handle.close()
        raise
    return handle


def read_chunks(handle: BinaryIO, max_bytes: int, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The handle's bytes from where it stands, in chunks of `chunk_bytes` (the last may be shorter); a file that
    grows past `max_bytes` while being read is refused after reading at most `max_bytes + 1` bytes."""
    total = 0
    while True:
        chunk = _read_full(handle, min(chunk_bytes, max_bytes + 1 - total))
        if not chunk:
            return
        total += len(chunk)
        if total > max_bytes:
            raise InputRefused(f"grew past the {size_text(max_bytes)} limit while being read")
        yield chunk


def _read_full(handle: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the file (a raw read may return less)."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        part = handle.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def read_regular(path: Path, what: str, max_bytes: int) -> bytes:
    """The whole of a small regular file (a ruleset), refused unread when it is no regular file or too large."""
    with open_regular(path, what, max_bytes) as handle:
        return b"".join(read_chunks(handle, max_bytes))
