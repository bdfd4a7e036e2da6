"""Hypothesis strategies that damage real inputs the way hostile or broken exports do.

STEP (`step_mutants`): a bundled sample model is parsed into its records (ifcopenshell writes one per line); 1-3
record mutations are applied (drop a record, point a #ref elsewhere, replace any attribute token with $, *, an absurd
real, a hostile string or a wrong-typed value, duplicate an id, make an IfcLocalPlacement point to itself or loop,
rename an entity), then maybe a byte mutation of the whole file (truncate, flip, insert). Files are handled as
latin-1 text so raw bytes (GBK, invalid UTF-8) pass through unchanged.

TOML (`toml_mutants`): a bundled ruleset file or a small local override ruleset is either loaded, changed at one
path (wrong type, inf/nan, huge int, deep nesting, deleted key, duplicated entry) and written back, or damaged as
bytes. Loaded by test_fuzz.py under the name `greencheck_fuzz_mutations`.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
SAMPLES = ("unknown-missing-data.ifc", "prefab-na-public-small.ifc", "prefab-geometry-only.ifc")
RULESET_DIR = REPO / "rulesets"
RULESET_FILES = (
    "beijing-subcenter-2024.toml",
    "beijing-subcenter-2024/prefabrication.toml",
    "beijing-subcenter-2024/ultra_low_energy.toml",
    "beijing-subcenter-2024/green_materials.toml",
)
LOCAL_ID = "fuzz-local"
LOCAL_RULESET = """id = "fuzz-local"
version = "0.1.0"
title = { zh = "模糊测试", en = "Fuzz local ruleset" }
extends = "beijing-subcenter-2024"
disable = ["BJ-CLS-003"]

[extraction.plausibility]
max_storey_area_m2 = 50000.0

[[rules]]
id = "BJ-PV-002"
require = { op = ">=", value = 0.3, unit = "1" }

