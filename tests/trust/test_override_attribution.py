"""Each changed field is named with the file that changed it: a rule entry, an included part, a shared [scopes] or
[param_sets] entry, or a parent in a chain of local rulesets; an unchanged repetition is no override."""

from __future__ import annotations

import hashlib
from pathlib import Path

from checker.rules.loader import bundled_dir, load_ruleset
from checker.rules.overrides import field_changes
from checker.rules.schema import Override, Rule, Ruleset

HEADER = 'id = "{id}"\nversion = "0.1.0"\ntitle = {{ zh = "区级", en = "District" }}\n'


def write(folder: Path, name: str, ruleset_id: str, body: str) -> Path:
    path = folder / name
    path.write_text(HEADER.format(id=ruleset_id) + body, encoding="utf-8")
    return path


def rule(ruleset: Ruleset, rule_id: str) -> Rule:
    return next(r for r in ruleset.rules if r.id == rule_id)


def fields(overrides: list[Override]) -> list[tuple[str, object, object, str, str | None]]:
    return [(o.field, o.old, o.new, o.by, o.via) for o in overrides]


def test_chain_of_local_rulesets_keeps_each_step(tmp_path: Path) -> None:
    parent = write(
        tmp_path,
        "parent.toml",
        "district-parent",
        'extends = "beijing-subcenter-2024"\ndisable = ["BJ-STAR-003"]\n'
        '[[rules]]\nid = "BJ-PV-002"\nrequire = { value = 0.4 }\nseverity = "warning"\n',
    )
    child = write(
        tmp_path,
        "child.toml",
        "district-child",
        'extends = "parent.toml"\ndisable = ["BJ-PV-001"]\n[[rules]]\nid = "BJ-PV-002"\nrequire = { value = 0.3 }\n',
    )
    ruleset = load_ruleset(child)
    shown_parent, shown_child = str(parent.resolve()), str(child.resolve())
    assert ruleset.extends_chain == ["district-parent", "beijing-subcenter-2024"]
    assert [f.path for f in ruleset.files][:3] == [shown_child, shown_parent, "beijing-subcenter-2024.toml"]
    assert [f.ruleset_id for f in ruleset.files][:3] == ["district-child", "district-parent", "beijing-subcenter-2024"]
    blobs = [child.read_bytes(), parent.read_bytes()] + [
        (bundled_dir() / f.path).read_bytes() for f in ruleset.files[2:]
    ]
    assert ruleset.sha256 == hashlib.sha256(b"".join(blobs)).hexdigest()
    assert fields(rule(ruleset, "BJ-PV-002").overrides) == [
        ("severity", "error", "warning", shown_parent, None),
        ("require.value", 0.5, 0.4, shown_parent, None),
        ("require.value", 0.4, 0.3, shown_child, None),
    ]
    assert [(d.rule_id, d.by) for d in ruleset.disabled_rules] == [
        ("BJ-STAR-003", shown_parent),
        ("BJ-PV-001", shown_child),
    ]


def test_changes_through_an_included_part_name_the_part(tmp_path: Path) -> None:
    part = tmp_path / "prefab-part.toml"
    part.write_text(
        "[param_sets.district_table]\nq1a_points = [10, 20]\n"
        '[[rules]]\nid = "BJ-PREFAB-002"\nparam_set = "district_table"\n',
        encoding="utf-8",
    )
    main = write(
        tmp_path, "main.toml", "district-main", 'extends = "beijing-subcenter-2024"\ninclude = ["prefab-part.toml"]\n'
    )
    ruleset = load_ruleset(main)
    shown_part = str(part.resolve())
    assert [(f.path, f.role) for f in ruleset.files][:2] == [(str(main.resolve()), "ruleset"), (shown_part, "include")]
    changes = fields(rule(ruleset, "BJ-PREFAB-002").overrides)
    # the rule entry switched to another param set: every parameter that differs is the entry's doing
    assert ("param_set", "gbt51129_table_4_0_1", "district_table", shown_part, None) in changes
    assert ("params.q1a_points", [20, 30], [10, 20], shown_part, None) in changes
    assert ("params.q1b_range", [0.7, 0.8], None, shown_part, None) in changes  # the district table has no q1b row


