"""`greencheck batch` end to end over a folder with good, bad and crashing models."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from checker.batch.summary import CSV_COLUMNS, BatchSummary, summary_schema_text
from checker.cli import main
from tests.batch.conftest import ERRORS, ROWS

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "batch-summary.schema.json"


def test_one_row_per_model_in_path_order(first_run: tuple[Path, BatchSummary]) -> None:
    _out, summary = first_run
    assert [m.file for m in summary.models] == sorted([*ROWS, *ERRORS])
    for model in summary.models:
        if model.file in ERRORS:
            assert model.state == "error" and model.verdict == "error" and model.exit_code == 2
            assert ERRORS[model.file] in (model.error or "") and "\n" not in (model.error or "")
            assert model.buildings == []
            continue
        verdict, name, use, area = ROWS[model.file]
        assert model.state == "checked" and model.verdict == verdict
        assert [(b.name, b.use, b.above_ground_area, b.verdict) for b in model.buildings] == [
            (name, use, area, verdict)
        ]
    assert summary.exit_code == 2
    assert summary.totals.model_dump() == {
        "models": 5,
        "checked": 3,
        "skipped": 0,
        "errors": 2,
        "buildings": 3,
        "verdicts": {"non_compliant": 1, "compliant": 1, "error": 2, "incomplete": 1},
    }


def test_family_verdicts_and_counts(first_run: tuple[Path, BatchSummary]) -> None:
    rows = {m.file: m.buildings[0] for m in first_run[1].models if m.buildings}
    office = rows["pass-public-office.ifc"]
    # issue 12: the GB 55015 envelope rules (family ultra_low_energy) judge every new building, the solar rule is pv
    assert office.families["pv"] == "compliant" and office.families["ultra_low_energy"] == "compliant"
    # + gas, heat pumps, BIM, GM-008/009, T6, PV degradation; the steel-structure warning fails (京政办发〔2017〕8号)
    assert office.counts["fail"] == 1 and office.counts["pass"] == 24 + 5 + 2 + 1 + 3 + 2
    housing = rows["fail-residential-one-star.ifc"]
    # + the energy-supply fails, + Table 3.2.8 T1 residential (walls 0.60 over the 0.45 baseline)
    assert housing.families["star_rating"] == "non_compliant" and housing.counts["fail"] == 2 + 2 + 3 + 1
    assert rows["sub/unknown-missing-data.ifc"].families["pv"] == "incomplete"


def test_zone_indicators_never_count_unknown_as_met(first_run: tuple[Path, BatchSummary]) -> None:
    indicators = {i.id: i for i in first_run[1].indicators}
    two_star = indicators["new-area-two-star"]
    # office 21,600 m2 (three-star, passes) met; housing 8,000 m2 (one-star) not met; the unlabelled block unknown
    assert (two_star.met_weight, two_star.basis_weight) == (21600.0, 29600.0)
    assert two_star.value is not None and abs(two_star.value - 21600 / 29600) < 1e-12
    assert (two_star.buildings_met, two_star.buildings_not_met, two_star.buildings_unknown) == (1, 1, 1)
    pv = indicators["new-public-pv"]
    assert (pv.value, pv.buildings_met, pv.buildings_unknown, pv.buildings_out_of_scope) == (1.0, 1, 1, 1)
    prefab = indicators["prefab-area"]
    assert (prefab.met_weight, prefab.buildings_unknown, prefab.buildings_out_of_scope) == (21600.0, 1, 1)
    # BIM data (三(三)): the office (39 of 39) and the housing (24 of 24) complete, the unlabelled block (0 of 13) not
    bim = indicators["bim-data-complete"]
    assert (bim.buildings_met, bim.buildings_not_met, bim.buildings_unknown, bim.buildings_out_of_scope) == (2, 1, 0, 0)
    assert bim.value is not None and abs(bim.value - 2 / 3) < 1e-12


def test_outputs_written_and_summary_json_valid(first_run: tuple[Path, BatchSummary]) -> None:
    out, summary = first_run
    names = {path.name for path in out.iterdir()}
    assert {"index.html", "summary.json", "summary.csv", ".greencheck-batch.json"} <= names
    assert {"pass-public-office.html", "pass-public-office.json", "unknown-missing-data.json"} <= names
    assert not any(name.startswith(("broken.", "cyclic.")) for name in names)
    assert not any(name.endswith(".tmp") for name in names)
    document = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert document["models"][1]["reports"] == ["pass-public-office.html", "pass-public-office.json"]


def test_committed_summary_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == summary_schema_text(), (
        "regenerate: python -m checker.batch.summary > docs/batch-summary.schema.json"
    )


def test_summary_csv_columns_and_rows(first_run: tuple[Path, BatchSummary]) -> None:
    text = (first_run[0] / "summary.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0]) == CSV_COLUMNS
    assert [(r["file"], r["state"], r["verdict"]) for r in rows] == [
        ("fail-residential-one-star.ifc", "checked", "non_compliant"),
        ("pass-public-office.ifc", "checked", "compliant"),
        ("sub/broken.ifc", "error", "error"),
        ("sub/cyclic.ifc", "error", "error"),
        ("sub/unknown-missing-data.ifc", "checked", "incomplete"),
    ]
    office = rows[1]
    assert (office["above_ground_area_m2"], office["use"], office["pv"], office["count_fail"]) == (
        "21600",
        "public",
        "compliant",
        "1",  # the steel-structure warning (issue 12)
    )
    assert "not an IFC-SPF file" in rows[2]["error"]
    # the BIM data-completeness column (BJ-BIM-001): 39 of 39 rows for the complete office, 0 of 13 for the bare block
    assert (office["data_completeness"], office["data_inputs_provided"], office["data_inputs_needed"]) == (
        "1",
        "39",
        "39",
    )
    assert (rows[4]["data_completeness"], rows[4]["data_inputs_needed"]) == ("0", "13")
    assert rows[2]["data_completeness"] == ""
    dashboard = (first_run[0] / "index.html").read_text(encoding="utf-8")
    assert 'data-field="bim-data" class="num" data-sort="1.0">100% (39 of 39)</td>' in dashboard
    assert 'data-sort="0.0">0% (0 of 13)</td>' in dashboard


def test_rerun_skips_unchanged_and_rechecks_a_changed_file(
    models_dir: Path, tmp_path: Path, run: Callable[..., BatchSummary]
) -> None:
    out = tmp_path / "out"
    first = run([models_dir], out, jobs=2)
    assert first.totals.checked == 3
    again = run([models_dir], out, jobs=2)
    assert again.totals.checked == 0 and again.totals.skipped == 3 and again.totals.errors == 2
    assert [m.model_dump(exclude={"state"}) for m in again.models] == [
        m.model_dump(exclude={"state"}) for m in first.models
    ]
    changed = models_dir / "pass-public-office.ifc"
    changed.write_bytes(changed.read_bytes() + b"\n")  # same model, new content hash
    third = run([models_dir], out, jobs=2)
    assert [(m.file, m.state) for m in third.models if m.state != "error"] == [
        ("fail-residential-one-star.ifc", "skipped"),
        ("pass-public-office.ifc", "checked"),
        ("sub/unknown-missing-data.ifc", "skipped"),
    ]
    forced = run([models_dir], out, jobs=2, force=True)
    assert forced.totals.checked == 3 and forced.totals.skipped == 0
    (out / "pass-public-office.html").unlink()  # a report deleted: checked again
    assert [m.file for m in run([models_dir], out).models if m.state == "checked"] == ["pass-public-office.ifc"]


def test_language_change_rechecks(models_dir: Path, tmp_path: Path, run: Callable[..., BatchSummary]) -> None:
    out = tmp_path / "out"
    run([models_dir / "pass-public-office.ifc"], out)
    assert run([models_dir / "pass-public-office.ifc"], out, lang="zh").totals.checked == 1


def test_order_deterministic_with_two_jobs(models_dir: Path, tmp_path: Path, run: Callable[..., BatchSummary]) -> None:
    one = run([models_dir], tmp_path / "one", jobs=1)
    two = run([models_dir], tmp_path / "two", jobs=2)
    assert [m.file for m in one.models] == [m.file for m in two.models]
    assert (tmp_path / "one" / "summary.csv").read_bytes() == (tmp_path / "two" / "summary.csv").read_bytes()


def test_files_globs_and_duplicates(models_dir: Path, tmp_path: Path, run: Callable[..., BatchSummary]) -> None:
    office = models_dir / "pass-public-office.ifc"
    (models_dir / "UPPER.IFC").symlink_to(office)  # the same file again, by another name: checked once
    pattern = str(models_dir / "sub" / "*.ifc")
    summary = run([office, Path(pattern), models_dir / "UPPER.IFC", office], tmp_path / "out")
    assert [m.file for m in summary.models] == [
        "pass-public-office.ifc",
        "sub/broken.ifc",
        "sub/cyclic.ifc",
        "sub/unknown-missing-data.ifc",
    ]


def test_same_name_in_two_folders_gets_two_reports(
    models_dir: Path, tmp_path: Path, run: Callable[..., BatchSummary]
) -> None:
    twin = models_dir / "sub" / "pass-public-office.ifc"
    twin.write_bytes((models_dir / "pass-public-office.ifc").read_bytes())
    summary = run([models_dir / "pass-public-office.ifc", twin], tmp_path / "out")
    stems = [m.stem for m in summary.models]
    assert stems[0] == "pass-public-office" and stems[1].startswith("pass-public-office-") and len(set(stems)) == 2


def test_hostile_names_escaped_in_dashboard(tmp_path: Path, run: Callable[..., BatchSummary]) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    hostile = folder / "<img src=x onerror=alert(1)>&.ifc"
    hostile.write_bytes((Path(__file__).resolve().parents[2] / "sample_models" / "pass-public-office.ifc").read_bytes())
    (folder / "<script>x<\\script>.ifc").write_text("garbage", encoding="utf-8")
    run([folder], tmp_path / "out")
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<script>x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;&amp;.ifc" in html and "&lt;script&gt;x&lt;\\script&gt;.ifc" in html
    assert 'href="%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%26.html"' in html
    assert "http://" not in html and "https://" not in html


def test_cli_exit_code_tally_and_progress(models_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(models_dir), "--jobs", "2", "--out", str(out), "--lang", "en"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert sum(line.startswith("[") for line in lines) == 5
    assert lines[-1].startswith("5 models (3 checked, 0 unchanged and skipped): 1 compliant, 2 error")
    good = CliRunner().invoke(
        main, ["batch", str(models_dir / "pass-public-office.ifc"), "-o", str(out), "--lang", "en"]
    )
    assert good.exit_code == 0 and "0 checked, 1 unchanged" in good.stderr
    assert os.path.exists(out / "index.html")


def test_cli_no_model_found(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["batch", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "no .ifc or .ifczip file found" in result.stderr
