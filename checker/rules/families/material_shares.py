"""Green-material ratio and shares as intervals: what the take-off proves, never a count of elements.

A missing quantity makes a figure a bound when its direction is known (a non-qualifying material without a
quantity can only lower a share, so the share is an upper bound), else an interval. Construction elements without
any material (elements["elements_without_material"]) are unknown-material quantity: an undeclared material does
not qualify, so they can only lower a share or the appendix ratio. `settle` returns the side of an interval that
decides the rule the engine is evaluating (params require_op / require_value), or None when neither side does.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from checker.model.facts import BuildingFacts, ElementRecord, Scalar
from checker.rules.measurement import Measurement, Params

Bound = Literal["exact", "upper", "lower"]
BASES = ("cost", "mass_kg", "volume_m3")
BASIS_UNITS = {"cost": "CNY", "mass_kg": "kg", "volume_m3": "m3"}
BASIS_LABELS = {
    "cost": ("cost (CNY)", "造价"),
    "mass_kg": ("mass (kg)", "质量"),
    "volume_m3": ("volume (m³)", "体积"),
}
NO_MATERIAL = "none is associated with its elements (IfcRelAssociatesMaterial)"
SHOWN = 10  # names listed in a message before it says how many more
CATEGORY_LABELS = {
    "structure_envelope": ("main structure & envelope", "主体及围护结构工程用材"),
    "decoration": ("decoration & fit-out", "装饰装修工程用材"),
    "mep": ("MEP installation", "机电安装工程用材"),
    "outdoor": ("outdoor works", "室外工程用材"),
}


def materials(building: BuildingFacts) -> list[ElementRecord]:
    return building.elements.get("materials", [])


def bare_elements(building: BuildingFacts) -> list[ElementRecord]:
    """Construction elements with no material (own, type's or assembly's)."""
    return building.elements.get("elements_without_material", [])


def number(value: Scalar) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def names(records: Sequence[ElementRecord]) -> str:
    shown = ", ".join(r.name or r.global_id for r in records[:SHOWN])
    return shown + (f" and {len(records) - SHOWN} more" if len(records) > SHOWN else "")


def describe_bare(bare: Sequence[ElementRecord]) -> str:
    """'2 construction elements without material: 2jLh… (IfcSlab, 100 m³), 0x… (IfcWall, volume unknown)'."""
    parts = []
    for r in bare[:SHOWN]:
        volume = number(r.values.get("volume_m3"))
        parts.append(f"{r.global_id} ({r.ifc_class}, {f'{volume:g} m³' if volume is not None else 'volume unknown'})")
    more = f" and {len(bare) - SHOWN} more" if len(bare) > SHOWN else ""
    return f"{len(bare)} construction elements without material (IfcRelAssociatesMaterial): {', '.join(parts)}{more}"


def meets(op: str, value: float, threshold: float) -> bool:
    """The engine's comparison (same tolerance), for deciding which side of an interval settles a rule."""
    close = math.isclose(value, threshold, rel_tol=1e-9, abs_tol=1e-12)
    checks = {
        ">=": value >= threshold or close,
        ">": value > threshold and not close,
        "<=": value <= threshold or close,
        "<": value < threshold and not close,
        "==": close,
    }
    return checks[op]


def settle(lower: float, upper: float, params: Params) -> tuple[float, Bound] | None:
    """The value to report for a figure known to lie in [lower, upper]: exact when they agree, else the side that
    decides the rule (a lower bound that passes '>=' or an upper bound that fails it), else None."""
    if math.isclose(lower, upper, rel_tol=1e-9, abs_tol=1e-12):
        return lower, "exact"
    op, threshold = params.get("require_op"), params.get("require_value")
    if op not in (">=", ">", "<=", "<") or threshold is None:
        return None
    at_least = op in (">=", ">")
    if meets(op, lower if at_least else upper, float(threshold)):
        return (lower, "lower") if at_least else (upper, "upper")
    if not meets(op, upper if at_least else lower, float(threshold)):
        return (upper, "upper") if at_least else (lower, "lower")
    return None


def settled_measurement(value: float, bound: Bound, missing: list[str], **fields: Any) -> Measurement:
    """The measurement of a figure `settle` decided: an exact one has nothing missing; a bound names what is missing,
    as data to add and as a warning beside the verdict."""
    if bound == "exact":
        return Measurement(value=value, bound=bound, **fields)
    warnings = [f"{bound} bound: {m}" for m in missing]
    return Measurement(value=value, bound=bound, missing=missing, warnings=warnings, **fields)


def declares(record: ElementRecord, basis: str) -> bool:
    """Whether a material declares what a basis needs (a UnitCost, a MassDensity, a volume source), even when its
    quantity is missing for another reason (an element without volume)."""
    source = record.sources.get(basis)
    return number(record.values.get(basis)) is not None or bool(source and not source.startswith("missing"))


def bases_in_use(records: Sequence[ElementRecord], bases: Sequence[str] = BASES) -> list[str]:
    """The bases the take-off is measured on: those some material of the building declares. A basis no material
    declares is not used; one that some materials lack is used, and they make its figures bounds."""
    return [b for b in bases if any(declares(r, b) for r in records)]


