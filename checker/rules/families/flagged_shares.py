"""Flagged shares of the material take-off (certified, recyclable / reusable), on the bases the take-off uses.

The share is measured by cost, else mass, else volume (the rule's `bases`), but only on bases some material of the
building declares: a basis no material declares is not used. Every basis in use up to the first that every
material has may be the one the complete data would measure on, so the share decides a rule only where all of
them agree: a missing UnitCost never switches a failing cost share to a passing mass share. A material lacking a
basis pushes the share up if it qualifies (lower bound) or down if not (upper bound).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from checker.model.facts import BuildingFacts, ElementRecord
from checker.rules.families.material_shares import (
    BASIS_LABELS,
    Bound,
    bare_elements,
    bases_in_use,
    describe_bare,
    materials,
    meets,
    names,
    number,
    settle,
    total_of,
)
from checker.rules.measurement import Params


@dataclass
class Share:
    """A flagged share of material quantity on one basis; bound None when missing quantities push both ways."""

    basis: str
    value: float
    bound: Bound | None
    total: float | None
    qualifying: float
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def qualifies(record: ElementRecord, flags: Sequence[str]) -> bool:
    return any(record.values.get(k) is True for k in flags)


def _candidate(
    records: list[ElementRecord], bare: list[ElementRecord], basis: str, flags: Sequence[str]
) -> Share | None:
    """The share on one basis. Materials lacking it push the share up (qualifying) or down (not); construction
    elements without material enter the denominator by their volume on the volume basis, else push it down."""
    label = BASIS_LABELS[basis][0]
    lacking = [r for r in records if number(r.values.get(basis)) is None]
    known = [r for r in records if number(r.values.get(basis)) is not None]
    unweighed = bare if basis != "volume_m3" else [r for r in bare if number(r.values.get("volume_m3")) is None]
    total = total_of(known, basis) + (total_of(bare, "volume_m3") if basis == "volume_m3" else 0.0)
    if total <= 0:
        return None
    qualifying = total_of([r for r in known if qualifies(r, flags)], basis)
    up = [r for r in lacking if qualifies(r, flags)]
    down = [r for r in lacking if not qualifies(r, flags)]
    missing = [f"{label} of {len(up)} qualifying materials (they would raise the share): {names(up)}"] if up else []
    if down:
        missing.append(
            f"{label} of {len(down)} materials that do not qualify (they would lower the share): {names(down)}"
        )
    if unweighed:
        missing.append(f"{label} of {describe_bare(unweighed)} (an undeclared material does not qualify)")
    weighed = [r for r in bare if r not in unweighed]
    warnings = [f"{describe_bare(weighed)}: counted as volume that does not qualify"] if weighed else []
    lowering = bool(down or unweighed)
    bound: Bound | None = None if up and lowering else "upper" if lowering else "lower" if up else "exact"
    if qualifying == 0 and not up and lowering:  # nothing qualifies: 0 whatever the missing quantities
        note = f"nothing qualifies, so the share is 0 whatever the missing quantities ({'; '.join(missing)})"
        return Share(basis, 0.0, "exact", None, 0.0, warnings=[*warnings, note])
    return Share(basis, qualifying / total, bound, total, qualifying, missing=missing, warnings=warnings)


def _verdict(share: Share | None, params: Params) -> bool | None:
    """Whether the share proves the rule met (True) or missed (False); None when its bound cannot tell."""
    if share is None or share.bound is None:
        return None
    low, high = {"exact": (share.value, share.value), "lower": (share.value, 1.0), "upper": (0.0, share.value)}[
        share.bound
    ]
    settled = settle(low, high, params)
    op, threshold = params.get("require_op"), params.get("require_value")
    if settled is None or op is None or threshold is None:
        return None
    return meets(str(op), settled[0], float(threshold))


def flagged_share(
    building: BuildingFacts, flags: Sequence[str], bases: Sequence[str], params: Params
) -> tuple[Share | None, list[str]]:
    """Share of material quantity declaring one of `flags` on the preferred basis in use, when every basis that may
    apply settles the rule alike; else the preferred bound when none settles it; else unknown. (share, missing): a
    returned share always carries a bound (missing data pushing it both ways leave no share)."""
    records, bare = materials(building), bare_elements(building)
    if not records:
        why = ["materials associated with the building's elements (IfcRelAssociatesMaterial)"]
        return None, why + ([describe_bare(bare)] if bare else [])
    if all(qualifies(r, flags) for r in records) and not bare:
        return Share("every material qualifies", 1.0, "exact", None, 0.0), []
    readings: list[tuple[str, Share | None]] = []
    for basis in bases_in_use(records, bases):
        share = _candidate(records, bare, basis, flags)
        readings.append((basis, share))
        if share is not None and share.bound == "exact":
            break
    shares = [s for _, s in readings if s is not None]
    verdicts = {_verdict(s, params) for _, s in readings}
    if shares and len(verdicts) == 1 and None not in verdicts:  # every basis that may apply settles it alike
        return shares[0], []
    bounded = [s for s in shares if s.bound is not None]
    if verdicts == {None} and bounded:  # none settles the rule: the preferred bound is shown, and stays unknown
        return bounded[0], []
    why = [m for s in shares for m in s.missing]
    if len(readings) == 1 and shares:
        why.append(f"the {BASIS_LABELS[readings[0][0]][0]} share could be higher or lower: missing data push both ways")
    elif readings:
        shown = "; ".join(
            f"{BASIS_LABELS[b][0]}: " + ("no quantity above zero" if s is None else f"{s.value:.1%} ({s.bound})")
            for b, s in readings
        )
        why.append(f"the share on each basis that may apply ({shown}) does not settle the rule alike")
    else:
        lacking = [r for r in records if all(number(r.values.get(b)) is None for b in bases)]
        need = " or ".join(BASIS_LABELS[b][0] for b in bases)
        why.append(f"{need} of every material; lacking on {len(lacking)}: {names(lacking)}")
    return None, why
