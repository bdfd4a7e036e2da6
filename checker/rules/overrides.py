"""Which fields of a rule a ruleset changed from its parent, and which file changed each.

Rules are compared fully resolved (scopes and param sets expanded), so a change that arrives through a
shared [scopes] or [param_sets] entry shows on every rule that uses it, named with the entry it came through.
A report can then mark each changed field ("require.value: 50 % → 30 %, overridden by PATH").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.rules.schema import LOADER_RULE_FIELDS, Override, Rule, Ruleset

Change = tuple[str, Any, Any]


@dataclass(frozen=True)
class LayerEdits:
    """What one ruleset (its file and includes) wrote on top of its parent."""

    top: str  # shown path of the ruleset's own file
    entries: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)  # rule id -> (raw entry, file)
    changed_shared: dict[str, str] = field(default_factory=dict)  # "param_sets.NAME" -> file that changed it
    scope_lengths: dict[str, int] = field(default_factory=dict)  # scope name -> number of its conditions


def _same(old: Any, new: Any) -> bool:
    """Equal values of the same kind: `true` and `1` are equal in Python but not in a ruleset."""
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_same(old[key], new[key]) for key in old)
    return bool(old == new) and isinstance(old, bool) == isinstance(new, bool)


def field_changes(old: Any, new: Any, path: str = "") -> list[Change]:
    """Differences as (dotted path, old, new); tables are compared key by key, lists of tables item by item."""
    if _same(old, new):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        keys = [*old, *(key for key in new if key not in old)]
        return [
            change
            for key in keys
            for change in field_changes(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))
        ]
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and any(isinstance(item, dict) for item in [*old, *new])
    ):
        return [
            change
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for change in field_changes(a, b, f"{path}.{i}")
        ]
    return [(path, old, new)]


def _resolved(rule: Rule) -> dict[str, Any]:
    return rule.model_dump(mode="json", exclude_none=True, exclude=set(LOADER_RULE_FIELDS))


def _attribute(path: str, rule: Rule, edits: LayerEdits) -> tuple[str, str | None]:
    """(file, shared entry) behind one changed field: the rule's own entry, else the scope or param set it uses."""
    entry, entry_file = edits.entries.get(rule.id, ({}, edits.top))
    parts = path.split(".")
    if parts[0] == "params" and len(parts) > 1:
        shared = f"param_sets.{rule.param_set}"
        if parts[1] in entry.get("params", {}) or "param_set" in entry or shared not in edits.changed_shared:
            return entry_file, None
        return edits.changed_shared[shared], shared
    if parts[0] == "applies_when":
        shared = f"scopes.{rule.scope}"
        if "scope" in entry or shared not in edits.changed_shared:
            return entry_file, None
        index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        from_scope = index is not None and index < edits.scope_lengths.get(rule.scope or "", 0)
        if from_scope or "applies_when" not in entry:
            return edits.changed_shared[shared], shared
    return entry_file, None


def rule_overrides(parent: Rule, child: Rule, edits: LayerEdits) -> list[Override]:
    """The parent's own overrides, then each field this layer changed, attributed to the file that changed it."""
    same_unit = parent.require.unit == child.require.unit
    found = []
    for path, old, new in field_changes(_resolved(parent), _resolved(child)):
        by, via = _attribute(path, child, edits)
        unit = child.require.unit if path == "require.value" and same_unit else None
        found.append(Override(field=path, old=old, new=new, unit=unit, by=by, via=via))
    return [*parent.overrides, *found]


def extraction_overrides(parent: Ruleset, child: Ruleset, by: str) -> list[Override]:
    """[extraction] settings (keyword tables, limits) changed by this layer: they change facts, not rule fields."""
    old, new = (ruleset.extraction.model_dump(mode="json", exclude_none=True) for ruleset in (parent, child))
    found = [Override(field=f"extraction.{path}", old=a, new=b, by=by) for path, a, b in field_changes(old, new)]
    return [*parent.extraction_overrides, *found]
