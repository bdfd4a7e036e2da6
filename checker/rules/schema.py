"""Pydantic models of a ruleset file. Validation only: no evaluation happens here.

A ruleset is data (TOML). Thresholds, applicability and mapping tables live here, never in code;
a rule names a metric from the explicit registry in `checker.rules.metrics`.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, JsonValue, model_validator
from pydantic_core import PydanticCustomError

from checker.model.config import ExtractionConfig, UseCategoryKeywords

# TOML integers are 64-bit; tomllib reads longer ones as Python ints that float arithmetic cannot take.
TOML_INT_MIN, TOML_INT_MAX = -(2**63), 2**63 - 1


def _number_problem(value: object) -> str | None:
    """Why a ruleset number cannot be compared with a measured figure, or None (non-numbers are left to the types)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number (NaN and ±inf cannot be compared with a measured figure)"
    if isinstance(value, int) and not TOML_INT_MIN <= value <= TOML_INT_MAX:
        return f"an integer of {len(str(abs(value)))} digits is outside TOML's 64-bit range"
    return None


def finite_numbers(value: object) -> object:
    """Refuse NaN, ±inf and out-of-range integers in a number or a list of numbers, as one error for the field
    (a plain `float` field would also accept them, and a union would report one error per member type)."""
    items = value if isinstance(value, list) else [value]
    for position, item in enumerate(items):
        problem = _number_problem(item)
        if problem is not None:
            where = f"item {position + 1}: " if isinstance(value, list) else ""
            raise PydanticCustomError("finite_number", "{where}{problem}", {"where": where, "problem": problem})
    return value


def _not_scalar(value: object) -> str | None:
    """The TOML kind of a value that no parameter can be (a table, an array, a date), else None."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return None if isinstance(value, (bool, int, float, str)) else "a date/time"


def scalar_params(value: object) -> object:
    """A parameter or condition value is a number, a string, a boolean or a flat list of them: anything else is
    one error naming what it is (the union would otherwise report one error per member type), then finite_numbers."""
    items = value if isinstance(value, list) else [value]
    for position, item in enumerate(items):
        found = _not_scalar(item)
        if found is not None:
            where = f"; item {position + 1} is " if isinstance(value, list) else ", not "
            raise PydanticCustomError(
                "scalar_param",
                "must be a number, a string, a boolean or a flat list of them{where}{found}",
                {"where": where, "found": found},
            )
    return finite_numbers(value)


Scalar = float | int | str | bool
FiniteFloat = Annotated[float, BeforeValidator(finite_numbers)]
Param = Annotated[Scalar | list[Scalar], BeforeValidator(scalar_params)]
__all__ = ["ExtractionConfig", "UseCategoryKeywords"]  # re-exported: a ruleset carries the extraction tables


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class I18n(Strict):
    """A text in Chinese and English; both are required so every report language is complete."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Family(StrEnum):
    CLASSIFICATION = "classification"
    STAR_RATING = "star_rating"
    ULTRA_LOW_ENERGY = "ultra_low_energy"
    PREFABRICATION = "prefabrication"
    PV = "pv"
    GREEN_MATERIALS = "green_materials"
    IDS = "ids"  # a specification of the user's own IDS file (greencheck check --ids)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class SourceStatus(StrEnum):
    """How sure the cited figure is (../shared/standards.md status legend)."""

    PRIMARY = "primary"  # quoted from the policy document itself
    VERIFIED = "verified"  # seen in the official schema / data
    SECONDARY = "secondary"  # seen verbatim in a secondary public source
    PARTLY = "partly"  # part seen, part recalled
    RECALLED = "recalled"  # from memory, not confirmed: a configurable default


class Citation(Strict):
    document: str
    clause: str
    status: SourceStatus
    confidence: Literal["high", "med", "low"] | None = None
    note: I18n | str | None = Field(
        None,
        description="for the reader, in both languages ({zh, en}; the bundled rulesets always are); a plain string "
        "(a local ruleset) is shown as written in either report",
    )

    @model_validator(mode="after")
    def _recalled_needs_confidence(self) -> Citation:
        if self.status in (SourceStatus.RECALLED, SourceStatus.PARTLY) and self.confidence is None:
            raise ValueError("a recalled or partly confirmed figure must state its confidence (high/med/low)")
        return self


Operator = Literal["==", "!=", "in", "not_in", ">=", ">", "<=", "<"]