[[rules]]
id = "T-PV-001"
family = "pv"
title = { zh = "光伏", en = "PV" }
severity = "error"
citation = { document = "Doc", clause = "1.1", status = "recalled", confidence = "low" }
metric = "pv_panel_count"
require = { op = ">=", value = 1, unit = "panels" }
remedy = { zh = "加光伏", en = "add PV" }
"""

# --- STEP -------------------------------------------------------------------------------------------------------

RECORD = re.compile(r"#(\d+)\s*=\s*([A-Za-z0-9_]*)\s*\((.*)\)\s*;\s*$", re.S)
TOKEN = re.compile(r"'(?:[^']|'')*'|#\d+|\.[A-Za-z0-9_]+\.|(?<![A-Za-z0-9_.])[+-]?\d+(?:\.\d*)?(?:[Ee][+-]?\d+)?|\$|\*")
GBK = "'标高:上标头'".encode("gbk").decode("latin-1")
HOSTILE_TOKENS = (
    "$",
    "*",
    "#0",
    "#999999",
    "()",
    "(#1,#1,#1)",
    "((((((((((()))))))))))",
    "1E400",
    "-1E400",
    "1E26",
    "-1E26",
    "-1.",
    "0.",
    "1.E-320",
    "NAN",
    "1.#INF",
    "-0.",
    "99999999999999999999999999",
    "-9223372036854775809",
    ".T.",
    ".U.",
    ".BOGUS.",
    "''",
    "'\x07bell\x1b]0;title\x07\x1b[31mred'",
    "'line\nbreak\r::error::injected'",
    "'\\X2\\6807\\X0\\'",
    "'X268079AD8X0 2'",
    "'\\X2\\68'",
    "'\\X2\\D800\\X0\\'",
    "'\\X4\\0001F600\\X0\\'",
    "'\\S\\Z\\X\\FF\\P\\'",
    GBK,
    "'\xff\xfe\x00\x01'",
    "'" + "A" * 70000 + "'",
    "IFCAREAMEASURE(-1E26)",
    "IFCREAL(1E400)",
    "IFCLABEL('\x00')",
    "IFCBOOLEAN(.U.)",
    "IFCPOSITIVELENGTHMEASURE(-5.)",
)
ENTITY_NAMES = ("IFCBUILDING", "IFCBUILDINGSTOREY", "IFCWALL", "IFCLOCALPLACEMENT", "IFCPROJECT", "IFCFOO", "")


@dataclass(frozen=True)
class Mutant:
    """A damaged input: its base file, what was done to it and the bytes (repr kept short for failure reports)."""

    base: str
    what: str
    data: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"Mutant({self.base!r}, {self.what!r}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class StepFile:
    """A STEP file as header text, records (id, entity, argument text) and trailer text."""

    head: str
    records: tuple[tuple[int, str, str], ...]
    tail: str

    def text(self) -> str:
        body = "".join(f"#{rid}={entity}({args});\n" for rid, entity, args in self.records)
        return self.head + body + self.tail


@cache
def parse_sample(name: str) -> StepFile:
    text = (REPO / "sample_models" / name).read_bytes().decode("latin-1")
    head, _, rest = text.partition("DATA;\n")
    records = []
    lines = rest.splitlines(keepends=True)
    for n, line in enumerate(lines):
        match = RECORD.match(line)
        if match is None:
            return StepFile(head + "DATA;\n", tuple(records), "".join(lines[n:]))
        records.append((int(match[1]), match[2], match[3]))
    return StepFile(head + "DATA;\n", tuple(records), "")


def _set(step: StepFile, index: int, record: tuple[int, str, str]) -> StepFile:
    return replace(step, records=step.records[:index] + (record,) + step.records[index + 1 :])


def _replace_token(args: str, number: int, new: str) -> str:
    tokens = list(TOKEN.finditer(args))
    if not tokens:
        return new
    found = tokens[number % len(tokens)]
    return args[: found.start()] + new + args[found.end() :]


@st.composite
def record_mutation(draw: st.DrawFn, step: StepFile) -> tuple[str, StepFile]:
    """One record-level damage, with a short description for the failure report."""
    ids = [rid for rid, _, _ in step.records]
    i = draw(st.integers(0, len(step.records) - 1))
    rid, entity, args = step.records[i]
    kind = draw(
        st.sampled_from(["token", "ref", "free_token", "token", "duplicate", "placement_loop", "rename", "drop"])
    )
    if kind == "drop":
        return f"drop #{rid}", replace(step, records=step.records[:i] + step.records[i + 1 :])
    if kind in ("token", "free_token"):
        new = draw(
            st.sampled_from(HOSTILE_TOKENS)
            if kind == "token"
            else st.text(st.characters(min_codepoint=0, max_codepoint=0x2FFF, exclude_categories=["Cs"]), max_size=12)
        )
        if kind == "free_token" and draw(st.booleans()):
            new = "'" + new.replace("'", "''") + "'"  # a quoted STEP string: parsed, then read by the extractors
        new = new.encode("utf-8").decode("latin-1")  # the file is latin-1 text: one char per byte
        n = draw(st.integers(0, 60))
        return f"#{rid} token {n} -> {new[:40]!r}", _set(step, i, (rid, entity, _replace_token(args, n, new)))
    if kind == "ref":
        refs = [m for m in TOKEN.finditer(args) if m.group().startswith("#")]
        target = draw(st.sampled_from(ids))
        if not refs:
            return f"#{rid} first token -> #{target}", _set(
                step, i, (rid, entity, _replace_token(args, 0, f"#{target}"))
            )
        ref = refs[draw(st.integers(0, len(refs) - 1))]
        new_args = args[: ref.start()] + f"#{target}" + args[ref.end() :]
        return f"#{rid} {ref.group()} -> #{target}", _set(step, i, (rid, entity, new_args))
    if kind == "duplicate":
        j = draw(st.integers(0, len(step.records) - 1))
        other = step.records[j]
        copy = (rid, other[1], other[2])
        if draw(st.booleans()):
            return f"#{other[0]} copied as #{rid} (two #{rid})", replace(step, records=step.records + (copy,))
        return f"#{rid} replaced by #{other[0]}'s record", _set(step, i, copy)
    if kind == "placement_loop":
        placements = [n for n, record in enumerate(step.records) if record[1] == "IFCLOCALPLACEMENT"]
        if not placements:
            return "no placement", step
        a = draw(st.sampled_from(placements))
        b = draw(st.sampled_from(placements))
        pa, pb = step.records[a], step.records[b]
        step = _set(step, a, (pa[0], pa[1], _replace_token(pa[2], 0, f"#{pb[0]}")))
        if a != b:
            step = _set(step, b, (pb[0], pb[1], _replace_token(pb[2], 0, f"#{pa[0]}")))
        return f"placement loop #{pa[0]} <-> #{pb[0]}", step
    new_entity = draw(st.sampled_from(ENTITY_NAMES))
    return f"#{rid} {entity} -> {new_entity or '(no name)'}", _set(step, i, (rid, new_entity, args))


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes, start: int = 0) -> tuple[str, bytes]:
    """Truncate, flip or insert at a byte from `start` on (a STEP file's header is damaged by record mutations
    less often than it is intact, so byte damage goes to the data section)."""
    # most mutants keep their bytes, so that they get past the STEP parser to the extractors more often than not
    # (hypothesis draws the first choices most: the mild ones come first)
    kind = draw(st.sampled_from(["none", "none", "none", "none", "flip", "insert", "truncate"]))
    if kind == "none" or len(data) <= start:
        return "", data
    at = draw(st.integers(start, len(data) - 1))
    if kind == "truncate":
        return f"truncated at byte {at}", data[:at]
    if kind == "flip":
        mask = draw(st.integers(1, 255))
        return f"byte {at} ^= {mask:#x}", data[:at] + bytes([data[at] ^ mask]) + data[at + 1 :]
    blob = draw(
        st.sampled_from([b"\x00", b"\xff\xfe", GBK.encode("latin-1"), b"\n\n\n", b"ENDSEC;", b";", b"'", b"("])
        | st.binary(min_size=1, max_size=16)
    )
    return f"inserted {blob!r} at byte {at}", data[:at] + blob + data[at:]


@st.composite
def step_mutants(draw: st.DrawFn) -> Mutant:
    """A sample model damaged by 1-3 record mutations and maybe a byte mutation."""
    name = draw(st.sampled_from(SAMPLES))
    step = parse_sample(name)
    done = []
    for _ in range(draw(st.integers(1, 3))):
        what, step = draw(record_mutation(step))
        done.append(what)
    what, data = draw(byte_mutation(step.text().encode("latin-1"), start=len(step.head)))
    if what:
        done.append(what)
    return Mutant(name, "; ".join(done), data)


# --- TOML -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deep:
    """A value nested `depth` arrays deep, written as text (a Python structure that deep would not serialise)."""

    depth: int


HOSTILE_VALUES: tuple[Any, ...] = (
    5,
    -1,
    0,
    2**63 - 1,
    10**40,
    math.inf,
    -math.inf,
    math.nan,
    1e308,
    -1e26,
    "",
    "x",
    "x.toml",
    "/etc/passwd",
    "../outside.toml",
    "BJ-PV-002",
    "\x07\x1b]0;x\x07\n::error::injected",
    True,
    [],
    [1, "x"],
    ["BJ-PV-002", "BJ-PV-002"],
    {},
    {"op": "~", "value": "x"},
    {"a": {"b": {"c": [1, {"d": math.nan}]}}},
    Deep(60),
    Deep(1200),
    Deep(100000),
)


def _value(value: Any) -> str:
    if isinstance(value, Deep):
        return "[" * value.depth + "]" * value.depth
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value))


def dump_toml(data: dict[str, Any]) -> str:
    """Every top-level key as `key = inline value`; equivalent TOML, one line per key."""
    return "".join(f"{json.dumps(k, ensure_ascii=False)} = {_value(v)}\n" for k, v in data.items())


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        found += _paths(value, (*prefix, key))
    return found


def _edit(data: Any, path: tuple[Any, ...], op: str, value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy = dict(data) if isinstance(data, dict) else list(data)
    if rest:
        copy[head] = _edit(copy[head], rest, op, value)
    elif op == "delete":
        del copy[head]
    elif op == "duplicate" and isinstance(copy, list):
        copy.insert(head, copy[head])
    elif op == "add" and isinstance(copy, dict):
        copy[f"unknown_{head}"] = value
    else:
        copy[head] = value
    return copy


@cache
def ruleset_text(relative: str) -> str:
    text = LOCAL_RULESET if relative == "local" else (RULESET_DIR / relative).read_text(encoding="utf-8")
    return text.replace('id = "beijing-subcenter-2024"', f'id = "{LOCAL_ID}"', 1)


@st.composite
def toml_mutants(draw: st.DrawFn) -> Mutant:
    """A ruleset file ('local' or a bundled path) damaged at one path or as bytes."""
    which = draw(st.sampled_from(("local", *RULESET_FILES)))
    text = ruleset_text(which)
    if draw(st.booleans()):
        data = tomllib.loads(text)
        path = draw(st.sampled_from(_paths(data)))
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "duplicate", "add"]))
        value = draw(st.sampled_from(HOSTILE_VALUES))
        shown = f"Deep({value.depth})" if isinstance(value, Deep) else repr(value)[:40]
        return Mutant(
            which, f"{op} {'.'.join(map(str, path))} {shown}", dump_toml(_edit(data, path, op, value)).encode()
        )
    what, data_bytes = draw(byte_mutation(text.encode("utf-8")))
    if not what:
        snippet = draw(st.sampled_from(["inf", "nan", "-1e400", "99999999999999999999", "[[", "{", '"\\u0000"']))
        at = draw(st.integers(0, len(text)))
        what, data_bytes = f"inserted {snippet!r} at char {at}", (text[:at] + snippet + text[at:]).encode("utf-8")
    return Mutant(which, what, data_bytes)
