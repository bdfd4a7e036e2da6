"""Issue 10 item 6: what `greencheck check` prints is read by a person.

One line per file (verdict and counts), one per building naming its fails by id and title and counting its unknowns,
every line within 120 terminal columns, a tally for a batch, the language of --lang, same-named models told apart by
their path, a bounded list for a file with thousands of buildings, and the exit codes in --help.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from checker.cli import main
from checker.console_text import TEXT
from checker.rules.results import BuildingResult, CheckRun, summarise
from checker.terminal import WIDTH, display_width, file_lines, fit, shown_names

Sample = Callable[[str], Path]
SAMPLES = Path(__file__).resolve().parents[2] / "sample_models"


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_a_failing_sample_in_english(tmp_path: Path, sample: Sample) -> None:
    """8 fails (BJ-BIM-001, info, listed last) and 23 unknowns: the titles share the width, the unknowns are one
    count, no "fail -" noise."""
    result = cli("check", sample("prefab-fail-government"), "-o", tmp_path, "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "prefab-fail-government.ifc: NON-COMPLIANT — 8 fail, 26 unknown, 6 pass, 43 not applicable",
        "  note: 4 of 14 decisive results (3 of 7 error-severity) rest on unconfirmed figures: verify before approval",
        "  District Service Hall: 8 fail — BJ-PV-001 Every new public buildin…; +7 more; "
        "26 unknown: data missing, see the report",
        f"  report: {tmp_path / 'prefab-fail-government.html'}, prefab-fail-government.json",
    ]


def test_the_same_sample_in_chinese(tmp_path: Path, sample: Sample) -> None:
    """zh is the default: every fixed phrase and every rule title in Chinese (a CJK character is two columns)."""
    result = cli("check", sample("prefab-fail-government"), "-o", tmp_path, "-f", "json")
    assert result.stdout.splitlines() == [
        "prefab-fail-government.ifc：不符合 — 不通过 8 条，无法判定 26 条，通过 6 条，不适用 43 条",
        "  注意：14 条定论结果中有 4 条（错误级 7 条中 3 条）依据未经原文核实的数值，审批前请核对",
        "  District Service Hall：不通过 8 条 — BJ-PV-001 新建公共建筑光伏应用全…；另有 7 条；"
        "无法判定 26 条：缺少数据，详见报告",
        f"  报告：{tmp_path / 'prefab-fail-government.json'}",
    ]
    assert all(display_width(line) <= WIDTH for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        # the one fail of the passing office: the steel-structure warning (京政办发〔2017〕8号, issue 12)
        (
            "en",
            "  Sub-center Admin Office A: 1 fail — BJ-STRUCT-STEEL "
            "Government-invested new public building ≥ 10,000 m² is steel",
        ),
        (
            "zh",
            "  Sub-center Admin Office A：不通过 1 条 — BJ-STRUCT-STEEL "
            "政府投资单体地上1万平方米（含）以上新建公共建筑采用钢结构",
        ),
    ],
)
def test_a_whole_title_when_it_fits(tmp_path: Path, sample: Sample, lang: str, line: str) -> None:
    result = cli("check", sample("pass-public-office"), "-o", tmp_path, "--lang", lang, "-f", "json")
    assert line in result.stdout.splitlines()


def test_two_buildings_each_have_a_line(tmp_path: Path, sample: Sample) -> None:
    result = cli("check", sample("mixed-two-buildings"), "-o", tmp_path, "--lang", "en", "-f", "json")
    lines = result.stdout.splitlines()
    assert lines[2:4] == [
        "  East Hall: 1 fail — BJ-STRUCT-STEEL Government-invested new public building ≥ 10,000 m² is steel",
        "  West Apartments: all rules pass or do not apply",
    ]
    assert not any("fail -" in line or "unknown -" in line for line in lines)


def test_project_line_only_when_it_has_something_to_say(tmp_path: Path, sample: Sample) -> None:
    """The project's unknown trigger area is said; a project with nothing open is not printed at all."""
    unknown = cli("check", sample("unknown-missing-data"), "-o", tmp_path, "--lang", "en", "-f", "json")
    assert unknown.stdout.splitlines()[1:3] == [
        "  project greencheck sample: unknown-miss…: 1 unknown: data missing, see the report",
        # + 8 GB 55015, + 3 energy supply, + 12 materials, Table 3.2.8, PV, steel (issue 12); BJ-BIM-001 (info)
        "  Unlabelled Block: 1 fail — BJ-BIM-001 The BIM model provides all data the r…; "
        "54 unknown: data missing, see the report",
    ]
    passing = cli("check", sample("pass-public-office"), "-o", tmp_path, "--lang", "en", "-f", "json")
    assert not any(line.startswith("  project") for line in passing.stdout.splitlines())


