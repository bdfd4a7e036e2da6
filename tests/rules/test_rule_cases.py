"""Facts-only test cases for every rule of the default ruleset (one TOML file per rule id).

Each `tests/rules/cases/<RULE_ID>.toml` holds `[[cases]]` with hand-built facts and elements and the expected
status (and value / margin / gap, computed by hand in a comment). Cases run the real rule from `load_ruleset()`
through `evaluate_rule`, so applicability, params and the comparison are all exercised without any IFC file.
Select one rule or case with `pytest -k "BJ-PV-002"` or `-k "fail-31pct"`.

Case format:
    [[cases]]
    name = "fail-31pct"
    xfail = "reason"               # optional: a suspected metric bug (strict: must fail)
    expect = { status = "fail", value = 0.3125, gap = 600.0, margin = -0.1875, tol = 1e-6,
               missing_contains = "usable roof", gap_unit = "m2" }
    [cases.facts]
    is_new = true                  # a scalar becomes Fact(value=...)
    pv_panel_area = { value = 1000.0, unit = "m2", bound = "upper" }   # a table gives Fact fields
    usable_roof_area = { missing = "no roof" }                          # no value: an unknown fact
    [[cases.elements.envelope_walls]]
    global_id = "w1"
    values = { area_m2 = 30.0, u_declared = 0.15 }
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from checker.model.facts import BuildingFacts, ElementRecord, Fact
from checker.rules.engine import evaluate_rule
from checker.rules.loader import load_ruleset
from checker.rules.schema import Rule

CASES_DIR = Path(__file__).resolve().parent / "cases"
STATUSES = {"pass", "fail", "unknown", "not_applicable", "error"}
EXPECT_KEYS = {"status", "value", "margin", "gap", "gap_unit", "tol", "missing_contains", "bound"}
CASE_KEYS = {"name", "expect", "facts", "elements", "xfail", "note"}
DEFAULT_TOL = 1e-6


@dataclass(frozen=True)
class Case:
    rule_id: str
    name: str
    data: dict[str, Any]
    source: Path

    @property
    def id(self) -> str:
        return f"{self.rule_id}:{self.name}"


def _load_file(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as handle:
        return list(tomllib.load(handle).get("cases", []))


def load_cases() -> list[Case]:
    """Every case of every file, in file then case order."""
    cases = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        for index, data in enumerate(_load_file(path)):
            cases.append(Case(path.stem, str(data.get("name", f"case{index + 1}")), data, path))
    return cases


def _fact(raw: Any) -> Fact:
    """A scalar is the value; a table gives the Fact's fields (no `value` key means the fact is unknown)."""
    if isinstance(raw, dict):
        return Fact(**{"value": None, **raw})
    return Fact(value=raw)


def _element(key: str, index: int, raw: dict[str, Any]) -> ElementRecord:
    return ElementRecord(**{"global_id": f"{key}-{index + 1}", "ifc_class": "IfcElement", **raw})


def building_facts(data: dict[str, Any]) -> BuildingFacts:
    """BuildingFacts from a case's `facts` and `elements` tables."""
    facts = {key: _fact(raw) for key, raw in data.get("facts", {}).items()}
    elements = {
        key: [_element(key, i, raw) for i, raw in enumerate(rows)] for key, rows in data.get("elements", {}).items()
    }
    return BuildingFacts(global_id="case-building", name="case", facts=facts, elements=elements)


@cache
def _rules() -> dict[str, Rule]:
    """The default ruleset's rules by id, loaded once (rules are frozen pydantic models)."""
    return {rule.id: rule for rule in load_ruleset().rules}


CASES = load_cases()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per case, with readable ids like `BJ-PV-002:fail-31pct`."""
    if "rule_case" in metafunc.fixturenames:
        metafunc.parametrize("rule_case", CASES, ids=[c.id for c in CASES])


def _approx(expected: float, tol: float) -> Any:
    return pytest.approx(expected, rel=tol, abs=tol)


def test_rule_case(rule_case: Case) -> None:
    rules = _rules()
    assert rule_case.rule_id in rules, f"{rule_case.source.name}: no rule {rule_case.rule_id} in the default ruleset"
    data = rule_case.data
    assert set(data) <= CASE_KEYS, f"{rule_case.id}: unknown case keys {set(data) - CASE_KEYS}"
    expect = data["expect"]
    assert set(expect) <= EXPECT_KEYS and expect["status"] in STATUSES, f"{rule_case.id}: bad expect {expect}"
    if data.get("xfail"):
        # strict: the case must fail while the suspected bug is there; an unexpected pass is reported.
        try:
            _check(rules[rule_case.rule_id], data, expect)
        except AssertionError:
            pytest.xfail(str(data["xfail"]))
        pytest.fail(f"{rule_case.id} passes although marked xfail ({data['xfail']}): remove the xfail")
    _check(rules[rule_case.rule_id], data, expect)


def _check(rule: Rule, data: dict[str, Any], expect: dict[str, Any]) -> None:
    result = evaluate_rule(rule, building_facts(data))
    tol = float(expect.get("tol", DEFAULT_TOL))
    shown = (
        f"got {result.status} value={result.value!r} margin={result.margin!r} gap={result.gap!r} "
        f"missing={result.missing} message={result.message.en!r}"
    )
    assert result.status == expect["status"], shown
    for key in ("value", "margin", "gap"):
        if key in expect:
            actual = getattr(result, key)
            assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{key}: {shown}"
            assert actual == _approx(float(expect[key]), tol), f"{key}: {shown}"
    if "gap_unit" in expect:
        assert result.gap_unit == expect["gap_unit"], shown
    if "bound" in expect:
        assert result.bound == expect["bound"], shown
    if result.status == "unknown":
        assert result.missing and all(str(m).strip() for m in result.missing), (
            f"unknown without a missing list: {shown}"
        )
    if "missing_contains" in expect:
        assert any(expect["missing_contains"] in m for m in result.missing), shown
    if result.status == "fail":
        strict_boundary = result.op in (">", "<") and result.margin == 0  # 'above 25 years' with exactly 25
        assert result.gap is not None and (result.gap > 0 or strict_boundary), (
            f"a fail must say how much has to change: {shown}"
        )


def test_every_rule_has_pass_and_non_pass_cases() -> None:
    """Contract: each rule id of the default ruleset has a case file with a pass and a fail-or-unknown case."""
    by_rule: dict[str, set[str]] = {}
    for case in CASES:
        by_rule.setdefault(case.rule_id, set()).add(case.data.get("expect", {}).get("status", ""))
    lacking = []
    for rule_id in _rules():
        statuses = by_rule.get(rule_id)
        if statuses is None:
            lacking.append(f"{rule_id}: no tests/rules/cases/{rule_id}.toml")
        elif "pass" not in statuses or not statuses & {"fail", "unknown"}:
            lacking.append(f"{rule_id}: needs a pass and a fail/unknown case (has {sorted(statuses)})")
    assert not lacking, "\n".join(lacking)


def test_no_case_file_names_an_unknown_rule() -> None:
    unknown = sorted({p.stem for p in CASES_DIR.glob("*.toml")} - set(_rules()))
    assert not unknown, f"case files for rule ids that do not exist: {unknown}"


def test_case_names_are_unique_per_rule() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
