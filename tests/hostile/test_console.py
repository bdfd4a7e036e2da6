"""Issue 9 item 3 (console): text from a model, a ruleset or a path never reaches the console raw.

A building named "A\\n::error::injected-line" used to put a CI workflow command on a line of its own in piped
stdout, and "\\ngreencheck: COMPLIANT" forged a verdict line. Every control character is now shown escaped.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.console import printable

HOSTILE = "Tower\n::error::injected-line\rgreencheck: COMPLIANT\x07\x1b]0;owned\x07\x1b[2J\x85\u2028\u202e"
ESCAPED = "Tower\\n::error::injected-line\\rgreencheck: COMPLIANT\\x07\\x1b]0;owned\\x07\\x1b[2J\\x85\\u2028\\u202e"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (HOSTILE, ESCAPED),
        ("tab\there", "tab\\there"),
        ("\x00\x7f\x9b", "\\x00\\x7f\\x9b"),
        ("南区 1#楼 – ok", "南区 1#楼 – ok"),  # printable text, Chinese included, is untouched
        (42, "42"),
    ],
)
def test_printable(raw: object, shown: str) -> None:
    assert printable(raw) == shown


def _no_forged_lines(text: str) -> None:
    for line in text.splitlines():
        assert not line.startswith("::"), line
        assert not line.startswith("greencheck: COMPLIANT"), line
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text


def test_building_name_is_escaped_on_piped_stdout(
    make_model: Callable[..., object], greencheck: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    tiny = make_model(building=HOSTILE)
    model = tiny.write("hostile.ifc")  # type: ignore[attr-defined]
    done = greencheck("check", model, "-o", tmp_path / "out")
    assert done.returncode == 1
    # the escaped name is cut to 40 columns on the building line (issue 10 item 6): still escaped, never raw
    assert f"  {ESCAPED[:39]}…：" in done.stdout
    _no_forged_lines(done.stdout)
    _no_forged_lines(done.stderr)


def test_error_line_with_a_hostile_path_is_one_line(
    tmp_path: Path, greencheck: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    bad = tmp_path / "x\n::error::injected-line\x1b[31m.ifc"
    bad.write_text("not an ifc")
    done = greencheck("check", bad, "-o", tmp_path / "out")
    assert done.returncode == 2
    shown = str(bad).replace("\n", "\\n").replace("\x1b", "\\x1b")
    assert done.stderr.splitlines() == [
        f"greencheck: error: {shown}: not an IFC-SPF file (does not start with ISO-10303-21;)"
    ]
    _no_forged_lines(done.stderr)


def test_local_ruleset_text_is_escaped(
    tmp_path: Path, greencheck: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    hostile = tmp_path / "hostile.toml"
    hostile.write_text(
        'id = "local-hostile"\nversion = "1"\nextends = "beijing-subcenter-2024"\n'
        'title = { zh = "本地", en = "X\\n::error::injected-line\\u001b[2J local" }\n',
        encoding="utf-8",
    )
    done = greencheck("rulesets", "show", hostile)
    assert done.returncode == 0, done.stderr
    assert "X\\n::error::injected-line\\x1b[2J " in done.stdout
    _no_forged_lines(done.stdout)
