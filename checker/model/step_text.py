"""IFC-SPF text read in bounded chunks: what the file is, and the text repairs ifcopenshell needs to keep every name.

ISO 10303-21 allows only 7-bit text: other characters are written as \\X2\\...\\X0\\ escapes. Exporters still write
raw UTF-8 or GBK bytes, and ifcopenshell drops every byte above 0x7F without a word ('标高:上标头' in GBK becomes
':'). Such bytes are decoded (as GBK when the file's raw text reads as Chinese GBK, else as UTF-8) and written back as
escapes before the text reaches ifcopenshell; bytes that decode as neither are left and reported. A doubled
backslash written straight before an escape ('ATTRIBUTE1\\\\X2\\...', seen in real exports) is read as a backslash
followed by the escape, which is what the exporter meant and the only reading that parses.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from checker.input_files import CHUNK_BYTES, read_chunks

HEADER_BYTES = 64 * 1024
TAIL_BYTES = 64 * 1024  # END-ISO-10303-21; must be within this much text before trailing whitespace (signatures)
OVERLAP_BYTES = 64 * 1024  # a run of raw bytes or an escape longer than this is repaired in pieces
WHITESPACE = b" \t\r\n\x0b\x0c"
BOM = b"\xef\xbb\xbf"
END_MARKER = b"END-ISO-10303-21"
GBK_TRAIL = range(0x40, 0x7F)  # GBK trail bytes that are also ASCII; such a character splits a run of raw bytes
# Code points that GBK text (GB 2312 and its extensions) is made of: CJK ideographs and symbols, fullwidth forms.
CJK_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))
# A run of raw bytes, or an even run of backslashes (not preceded by one) straight before an \X2\ escape. Every
# branch starts with a byte, not the look-behind, so that the regex engine can skip ahead (2x faster).
_TEXT = re.compile(rb"(?P<raw>[\x80-\xff]+)|(?P<escape>\\(?<!\\\\)\\(?:\\\\)*X2\\(?:[0-9A-F]{4})+\\X0\\)")
_RAW = re.compile(rb"[\x80-\xff]+")
_DOUBLED = b"\\\\X2\\"
SHOWN_EXAMPLES = 3
EXAMPLE_CONTEXT = 40  # bytes of text shown each side of undecodable bytes, within their string

Replace = Callable[[bytes, "re.Match[bytes]"], tuple[bytes, int]]


@dataclass
class StepScan:
    """One pass over the file: its hash and size, its first and last text, and whether its text needs repair."""

    sha256: str = ""
    size: int = 0
    head: bytes = b""
    tail: bytes = b""  # the last TAIL_BYTES before trailing whitespace
    has_content: bool = False
    bom: bool = False
    raw_bytes: bool = False  # bytes above 0x7F
    doubled_escape: bool = False  # '\\X2\' seen (maybe a valid '\\\X2\': the repair pass tells them apart)


def scan_step(handle: BinaryIO, max_bytes: int) -> StepScan:
    """Hash and inspect the text in chunks (memory stays at one chunk whatever the file's size)."""
    scan = StepScan()
    digest = hashlib.sha256()
    previous = b""
    for chunk in read_chunks(handle, max_bytes):
        digest.update(chunk)
        if not scan.size:
            scan.head = chunk[:HEADER_BYTES]
            scan.bom = chunk.startswith(BOM)
        text = chunk[len(BOM) :] if scan.bom and not scan.size else chunk
        scan.size += len(chunk)
        content = text.rstrip(WHITESPACE)
        if content:
            scan.has_content = True
            scan.tail = (scan.tail + content)[-TAIL_BYTES:]
        scan.raw_bytes = scan.raw_bytes or not text.isascii()
        scan.doubled_escape = scan.doubled_escape or b"\\\\X2\\" in previous[-4:] + text
        previous = text
    scan.sha256 = digest.hexdigest()
    return scan


def _is_cjk(text: str) -> bool:
    return all(any(low <= ord(c) <= high for low, high in CJK_RANGES) for c in text)


@dataclass
class TextRepairs:
    """What the repair pass found: decoded runs of raw bytes per encoding, undecodable ones, doubled backslashes."""

    gbk_file: bool = False  # the file's raw text is GBK (plan_repairs): runs are read as GBK first
    decoded: dict[str, int] = field(default_factory=dict)  # encoding -> runs decoded
    examples: dict[str, str] = field(default_factory=dict)  # encoding -> first decoded text
    undecodable: int = 0
    undecodable_examples: list[str] = field(default_factory=list)
    escapes: int = 0

    def decode(self, raw: bytes, trail: bytes) -> tuple[str, int, str] | None:
        """The text of a run of raw bytes, how many following ASCII bytes it took (a GBK trail byte) and the
        encoding it was read in; None when it reads as neither. A GBK file is read as GBK first: one GB 2312
        character in seven is also valid UTF-8 (墙, C7 BD, reads as 'ǽ'), so UTF-8 first would garble short names."""
        encodings = ("GBK", "UTF-8") if self.gbk_file else ("UTF-8",)
        for encoding in encodings:
            candidates = ((raw, 0), (raw + trail, 1)) if encoding == "GBK" else ((raw, 0),)
            for candidate, used in candidates:
                try:
                    return candidate.decode("gb18030" if encoding == "GBK" else "utf-8"), used, encoding
                except UnicodeDecodeError:
                    continue
        return None

    def warnings(self) -> list[str]:
        found = []
        if self.decoded:
            parts = [f"{name} ({count}, e.g. '{self.examples[name]}')" for name, count in sorted(self.decoded.items())]
            found.append(
                f"{sum(self.decoded.values())} runs of raw non-ASCII bytes (ISO 10303-21 allows only \\X2\\ escapes; "
                f"the IFC parser drops such bytes) were decoded as {' and '.join(parts)} and kept"
            )
        if self.undecodable:
            found.append(
                f"{self.undecodable} runs of raw non-ASCII bytes are neither UTF-8 nor GBK text: the IFC parser drops "
                f"them, so names there lose characters (e.g. {', '.join(self.undecodable_examples)})"
            )
        if self.escapes:
            found.append(
                f"{self.escapes} strings had a doubled backslash straight before an \\X2\\ escape, which no parser "
                "can read; read as a backslash followed by the escape"
            )
        return found


def plan_repairs(chunks: Iterable[bytes]) -> TextRepairs:
    """Decide whether the file's raw text is GBK: when the runs that are not UTF-8 but read as whole Chinese GBK
    characters outnumber both the valid UTF-8 runs and the runs that are neither (a Latin-1 'Wände' is neither: one
    byte between letters), so that neither UTF-8 nor Western text is ever turned into Chinese."""
    gbk = utf8 = other = 0
    for chunk in chunks:
        if chunk.isascii():
            continue
        for match in _RAW.finditer(chunk):  # a run cut by a chunk boundary counts as two: the vote barely moves
            raw = match.group()
            try:
                raw.decode("utf-8")
                utf8 += 1
                continue
            except UnicodeDecodeError:
                pass
            try:
                chinese = len(raw) % 2 == 0 and _is_cjk(raw.decode("gb18030"))
            except UnicodeDecodeError:
                chinese = False
            gbk, other = (gbk + 1, other) if chinese else (gbk, other + 1)
    return TextRepairs(gbk_file=gbk > 0 and gbk >= other and gbk > utf8)


def repair_chunks(chunks: Iterable[bytes], repairs: TextRepairs) -> Iterator[bytes]:
    """The text with raw bytes written as \\X2\\ escapes and doubled backslashes before escapes undoubled."""

    def repair(buffer: bytes, match: re.Match[bytes]) -> tuple[bytes, int]:
        if match.group("escape"):
            repairs.escapes += 1
            return match.group().replace(b"X2\\", b"\\X2\\", 1), match.end()
        raw = match.group("raw")
        trail = buffer[match.end() : match.end() + 1]
        decoded = repairs.decode(raw, trail if trail and trail[0] in GBK_TRAIL else b"")
        if decoded is None:
            repairs.undecodable += 1
            example = _string_around(buffer, match.start(), match.end())
            if len(repairs.undecodable_examples) < SHOWN_EXAMPLES and example not in repairs.undecodable_examples:
                repairs.undecodable_examples.append(example)
            return raw, match.end()
        text, used, encoding = decoded
        repairs.decoded[encoding] = repairs.decoded.get(encoding, 0) + 1
        repairs.examples.setdefault(encoding, text)
        return escaped(text), match.end() + used

    return substitute(chunks, repair)


def _string_around(buffer: bytes, start: int, end: int) -> str:
    """The STEP string holding the bytes (up to EXAMPLE_CONTEXT bytes each side), quoted, raw bytes as \\xNN."""
    before = buffer[max(0, start - EXAMPLE_CONTEXT) : start]
    after = buffer[end : end + EXAMPLE_CONTEXT]
    text = before[before.rfind(b"'") + 1 :] + buffer[start:end] + after.split(b"'", 1)[0]
    return "'" + text.decode("ascii", "backslashreplace") + "'"


def escaped(text: str) -> bytes:
    """ISO 10303-21 escapes of `text`: \\X2\\ with 4 hex digits per character of the BMP, \\X4\\ with 8 beyond."""
    parts: list[bytes] = []
    run: list[str] = []
    wide = False
    for char in text:
        is_wide = ord(char) > 0xFFFF
        if run and is_wide != wide:
            parts.append(_escape_run(run, wide))
            run = []
        run.append(char)
        wide = is_wide
    if run:
        parts.append(_escape_run(run, wide))
    return b"".join(parts)


def _escape_run(chars: list[str], wide: bool) -> bytes:
    digits = "".join(f"{ord(c):08X}" if wide else f"{ord(c):04X}" for c in chars)
    return f"\\{'X4' if wide else 'X2'}\\{digits}\\X0\\".encode("ascii")


def substitute(chunks: Iterable[bytes], replace: Replace) -> Iterator[bytes]:
    """Apply `replace` to every raw-byte run and doubled escape of a chunked text, yielding the new text in chunks.

    A match may span two chunks: the last OVERLAP_BYTES of each buffer wait for the next chunk, and one byte of
    context is kept so that the look-behind of the pattern sees the byte before. `replace` gets the buffer and the
    match and returns the new bytes and where the text continues (past a trail byte it took).
    """
    context = carry = b""
    for chunk in chunks:
        buffer = context + carry + chunk
        done, out = _substitute_buffer(buffer, len(context), len(buffer) - OVERLAP_BYTES, replace)
        yield out
        context, carry = buffer[done - 1 : done], buffer[done:]
    if carry:
        buffer = context + carry
        yield _substitute_buffer(buffer, len(context), len(buffer), replace)[1]


def _substitute_buffer(buffer: bytes, start: int, limit: int, replace: Replace) -> tuple[int, bytes]:
    """Replace the matches starting before `limit`; how far the buffer is done, and the bytes for that part."""
    if buffer.isascii() and _DOUBLED not in buffer:
        return limit, buffer[start:limit]  # nothing to repair (most chunks of most files): no regex scan
    parts, position = [], start
    for match in _TEXT.finditer(buffer, start):
        if match.start() >= limit:
            break
        if match.start() < position:
            continue  # its first byte was taken as the trail byte of the run before
        parts.append(buffer[position : match.start()])
        new, position = replace(buffer, match)
        parts.append(new)
    done = max(position, limit)
    parts.append(buffer[position:done])
    return done, b"".join(parts)


def source_chunks(handle: BinaryIO, max_bytes: int, skip_bom: bool) -> Iterator[bytes]:
    """The file's text from the start, in chunks, without a leading UTF-8 byte-order mark."""
    handle.seek(0)
    first = True
    for chunk in read_chunks(handle, max_bytes, CHUNK_BYTES):
        if first and skip_bom:
            chunk = chunk[len(BOM) :]
        first = False
        yield chunk
