"""Issue 9, input guards: only regular files are read, models and rulesets alike, under a size cap.

`greencheck check /dev/zero` used to read 5.4 GB before a MemoryError; a FIFO named .ifc, a ruleset that is a FIFO
or that includes / extends one blocked forever. Each is now refused before a byte is read: one stderr line, exit 2.
The FIFO tests run under a watchdog alarm (a regression fails instead of hanging the suite); /dev/zero and the
FIFO are also refused in a child process limited to 1 GiB of address space, timed from inside.
"""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from types import FrameType

import pytest
from click.testing import CliRunner, Result

from checker.cli import main
from checker.errors import ModelLoadError, RulesetError
from checker.input_files import InputRefused, read_chunks
from checker.model.loader import DEFAULT_MAX_MODEL_BYTES, load_model
from checker.rules.loader import load_ruleset
from checker.rules.ruleset_files import MAX_RULESET_BYTES

REPO = Path(__file__).resolve().parents[2]
Sample = Callable[[str], Path]
HEADER = 'id = "district-rules"\nversion = "0.1.0"\ntitle = { zh = "区级", en = "District" }\n'
NOT_A_FILE = "(only regular files are read)"
MeasuredRun = tuple[dict[str, float], list[str]]  # what the bounded_cli fixture (conftest.py) returns


class Hung(BaseException):
    """Raised by the watchdog; a BaseException, so that the CLI's per-file `except Exception` cannot swallow it."""


