"""Read one ruleset file and its includes: exact bytes, hashes, shape checks, and which file holds what.

Everything the loader later relies on (the type of `include`, `extends`, `disable`, `rules`, shared tables)
is checked here, so a wrong type is a one-line RulesetError rather than a traceback. A file may not set a
field the loader fills in (provenance), and a local file may not take a bundled ruleset's id.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any

from checker.errors import CheckerError, RulesetError
from checker.input_files import InputRefused, read_regular
from checker.rules.schema import LOADER_RULE_FIELDS, LOADER_RULESET_FIELDS, TOML_INT_MAX, TOML_INT_MIN, RulesetFile

MAX_RULESET_BYTES = 4 * 1024 * 1024  # per file; the bundled ruleset's largest file is 29 KB
SHARED_TABLES = ("scopes", "param_sets")
# The bundled rulesets nest 10 levels (a condition group in a rule in [[rules]]); pydantic gives up near 150.
MAX_NESTING = 32
PART_KEYS = frozenset({"rules", *SHARED_TABLES})
TOML_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),  # before int: a bool is an int in Python
    (int, "an integer"),
    (float, "a number"),
    (str, "a string"),
    (dict, "a table"),
    (list, "an array"),
    ((datetime, date, time), "a date/time"),
)
# Keys of a rule entry the loader reads before validation, with the type it needs.
RULE_KEY_TYPES: tuple[tuple[str, type, str], ...] = (
    ("params", dict, "a table of parameters"),
    ("applies_when", list, "a list of conditions"),
    ("scope", str, "a scope name"),
    ("param_set", str, "a param set name"),
)


def bundled_dir() -> Path:
    """The rulesets/ folder: next to the package in a checkout, or installed as package data."""
    repo = Path(__file__).resolve().parents[2] / "rulesets"
    if repo.is_dir():
        return repo
    return Path(str(resources.files("checker") / "rulesets"))


def bundled_rulesets() -> dict[str, Path]:
    """Bundled ruleset id -> its file; each bundled file is named after its id (tests/test_ruleset_contract.py)."""
    return {path.stem: path for path in sorted(bundled_dir().glob("*.toml"))}


def shown_path(path: Path) -> tuple[str, bool]:
    """How a report names a file: inside the bundled folder relative to it, elsewhere absolute; and whether bundled."""
    real = path.resolve()
    base = bundled_dir().resolve()
    if base in real.parents:
        return real.relative_to(base).as_posix(), True
    return str(real), False


def kind(value: object) -> str:
    """The TOML name of a value's type, for one-line errors ('a string', 'a table')."""
    for python_type, name in TOML_KINDS:
        if isinstance(value, python_type):
            return name
    return type(value).__name__


@dataclass
class SourceFile:
    """One ruleset file merged with its includes, before `extends` is resolved."""

    path: Path
    data: dict[str, Any]
    files: list[RulesetFile] = field(default_factory=list)
    blobs: list[bytes] = field(default_factory=list)
    rule_files: dict[str, str] = field(default_factory=dict)  # rule id -> shown path of the file holding the entry
    shared_files: dict[str, str] = field(default_factory=dict)  # "scopes.NAME" / "param_sets.NAME" -> shown path

    @property
    def shown(self) -> str:
        return self.files[0].path


def _read(path: Path) -> tuple[bytes, dict[str, Any]]:
    return read_toml(path, "a ruleset file", RulesetError)