@pytest.mark.parametrize(
    ("lang", "tally"),
    [
        ("en", "3 files: 1 compliant, 1 non-compliant, 1 error; reports in {out}/"),
        ("zh", "共 3 个文件：符合 1 个，不符合 1 个，出错 1 个；报告在 {out}/"),
    ],
)
def test_a_batch_ends_with_a_tally(tmp_path: Path, sample: Sample, lang: str, tally: str) -> None:
    out = tmp_path / "out"
    models = (sample("pass-public-office"), sample("fail-public-office-low-pv"), tmp_path / "absent.ifc")
    result = cli("check", *models, "-o", out, "--lang", lang, "-f", "json")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-1] == tally.format(out=out)
    assert result.stderr == f"greencheck: error: {tmp_path / 'absent.ifc'}: file not found\n"  # unchanged
    assert not any("report" in line or "报告：" in line for line in result.stdout.splitlines()[:-1])


def test_every_sample_fits_120_columns_in_both_languages(tmp_path: Path) -> None:
    models = sorted(SAMPLES.glob("*.ifc"))
    for lang in ("en", "zh"):
        result = cli("check", *models, "-o", tmp_path / lang, "--lang", lang, "-f", "json", "--no-isolation")
        lines = result.stdout.splitlines()
        assert len(lines) <= 4 * len(models) + 1, lines  # verdict, note, building(s), no report line in a batch
        too_wide = [line for line in lines if display_width(line) > WIDTH and "/" not in line]
        assert too_wide == []
        assert lines[-1].startswith(f"{len(models)} files: " if lang == "en" else f"共 {len(models)} 个文件：")


