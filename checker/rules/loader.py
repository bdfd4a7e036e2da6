"""Load a ruleset by name or path, resolve `extends`, validate with pydantic, and record where it came from.

Errors name the file, the rule id and the field, in one line. TOML is parsed with the stdlib; nothing in a
ruleset is ever evaluated as code. A loaded ruleset carries the SHA-256 of every file that made it and, when it
extends another, every field it changed, every rule it disabled and every rule it added, so a report from a local
ruleset cannot be taken for the bundled one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from checker.defaults import DEFAULT_RULESET
from checker.errors import RulesetError
from checker.rules.metrics import METRICS
from checker.rules.overrides import LayerEdits, extraction_overrides, rule_overrides
from checker.rules.ruleset_files import (
    SHARED_TABLES,
    SourceFile,
    bundled_dir,
    bundled_rulesets,
    confined,
    read_source,
)
from checker.rules.schema import DisabledRule, Rule, Ruleset

__all__ = ["DEFAULT_RULESET", "bundled_dir", "list_rulesets", "load_ruleset", "resolve"]

MAX_EXTENDS_DEPTH = 8
NOT_INHERITED = ("rules", "id", "version", "title", "description", "extends")


def list_rulesets() -> list[Ruleset]:
    return [load_ruleset(path) for path in bundled_rulesets().values()]


def resolve(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.exists():
            raise RulesetError(f"{candidate}: ruleset file not found")
        return candidate  # a FIFO, a device or a folder is refused unread when it is read
    bundled = bundled_rulesets().get(str(name_or_path))
    if bundled is None:
        raise RulesetError(f"unknown ruleset '{name_or_path}' (bundled: {', '.join(bundled_rulesets())})")
    return bundled


def _parent_path(name: str, path: Path) -> Path:
    """`extends` is confined like `include`: a bundled ruleset id, or a .toml file inside the ruleset's folder."""
    if name.endswith(".toml"):
        target = confined(path, name)
        if target is None:
            raise RulesetError(
                f"{path}: extends '{name}' must be a bundled ruleset id or a .toml file inside {path.parent.resolve()}"
            )
        if not target.exists():
            raise RulesetError(f"{path}: extends '{name}': ruleset file not found")
        return target
    bundled = bundled_rulesets().get(name)
    if bundled is None:
        raise RulesetError(
            f"{path}: extends '{name}' is neither a bundled ruleset id ({', '.join(bundled_rulesets())}) "
            f"nor a .toml file inside {path.parent.resolve()}"
        )
    return bundled


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep merge of tables; lists and scalars in `override` replace those in `base`."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _merge_rules(
    parent: list[dict[str, Any]], child: list[dict[str, Any]], disabled: list[str]
) -> list[dict[str, Any]]:
    """A child rule with a parent's id overrides only the fields it gives (e.g. require.value)."""
    by_id = {rule.get("id"): rule for rule in parent}
    order = [rule.get("id") for rule in parent]
    for rule in child:
        rule_id = rule.get("id")
        if rule_id in by_id:
            by_id[rule_id] = _merge(by_id[rule_id], rule)
        else:
            by_id[rule_id] = rule
            order.append(rule_id)
    return [by_id[rule_id] for rule_id in order if rule_id not in disabled]