def considered_bases(records: Sequence[ElementRecord], in_use: Sequence[str]) -> list[str]:
    """The bases in use up to the first every record has a value for: any of them may be the one the complete data
    would measure on, so a figure is decided only where all of them agree (a missing cost never switches the
    basis to a complete mass)."""
    found = []
    for basis in in_use:
        found.append(basis)
        if records and all(number(r.values.get(basis)) is not None for r in records):
            break
    return found


def total_of(records: Sequence[ElementRecord], basis: str) -> float:
    return sum(number(r.values.get(basis)) or 0.0 for r in records)


@dataclass
class Kind:
    """One material kind of the appendix method; `qualified` is None when the data cannot decide it."""

    category: str
    kind: str
    members: list[ElementRecord]
    basis: str = ""
    total: float | None = None
    certified: float | None = None
    share: float | None = None
    qualified: bool | None = None

    def row(self) -> list[Any]:
        rounded = [None if v is None else round(v, 3) for v in (self.total, self.certified)]
        share = None if self.share is None else round(self.share, 4)
        shown = "unknown" if self.qualified is None else self.qualified
        return [self.category, self.kind, self.basis, *rounded, share, shown, names(self.members)]


def _certified(record: ElementRecord) -> bool:
    return record.values.get("green_certified") is True


def _on_basis(kind: Kind, qualify: float, basis: str) -> Kind:
    """The kind's certified share on one basis: exact when every member has it; else decided only when the members
    lacking it all push the same way and the known part already lies on that side of `qualify`."""
    known = [r for r in kind.members if number(r.values.get(basis)) is not None]
    lacking = [r for r in kind.members if number(r.values.get(basis)) is None]
    total, label = total_of(known, basis), BASIS_LABELS[basis][0]
    found = Kind(kind.category, kind.kind, kind.members, basis=f"no {label} above zero on {names(kind.members)}")
    if total <= 0:
        return found
    found.total, found.certified = total, total_of([r for r in known if _certified(r)], basis)
    found.share = found.certified / total
    reaches = found.share >= qualify - 1e-12
    if not lacking:
        found.basis, found.qualified = label, reaches
    elif reaches and all(_certified(r) for r in lacking):
        found.basis, found.qualified = f"{label}; lower bound ({names(lacking)} without it, all certified)", True
    elif not reaches and not any(_certified(r) for r in lacking):
        found.basis, found.qualified = f"{label}; upper bound ({names(lacking)} without it, none certified)", False
    else:
        found.basis = f"{label}: certified and uncertified materials without it ({names(lacking)})"
    return found


def decide_kind(kind: Kind, qualify: float, in_use: Sequence[str] = BASES) -> Kind:
    """Certified share of a kind on the bases the take-off uses (cost, else mass, else volume), decided only where
    every basis that may be the right one agrees; without quantities only when it cannot depend on them (every
    member certified -> 1, none -> 0). A member that does not declare GreenCertified may be either: the kind is
    decided only when both readings agree."""
    unflagged = [r for r in kind.members if r.values.get("green_certified") is None]
    if unflagged:
        return _unflagged_kind(kind, qualify, unflagged, in_use)
    flags = [_certified(r) for r in kind.members]
    if all(flags) or not any(flags):
        kind.basis = "every material certified" if all(flags) else "no material certified"
        kind.share, kind.qualified = (1.0, True) if all(flags) else (0.0, False)
        return kind
    readings = [_on_basis(kind, qualify, b) for b in considered_bases(kind.members, in_use)]
    verdicts = {r.qualified for r in readings}
    if len(verdicts) == 1 and None not in verdicts:
        first = readings[0]
        kind.basis, kind.total, kind.certified, kind.share = first.basis, first.total, first.certified, first.share
        kind.qualified = first.qualified
        return kind
    shown = "; ".join(f"{r.basis} ({'unknown' if r.qualified is None else r.qualified})" for r in readings)
    kind.basis = f"unknown: the bases that may apply do not agree or cannot tell: {shown}"
    return kind


def _flagged(records: list[ElementRecord], unflagged: list[ElementRecord], certified: bool) -> list[ElementRecord]:
    """The records with GreenCertified set to `certified` on the unflagged ones."""
    ids = {r.global_id for r in unflagged}
    return [
        r.model_copy(update={"values": {**r.values, "green_certified": certified}}) if r.global_id in ids else r
        for r in records
    ]


def _unflagged_kind(kind: Kind, qualify: float, unflagged: list[ElementRecord], in_use: Sequence[str]) -> Kind:
    """A kind with members lacking GreenCertified: decided when it qualifies (or fails) whichever they declare."""
    low = decide_kind(Kind(kind.category, kind.kind, _flagged(kind.members, unflagged, False)), qualify, in_use)
    high = decide_kind(Kind(kind.category, kind.kind, _flagged(kind.members, unflagged, True)), qualify, in_use)
    lacking = f"CN_GreenBuilding.GreenCertified missing on {names(unflagged)}"
    if low.qualified is not None and low.qualified == high.qualified:
        decided = low if low.qualified is False else high
        kind.basis = f"{decided.basis}; {lacking}, but it does not change the outcome"
        kind.total, kind.certified, kind.share, kind.qualified = (
            decided.total,
            decided.certified,
            decided.share,
            decided.qualified,
        )
        return kind
    kind.basis = f"unknown: {lacking}"
    return kind