def test_same_named_models_show_their_paths_from_the_working_folder(
    tmp_path: Path, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder, name in (("a", "pass-public-office"), ("b", "fail-public-office-low-pv")):
        (tmp_path / folder).mkdir()
        shutil.copy(sample(name), tmp_path / folder / "x.ifc")
    monkeypatch.chdir(tmp_path)
    result = cli("check", tmp_path / "a" / "x.ifc", Path("b/x.ifc"), "-o", "out", "--lang", "en", "-f", "json")
    lines = result.stdout.splitlines()
    # issue 12: the steel-structure warning fails on both (京政办发〔2017〕8号); the verdict counts error severity
    assert lines[0] == "a/x.ifc: COMPLIANT — 1 fail, 38 pass, 44 not applicable"
    assert "b/x.ifc: NON-COMPLIANT — 2 fail, 37 pass, 44 not applicable" in lines
    second = sorted(p.name for p in (tmp_path / "out").iterdir() if p.name != "x.json")
    assert f"  report: out/{second[0]}" in lines  # renamed report: named; the x.json one is in the tally's folder


def test_shown_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative to the working folder up to two levels up ("../../x"), else absolute; case-insensitive clashes."""
    here = tmp_path / "project" / "sub"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    models = [here / "a" / "x.ifc", Path("b/X.IFC"), Path("/elsewhere/deep/down/x.ifc"), Path("c/y.ifc")]
    models.append(tmp_path / "x.ifc")
    shown = ["a/x.ifc", "b/X.IFC", "/elsewhere/deep/down/x.ifc", "y.ifc", "../../x.ifc"]
    assert shown_names(models) == shown


def _many(run: CheckRun, count: int, named: bool = True) -> CheckRun:
    """The run's one building repeated `count` times (a block-per-building export), named or not."""
    base = run.buildings[0]
    buildings = [
        BuildingResult(
            global_id=f"{index:04d}{base.global_id[4:]}",
            name=f"Block {index}" if named else None,
            facts=base.facts,
            results=base.results,
        )
        for index in range(count)
    ]
    return run.model_copy(update={"buildings": buildings, "summary": summarise(buildings, run.project)})


@pytest.mark.parametrize(
    ("lang", "last"),
    [
        ("en", "  +2,980 more buildings (2,980 with fails, 0 with unknowns only): see the report"),
        ("zh", "  另有 2,980 栋建筑（2,980 栋有不通过项，0 栋仅有无法判定项）：详见报告"),
    ],
)
def test_three_thousand_buildings_print_twenty_lines(checked: Callable[[str], CheckRun], lang: str, last: str) -> None:
    run = _many(checked("fail-public-office-low-pv"), 3000)
    lines = file_lines(run, "campus.ifc", [], lang)
    buildings = [line for line in lines if line.startswith("  Block ")]
    assert len(lines) == 2 + 20 + 1 and len(buildings) == 20
    assert buildings[0].startswith("  Block 0") and buildings[-1].startswith("  Block 19")
    assert lines[-1] == last


def test_worst_buildings_come_first(checked: Callable[[str], CheckRun]) -> None:
    clean = checked("pass-public-office-millimetres").buildings[0]
    failing = checked("fail-public-office-low-pv").buildings[0]
    run = checked("pass-public-office-millimetres")
    buildings = [clean, failing]
    run = run.model_copy(update={"buildings": buildings, "summary": summarise(buildings, run.project)})
    lines = file_lines(run, "two.ifc", [], "en")
    assert [line.split(":")[0] for line in lines[2:]] == ["  Sub-center Admin Office B", "  Canal Service Centre"]


def test_an_unnamed_building_is_numbered(checked: Callable[[str], CheckRun]) -> None:
    run = _many(checked("pass-public-office-millimetres"), 2, named=False)
    gid = run.buildings[1].global_id
    lines = file_lines(run, "m.ifc", [], "en")
    assert f"  building 2 (GlobalId {gid[:8]}…): all rules pass or do not apply" in lines
    assert f"  建筑 2（GlobalId {gid[:8]}…）：全部规则通过或不适用" in file_lines(run, "m.ifc", [], "zh")


def test_an_unnamed_building_from_an_ifc_file(make_model: Callable[..., object], tmp_path: Path) -> None:
    """A real IfcBuilding with no Name (an exporter that leaves it empty) is shown by number and GlobalId."""
    tiny = make_model(building="Named Hall")
    second = tiny.add_building("")  # type: ignore[attr-defined]
    second.Name = None
    model = tiny.write("unnamed.ifc")  # type: ignore[attr-defined]
    result = cli("check", model, "-o", tmp_path / "out", "--lang", "en", "-f", "json")
    shown = [line for line in result.stdout.splitlines() if line.startswith("  building 2 (GlobalId ")]
    assert len(shown) == 1 and shown[0].startswith(f"  building 2 (GlobalId {second.GlobalId[:8]}…): ")


def test_warnings_are_one_line_unless_verbose(checked: Callable[[str], CheckRun]) -> None:
    run = checked("pass-public-office")
    warnings = [f"warning number {index}: " + "x" * 200 for index in range(3)]
    run = run.model_copy(update={"model": run.model.model_copy(update={"warnings": warnings})})
    short = [line for line in file_lines(run, "m.ifc", [], "en") if "warning" in line]
    assert short == [fit("  3 warnings (all in the report), the first: " + warnings[0], WIDTH)]
    assert short[0].endswith("xx…") and display_width(short[0]) == WIDTH
    full = [line for line in file_lines(run, "m.ifc", [], "en", verbose=True) if "warning" in line]
    assert full == [f"  warning: {warning}" for warning in warnings]
    zh = [line for line in file_lines(run, "m.ifc", [], "zh") if "警告" in line]
    assert len(zh) == 1 and zh[0].startswith("  警告 3 条（全文见报告），第一条：warning number 0")


def test_quiet_prints_nothing(tmp_path: Path, sample: Sample) -> None:
    result = cli("check", sample("fail-public-office-low-pv"), sample("pass-public-office"), "-o", tmp_path, "-q")
    assert result.exit_code == 1 and result.output == ""


@pytest.mark.parametrize("command", [["--help"], ["check", "--help"]])
def test_help_explains_the_exit_codes(command: list[str]) -> None:
    text = cli(*command).stdout
    assert "Exit codes (the highest one wins: 2 over 1 over 0):" in text
    for code in ("0    no rule", "1    such a rule failed", "2    a file or the check could not be trusted", "130  "):
        assert code in text
    assert "143 by SIGTERM" in text


def test_both_languages_have_every_phrase_and_zh_has_no_english_words() -> None:
    assert TEXT["en"].keys() == TEXT["zh"].keys()
    for key, phrase in TEXT["zh"].items():
        words = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}", "", phrase)))
        assert words <= {"sha", "GlobalId"}, (key, words)


def test_fit_counts_chinese_as_two_columns() -> None:
    assert fit("光伏覆盖率", 6) == "光伏…" and display_width(fit("光伏覆盖率", 6)) == 5
    assert fit("short", 10) == "short"
