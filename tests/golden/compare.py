"""Lay out golden digests readably (one line per rule, fact or data row) and list how two digests differ."""

from __future__ import annotations

import json
from typing import Any

INLINE = {"rules", "facts", "data_to_add", "counts"}  # their entries are written one per line
KEYED_BY_DATA = {"files", "buildings", *INLINE}  # sorted; the other dicts keep the order the digest builds them in
LABELS = {"buildings": "building", "facts": "fact", "data_to_add": "data to add", "rules": "", "files": ""}
SHOWN = 100  # characters of a value shown in a difference


def _one_line(value: Any) -> str:
    """Fields in the order the digest builds them (status first), which is fixed by the code, so deterministic."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _layout(value: Any, depth: int, key: str) -> str:
    """Nested dicts and lists of strings over several lines; the entries of INLINE containers on one line each."""
    pad, end = "  " * (depth + 1), "  " * depth
    inline = key in INLINE
    if isinstance(value, dict) and value:
        keys = sorted(value) if key in KEYED_BY_DATA else list(value)
        lines = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: "
            + (_one_line(value[k]) if inline else _layout(value[k], depth + 1, k))
            for k in keys
        ]
        return "{\n" + ",\n".join(lines) + f"\n{end}}}"
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value) and not inline:
        return "[\n" + ",\n".join(pad + json.dumps(v, ensure_ascii=False) for v in value) + f"\n{end}]"
    return _one_line(value)


def dumps(value: Any) -> str:
    """Deterministic JSON (sorted keys, UTF-8 text) that reads and diffs well; json.loads gives the value back."""
    return _layout(value, 0, "") + "\n"


_ABSENT = object()


def _shown(value: Any) -> str:
    text = "(absent)" if value is _ABSENT else _one_line(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _change(before: Any, after: Any) -> str:
    """'before -> after'; for two GlobalId lists, the ids removed and added."""
    if isinstance(before, list) and isinstance(after, list):
        gone, new = sorted(set(before) - set(after)), sorted(set(after) - set(before))
        return f"-{_shown(gone)} +{_shown(new)}"
    return f"{_shown(before)} -> {_shown(after)}"


def _label(parent: str, key: str, node: Any) -> str:
    """How a key reads in a path: 'building Name [GlobalId]', 'fact roof_area', a rule id as it is; the containers
    (buildings, facts, rules...) are left out, their entries say what they are."""
    if key in LABELS and parent not in LABELS:
        return ""
    if parent == "buildings":
        name = node.get("name") if isinstance(node, dict) else None
        return f"building {name} [{key}]" if name else f"building [{key}]"
    prefix = LABELS.get(parent, "")
    return f"{prefix} {key}" if prefix else key


def _walk(before: Any, after: Any, path: list[str], parent: str, out: list[str]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key, _ABSENT), after.get(key, _ABSENT)
            if old == new:
                continue
            node = new if new is not _ABSENT else old
            label = _label(parent, key, node)
            if old is _ABSENT or new is _ABSENT:
                out.append(" | ".join([*path, label]) + f": {_shown(old)} -> {_shown(new)}")
            else:
                _walk(old, new, [*path, label] if label else path, key, out)
    elif before != after:
        out.append(" | ".join(path) + f": {_change(before, after)}")


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """One line per differing leaf, e.g. 'm.ifc | building Hall [2O2Fr$t4X7Zf8NOew3FLOH] | BJ-PV-002 | value: 0.5 ->
    0.42'; a model, building, rule or fact present on one side only is one line."""
    out: list[str] = []
    _walk(before, after, [], "files", out)
    return out
