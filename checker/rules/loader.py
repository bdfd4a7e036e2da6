"""Load a ruleset by name or path, resolve `extends`, validate with pydantic.

Errors name the file, the rule id and the field. TOML is parsed with the stdlib; nothing in a
ruleset is ever evaluated as code.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from checker.errors import RulesetError
from checker.rules.metrics import METRICS
from checker.rules.schema import Ruleset

DEFAULT_RULESET = "beijing-subcenter-2024"
MAX_EXTENDS_DEPTH = 8


def bundled_dir() -> Path:
    """The rulesets/ folder: next to the package in a checkout, or installed as package data."""
    repo = Path(__file__).resolve().parents[2] / "rulesets"
    if repo.is_dir():
        return repo
    return Path(str(resources.files("checker") / "rulesets"))


def list_rulesets() -> list[Ruleset]:
    return [load_ruleset(path) for path in sorted(bundled_dir().glob("*.toml"))]


def resolve(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.is_file():
            raise RulesetError(f"{candidate}: ruleset file not found")
        return candidate
    bundled = bundled_dir() / f"{name_or_path}.toml"
    if not bundled.is_file():
        known = ", ".join(sorted(p.stem for p in bundled_dir().glob("*.toml")))
        raise RulesetError(f"unknown ruleset '{name_or_path}' (bundled: {known})")
    return bundled


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise RulesetError(f"{path}: not valid TOML ({exc})") from exc
    except OSError as exc:
        raise RulesetError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


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


SHARED_TABLES = ("scopes", "param_sets")


def _with_includes(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """Merge `include = ["part.toml", ...]` files (rules, scopes, param_sets) found beside the ruleset.

    Parts let one ruleset keep a file per rule family. A part may not leave the ruleset's folder.
    """
    includes = data.pop("include", []) or []
    base = path.parent.resolve()
    for name in includes:
        part_path = (base / str(name)).resolve()
        if base not in part_path.parents or part_path.suffix != ".toml":
            raise RulesetError(f"{path}: include '{name}' must be a .toml file inside {base}")
        part = _read(part_path)
        unknown = set(part) - {"rules", *SHARED_TABLES}
        if unknown:
            raise RulesetError(
                f"{part_path}: an included part may hold only rules, scopes and param_sets "
                f"(found {', '.join(sorted(unknown))})"
            )
        for table in SHARED_TABLES:
            clash = set(part.get(table, {})) & set(data.get(table, {}))
            if clash:
                raise RulesetError(f"{part_path}: {table} {', '.join(sorted(clash))} already defined")
            data[table] = {**data.get(table, {}), **part.get(table, {})}
        data["rules"] = [*data.get("rules", []), *part.get("rules", [])]
    return data


def _raw_with_parents(path: Path, depth: int = 0) -> tuple[dict[str, Any], list[str]]:
    if depth > MAX_EXTENDS_DEPTH:
        raise RulesetError(f"{path}: 'extends' chain is deeper than {MAX_EXTENDS_DEPTH} (a cycle?)")
    data = _with_includes(_read(path), path)
    parent_name = data.get("extends")
    if not parent_name:
        return data, []
    parent_path = resolve(parent_name) if not str(parent_name).endswith(".toml") else (path.parent / parent_name)
    parent, chain = _raw_with_parents(parent_path, depth + 1)
    disabled = list(data.pop("disable", []))
    merged = _merge(
        {k: v for k, v in parent.items() if k not in ("rules", "id", "version", "title", "description", "extends")},
        {k: v for k, v in data.items() if k != "rules"},
    )
    merged["rules"] = _merge_rules(parent.get("rules", []), data.get("rules", []), disabled)
    return merged, [str(parent.get("id", parent_name)), *chain]


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


def load_ruleset(name_or_path: str | Path = DEFAULT_RULESET) -> Ruleset:
    """Load, merge `extends`, validate fields and metric names.

    Raises:
        RulesetError: with file, rule id and field of every problem.
    """
    path = resolve(name_or_path)
    data, chain = _raw_with_parents(path)
    data.pop("disable", None)
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
    return ruleset.model_copy(update={"extends_chain": chain})