class Condition(Strict):
    """One applicability condition on a building fact, or a group of them (all_of / any_of)."""

    fact: str | None = None
    op: Operator | None = None
    value: Param | None = None
    all_of: list[Condition] | None = None
    any_of: list[Condition] | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Condition:
        leaf = self.fact is not None
        groups = (self.all_of is not None) + (self.any_of is not None)
        if leaf == bool(groups) or groups > 1:
            raise ValueError("a condition is either {fact, op, value} or one of all_of / any_of")
        if leaf and (self.op is None or self.value is None):
            raise ValueError(f"condition on '{self.fact}' needs both op and value")
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f"operator '{self.op}' needs a list value")
        return self


class Threshold(Strict):
    op: Literal[">=", ">", "<=", "<", "=="]
    value: FiniteFloat
    unit: str = "1"


class Override(Strict):
    """One rule field a ruleset changed from its parent's resolved rule; filled in by the loader, never by TOML."""

    field: str = Field(description="dotted path in the resolved rule, e.g. 'require.value' or 'params.q1a_range'")
    old: JsonValue = Field(description="the parent's value (null: the parent had none)")
    new: JsonValue = Field(description="this ruleset's value (null: removed)")
    unit: str | None = Field(None, description="unit of old and new where known (require.value)")
    by: str = Field(description="path of the ruleset file that made the change")
    via: str | None = Field(
        None, description="the shared table the change came through, e.g. 'param_sets.gbt51129_table_4_0_1'"
    )


class RulesetFile(Strict):
    """One file that made a ruleset, with the SHA-256 of its exact bytes."""

    path: str = Field(description="absolute path; for a bundled file, the path inside the bundled rulesets folder")
    sha256: str
    bundled: bool
    ruleset_id: str = Field(description="the ruleset this file belongs to (the ruleset itself or a parent)")
    role: Literal["ruleset", "include"]


class DisabledRule(Strict):
    """A parent's rule that a ruleset switched off with `disable`."""

    rule_id: str
    title: I18n
    by: str = Field(description="path of the ruleset file whose `disable` list names the rule")


class Rule(Strict):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    family: Family
    title: I18n
    severity: Severity
    citation: Citation
    level: Literal["building", "project"] = Field(
        "building", description="project: evaluated once on the project's facts (e.g. a per-project trigger)"
    )
    scope: str | None = Field(
        None, description="name of a ruleset-level [scopes] entry whose conditions are prepended to applies_when"
    )
    applies_when: list[Condition] = Field(default_factory=list)
    metric: str
    param_set: str | None = Field(None, description="name of a ruleset-level [param_sets] table merged under params")
    params: dict[str, Param] = Field(default_factory=dict)
    require: Threshold
    remedy: I18n
    shortfall: I18n | None = Field(
        None, description="how much has to change; $value $threshold $gap $unit are substituted"
    )
    overrides: list[Override] = Field(
        default_factory=list, description="loader-filled: fields changed from the parent rulesets, oldest first"
    )
    added_by: str | None = Field(
        None, description="loader-filled: the file of a ruleset that added this rule on top of its parent"
    )

    @model_validator(mode="after")
    def _not_an_ids_result(self) -> Rule:
        if self.family is Family.IDS:
            raise ValueError("family 'ids' is reserved for the results of IDS files (check --ids)")
        return self


class Ruleset(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    version: str
    title: I18n
    description: I18n | None = None
    extends: str | None = None
    extraction: ExtractionConfig = Field(default_factory=ExtractionConfig)
    scopes: dict[str, list[Condition]] = Field(
        default_factory=dict, description="named applicability shared by several rules"
    )
    param_sets: dict[str, dict[str, Param]] = Field(
        default_factory=dict, description="named parameter tables shared by several rules (e.g. a scoring table)"
    )
    rules: list[Rule] = Field(default_factory=list)
    source_path: str | None = None
    extends_chain: list[str] = Field(default_factory=list)
    sha256: str | None = Field(
        None, description="loader-filled: SHA-256 over the bytes of every file, in `files` order"
    )
    bundled: bool = Field(False, description="loader-filled: the ruleset's own file is one of the bundled rulesets")
    files: list[RulesetFile] = Field(
        default_factory=list, description="loader-filled: the file, its includes, then each parent's, nearest first"
    )
    disabled_rules: list[DisabledRule] = Field(default_factory=list, description="loader-filled")
    extraction_overrides: list[Override] = Field(
        default_factory=list, description="loader-filled: [extraction] settings changed from the parent rulesets"
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Ruleset:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id '{rule.id}' is used twice")
            seen.add(rule.id)
        return self


# Fields the loader fills in; a ruleset file that sets one is refused, so no file can forge its own provenance.
LOADER_RULE_FIELDS = frozenset({"overrides", "added_by"})
LOADER_RULESET_FIELDS = frozenset(
    {"source_path", "extends_chain", "sha256", "bundled", "files", "disabled_rules", "extraction_overrides"}
)
