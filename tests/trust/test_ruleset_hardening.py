"""A local ruleset cannot take a bundled id, cannot reach outside its folder, and every malformed `extends`,
`disable`, `include` or `rules` is one line on stderr with exit code 2 from `greencheck rulesets validate`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from checker.cli import main
from checker.errors import RulesetError
from checker.rules.loader import bundled_dir, load_ruleset

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
REUSED_ID = HEADER.replace("district-rules", "beijing-subcenter-2024") + 'extends = "beijing-subcenter-2024"\n'


def validate(path: Path) -> Result:
    return CliRunner().invoke(main, ["rulesets", "validate", str(path)], catch_exceptions=False)


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("greencheck: error: ") and "Traceback" not in result.output
    return lines[0].removeprefix("greencheck: error: ")


def test_local_ruleset_may_not_reuse_the_bundled_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("my.toml").write_text(REUSED_ID, encoding="utf-8")
    expected = "my.toml: id 'beijing-subcenter-2024' is the bundled ruleset's; give your ruleset its own id"
    with pytest.raises(RulesetError) as info:
        load_ruleset("my.toml")
    assert str(info.value) == expected
    assert one_error_line(validate(Path("my.toml"))) == expected
    # a byte-identical copy of the bundled file is still a local file
    Path("copy.toml").write_bytes((bundled_dir() / "beijing-subcenter-2024.toml").read_bytes())
    assert "copy.toml: id 'beijing-subcenter-2024' is the bundled ruleset's" in one_error_line(
        validate(Path("copy.toml"))
    )


def test_a_parent_reusing_the_bundled_id_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "parent.toml").write_text(REUSED_ID, encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text(HEADER + 'extends = "parent.toml"\n', encoding="utf-8")
    line = one_error_line(validate(child))
    parent = tmp_path / "parent.toml"
    assert line == f"{parent}: id 'beijing-subcenter-2024' is the bundled ruleset's; give your ruleset its own id"


def test_the_bundled_file_itself_loads() -> None:
    result = validate(bundled_dir() / "beijing-subcenter-2024.toml")
    assert result.exit_code == 0
    assert ": valid (beijing-subcenter-2024 2024.1.0, 51 rules)" in result.stdout
    assert "(bundled)" in result.stdout.splitlines()[1]


def test_extends_is_confined_like_include(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (tmp_path / "outside.toml").write_text(HEADER.replace("district-rules", "outside") + RULE, encoding="utf-8")
    os.symlink(tmp_path / "outside.toml", folder / "link.toml")
    path = folder / "local.toml"
    inside = f"a bundled ruleset id or a .toml file inside {folder.resolve()}"
    for target, words in [
        ("/etc/passwd", "extends '/etc/passwd' is neither a bundled ruleset id (beijing-subcenter-2024) nor"),
        ("/etc/hosts.toml", f"extends '/etc/hosts.toml' must be {inside}"),
        ("../outside.toml", f"extends '../outside.toml' must be {inside}"),
        ("link.toml", f"extends 'link.toml' must be {inside}"),  # a symlink leading out is followed, then refused
        ("no-such-ruleset", "extends 'no-such-ruleset' is neither a bundled ruleset id"),
        ("absent.toml", "extends 'absent.toml': ruleset file not found"),
    ]:
        path.write_text(HEADER + f'extends = "{target}"\n', encoding="utf-8")
        line = one_error_line(validate(path))
        assert line.startswith(f"{path}: {words}"), line


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param(EXTENDS + 'disable = "BJ-PV-001"\n', "'disable' must be a list of rule ids", id="disable-string"),
        pytest.param(
            EXTENDS + "disable = [1]\n",
            "'disable' must be a list of rule ids (e.g. disable = [\"BJ-PV-002\"]), not an",
            id="disable-integers",
        ),
        pytest.param(
            EXTENDS + 'disable = ["BJ-PV-001", "BJ-XX-999"]\n',
            "disable: unknown rule id BJ-XX-999 (not a rule of the parent ruleset 'beijing-subcenter-2024')",
            id="disable-unknown-id",
        ),
        pytest.param(
            HEADER + 'disable = ["BJ-PV-001"]\n' + RULE, "'disable' needs 'extends'", id="disable-without-extends"
        ),
        pytest.param(
            EXTENDS + 'disable = ["BJ-PV-002"]\n[[rules]]\nid = "BJ-PV-002"\nrequire = { value = 0.3 }\n',
            "disable lists BJ-PV-002, which this ruleset also defines",
            id="disable-redefined-rule",
        ),
        pytest.param(
            HEADER + 'include = "part.toml"\n',
            "'include' must be a list of .toml file names, not a string",
            id="include-string",
        ),
        pytest.param(
            HEADER + "include = [3]\n",
            "'include' must be a list of .toml file names, not an array holding an integer",
            id="include-integers",
        ),
        pytest.param(
            HEADER + "extends = 5\n",
            "'extends' must be a bundled ruleset id or a .toml file name (a string), not an",
            id="extends-integer",
        ),
        pytest.param(
            HEADER + 'extends = ["beijing-subcenter-2024"]\n',
            "'extends' must be a bundled ruleset id or a .toml",
            id="extends-array",
        ),
        pytest.param(
            HEADER + 'rules = "T-PV-001"\n',
            "'rules' must be an array of tables ([[rules]]), not a string",
            id="rules-string",
        ),
        pytest.param(
            HEADER + '[rules]\nid = "T-PV-001"\n',
            "'rules' must be an array of tables ([[rules]]), not a table",
            id="rules-table",
        ),
        pytest.param(
            HEADER + "rules = [1, 2]\n",
            "rules entry #1 must be a table ([[rules]]), not an integer",
            id="rules-integers",
        ),
        pytest.param(
            HEADER + "[[rules]]\nid = 7\n", "rule #1, field id must be a string, not an integer", id="rule-id-integer"
        ),
        pytest.param(
            EXTENDS + '[[rules]]\nid = "BJ-PV-002"\nparams = 5\n',
            "rule BJ-PV-002, field params must be a table",
            id="rule-params-integer",
        ),
        pytest.param(
            HEADER + 'scopes = "public"\n' + RULE,
            "'scopes' must be a table of named entries, not a string",
            id="scopes-string",
        ),
        pytest.param(
            HEADER + "[scopes]\npublic = 1\n" + RULE,
            "scopes.public must be a list of conditions, not an integer",
            id="scope-integer",
        ),
        pytest.param(
            HEADER + "[param_sets]\ntable = [1]\n" + RULE,
            "param_sets.table must be a table of parameters, not an",
            id="param-set-array",
        ),
        pytest.param(
            HEADER + 'sha256 = "0000"\n' + RULE,
            "'sha256' is filled in by the loader; a ruleset file may not set it",
            id="forged-sha256",
        ),
        pytest.param(HEADER + "bundled = true\n" + RULE, "'bundled' is filled in by the loader", id="forged-bundled"),
        pytest.param(
            EXTENDS + '[[rules]]\nid = "BJ-PV-002"\noverrides = []\n',
            "rule BJ-PV-002, field overrides is filled in by the loader, not by a file",
            id="forged-overrides",
        ),
        pytest.param(
            HEADER + RULE + 'added_by = "bundled"\n',
            "rule T-PV-001, field added_by is filled in by the loader",
            id="forged-added-by",
        ),
    ],
)
def test_malformed_ruleset_is_one_line_exit_2(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "local.toml"
    path.write_text(text, encoding="utf-8")
    line = one_error_line(validate(path))
    assert line.startswith(f"{path}: "), line
    assert words in line, line


def test_include_part_of_the_wrong_type_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "part.toml").write_text('rules = "nothing"\n', encoding="utf-8")
    path = tmp_path / "local.toml"
    path.write_text(HEADER + 'include = ["part.toml"]\n' + RULE, encoding="utf-8")
    line = one_error_line(validate(path))
    assert line == f"{tmp_path / 'part.toml'}: 'rules' must be an array of tables ([[rules]]), not a string"


def test_non_utf8_ruleset_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_bytes(HEADER.encode("utf-8") + b"# \xff\xfe latin-1 comment\n")
    line = one_error_line(validate(path))
    assert line.startswith(f"{path}: not valid TOML (not UTF-8 text")
