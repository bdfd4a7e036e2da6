"""Issue 11 item 4: waivers, a baseline report and --soft-fail, as CI users of checkov and sqlfluff use them.

Checked on the failing prefab sample (6 fails, 17 unknown in building 0hEbSnznDKh8jLqKO0J1za): an accepted finding
stays in every report with its status, but stops deciding the verdict and the exit code; an expired waiver, a
waiver that matched nothing, a worse figure or a new fail count again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from lxml import etree
from lxml import html as lxml_html

from checker.cli import main
from checker.errors import ReviewError
from checker.report import render
from checker.rules.results import CheckRun, ReviewFile, Status, exit_status
from checker.rules.review import Review, Waiver, apply_review, load_baseline, load_waivers

BUILDING = "0hEbSnznDKh8jLqKO0J1za"
SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "sarif-schema-2.1.0.json"
LATER = date(2099, 1, 1)


@pytest.fixture(scope="module")
def fail_run(checked: Callable[[str], CheckRun]) -> CheckRun:
    return checked("prefab-fail-government")  # generated 2024-01-01


def _waiver(rule: str, **fields: object) -> Waiver:
    values: dict[str, object] = {"rule": rule, "reason": "site plan 2026-041", "approver": "Li Wei", "expires": LATER}
    return Waiver.model_validate(values | fields)


def _result(run: CheckRun, rule_id: str) -> object:
    (found,) = [r for r in run.buildings[0].results if r.rule_id == rule_id]
    return found


def test_a_waiver_keeps_the_fail_shown_but_not_counted(fail_run: CheckRun) -> None:
    reviewed = apply_review(fail_run, Review([_waiver("BJ-PV-001", building=BUILDING)]))
    pv = _result(reviewed, "BJ-PV-001")
    assert pv.status is Status.FAIL and pv.accepted is not None and not pv.counts
    assert (pv.accepted.kind, pv.accepted.approver, pv.accepted.expires) == ("waiver", "Li Wei", "2099-01-01")
    assert reviewed.summary.counts["fail"] == 8 and reviewed.summary.accepted == 1  # + GB 55015 solar, BJ-BIM-001
    assert reviewed.summary.failed_errors == fail_run.summary.failed_errors - 1 == 4
    assert reviewed.review is not None and reviewed.review.expired == [] and reviewed.review.unused == []


def test_waivers_that_do_not_apply(fail_run: CheckRun) -> None:
    waivers = [
        _waiver("BJ-PV-001", building="2O2Fr$t4X7Zf8NOew3FLOH"),  # another building
        _waiver("BJ-PV-002", expires=date(2023, 12, 31)),  # expired the day before the run
        _waiver("BJ-PREFAB-001", elements=["27hOfTV4DKD0muvwQyP7O_"]),  # covers 1 of its 13 elements
        _waiver("BJ-NOPE-001"),
    ]
    reviewed = apply_review(fail_run, Review(waivers))
    assert reviewed.summary.accepted == 0 and reviewed.summary.verdict == "non_compliant"
    assert exit_status(reviewed) == 1
    assert reviewed.review.expired == [
        "waiver for BJ-PV-002 (approved by Li Wei) expired on 2023-12-31: the fail counts again"
    ]
    assert [note.split(" covered")[0] for note in reviewed.review.unused] == [
        "waiver for BJ-PV-001 on building 2O2Fr$t4X7Zf8NOew3FLOH",
        "waiver for BJ-PREFAB-001",
        "waiver for BJ-NOPE-001",
    ]
    # listing every element of the finding covers it; a new failing element would not be listed
    members = [e.global_id for e in _result(fail_run, "BJ-PREFAB-001").elements]
    covered = apply_review(fail_run, Review([_waiver("BJ-PREFAB-001", elements=members)]))
    assert _result(covered, "BJ-PREFAB-001").accepted is not None


def test_a_baseline_accepts_what_was_there_no_worse(fail_run: CheckRun) -> None:
    same = apply_review(fail_run, Review(baseline=fail_run))
    assert same.summary.accepted == 8 + 26 and same.summary.verdict == "compliant"
    assert exit_status(same, "warning") == 0
    # the baseline had P at 40 %: 34.1 % now is worse, so BJ-PREFAB-001 counts; a rule that passed then is new
    building = fail_run.buildings[0]
    better = [
        r.model_copy(update={"value": 0.40}) if r.rule_id == "BJ-PREFAB-001" else r
        for r in building.results
        if r.rule_id != "BJ-PV-002"
    ]
    then = fail_run.model_copy(update={"buildings": [building.model_copy(update={"results": better})]})
    reviewed = apply_review(fail_run, Review(baseline=then))
    assert {r.rule_id for r in reviewed.all_results() if r.status is Status.FAIL and r.counts} == {
        "BJ-PREFAB-001",
        "BJ-PV-002",
    }
    assert reviewed.summary.verdict == "non_compliant"


def test_reports_say_why_a_finding_does_not_count(fail_run: CheckRun) -> None:
    base_file = ReviewFile(path="r1/prefab-fail-government.json", sha256="0" * 64)
    reviewed = apply_review(fail_run, Review([_waiver("BJ-PV-001")], baseline=fail_run, baseline_file=base_file))
    page = lxml_html.fromstring(render(reviewed, "html", "en"))
    (card,) = page.xpath("//article[@data-rule-id='BJ-PV-001']")
    assert card.xpath("string(.//*[@data-accepted])") == "Waived until 2099-01-01"
    assert card.xpath("string(.//*[@data-field='accepted'])").startswith("site plan 2026-041 — approved by Li Wei")
    assert "34 fail(s) or unknown(s) accepted" in page.xpath("string(//*[@data-field='verdict-accepted'])")
    junit = etree.fromstring(render(reviewed, "junit", "en"))
    (case,) = junit.xpath("//testcase[starts-with(@name, 'BJ-PV-001 ')]")
    assert case.xpath("skipped/@message")[0].startswith("waived until 2099-01-01 by Li Wei: site plan 2026-041")
    assert not junit.xpath("//failure")  # everything accepted: a green CI build that still lists every finding
    sarif = json.loads(render(reviewed, "sarif", "en"))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    assert results["BJ-PV-001"]["suppressions"][0]["status"] == "accepted"
    assert {r.get("baselineState") for r in results.values()} == {"unchanged"}


def _cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_command_line(tmp_path: Path, sample: Callable[[str], Path]) -> None:
    model = sample("prefab-fail-government")
    first = _cli("check", model, "-o", tmp_path / "r1", "-f", "json", "-q")
    assert first.exit_code == 1
    baseline = tmp_path / "r1" / "prefab-fail-government.json"
    assert _cli("check", model, "-o", tmp_path / "r2", "-f", "json", "-q", "--baseline", baseline).exit_code == 0
    assert _cli("check", model, "-o", tmp_path / "r3", "-f", "json", "-q", "--soft-fail").exit_code == 0
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nrule = "BJ-PV-001"\nreason = "r"\napprover = "a"\nexpires = 2020-01-01\n')
    result = _cli("check", model, "-o", tmp_path / "r4", "-f", "json", "--lang", "en", "--waivers", waivers)
    assert result.exit_code == 1
    assert "  warning: waiver for BJ-PV-001 (approved by a) expired on 2020-01-01: the fail counts again" in (
        result.output.splitlines()
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[[waiver]]\nrule = "X"\n', "not a waivers file: waiver.0.reason: Field required"),
        ('[[waiver]]\nrule = "X"\nreason = "r"\napprover = "a"\nexpires = "soon"\n', "waiver.0.expires"),
        ('[[waiver]]\nrule = "X"\nreason = "r"\napprover = "a"\nexpires = 2030-01-01\nbuilding2 = "b"\n', "building2"),
        ("rule = [", "not valid TOML"),
    ],
)
def test_bad_waivers_files_are_one_line_exit_2(
    tmp_path: Path, sample: Callable[[str], Path], content: str, message: str
) -> None:
    waivers = tmp_path / "w.toml"
    waivers.write_text(content)
    with pytest.raises(ReviewError, match=message):
        load_waivers(waivers)
    result = _cli("check", sample("pass-public-office"), "-o", tmp_path, "--waivers", waivers)
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and "Traceback" not in result.output


def test_a_baseline_must_be_a_json_report(tmp_path: Path) -> None:
    bad = tmp_path / "b.json"
    bad.write_text('{"x": 1}')
    with pytest.raises(ReviewError, match="not a greencheck JSON report"):
        load_baseline(bad)
    with pytest.raises(ReviewError, match="not a regular file|is a directory|not a file"):
        load_baseline(tmp_path)


def test_a_waived_fail_raises_no_bcf_topic(fail_run: CheckRun) -> None:
    import zipfile
    from io import BytesIO

    def titles(run: CheckRun) -> list[str]:
        archive = zipfile.ZipFile(BytesIO(render(run, "bcf", "en")))
        markups = [etree.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith("markup.bcf")]
        return sorted(m.findtext(".//Title") for m in markups)

    before = titles(fail_run)
    after = titles(apply_review(fail_run, Review([_waiver("BJ-PV-001")])))
    assert len(before) == 9 and [t for t in before if t not in after] == [
        next(t for t in before if t.startswith("BJ-PV-001 "))
    ]


def test_batch_applies_waivers_to_every_model_and_rechecks_when_they_change(
    tmp_path: Path, sample: Callable[[str], Path]
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    for name in ("prefab-fail-government", "pass-public-office"):
        (models / f"{name}.ifc").write_bytes(sample(name).read_bytes())
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\nrule = "BJ-PV-001"\nbuilding = "0hEbSnznDKh8jLqKO0J1za"\nreason = "r"\napprover = "a"\n'
        "expires = 2099-01-01\n"
    )
    out = tmp_path / "out"
    first = _cli("batch", models, "-o", out, "--lang", "en", "--jobs", "1", "--waivers", waivers)
    assert first.exit_code == 1
    report = CheckRun.model_validate_json((out / "prefab-fail-government.json").read_bytes())
    assert [r.rule_id for r in report.all_results() if r.accepted] == ["BJ-PV-001"]
    assert report.review is not None and report.review.waivers is not None
    assert "0 checked, 2 unchanged" in _cli("batch", models, "-o", out, "--lang", "en", "--waivers", waivers).stderr
    waivers.write_text(waivers.read_text().replace("2099-01-01", "2099-06-30"))
    again = _cli("batch", models, "-o", out, "--lang", "en", "--waivers", waivers)
    assert "2 checked, 0 unchanged" in again.stderr