def _describe(exc: ValidationError, data: dict[str, Any]) -> str:
    """'rule BJ-PV-002, field require.value: Input should be a valid number' for each error."""
    lines = []
    rules = data.get("rules", [])
    for error in exc.errors():
        loc = list(error["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rule_id = rules[loc[1]].get("id", f"#{loc[1] + 1}") if loc[1] < len(rules) else f"#{loc[1] + 1}"
            where = f"rule {rule_id}, "
            loc = loc[2:]
        field = ".".join(str(part) for part in loc) or "(ruleset)"
        lines.append(f"{where}field {field}: {error['msg']}")
    return "; ".join(lines)


def _resolve_shared(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """Expand each rule's `scope` and `param_set` references into its applies_when and params."""
    scopes = data.get("scopes", {}) or {}
    param_sets = data.get("param_sets", {}) or {}
    problems = []
    rules = []
    for index, rule in enumerate(data.get("rules", [])):
        if not isinstance(rule, dict):
            rules.append(rule)
            continue
        rule = dict(rule)
        rule_id = rule.get("id", f"#{index + 1}")
        scope = rule.get("scope")
        if scope is not None:
            if scope not in scopes:
                problems.append(
                    f"rule {rule_id}, field scope: unknown scope '{scope}' "
                    f"(defined: {', '.join(sorted(scopes)) or 'none'})"
                )
            else:
                rule["applies_when"] = [*scopes[scope], *rule.get("applies_when", [])]
        param_set = rule.get("param_set")
        if param_set is not None:
            if param_set not in param_sets:
                problems.append(
                    f"rule {rule_id}, field param_set: unknown param set '{param_set}' "
                    f"(defined: {', '.join(sorted(param_sets)) or 'none'})"
                )
            else:
                rule["params"] = {**param_sets[param_set], **rule.get("params", {})}
        rules.append(rule)
    if problems:
        raise RulesetError(f"{path}: {'; '.join(problems)}")
    return {**data, "rules": rules}


def _disabled_ids(disable: list[str] | None, parent: Ruleset, own_ids: set[str], path: Path) -> list[str]:
    """`disable` names rules the parent has and this file does not redefine; anything else is an error."""
    if disable is None:
        return []
    known = {rule.id for rule in parent.rules}
    unknown = [rule_id for rule_id in disable if rule_id not in known]
    if unknown:
        raise RulesetError(
            f"{path}: disable: unknown rule id {', '.join(unknown)} (not a rule of the parent ruleset '{parent.id}')"
        )
    redefined = [rule_id for rule_id in disable if rule_id in own_ids]
    if redefined:
        raise RulesetError(f"{path}: disable lists {', '.join(redefined)}, which this ruleset also defines")
    return list(dict.fromkeys(disable))


def _validate(data: dict[str, Any], path: Path) -> Ruleset:
    """Expand scopes and param sets, validate with pydantic, check metric names."""
    data = _resolve_shared(data, path)
    try:
        ruleset = Ruleset.model_validate({**data, "source_path": str(path)})
    except ValidationError as exc:
        raise RulesetError(f"{path}: {_describe(exc, data)}") from exc
    unknown = [
        f"rule {rule.id}, field metric: unknown metric '{rule.metric}'"
        for rule in ruleset.rules
        if rule.metric not in METRICS
    ]
    if unknown:
        raise RulesetError(f"{path}: {'; '.join(unknown)} (known: {', '.join(sorted(METRICS))})")
    return ruleset


@dataclass(frozen=True)
class _Layer:
    """A ruleset resolved through its parents: the raw merged tables (for a child to merge onto) and the result."""

    raw: dict[str, Any]
    ruleset: Ruleset
    blobs: list[bytes]


def _edits(source: SourceFile, raw: dict[str, Any], parent: _Layer) -> LayerEdits:
    """What this file (and its includes) changed: its rule entries and the shared entries that differ."""
    changed = {
        f"{table}.{name}": source.shared_files.get(f"{table}.{name}", source.shown)
        for table in SHARED_TABLES
        for name, entry in raw.get(table, {}).items()
        if parent.raw.get(table, {}).get(name) != entry
    }
    entries = {
        rule["id"]: (rule, source.rule_files.get(rule["id"], source.shown))
        for rule in source.data.get("rules", [])
        if "id" in rule
    }
    lengths = {name: len(conditions) for name, conditions in raw.get("scopes", {}).items()}
    return LayerEdits(top=source.shown, entries=entries, changed_shared=changed, scope_lengths=lengths)


def _marked_rules(ruleset: Ruleset, source: SourceFile, raw: dict[str, Any], parent: _Layer) -> list[Rule]:
    """Each rule with the fields changed from the parent's rule, or, for a new rule, the file that added it."""
    edits = _edits(source, raw, parent)
    inherited = {rule.id: rule for rule in parent.ruleset.rules}
    marked = []
    for rule in ruleset.rules:
        before = inherited.get(rule.id)
        if before is None:
            update: dict[str, Any] = {"added_by": source.rule_files.get(rule.id, source.shown)}
        else:
            update = {"overrides": rule_overrides(before, rule, edits), "added_by": before.added_by}
        marked.append(rule.model_copy(update=update))
    return marked


def _finish(
    ruleset: Ruleset, source: SourceFile, raw: dict[str, Any], parent: _Layer | None, disabled: list[str]
) -> _Layer:
    """Attach provenance: files and their hashes (own first, then the parent's), changes, disabled rules."""
    blobs = [*source.blobs, *(parent.blobs if parent else [])]
    update: dict[str, Any] = {
        "sha256": hashlib.sha256(b"".join(blobs)).hexdigest(),
        "bundled": source.files[0].bundled,
        "files": [*source.files, *(parent.ruleset.files if parent else [])],
    }
    if parent is not None:
        titles = {rule.id: rule.title for rule in parent.ruleset.rules}
        update["rules"] = _marked_rules(ruleset, source, raw, parent)
        update["extends_chain"] = [parent.ruleset.id, *parent.ruleset.extends_chain]
        update["extraction_overrides"] = extraction_overrides(parent.ruleset, ruleset, source.shown)
        update["disabled_rules"] = [
            *parent.ruleset.disabled_rules,
            *(DisabledRule(rule_id=rule_id, title=titles[rule_id], by=source.shown) for rule_id in disabled),
        ]
    return _Layer(raw=raw, ruleset=ruleset.model_copy(update=update), blobs=blobs)


def _load_layer(path: Path, depth: int = 0) -> _Layer:
    if depth > MAX_EXTENDS_DEPTH:
        raise RulesetError(f"{path}: 'extends' chain is deeper than {MAX_EXTENDS_DEPTH} (a cycle?)")
    source = read_source(path)
    data = source.data
    parent_name = data.get("extends")
    disable = data.pop("disable", None)
    if parent_name is None:
        if disable is not None:
            raise RulesetError(f"{path}: 'disable' needs 'extends': there is no parent ruleset to disable rules of")
        return _finish(_validate(data, path), source, data, None, [])
    parent = _load_layer(_parent_path(parent_name, path), depth + 1)
    own_ids = {rule["id"] for rule in data.get("rules", []) if "id" in rule}
    disabled = _disabled_ids(disable, parent.ruleset, own_ids, path)
    raw = _merge(
        {key: value for key, value in parent.raw.items() if key not in NOT_INHERITED},
        {key: value for key, value in data.items() if key != "rules"},
    )
    raw["rules"] = _merge_rules(parent.raw.get("rules", []), data.get("rules", []), disabled)
    return _finish(_validate(raw, path), source, raw, parent, disabled)


def load_ruleset(name_or_path: str | Path = DEFAULT_RULESET) -> Ruleset:
    """Load, merge `extends`, validate fields and metric names, and record the files and changes.

    Raises:
        RulesetError: one line naming the file, the rule id and the field of every problem.
    """
    return _load_layer(resolve(name_or_path)).ruleset
