"""Unpack the one .ifc member of an .ifczip as a stream, under a running byte limit and a running ratio limit.

The sizes a zip header states are never trusted: the member is inflated chunk by chunk into a file, counting the
bytes written against the compressed bytes read, and refused the moment it writes more than its header said, more
than the model size limit, or more than MAX_ZIP_RATIO times what it has read. Real .ifczip files inflate 3.5-4.9:1
(the corpus's four) and deflated IFC text at most 7.7:1 (the most compressible corpus file at level 9), so the limit
of 50:1 leaves a margin of 6 and stops a 154:1 bomb after at most MIN_RATIO_BYTES. Memory stays at one chunk.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from checker.input_files import size_text

MAX_ZIP_RATIO = 50
MIN_RATIO_BYTES = 1024 * 1024  # below this much output the ratio is not judged (a tiny member may compress well)
MAX_DIRECTORY_BYTES = 1024 * 1024  # central directory of an archive meant to hold one model (~20,000 entries)
IN_CHUNK = 64 * 1024
OUT_CHUNK = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_END_OF_DIRECTORY = b"PK\x05\x06"


class ZipRefused(Exception):
    """Why the archive is refused (the loader names the file)."""


def unpack_ifc_member(archive_file: BinaryIO, target: Path, max_bytes: int) -> None:
    """Write the single .ifc member of the archive to `target`.

    Raises:
        ZipRefused: not one .ifc member, unsupported compression, encrypted, or a size or ratio limit passed.
    """
    _check_directory_size(archive_file)
    try:
        with zipfile.ZipFile(archive_file) as archive:
            members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".ifc")]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise ZipRefused(f"not a valid .ifczip archive ({exc})") from exc
    if len(members) != 1:
        raise ZipRefused(f"an .ifczip must hold exactly one .ifc file, found {len(members)}")
    member = members[0]
    if member.flag_bits & 0x1:
        raise ZipRefused("the .ifc member of the archive is encrypted")
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ZipRefused(f"compression method {member.compress_type} is not supported (use deflate)")
    archive_file.seek(_data_offset(archive_file, member))
    with target.open("wb") as out:
        written, crc = _inflate(archive_file, out, member, max_bytes)
    if written != member.file_size or crc != member.CRC:
        raise ZipRefused("the archive member does not match its header (size or CRC-32): damaged or forged")


def _check_directory_size(archive_file: BinaryIO) -> None:
    """An archive listing millions of entries would take gigabytes to index before any limit applies."""
    archive_file.seek(0, 2)
    end = archive_file.tell()
    archive_file.seek(max(0, end - 65557))
    tail = archive_file.read()
    found = tail.rfind(_END_OF_DIRECTORY)
    if found < 0 or len(tail) < found + 22:
        raise ZipRefused("not a valid .ifczip archive (no end of central directory)")
    entries, directory_bytes = struct.unpack_from("<HL", tail, found + 10)
    if directory_bytes > MAX_DIRECTORY_BYTES and directory_bytes != 0xFFFFFFFF:
        raise ZipRefused(f"the archive lists {entries} entries ({size_text(directory_bytes)} of directory)")
    archive_file.seek(0)


def _data_offset(archive_file: BinaryIO, member: zipfile.ZipInfo) -> int:
    archive_file.seek(member.header_offset)
    header = archive_file.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise ZipRefused("not a valid .ifczip archive (bad local header)")
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    return int(member.header_offset) + _LOCAL_HEADER.size + int(name_length) + int(extra_length)


def _inflate(source: BinaryIO, out: BinaryIO, member: zipfile.ZipInfo, max_bytes: int) -> tuple[int, int]:
    """Inflate (or copy) the member's data into `out` chunk by chunk under the limits; (bytes written, CRC-32)."""
    stored = member.compress_type == zipfile.ZIP_STORED
    inflater = None if stored else zlib.decompressobj(-15)
    stated = member.file_size
    read = written = crc = 0
    pending = b""
    while True:
        if not pending:
            pending = source.read(min(IN_CHUNK, member.compress_size - read) if stored else IN_CHUNK)
            if not pending:
                if stored or (inflater is not None and inflater.eof):
                    break
                raise ZipRefused("the archive member is truncated")
            read += len(pending)
        if inflater is None:
            data, pending = pending, b""
        else:
            data = inflater.decompress(pending, OUT_CHUNK)
            pending = inflater.unconsumed_tail
        written += len(data)
        _check_limits(written, read, stated, max_bytes)
        crc = zlib.crc32(data, crc)
        out.write(data)
        if inflater is not None and inflater.eof:
            break
    return written, crc


def _check_limits(written: int, read: int, stated: int, max_bytes: int) -> None:
    if written > max_bytes:
        raise ZipRefused(f"the archive member unpacks to more than the {size_text(max_bytes)} model size limit")
    if written > stated:
        raise ZipRefused(f"the archive member unpacks to more than the {size_text(stated)} its header states (forged)")
    if written > MIN_RATIO_BYTES and written > MAX_ZIP_RATIO * read:
        raise ZipRefused(
            f"the archive member unpacks more than {MAX_ZIP_RATIO}:1 ({size_text(written)} from {size_text(read)}), "
            "far beyond any IFC text (zip bomb guard)"
        )
