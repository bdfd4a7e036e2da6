"""Issue 9, input guards: an .ifczip is inflated as a stream under a running byte limit and a running ratio limit,
never trusting the sizes its header states.

Before: a member whose header understated its size was unpacked whole (3.2 GB before "Bad CRC-32"), and an honest
154:1 archive passed the header-based guard and peaked at 4.5 GB. The archives are built here by hand: one flushed
deflate block repeated (cheap at any size), written with header sizes that may lie. Each is refused by the CLI in
a child process limited to 1 GiB of address space, with its peak memory and time measured inside the child.
"""

from __future__ import annotations

import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.errors import ModelLoadError
from checker.model.ifczip import MAX_ZIP_RATIO
from checker.model.loader import load_model

REPO = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
MeasuredRun = tuple[dict[str, float], list[str]]  # what the bounded_cli fixture (conftest.py) returns
# Real .ifczip archives (the corpus's four) inflate 3.5:1 to 4.9:1.
CORPUS_RATIOS = {
    "IFC2X3_ArchiCAD18_Schependomlaan_ROOT-houten_kozijnen.ifczip": 4.90,
    "IFC2X3_ArchiCAD18_Schependomlaan_ROOT-prefab_trappen.ifczip": 4.28,
    "IFC2X3_Tekla20_Schependomlaan_LINDEN-Kozijnen.ifczip": 4.77,
    "IFC4_NBS_ArmitageShanks_Ifc4WithNestedLists.ifczip": 3.46,
}


def block_of_ratio(ratio: float) -> bytes:
    """1 MiB of text that deflates about `ratio`:1: seeded hex noise (deflated to 2/3 of its length, plus ~1000
    bytes for the run of spaces), then spaces."""
    noise = round((MIB / ratio - 1000) * 1.5)
    text = random.Random(9).randbytes(noise).hex().encode()[:noise]
    return text + b" " * (MIB - len(text))


def repeated_deflate(block: bytes, times: int) -> tuple[bytes, int]:
    """A raw deflate stream of `block` repeated `times` times (a full flush makes the piece repeatable), and the
    CRC-32 of the whole."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    return piece * times + zlib.compressobj(9, zlib.DEFLATED, -15).flush(), crc


def write_zip(path: Path, member: str, data: bytes, stated_size: int, crc: int) -> Path:
    """One deflated member whose local header and central directory both state `stated_size`."""
    name = member.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), stated_size, len(name), 0)
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), stated_size, len(name), 0, 0, 0, 0, 0, 0
    )
    directory = central + name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(local) + len(name) + len(data), 0)
    path.write_bytes(local + name + data + directory + end)
    return path


def test_the_test_archives_are_what_they_claim(tmp_path: Path) -> None:
    """The generator makes valid archives (CRC and sizes check out with zipfile) at the ratios the tests use."""
    block = block_of_ratio(154)
    data, crc = repeated_deflate(block, 8)
    path = write_zip(tmp_path / "honest.ifczip", "honest.ifc", data, 8 * MIB, crc)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.read("honest.ifc") == block * 8
    assert 140 < 8 * MIB / len(data) < 170


def test_honest_154_to_1_archive_is_refused_early_in_bounded_memory(
    tmp_path: Path, bounded_cli: Callable[..., MeasuredRun]
) -> None:
    """1 GiB unpacked from 7 MB (154:1), every header size true: the old guard let it through and read it whole."""
    data, crc = repeated_deflate(block_of_ratio(154), 1024)
    ratio = 1024 * MIB / len(data)
    assert 140 < ratio < 170
    path = write_zip(tmp_path / "bomb.ifczip", "bomb.ifc", data, 1024 * MIB, crc)
    measured, stderr = bounded_cli("check", path, "-o", tmp_path / "out", timeout=120)
    assert len(stderr) == 1, stderr
    assert stderr[0].startswith(f"greencheck: error: {path}: the archive member unpacks more than {MAX_ZIP_RATIO}:1 (")
    assert stderr[0].endswith("far beyond any IFC text (zip bomb guard)")
    assert measured["code"] == 2
    assert measured["seconds"] < 5.0
    assert measured["max_rss_kib"] < 256 * 1024  # measured 88 MiB: the interpreter with the checker imported


def test_member_whose_header_understates_its_size_is_stopped_at_the_stated_size(
    tmp_path: Path, bounded_cli: Callable[..., MeasuredRun]
) -> None:
    """512 MiB of 30:1 text (under the ratio limit) declared as 2 MiB: stopped once it passes 2 MiB, not after
    unpacking everything to find a bad CRC-32."""
    data, crc = repeated_deflate(block_of_ratio(30), 512)
    path = write_zip(tmp_path / "lying.ifczip", "lying.ifc", data, 2 * MIB, crc)
    measured, stderr = bounded_cli("check", path, "-o", tmp_path / "out", timeout=120)
    assert stderr == [
        f"greencheck: error: {path}: the archive member unpacks to more than the 2 MiB its header states (forged)"
    ]
    assert measured["code"] == 2
    assert measured["seconds"] < 5.0
    assert measured["max_rss_kib"] < 256 * 1024


def test_unpacked_size_is_held_to_the_model_size_limit(tmp_path: Path) -> None:
    """An honest 30:1 member of 64 MiB under a 16 MiB model limit: refused at the running byte limit."""
    data, crc = repeated_deflate(block_of_ratio(30), 64)
    path = write_zip(tmp_path / "big.ifczip", "big.ifc", data, 64 * MIB, crc)
    with pytest.raises(ModelLoadError) as refused:
        load_model(path, max_bytes=16 * MIB)
    assert refused.value.reason == "the archive member unpacks to more than the 16 MiB model size limit"


def test_member_longer_than_its_data_is_refused_as_forged(tmp_path: Path) -> None:
    """A header that overstates the size (the CRC-32 and size checked at the end) is refused, not parsed short."""
    text = (REPO / "sample_models" / "pass-public-office.ifc").read_bytes()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = packer.compress(text) + packer.flush()
    path = write_zip(tmp_path / "long.ifczip", "long.ifc", data, len(text) + 10, zlib.crc32(text))
    with pytest.raises(ModelLoadError) as refused:
        load_model(path)
    assert refused.value.reason == "the archive member does not match its header (size or CRC-32): damaged or forged"


def test_real_ifczip_ratios_sit_far_below_the_limit(corpus_dir: Path) -> None:
    """The ratio limit (50:1) is ten times the most compressed real archive (4.9:1)."""
    found = {}
    for name in CORPUS_RATIOS:
        with zipfile.ZipFile(corpus_dir / name) as archive:
            (member,) = [m for m in archive.infolist() if m.filename.lower().endswith(".ifc")]
            found[name] = round(member.file_size / member.compress_size, 2)
    assert found == CORPUS_RATIOS
    assert MAX_ZIP_RATIO >= 10 * max(found.values())


def test_real_ifczip_still_loads(corpus_dir: Path) -> None:
    loaded = load_model(corpus_dir / "IFC2X3_ArchiCAD18_Schependomlaan_ROOT-prefab_trappen.ifczip")
    assert loaded.schema == "IFC2X3"
    assert loaded.size_bytes == 39_017  # the archive on disk, not the 166,511 bytes unpacked
