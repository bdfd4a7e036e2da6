"""Issue 9, loader findings: files whose structure is odd but real.

Before: a header-only file (ISO-10303-21, HEADER, empty DATA) and a model without IfcProject both ended in
"internal error: IndexError" (ifcopenshell.util.unit.get_unit_assignment takes by_type("IfcProject")[0]); a valid
file followed by more than 4 KB of blank lines was refused as truncated (the terminator was looked for in the last
4,096 bytes). Now the first is one clear line (exit 2), the second is checked (its unit-bearing figures unknown,
with a model warning saying why), and whitespace after END-ISO-10303-21; is ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from checker.cli import main
from checker.model.loader import load_model

Sample = Callable[[str], Path]
NO_PROJECT = (
    "the file has no IfcProject, so it declares no units (IfcProject.UnitsInContext) and no project data: "
    "unit-bearing figures are unknown"
)


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("greencheck: error: ") and "Traceback" not in result.output
    return lines[0].removeprefix("greencheck: error: ")


def header_of(sample: Sample) -> bytes:
    text = sample("pass-public-office").read_bytes()
    return text[: text.index(b"DATA;")]


def test_header_only_file_is_one_clear_line(tmp_path: Path, sample: Sample) -> None:
    path = tmp_path / "header-only.ifc"
    path.write_bytes(header_of(sample) + b"DATA;\nENDSEC;\nEND-ISO-10303-21;\n")
    line = one_error_line(cli("check", path, "-o", tmp_path / "out"))
    assert line == f"{path}: holds no entities (its DATA section is empty): nothing to check"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_header_only_file_in_a_batch_does_not_stop_the_others(tmp_path: Path, sample: Sample) -> None:
    path = tmp_path / "header-only.ifc"
    path.write_bytes(header_of(sample) + b"DATA;\r\n/* exported without objects */\r\nENDSEC;\r\nEND-ISO-10303-21;\r\n")
    out = tmp_path / "out"
    result = cli("check", path, sample("pass-public-office"), "-o", out, "-f", "json")
    assert one_error_line(result) == f"{path}: holds no entities (its DATA section is empty): nothing to check"
    assert sorted(p.name for p in out.iterdir()) == ["pass-public-office.json"]


def test_model_without_ifcproject_is_checked(tmp_path: Path, make_model: Callable[..., Any]) -> None:
    """A Revit-like IFC2X3 building whose exporter dropped the IfcProject (and with it the units): checked, every
    unit-bearing figure unknown for want of units, no internal error."""
    tiny = make_model(schema="IFC2X3", storeys=[("Level 1", 0.0), ("Level 2", 3.6)], building="Block A")
    tiny.element("IfcWall", "Basic Wall:Exterior - 200mm")
    model = tiny.file
    project = model.by_type("IfcProject")[0]
    for rel in model.by_type("IfcRelAggregates"):
        if rel.RelatingObject == project:
            model.remove(rel)
    model.remove(project)
    path = tiny.write("no-project.ifc")
    assert b"IFCPROJECT(" not in path.read_bytes()
    out = tmp_path / "out"
    result = cli("check", path, "-o", out, "-f", "json")
    assert result.exit_code == 1, result.output  # unknown results, not an error
    assert "internal error" not in result.output and result.stderr == ""
    report = json.loads((out / "no-project.json").read_text(encoding="utf-8"))
    assert report["model"]["warnings"] == [NO_PROJECT]
    assert report["project"]["global_id"] is None
    (building,) = report["buildings"]
    assert building["name"] == "Block A"
    gfa = building["facts"]["above_ground_gfa"]
    assert gfa["value"] is None
    assert gfa["missing"] == "the file declares no area or length unit (IfcUnitAssignment)"
    statuses = {r["status"] for b in report["buildings"] for r in b["results"]}
    assert "pass" not in statuses and "unknown" in statuses


def test_blank_lines_after_the_terminator_are_accepted(tmp_path: Path, sample: Sample) -> None:
    """64 KB of CRLF blank lines and spaces after END-ISO-10303-21; (an upload tool padding the file)."""
    source = sample("pass-public-office")
    padded = tmp_path / "padded.ifc"
    padded.write_bytes(source.read_bytes() + b"\r\n  \t\r\n" * 10_000)
    loaded = load_model(padded)
    original = load_model(source)
    assert loaded.warnings == [] and len(list(loaded.file)) == len(list(original.file))
    result = cli("check", padded, "-o", tmp_path / "out", "-f", "json")
    assert result.exit_code == 0, result.output


def test_crlf_line_ends_throughout_are_accepted(tmp_path: Path, sample: Sample) -> None:
    source = sample("pass-public-office")
    crlf = tmp_path / "crlf.ifc"
    crlf.write_bytes(source.read_bytes().replace(b"\n", b"\r\n") + b"\r\n\r\n")
    assert len(list(load_model(crlf).file)) == len(list(load_model(source).file))


def test_truncated_file_followed_by_blank_lines_is_still_truncated(tmp_path: Path, sample: Sample) -> None:
    text = sample("pass-public-office").read_bytes()
    cut = tmp_path / "cut.ifc"
    cut.write_bytes(text[: len(text) // 2] + b"\n" * 100_000)
    line = one_error_line(cli("check", cut, "-o", tmp_path / "out"))
    assert line == f"{cut}: file is truncated (no END-ISO-10303-21; terminator)"
