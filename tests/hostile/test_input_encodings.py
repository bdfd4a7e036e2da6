"""Issue 9, text encodings: names reach the report as the author wrote them, or the report says what was lost.

Before: a Chinese export writing raw GBK bytes (ISO 10303-21 wants \\X2\\ escapes) lost them without a word
('标高:上标头' became ':'); names whose \\X2\\ escapes lost their backslashes were decoded in building names only
('X268079AD8X0 2' in the storey and material names of the report), and the repair counter counted calls, not
names. Now raw bytes are decoded (UTF-8, or GBK when the file's raw text reads as Chinese) and written back as
escapes before ifcopenshell parses the text; bytes that are neither are reported; every name the report shows is
read through one function and each distinct repaired name is counted once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ifcopenshell.api
from click.testing import CliRunner, Result

from checker.api import facts_for_file
from checker.cli import main
from checker.model.loader import load_model
from checker.model.step_text import TextRepairs, escaped, repair_chunks
from checker.rules.schema import Ruleset

ESCAPE = re.compile(rb"\\X2\\((?:[0-9A-F]{4})+)\\X0\\")
MANGLED = re.compile(r"X2(?:[0-9A-F]{4})+X0")
CHINESE_NAMES = {
    "IfcProject": ["某项目"],
    "IfcSite": ["场地"],
    "IfcBuilding": ["办公楼"],
    "IfcBuildingStorey": ["标高:上标头"],
    # 丂 is 81 40 in GBK: its second byte is '@'. 墙 alone is C7 BD in GBK, also valid UTF-8 (for 'ǽ').
    "IfcWall": ["基本墙:常规 - 200mm", "基本墙:丂{ - 200mm", "墙-200mm"],
}


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def chinese_export(make_model: Callable[..., Any]) -> Path:
    """A Chinese-edition Revit-like IFC2X3 file with Chinese names, written correctly (\\X2\\ escapes)."""
    tiny = make_model(schema="IFC2X3", storeys=[("标高:上标头", 0.0)], building="办公楼")
    tiny.file.by_type("IfcProject")[0].Name = "某项目"
    tiny.site.Name = "场地"
    for name in CHINESE_NAMES["IfcWall"]:
        tiny.element("IfcWall", name)
    return Path(tiny.write("escaped.ifc"))


def with_raw_text(source: Path, target: Path, encoding: str) -> Path:
    """The same file with every \\X2\\ escape written as raw bytes in `encoding`, as some exporters do."""

    def raw(match: re.Match[bytes]) -> bytes:
        digits = match.group(1).decode()
        return "".join(chr(int(digits[i : i + 4], 16)) for i in range(0, len(digits), 4)).encode(encoding)

    target.write_bytes(ESCAPE.sub(raw, source.read_bytes()))
    return target


def names_by_class(model: ifcopenshell.file) -> dict[str, list[str]]:
    return {ifc_class: sorted(e.Name for e in model.by_type(ifc_class)) for ifc_class in CHINESE_NAMES}


def test_raw_gbk_names_are_kept_and_reported(tmp_path: Path, make_model: Callable[..., Any]) -> None:
    path = with_raw_text(chinese_export(make_model), tmp_path / "gbk.ifc", "gbk")
    assert "标高:上标头".encode("gbk") in path.read_bytes() and b"\\X2\\" not in path.read_bytes()
    assert ifcopenshell.open(str(path)).by_type("IfcBuildingStorey")[0].Name == ":"  # what was lost before
    loaded = load_model(path)
    assert names_by_class(loaded.file) == {k: sorted(v) for k, v in CHINESE_NAMES.items()}
    assert loaded.warnings == [
        "10 runs of raw non-ASCII bytes (ISO 10303-21 allows only \\X2\\ escapes; the IFC parser drops such bytes) "
        "were decoded as GBK (10, e.g. '某项目') and kept"
    ]


def test_raw_gbk_names_reach_the_report(tmp_path: Path, make_model: Callable[..., Any]) -> None:
    path = with_raw_text(chinese_export(make_model), tmp_path / "gbk.ifc", "gbk")
    out = tmp_path / "out"
    result = cli("check", path, "-o", out, "-f", "json")
    assert result.exit_code in (0, 1) and result.stderr == "", result.output
    report = json.loads((out / "gbk.json").read_text(encoding="utf-8"))
    assert report["project"]["name"] == "某项目"
    assert [b["name"] for b in report["buildings"]] == ["办公楼"]
    assert any("decoded as GBK" in w for w in report["model"]["warnings"])


def test_raw_utf8_names_are_kept(tmp_path: Path, make_model: Callable[..., Any]) -> None:
    path = with_raw_text(chinese_export(make_model), tmp_path / "utf8.ifc", "utf-8")
    loaded = load_model(path)
    assert names_by_class(loaded.file) == {k: sorted(v) for k, v in CHINESE_NAMES.items()}
    assert loaded.warnings == [
        "10 runs of raw non-ASCII bytes (ISO 10303-21 allows only \\X2\\ escapes; the IFC parser drops such bytes) "
        "were decoded as UTF-8 (10, e.g. '某项目') and kept"
    ]


def test_raw_latin1_is_not_turned_chinese_but_reported(tmp_path: Path, make_model: Callable[..., Any]) -> None:
    """'Bürohaus Wände' in Latin-1: single bytes between letters are not GBK text; they are lost, and said so."""
    tiny = make_model(schema="IFC2X3", building="Bürohaus Wände")
    source = Path(tiny.write("latin.ifc"))
    path = with_raw_text(source, tmp_path / "latin1.ifc", "latin-1")
    loaded = load_model(path)
    assert [b.Name for b in loaded.file.by_type("IfcBuilding")] == ["Brohaus Wnde"]
    (warning,) = loaded.warnings
    assert warning.startswith(
        "2 runs of raw non-ASCII bytes are neither UTF-8 nor GBK text: the IFC parser drops them, "
        "so names there lose characters (e.g. "
    )
    assert warning.endswith("(e.g. 'B\\xfcrohaus W\\xe4nde')")


def test_mangled_escapes_are_repaired_in_every_name_and_counted_once(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """'\\X2\\6807\\X0\\' written as 'X268079AD8X0' in the project, building, storey, wall and material names:
    each repaired wherever the report shows it; six distinct names, however often each is read."""
    tiny = make_model(schema="IFC2X3", storeys=[("X268079AD8X0 1", 0.0), ("X268079AD8X0 2", 3.6)], building="办公楼")
    tiny.building.Name = "X2529E516C697CX0"
    tiny.file.by_type("IfcProject")[0].Name = "X2987976EE7F1653F7X0"
    concrete = ifcopenshell.api.material.add_material(tiny.file, name="X26DF751DD571FX0")
    for i in range(5):
        wall = tiny.element("IfcWall", "X257FA672C5899X0:X25E3889C4X0 - 200mm", storey=0 if i < 3 else 1)
        tiny.box(wall, (i * 2.0, 0.0, 0.0), (1.0, 0.2, 3.0))
        ifcopenshell.api.material.assign_material(tiny.file, products=[wall], material=concrete)
    facts = facts_for_file(tiny.write("mangled.ifc"), ruleset)
    assert facts.model.warnings == [
        "6 distinct names carried \\X2\\ escapes without their backslashes (a broken exporter) and were decoded, "
        "e.g. 'X268079AD8X0 1' as '标高 1'"
    ]
    assert facts.project.name == "项目编号"
    (building,) = facts.buildings
    assert building.name == "办公楼"
    walls = building.elements["envelope_walls"]
    assert {(w.name, w.storey) for w in walls} == {("基本墙:常规 - 200mm", "标高 1"), ("基本墙:常规 - 200mm", "标高 2")}
    assert [m.name for m in building.elements["materials"]] == ["混凝土"]
    shown = json.dumps(facts.model_dump(mode="json"), ensure_ascii=False)
    assert MANGLED.findall(shown) == ["X268079AD8X0"]  # only in the warning's example


def test_real_export_with_mangled_escapes(corpus_dir: Path, tmp_path: Path) -> None:
    """The real SikongSphere export: no mangled name left anywhere in the JSON or HTML report but the example."""
    path = corpus_dir / "malformed" / "SikongSphere_mangled_escapes_basic.ifc"
    out = tmp_path / "out"
    result = cli("check", path, "-o", out)
    assert result.exit_code == 1 and result.stderr == "", result.output
    report = json.loads((out / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert report["model"]["warnings"] == [
        "29 distinct names carried \\X2\\ escapes without their backslashes (a broken exporter) and were decoded, "
        "e.g. 'X268079AD8X0 1' as '标高 1'"
    ]
    assert report["project"]["name"] == "项目编号"
    for shown in (json.dumps(report, ensure_ascii=False), (out / f"{path.stem}.html").read_text(encoding="utf-8")):
        assert MANGLED.findall(shown) == ["X268079AD8X0"]
        assert "标高 2" in shown


def test_real_export_with_a_doubled_backslash_before_an_escape(corpus_dir: Path) -> None:
    """xbim's 'ATTRIBUTE1\\\\X2\\...\\X0\\' (a doubled backslash straight before an escape) no longer stops the
    parse ('Unexpected '3' at offset 1369'): read as a backslash followed by the escape, with a warning."""
    loaded = load_model(corpus_dir / "malformed" / "xbim_InvalidMultiByte.ifc")
    values = [str(p.NominalValue.wrappedValue) for p in loaded.file.by_type("IfcPropertySingleValue")]
    assert "file://ATTRIBUTE1\\コンクリート体積表.XLSX" in values
    assert loaded.warnings == [
        "4 strings had a doubled backslash straight before an \\X2\\ escape, which no parser can read; "
        "read as a backslash followed by the escape"
    ]


def test_repair_does_not_depend_on_where_chunks_are_cut() -> None:
    """A GBK run, a GBK character with an ASCII trail byte and a doubled backslash cut by a chunk boundary are
    repaired exactly as in one piece (the text is read in 1 MiB chunks)."""
    line = "#1=IFCWALL('g',$,'基本墙:丂{ - 200mm',$,$,$,$,$);\n".encode("gbk") + b"#2=IFCTEXT('A\\\\X2\\0041\\X0\\');\n"
    text = line * 20_000  # 1.5 MB
    repairs = TextRepairs(gbk_file=True)
    whole = b"".join(repair_chunks([text], repairs))
    assert whole.count(escaped("基本墙")) == 20_000 and whole.count(escaped("丂")) == 20_000
    assert whole.count(b"'A\\\\\\X2\\0041\\X0\\'") == 20_000
    for size in (65_537, 100_003, 1024 * 1024):
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        assert b"".join(repair_chunks(pieces, TextRepairs(gbk_file=True))) == whole
