"""Ruleset files: invalid ones are refused with the file, the rule id and the field; `extends` and `disable` work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from checker.api import check_file
from checker.errors import RulesetError
from checker.rules.loader import DEFAULT_RULESET, list_rulesets, load_ruleset
from checker.rules.results import CheckRun, Status
from checker.rules.schema import SourceStatus

HEADER = 'id = "test-rules"\nversion = "0.1.0"\ntitle = { zh = "测试", en = "Test" }\n'
RULE = """
[[rules]]
id = "T-PV-001"
family = "pv"
title = { zh = "光伏", en = "PV" }
severity = "error"
citation = { document = "Doc", clause = "1.1", status = "primary" }
metric = "pv_panel_count"
require = { op = ">=", value = 1, unit = "panels" }
remedy = { zh = "加光伏", en = "add PV" }
"""


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    return message


def test_minimal_ruleset_loads(tmp_path: Path) -> None:
    ruleset = load_ruleset(write(tmp_path, HEADER + RULE))
    assert ruleset.id == "test-rules"
    assert [r.id for r in ruleset.rules] == ["T-PV-001"]
    assert ruleset.extends_chain == []


def test_bundled_ruleset_is_valid() -> None:
    ruleset = load_ruleset(DEFAULT_RULESET)
    assert ruleset.id == DEFAULT_RULESET
    assert {"BJ-PV-001", "BJ-PV-002", "BJ-STAR-001", "BJ-STAR-002"} <= {r.id for r in ruleset.rules}
    for rule in ruleset.rules:
        if rule.citation.status in (SourceStatus.RECALLED, SourceStatus.PARTLY):
            assert rule.citation.confidence is not None
    assert DEFAULT_RULESET in [r.id for r in list_rulesets()]


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (
            'citation = { document = "Doc", clause = "1.1", status = "primary" }\n',
            "",
            "field citation",
            "Field required",
        ),
        ('severity = "error"', 'severity = "fatal"', "field severity", "'error', 'warning' or 'info'"),
        ('metric = "pv_panel_count"', 'metric = "pv_magic"', "field metric", "unknown metric 'pv_magic'"),
        ('status = "primary" }', 'status = "recalled" }', "field citation", "must state its confidence"),
        ('status = "primary" }', 'status = "rumour" }', "field citation.status", "primary"),
        ('value = 1, unit = "panels"', 'value = "lots", unit = "panels"', "field require.value", "valid number"),
        ('family = "pv"', 'family = "feng_shui"', "field family", "'pv'"),
        (
            'remedy = { zh = "加光伏", en = "add PV" }',
            'remedy = { zh = "加光伏" }',
            "field remedy.en",
            "Field required",
        ),
        ('metric = "pv_panel_count"', 'metric = "pv_panel_count"\nthreshold = 3', "field threshold", "Extra inputs"),
    ],
)
def test_invalid_rule_names_file_rule_and_field(tmp_path: Path, old: str, new: str, field: str, words: str) -> None:
    assert old in RULE
    message = refused(write(tmp_path, HEADER + RULE.replace(old, new)))
    assert "rule T-PV-001" in message
    assert field in message
    assert words in message


def test_bad_rule_id_pattern(tmp_path: Path) -> None:
    message = refused(write(tmp_path, HEADER + RULE.replace('id = "T-PV-001"', 'id = "pv rule 1"')))
    assert "rule pv rule 1, field id" in message


def test_duplicate_rule_id(tmp_path: Path) -> None:
    message = refused(write(tmp_path, HEADER + RULE + RULE))
    assert "rule id 'T-PV-001' is used twice" in message


def test_bad_toml(tmp_path: Path) -> None:
    message = refused(write(tmp_path, HEADER + "[[rules]]\nid = \n"))
    assert "not valid TOML" in message


def test_missing_file_and_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(RulesetError, match="ruleset file not found"):
        load_ruleset(tmp_path / "absent.toml")
    with pytest.raises(RulesetError, match="unknown ruleset 'no-such-ruleset'"):
        load_ruleset("no-such-ruleset")


def test_condition_shape_is_validated(tmp_path: Path) -> None:
    bad = RULE.replace(
        'metric = "pv_panel_count"',
        'applies_when = [ { fact = "use_category", op = "in", value = "public" } ]\nmetric = "pv_panel_count"',
    )
    message = refused(write(tmp_path, HEADER + bad))
    assert "rule T-PV-001, field applies_when.0" in message and "needs a list value" in message


# --- extends / disable ------------------------------------------------------------------------------------------

EXTENDS = HEADER + 'extends = "beijing-subcenter-2024"\n'
LOWER_PV = """
[[rules]]
id = "BJ-PV-002"
require = { value = 0.3 }
"""


def test_extends_overrides_only_the_threshold(
    tmp_path: Path, sample: Callable[[str], Path], checked: Callable[[str], CheckRun]
) -> None:
    ruleset = load_ruleset(write(tmp_path, EXTENDS + LOWER_PV))
    assert ruleset.id == "test-rules"
    assert ruleset.extends_chain == ["beijing-subcenter-2024"]
    base = load_ruleset()
    assert [r.id for r in ruleset.rules] == [r.id for r in base.rules]
    pv = next(r for r in ruleset.rules if r.id == "BJ-PV-002")
    base_pv = next(r for r in base.rules if r.id == "BJ-PV-002")
    assert pv.require.value == 0.3 and pv.require.op == ">=" and pv.require.unit == "1"
    assert pv.citation == base_pv.citation and pv.applies_when == base_pv.applies_when
    assert ruleset.extraction == base.extraction
    run = check_file(sample("fail-public-office-low-pv"), ruleset, generated_at="2024-01-01T00:00:00Z")
    result = next(r for r in run.buildings[0].results if r.rule_id == "BJ-PV-002")
    assert result.status is Status.PASS
    assert result.margin == pytest.approx(0.3125 - 0.3)
    assert run.ruleset.chain == ["beijing-subcenter-2024"]
    before = next(r for r in checked("fail-public-office-low-pv").buildings[0].results if r.rule_id == "BJ-PV-002")
    assert before.status is Status.FAIL


def test_disable_removes_a_rule_and_child_rules_are_appended(tmp_path: Path) -> None:
    ruleset = load_ruleset(write(tmp_path, EXTENDS + 'disable = ["BJ-PV-001", "BJ-STAR-003"]\n' + RULE))
    ids = [r.id for r in ruleset.rules]
    assert "BJ-PV-001" not in ids and "BJ-STAR-003" not in ids
    assert "BJ-PV-002" in ids
    assert ids[-1] == "T-PV-001"


def test_extends_of_a_relative_toml_file(tmp_path: Path) -> None:
    write(tmp_path, HEADER + RULE, "parent.toml")
    child = write(
        tmp_path,
        HEADER.replace("test-rules", "child-rules")
        + 'extends = "parent.toml"\n'
        + LOWER_PV.replace("BJ-PV-002", "T-PV-001").replace("0.3", "5"),
        "child.toml",
    )
    ruleset = load_ruleset(child)
    assert ruleset.extends_chain == ["test-rules"]
    assert ruleset.rules[0].require.value == 5


def test_extends_cycle_is_refused(tmp_path: Path) -> None:
    write(tmp_path, HEADER + 'extends = "b.toml"\n', "a.toml")
    write(tmp_path, HEADER + 'extends = "a.toml"\n', "b.toml")
    with pytest.raises(RulesetError, match="deeper than"):
        load_ruleset(tmp_path / "a.toml")


def test_override_that_breaks_a_field_names_the_rule(tmp_path: Path) -> None:
    message = refused(write(tmp_path, EXTENDS + LOWER_PV.replace("0.3", '"half"')))
    assert "rule BJ-PV-002, field require.value" in message
