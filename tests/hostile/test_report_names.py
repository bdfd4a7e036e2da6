"""Issue 9 item 3 (report names): three inputs a/x.ifc b/x.ifc c/x.ifc gave two reports (one overwrote another),
and a model named m.json inside the output folder was overwritten by its own report.

Now the first x.ifc keeps `x`, every other one gets `x-<first 8 hex of sha256(resolved path)>`, stable across runs;
a name whose report would land on an input is passed over the same way, so the input survives and is reported.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from checker.api import plan_reports
from checker.cli import main

Sample = Callable[[str], Path]


def _cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tag(path: Path) -> str:
    return hashlib.sha256(os.fsencode(os.path.realpath(path))).hexdigest()[:8]


def test_three_inputs_of_one_name_give_three_stable_reports(tmp_path: Path, sample: Sample) -> None:
    models = []
    for folder, name in zip(
        "abc", ["pass-public-office", "fail-public-office-low-pv", "mixed-two-buildings"], strict=True
    ):
        (tmp_path / folder).mkdir()
        models.append(tmp_path / folder / "x.ifc")
        models[-1].write_bytes(sample(name).read_bytes())
    out = tmp_path / "out"
    expected = ["x.json", f"x-{_tag(models[1])}.json", f"x-{_tag(models[2])}.json"]
    for _run in range(2):  # the same names on every run: nothing piles up
        result = _cli("check", *models, "-o", out, "-f", "json", "-q")
        assert result.exit_code == 1, result.output  # fail-public-office-low-pv fails
        assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    for model, name in zip(models, expected, strict=True):  # each report is of its own input
        assert json.loads((out / name).read_text(encoding="utf-8"))["model"]["sha256"] == _sha256(model)


def test_report_never_overwrites_its_own_input(tmp_path: Path, sample: Sample) -> None:
    out = tmp_path / "out"
    out.mkdir()
    model = out / "m.json"  # an IFC file named like the report it would get
    original = sample("pass-public-office").read_bytes()
    model.write_bytes(original)
    result = _cli("check", model, "-o", out, "-f", "json,html", "-q")
    assert result.exit_code == 0, result.output
    assert model.read_bytes() == original
    assert sorted(p.name for p in out.iterdir()) == sorted(["m.json", f"m-{_tag(model)}.json", f"m-{_tag(model)}.html"])


def test_plan_skips_inputs_given_twice_and_other_inputs(tmp_path: Path) -> None:
    first, other = tmp_path / "a.ifc", tmp_path / "a.html"
    first.write_text("x")
    other.write_text("x")
    plan = plan_reports([first, first, other], tmp_path, [".html", ".json"])
    # a.ifc would write a.html, which is an input: it moves to its hashed name; a.html is itself `a` -> hashed too
    assert plan == [(first, f"a-{_tag(first)}"), (other, f"a-{_tag(other)}")]


def test_bcf_and_bcf2_reports_of_two_models_never_share_a_name(tmp_path: Path) -> None:
    """a.bcf2.ifc's BCF 3.0 report (a.bcf2 + .bcf) would be a.ifc's BCF 2.1 report (a + .bcf2.bcf)."""
    first, second = tmp_path / "a.ifc", tmp_path / "a.bcf2.ifc"
    plan = plan_reports([first, second], tmp_path / "out", [".bcf", ".bcf2.bcf"])
    assert plan == [(first, "a"), (second, f"a.bcf2-{_tag(second)}")]