def test_scope_change_names_the_condition_and_the_scope(tmp_path: Path) -> None:
    scope = (
        '[scopes]\nprefab_in_scope = [ { fact = "is_new", op = "==", value = true }, { any_of = [\n'
        '  { all_of = [ { fact = "use_category", op = "in", value = ["public", "mixed"] }, '
        '{ fact = "project_new_public_above_ground_gfa", op = ">=", value = 10000.0 } ] },\n'
        '  { fact = "government_invested", op = "==", value = true },\n'
        '  { all_of = [ { fact = "use_category", op = "in", value = ["industrial", "warehouse"] }, '
        '{ fact = "industrial_land", op = "==", value = true } ] } ] } ]\n'
    )
    path = write(
        tmp_path,
        "scope.toml",
        "district-scope",
        'extends = "beijing-subcenter-2024"\n'
        + scope
        + '[[rules]]\nid = "BJ-PREFAB-006"\napplies_when = [ { fact = "building_height", op = ">", value = 54 }, '
        + '{ fact = "structure_type", op = "==", value = "concrete" } ]\n',
    )
    ruleset = load_ruleset(path)
    shown = str(path.resolve())
    threshold = ("applies_when.1.any_of.0.all_of.1.value", 20000.0, 10000.0, shown, "scopes.prefab_in_scope")
    assert fields(rule(ruleset, "BJ-PREFAB-001").overrides) == [threshold]
    # BJ-PREFAB-006: the scope's change comes through the scope, its own height condition (index 2) from its entry
    assert fields(rule(ruleset, "BJ-PREFAB-006").overrides) == [
        threshold,
        ("applies_when.2.value", 60, 54, shown, None),
    ]
    assert rule(ruleset, "BJ-PREFAB-001").citation == rule(load_ruleset(), "BJ-PREFAB-001").citation


def test_repeating_a_value_is_no_override(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "same.toml",
        "district-same",
        'extends = "beijing-subcenter-2024"\n[param_sets.gbt51129_table_4_0_1]\nq1a_points = [20, 30]\n'
        '[[rules]]\nid = "BJ-PV-002"\nrequire = { op = ">=", value = 0.50, unit = "1" }\nseverity = "error"\n',
    )
    ruleset = load_ruleset(path)
    assert all(r.overrides == [] and r.added_by is None for r in ruleset.rules)
    assert ruleset.bundled is False and ruleset.files[0].path == str(path.resolve())


def test_own_params_win_over_the_param_set_and_name_the_entry(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "params.toml",
        "district-params",
        'extends = "beijing-subcenter-2024"\n[param_sets.gbt51129_table_4_0_1]\ngrade_min_p = 0.55\n'
        '[[rules]]\nid = "BJ-PREFAB-001"\nparams = { grade_min_p = 0.6 }\n',
    )
    ruleset = load_ruleset(path)
    shown = str(path.resolve())
    assert fields(rule(ruleset, "BJ-PREFAB-001").overrides) == [("params.grade_min_p", 0.5, 0.6, shown, None)]
    assert fields(rule(ruleset, "BJ-PREFAB-002").overrides) == [
        ("params.grade_min_p", 0.5, 0.55, shown, "param_sets.gbt51129_table_4_0_1")
    ]


def test_field_changes_compare_kinds_and_walk_condition_lists() -> None:
    assert field_changes({"value": True}, {"value": 1}) == [("value", True, 1)]  # equal in Python, not in TOML
    assert field_changes({"range": [0.35, 0.8]}, {"range": [0.35, 0.8]}) == []
    assert field_changes({"range": [0.35, 0.8]}, {"range": [0.3, 0.8]}) == [("range", [0.35, 0.8], [0.3, 0.8])]
    old = [{"fact": "is_new", "op": "==", "value": True}, {"fact": "gfa", "op": ">=", "value": 20000.0}]
    new = [{"fact": "is_new", "op": "==", "value": True}, {"fact": "gfa", "op": ">", "value": 20000.0}]
    assert field_changes(old, new, "applies_when") == [("applies_when.1.op", ">=", ">")]
    assert field_changes(old, old[:1], "applies_when") == [("applies_when", old, old[:1])]  # lengths differ: whole
