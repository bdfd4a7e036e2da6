"""Ruleset numbers must be finite and every wrong type is one line (issue 9): a NaN threshold validated and failed
every model with "≥ NaN %"; deep nesting raised tomllib's RecursionError as a traceback. Each case goes through
`greencheck rulesets validate`: exit 2, exactly one stderr line naming the file, the rule and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main

HEADER = 'id = "district-rules"\nversion = "0.1.0"\ntitle = { zh = "区级", en = "District" }\n'
EXTENDS = HEADER + 'extends = "beijing-subcenter-2024"\n'
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
NOT_FINITE = "is not a finite number (NaN and ±inf cannot be compared with a measured figure)"
SCALARS = "must be a number, a string, a boolean or a flat list of them"


def _with_threshold(value: str) -> str:
    return HEADER + RULE.replace("value = 1,", f"value = {value},")


def error_line(tmp_path: Path, text: str) -> str:
    """The one stderr line of `greencheck rulesets validate`, without its prefix and the file's path."""
    path = tmp_path / "local.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["rulesets", "validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, lines
    assert lines[0].startswith(f"greencheck: error: {path}: "), lines[0]
    return lines[0].removeprefix(f"greencheck: error: {path}: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(_with_threshold("nan"), f"rule T-PV-001, field require.value: nan {NOT_FINITE}", id="nan"),
        pytest.param(_with_threshold("inf"), f"rule T-PV-001, field require.value: inf {NOT_FINITE}", id="inf"),
        pytest.param(_with_threshold("-inf"), f"rule T-PV-001, field require.value: -inf {NOT_FINITE}", id="-inf"),
        pytest.param(_with_threshold("1e400"), f"rule T-PV-001, field require.value: inf {NOT_FINITE}", id="1e400"),
        pytest.param(
            EXTENDS + '[[rules]]\nid = "BJ-PV-002"\nrequire = { op = ">=", value = nan, unit = "1" }\n',
            f"rule BJ-PV-002, field require.value: nan {NOT_FINITE}",
            id="override-of-a-bundled-rule",
        ),
        pytest.param(
            HEADER + RULE + "params = { limit = nan }\n",
            f"rule T-PV-001, field params.limit: nan {NOT_FINITE}",
            id="param",
        ),
        pytest.param(
            HEADER + RULE + "params = { bands = [0.1, inf, 0.3] }\n",
            f"rule T-PV-001, field params.bands: item 2: inf {NOT_FINITE}",
            id="param-list",
        ),
        pytest.param(
            HEADER + "[param_sets.table]\nx = -inf\n" + RULE,
            f"field param_sets.table.x: -inf {NOT_FINITE}",
            id="param-set",
        ),
        pytest.param(
            HEADER + "[param_sets.table]\nx = [1, nan]\n" + RULE,
            f"field param_sets.table.x: item 2: nan {NOT_FINITE}",
            id="param-set-list",
        ),
        pytest.param(
            HEADER + RULE + 'applies_when = [ { fact = "above_ground_gfa", op = ">=", value = nan } ]\n',
            f"rule T-PV-001, field applies_when.0.value: nan {NOT_FINITE}",
            id="condition",
        ),
        pytest.param(
            HEADER
            + RULE
            + 'applies_when = [ { any_of = [ { fact = "above_ground_gfa", op = ">=", value = inf } ] } ]\n',
            f"rule T-PV-001, field applies_when.0.any_of.0.value: inf {NOT_FINITE}",
            id="nested-condition",
        ),
        pytest.param(
            HEADER + '[scopes]\npublic = [ { fact = "x", op = ">=", value = nan } ]\n' + RULE,
            f"field scopes.public.0.value: nan {NOT_FINITE}",
            id="scope",
        ),
        pytest.param(
            EXTENDS + "[extraction.plausibility]\nmax_storey_area_m2 = inf\n",
            "field extraction.plausibility.max_storey_area_m2: Input should be a finite number",
            id="extraction-limit",
        ),
        pytest.param(
            EXTENDS + "[extraction]\nabove_ground_min_elevation_m = nan\n",
            "field extraction.above_ground_min_elevation_m: Input should be a finite number",
            id="extraction-elevation",
        ),
        pytest.param(
            _with_threshold("99999999999999999999999"),
            "rules #1.require.value is an integer outside TOML's 64-bit range",
            id="integer-beyond-64-bits",
        ),
        pytest.param(
            EXTENDS + "[extraction.plausibility]\nmax_buildings_per_file = 99999999999999999999999\n",
            "extraction.plausibility.max_buildings_per_file is an integer outside TOML's 64-bit range",
            id="extraction-integer-beyond-64-bits",
        ),
        pytest.param(
            _with_threshold("9" * 5000),
            "not valid TOML (Exceeds the limit (4300 digits) for integer string conversion)",
            id="5000-digit-integer",
        ),
    ],
)
def test_non_finite_ruleset_numbers_are_refused(tmp_path: Path, text: str, expected: str) -> None:
    assert error_line(tmp_path, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            HEADER + "x = " + "[" * 10_000 + "]" * 10_000 + "\n",
            "not valid TOML (arrays or inline tables nested too deeply to read)",
            id="10000-nested-arrays",
        ),
        pytest.param(
            HEADER + "x = " + "{a = " * 10_000 + "1" + "}" * 10_000 + "\n",
            "not valid TOML (arrays or inline tables nested too deeply to read)",
            id="10000-nested-inline-tables",
        ),
        pytest.param(
            HEADER + "x = " + "[" * 40 + "]" * 40 + "\n",
            "tables and arrays nested 41 levels deep (at most 32): no ruleset needs that",
            id="40-nested-arrays",
        ),
        pytest.param(
            HEADER + "".join(f"[{'.'.join(['t'] * 40)}]\n"),
            "tables and arrays nested 41 levels deep (at most 32): no ruleset needs that",
            id="40-nested-tables",
        ),
        pytest.param(
            HEADER + 'rules = [1, "x"]\n', "rules entry #1 must be a table ([[rules]]), not an integer", id="rules-1-x"
        ),
        pytest.param(
            HEADER + RULE + "params = { when = 1979-05-27T07:32:00Z }\n",
            f"rule T-PV-001, field params.when: {SCALARS}, not a date/time",
            id="param-date",
        ),
        pytest.param(
            HEADER + RULE + "params = { x = { y = 1 } }\n",
            f"rule T-PV-001, field params.x: {SCALARS}, not a table",
            id="param-table",
        ),
        pytest.param(
            HEADER + RULE + "params = { x = [[1, 2]] }\n",
            f"rule T-PV-001, field params.x: {SCALARS}; item 1 is an array",
            id="param-array-of-arrays",
        ),
        pytest.param(
            HEADER + RULE + 'applies_when = [ { fact = "x", op = "==", value = 07:32:00 } ]\n',
            f"rule T-PV-001, field applies_when.0.value: {SCALARS}, not a date/time",
            id="condition-time",
        ),
        pytest.param(
            HEADER + RULE.replace('require = { op = ">=", value = 1, unit = "panels" }', "require = 5"),
            "rule T-PV-001, field require: Input should be a valid dictionary or instance of Threshold",
            id="require-integer",
        ),
        pytest.param(
            _with_threshold("1979-05-27"),
            "rule T-PV-001, field require.value: Input should be a valid number",
            id="threshold-date",
        ),
        pytest.param(
            EXTENDS + "extraction = 5\n",
            "field extraction: Input should be a valid dictionary or instance of ExtractionConfig",
            id="extraction-integer",
        ),
        pytest.param(
            EXTENDS + "[extraction.prefab]\nmaterial_classes = 5\n",
            "field extraction.prefab.material_classes: Input should be a valid list",
            id="material-classes-integer",
        ),
    ],
)
def test_every_wrong_shape_is_one_line(tmp_path: Path, text: str, expected: str) -> None:
    assert error_line(tmp_path, text) == expected


def test_finite_numbers_still_validate(tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_text(
        EXTENDS + "[extraction.plausibility]\nmax_storey_area_m2 = 2e5\n" + RULE.replace("value = 1,", "value = 1e3,"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["rulesets", "validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr == ""
    assert "valid (district-rules 0.1.0" in result.stdout