@dataclass
class Appendix:
    """The appendix-method ratio as an interval [lower, upper] (both None when it cannot be computed), why it is
    not exact (`open`), what prevents any value (`missing`), and its working."""

    lower: float | None
    upper: float | None
    missing: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kinds: list[list[Any]] = field(default_factory=list)
    categories: list[list[Any]] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        """The exact ratio, or None when only an interval (or nothing) is known."""
        exact = self.lower is not None and self.upper is not None and math.isclose(self.lower, self.upper)
        return self.lower if exact else None


def _classification(
    records: list[ElementRecord], categories: list[str]
) -> tuple[list[ElementRecord], list[str], list[ElementRecord]]:
    """(classified records, warnings, unclassified records of construction elements: their kind is unknown).
    A record without `construction_elements` counts as construction (the cautious reading)."""
    classified = [r for r in records if r.values.get("kind") and r.values.get("category") in categories]
    rest = [r for r in records if r not in classified]
    on_construction = [
        r for r in rest if r.values.get("construction_elements") is None or number(r.values["construction_elements"])
    ]
    other = [r for r in rest if r not in on_construction]
    warnings = []
    if other:
        warnings.append(
            f"{len(other)} materials of elements other than construction (furniture, MEP, proxies) carry no "
            f"CN_GreenBuilding.MaterialKind / MaterialCategory and are outside the ratio: {names(other)}"
        )
    return classified, warnings, on_construction


def _unknown_kinds(bare: list[ElementRecord], unclassified: list[ElementRecord]) -> tuple[list[str], list[str]]:
    """Reasons the ratio may be lower (quantity of unknown kind that is not certified) or higher (certified)."""
    down, up = [], []
    if bare:
        down.append(f"{describe_bare(bare)}: their kind cannot be shown certified, so the ratio is an upper bound")
    lowering = [r for r in unclassified if not _certified(r)]
    raising = [r for r in unclassified if _certified(r)]
    if lowering:
        down.append(
            f"CN_GreenBuilding.MaterialKind / MaterialCategory of {len(lowering)} materials of construction elements "
            f"not certified: {names(lowering)} (an unknown kind can only lower the ratio)"
        )
    if raising:
        up.append(
            f"CN_GreenBuilding.MaterialKind / MaterialCategory of {len(raising)} certified materials of construction "
            f"elements: {names(raising)} (an unknown certified kind can only raise the ratio)"
        )
    return down, up


def appendix_ratio(building: BuildingFacts, params: Params) -> Appendix:
    """Green-material application ratio P/100 = Σ qualified/applicable x weight / 100, as an interval: undecided
    kinds count as not qualified in `lower` and qualified in `upper`; quantity of unknown kind widens it."""
    category_names: list[str] = list(params["category_names"])
    weights = [float(w) for w in params["category_weights"]]
    qualify = float(params["qualify_share"])
    classified, warnings, unclassified = _classification(materials(building), category_names)
    if not classified:
        missing = ["CN_GreenBuilding.MaterialKind and MaterialCategory on the building's IfcMaterials"]
        if not materials(building):  # the materials themselves are missing first: name the association
            missing = [f"{missing[0]}: {NO_MATERIAL}"]
        return Appendix(None, None, missing=missing, warnings=warnings)
    groups: dict[tuple[str, str], list[ElementRecord]] = defaultdict(list)
    for record in classified:
        groups[(str(record.values["category"]), str(record.values["kind"]))].append(record)
    in_use = bases_in_use(materials(building))
    kinds = [decide_kind(Kind(c, k, members), qualify, in_use) for (c, k), members in sorted(groups.items())]
    categories, lower, upper = [], 0.0, 0.0
    for name, weight in zip(category_names, weights, strict=True):
        mine = [k for k in kinds if k.category == name]
        proven = sum(1 for k in mine if k.qualified is True)
        undecided = sum(1 for k in mine if k.qualified is None)
        low = proven / len(mine) * weight if mine else 0.0
        high = (proven + undecided) / len(mine) * weight if mine else 0.0
        lower, upper = lower + low, upper + high
        label = CATEGORY_LABELS.get(name, (name, name))
        shown = round(low, 3) if undecided == 0 else f"{low:.3g}–{high:.3g}"
        categories.append([f"{label[0]} / {label[1]}", weight, len(mine), proven, undecided, shown])
    opened = [f"certified share of kind {k.kind} ({k.category}): {k.basis}" for k in kinds if k.qualified is None]
    down, up = _unknown_kinds(bare_elements(building), unclassified)
    lower, upper = (0.0 if down else lower / 100.0), (1.0 if up else upper / 100.0)
    return Appendix(
        round(lower, 6),
        round(upper, 6),
        open=[*opened, *down, *up],
        warnings=warnings,
        kinds=[k.row() for k in kinds],
        categories=categories,
    )