@pytest.fixture
def watchdog() -> Iterator[None]:
    """Interrupt a blocked open() or read() after 10 s (a FIFO the guard let through) instead of hanging."""

    def bark(signum: int, frame: FrameType | None) -> None:
        raise Hung("blocked on a FIFO: the regular-file guard let it through")

    previous = signal.signal(signal.SIGALRM, bark)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_error_line(result: Result) -> str:
    """Exit 2 with exactly one stderr line and no traceback; the line without its prefix."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("greencheck: error: ") and "Traceback" not in result.output
    return lines[0].removeprefix("greencheck: error: ")


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


# --- models -----------------------------------------------------------------------------------------------------


def test_dev_zero_is_refused_at_once_in_bounded_memory(tmp_path: Path, bounded_cli: Callable[..., MeasuredRun]) -> None:
    measured, stderr = bounded_cli("check", "/dev/zero", "-o", tmp_path / "out")
    assert stderr == ["greencheck: error: /dev/zero: is a character device, not an IFC file " + NOT_A_FILE]
    assert measured["code"] == 2
    assert measured["seconds"] < 1.0
    assert measured["max_rss_kib"] < 1024 * 1024


def test_fifo_model_is_refused_at_once_in_a_child(tmp_path: Path, bounded_cli: Callable[..., MeasuredRun]) -> None:
    pipe = fifo(tmp_path / "upload.ifc")
    measured, stderr = bounded_cli("check", pipe, "-o", tmp_path / "out")
    assert stderr == [f"greencheck: error: {pipe}: is a FIFO (named pipe), not an IFC file {NOT_A_FILE}"]
    assert measured["code"] == 2 and measured["seconds"] < 1.0


@pytest.mark.usefixtures("watchdog")
def test_fifo_model_in_a_batch_is_one_line_and_the_good_file_is_checked(tmp_path: Path, sample: Sample) -> None:
    pipe = fifo(tmp_path / "upload.ifc")
    out = tmp_path / "out"
    result = cli("check", pipe, sample("pass-public-office"), "-o", out, "-f", "json")
    assert one_error_line(result) == f"{pipe}: is a FIFO (named pipe), not an IFC file {NOT_A_FILE}"
    assert sorted(p.name for p in out.iterdir()) == ["pass-public-office.json"]


def test_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.ifc"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        line = one_error_line(cli("check", path, "-o", tmp_path / "out"))
    finally:
        server.close()
    assert line == f"{path}: is a socket, not an IFC file {NOT_A_FILE}"


def test_directory_named_ifc_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "model.ifc"
    folder.mkdir()
    assert one_error_line(cli("check", folder, "-o", tmp_path / "out")) == f"{folder}: is a directory, not an IFC file"


def test_model_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    """A sparse file of 2 GiB + 1 byte: refused by its size before anything is read (it would take seconds)."""
    huge = tmp_path / "huge.ifc"
    with huge.open("wb") as out:
        out.truncate(DEFAULT_MAX_MODEL_BYTES + 1)
    line = one_error_line(cli("check", huge, "-o", tmp_path / "out"))
    assert line == f"{huge}: is 2,147,483,649 bytes, over the 2 GiB limit for an IFC file"


def test_size_limit_is_a_parameter_of_load_model(sample: Sample) -> None:
    path = sample("pass-public-office")
    size = path.stat().st_size
    assert size > 100 * 1024
    with pytest.raises(ModelLoadError) as refused:
        load_model(path, max_bytes=100 * 1024)
    assert refused.value.reason == f"is {size:,} bytes, over the 100 KiB limit for an IFC file"
    assert load_model(path, max_bytes=size).size_bytes == size


def test_a_file_growing_past_the_cap_while_read_is_stopped_at_cap_plus_one() -> None:
    source = BytesIO(b"x" * 5000)
    seen = []
    with pytest.raises(InputRefused) as refused:
        for chunk in read_chunks(source, max_bytes=3072, chunk_bytes=1024):
            seen.append(len(chunk))
    assert refused.value.reason == "grew past the 3 KiB limit while being read"
    assert seen == [1024, 1024, 1024] and source.tell() == 3073  # never more than cap + 1 bytes read


# --- rulesets ---------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("watchdog")
def test_fifo_ruleset_is_refused(tmp_path: Path) -> None:
    pipe = fifo(tmp_path / "rules.toml")
    expected = f"{pipe}: is a FIFO (named pipe), not a ruleset file {NOT_A_FILE}"
    assert one_error_line(cli("rulesets", "validate", pipe)) == expected
    assert one_error_line(cli("check", "-r", pipe, "-o", tmp_path / "out", tmp_path / "m.ifc")) == expected


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize("key", ["include", "extends"])
def test_include_or_extends_of_a_fifo_is_refused(tmp_path: Path, key: str) -> None:
    pipe = fifo(tmp_path / "part.toml")
    path = tmp_path / "local.toml"
    value = '["part.toml"]' if key == "include" else '"part.toml"'
    path.write_text(HEADER + f"{key} = {value}\n", encoding="utf-8")
    line = one_error_line(cli("rulesets", "validate", path))
    assert line == f"{pipe}: is a FIFO (named pipe), not a ruleset file {NOT_A_FILE}"


def test_ruleset_include_of_a_fifo_is_refused_at_once_in_a_child(
    tmp_path: Path, bounded_cli: Callable[..., MeasuredRun]
) -> None:
    fifo(tmp_path / "part.toml")
    path = tmp_path / "local.toml"
    path.write_text(HEADER + 'include = ["part.toml"]\n', encoding="utf-8")
    measured, stderr = bounded_cli("rulesets", "validate", path)
    assert len(stderr) == 1 and "is a FIFO (named pipe), not a ruleset file" in stderr[0]
    assert measured["code"] == 2 and measured["seconds"] < 1.0


def test_dev_zero_ruleset_is_refused() -> None:
    line = one_error_line(cli("rulesets", "validate", "/dev/zero"))
    assert line == f"/dev/zero: is a character device, not a ruleset file {NOT_A_FILE}"


def test_ruleset_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    with path.open("wb") as out:
        out.write(HEADER.encode())
        out.truncate(MAX_RULESET_BYTES + 1)
    line = one_error_line(cli("rulesets", "validate", path))
    assert line == f"{path}: is 4,194,305 bytes, over the 4 MiB limit for a ruleset file"


def test_the_same_include_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "part.toml").write_text("", encoding="utf-8")
    path = tmp_path / "local.toml"
    path.write_text(HEADER + 'include = ["part.toml", "./part.toml"]\n', encoding="utf-8")
    with pytest.raises(RulesetError) as refused:
        load_ruleset(path)
    assert str(refused.value) == f"{path}: include './part.toml' names a part that is already included"


@pytest.mark.parametrize(
    ("depth", "says"),
    [(40, "nested 41 levels deep (at most 32)"), (5000, "nested too deeply to read")],
)
def test_deeply_nested_ruleset_is_one_line(tmp_path: Path, depth: int, says: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(HEADER + "x = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    line = one_error_line(cli("rulesets", "validate", path))
    assert line.startswith(f"{path}: ") and says in line


def test_symlink_named_ifc_to_dev_zero_is_refused(tmp_path: Path) -> None:
    """The type is that of the file the link leads to: an upload form that keeps symlinks cannot smuggle a device."""
    link = tmp_path / "model.ifc"
    link.symlink_to("/dev/zero")
    line = one_error_line(cli("check", link, "-o", tmp_path / "out"))
    assert line == f"{link}: is a character device, not an IFC file {NOT_A_FILE}"


@pytest.mark.parametrize("isolation", [[], ["--no-isolation"]])
def test_max_file_size_option_refuses_a_bigger_model(tmp_path: Path, isolation: list[str]) -> None:
    """`--max-file-size` (GB) reaches the loader, in the child process too: the sample (~100 KB) over a 10 KB cap."""
    sample = REPO / "sample_models" / "pass-public-office.ifc"
    size = sample.stat().st_size
    line = one_error_line(cli("check", sample, "-o", tmp_path / "out", "--max-file-size", 10_000 / 1024**3, *isolation))
    assert line == f"{sample}: is {size:,} bytes, over the 9.77 KiB limit for an IFC file"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
