"""Content-addressed storage for uploads and reports: <data>/blobs/ab/cd/<sha256>, outside any web root.

A blob is written to a temp file in the same folder while it is hashed and counted, then renamed to its hash: a
crash leaves no half file under a hash, and the same bytes uploaded twice are stored once. Nothing here trusts a
client's file name; names live only in the database, as text shown escaped.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class TooLarge(Exception):
    """The upload went past the size limit; nothing was stored."""


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "tmp").mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if not SHA256_HEX.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_stream(self, stream: BinaryIO, max_bytes: int) -> tuple[str, int]:
        """Store what `stream` holds; (sha256, size). Raises TooLarge past `max_bytes` (the partial file is gone)."""
        digest = hashlib.sha256()
        size = 0
        tmp = self.root / "tmp" / f"{secrets.token_hex(8)}.part"
        try:
            with open(tmp, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"larger than the limit of {max_bytes:,} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            return self._keep(tmp, digest.hexdigest()), size
        finally:
            tmp.unlink(missing_ok=True)

    def put_bytes(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if self.has(sha256):
            return sha256
        tmp = self.root / "tmp" / f"{secrets.token_hex(8)}.part"
        try:
            with open(tmp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            return self._keep(tmp, sha256)
        finally:
            tmp.unlink(missing_ok=True)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def _keep(self, tmp: Path, sha256: str) -> str:
        target = self.path(sha256)
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
        return sha256