def read_toml(path: Path, what: str, error: type[CheckerError]) -> tuple[bytes, dict[str, Any]]:
    """The file's bytes and its TOML (a ruleset, a waivers file); a FIFO, device or directory is refused unread, a
    file over MAX_RULESET_BYTES after reading at most one byte more; every problem is `error` naming the file."""
    try:
        blob = read_regular(path, what, MAX_RULESET_BYTES)
    except InputRefused as exc:
        raise error(f"{path}: {exc.reason}") from exc
    try:
        data = tomllib.loads(blob.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not valid TOML (not UTF-8 text: {exc.reason} at byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML ({exc})") from exc
    except RecursionError as exc:  # tomllib recurses once per nested array or inline table
        raise error(f"{path}: not valid TOML (arrays or inline tables nested too deeply to read)") from exc
    except ValueError as exc:  # tomllib lets int()'s 4,300-digit limit through
        raise error(f"{path}: not valid TOML ({str(exc).split(':')[0]})") from exc
    deepest, wide = shape(data)
    if deepest > MAX_NESTING:
        raise error(
            f"{path}: tables and arrays nested {deepest} levels deep (at most {MAX_NESTING}): no ruleset needs that"
        )
    if wide is not None:
        raise error(f"{path}: {wide} is an integer outside TOML's 64-bit range")
    return blob, data


def shape(data: object) -> tuple[int, str | None]:
    """Levels of nested tables and arrays, and the key path of the first integer beyond TOML's 64 bits (tomllib reads
    it as a Python int that no float comparison can take), walked without recursion: validation recurses per level."""
    deepest, wide, stack = 0, None, [(data, 0, "")]
    while stack:
        value, level, where = stack.pop()
        if isinstance(value, dict):
            stack.extend((child, level + 1, f"{where}.{key}" if where else str(key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, level + 1, f"{where} #{n + 1}") for n, child in enumerate(value))
        elif wide is None and isinstance(value, int) and not TOML_INT_MIN <= value <= TOML_INT_MAX:
            wide = where
        if isinstance(value, (dict, list)):
            deepest = max(deepest, level + 1)
    return deepest, wide


def _check_list_of_text(data: dict[str, Any], key: str, what: str, path: Path) -> None:
    value = data.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        raise RulesetError(f"{path}: '{key}' must be {what}, not {kind(value)}")
    odd = [item for item in value if not isinstance(item, str)]
    if odd:
        raise RulesetError(f"{path}: '{key}' must be {what}, not an array holding {kind(odd[0])}")


def _check_shared_tables(data: dict[str, Any], path: Path) -> None:
    for table in SHARED_TABLES:
        entries = data.get(table)
        if entries is None:
            continue
        if not isinstance(entries, dict):
            raise RulesetError(f"{path}: '{table}' must be a table of named entries, not {kind(entries)}")
        expected, what = (list, "a list of conditions") if table == "scopes" else (dict, "a table of parameters")
        for name, entry in entries.items():
            if not isinstance(entry, expected):
                raise RulesetError(f"{path}: {table}.{name} must be {what}, not {kind(entry)}")


def _check_rules(data: dict[str, Any], path: Path) -> None:
    rules = data.get("rules")
    if rules is None:
        return
    if not isinstance(rules, list):
        raise RulesetError(f"{path}: 'rules' must be an array of tables ([[rules]]), not {kind(rules)}")
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            raise RulesetError(f"{path}: rules entry #{index + 1} must be a table ([[rules]]), not {kind(rule)}")
        rule_id = rule.get("id", f"#{index + 1}")
        if not isinstance(rule_id, str):
            raise RulesetError(f"{path}: rule #{index + 1}, field id must be a string, not {kind(rule_id)}")
        forged = sorted(LOADER_RULE_FIELDS & rule.keys())
        if forged:
            raise RulesetError(f"{path}: rule {rule_id}, field {forged[0]} is filled in by the loader, not by a file")
        for key, expected, what in RULE_KEY_TYPES:
            if key in rule and not isinstance(rule[key], expected):
                raise RulesetError(f"{path}: rule {rule_id}, field {key} must be {what}, not {kind(rule[key])}")


def check_shapes(data: dict[str, Any], path: Path) -> None:
    """The types the loader relies on before pydantic sees the merged ruleset."""
    forged = sorted(LOADER_RULESET_FIELDS & data.keys())
    if forged:
        raise RulesetError(f"{path}: '{forged[0]}' is filled in by the loader; a ruleset file may not set it")
    extends = data.get("extends")
    if extends is not None and not isinstance(extends, str):
        raise RulesetError(
            f"{path}: 'extends' must be a bundled ruleset id or a .toml file name (a string), not {kind(extends)}"
        )
    _check_list_of_text(data, "include", "a list of .toml file names", path)
    _check_list_of_text(data, "disable", 'a list of rule ids (e.g. disable = ["BJ-PV-002"])', path)
    _check_shared_tables(data, path)
    _check_rules(data, path)


def refuse_bundled_id(data: dict[str, Any], path: Path) -> None:
    """A local ruleset taking a bundled id could be mistaken for it in a report."""
    ruleset_id = data.get("id")
    bundled = bundled_rulesets().get(ruleset_id) if isinstance(ruleset_id, str) else None
    if bundled is not None and bundled.resolve() != path.resolve():
        raise RulesetError(f"{path}: id '{ruleset_id}' is the bundled ruleset's; give your ruleset its own id")


def confined(base_file: Path, name: str) -> Path | None:
    """`name` as a .toml path inside base_file's folder (symlinks followed), or None if it is not one."""
    base = base_file.parent.resolve()
    target = (base / name).resolve()
    if base not in target.parents or target.suffix != ".toml":
        return None
    return target


def _file_entry(path: Path, blob: bytes, ruleset_id: str, role: str) -> RulesetFile:
    shown, bundled = shown_path(path)
    return RulesetFile.model_validate(
        {
            "path": shown,
            "sha256": hashlib.sha256(blob).hexdigest(),
            "bundled": bundled,
            "ruleset_id": ruleset_id,
            "role": role,
        }
    )


def _add_part(source: SourceFile, part_path: Path, ruleset_id: str) -> None:
    """Merge one `include` part (rules, scopes, param_sets) into the source, remembering where each came from."""
    blob, part = _read(part_path)
    unknown = set(part) - PART_KEYS
    if unknown:
        raise RulesetError(
            f"{part_path}: an included part may hold only rules, scopes and param_sets "
            f"(found {', '.join(sorted(unknown))})"
        )
    check_shapes(part, part_path)
    entry = _file_entry(part_path, blob, ruleset_id, "include")
    data = source.data
    for table in SHARED_TABLES:
        clash = set(part.get(table, {})) & set(data.get(table, {}))
        if clash:
            raise RulesetError(f"{part_path}: {table} {', '.join(sorted(clash))} already defined")
        data[table] = {**data.get(table, {}), **part.get(table, {})}
        source.shared_files.update({f"{table}.{name}": entry.path for name in part.get(table, {})})
    data["rules"] = [*data.get("rules", []), *part.get("rules", [])]
    source.rule_files.update({rule["id"]: entry.path for rule in part.get("rules", []) if "id" in rule})
    source.files.append(entry)
    source.blobs.append(blob)


def read_source(path: Path) -> SourceFile:
    """The file with its `include = ["part.toml", ...]` parts merged; parts may not leave the file's folder."""
    blob, data = _read(path)
    check_shapes(data, path)
    refuse_bundled_id(data, path)
    ruleset_id = str(data.get("id", path.stem))
    entry = _file_entry(path, blob, ruleset_id, "ruleset")
    source = SourceFile(path=path, data=data, files=[entry], blobs=[blob])
    source.rule_files = {rule["id"]: entry.path for rule in data.get("rules", []) if "id" in rule}
    source.shared_files = {f"{table}.{name}": entry.path for table in SHARED_TABLES for name in data.get(table, {})}
    included: set[Path] = set()
    for name in data.pop("include", None) or []:
        part_path = confined(path, name)
        if part_path is None:
            raise RulesetError(f"{path}: include '{name}' must be a .toml file inside {path.parent.resolve()}")
        if part_path in included:
            raise RulesetError(f"{path}: include '{name}' names a part that is already included")
        included.add(part_path)
        _add_part(source, part_path, ruleset_id)
    return source
