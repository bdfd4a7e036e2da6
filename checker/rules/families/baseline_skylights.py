"""GB 55015-2021 skylights (屋顶透光部分) of new public buildings: their U against the skylight limit, and their area
against the share of the roof the code allows. A skylight is a window filling an opening of a roof (the envelope
records' host); it is judged here and never as a facade window, since it has no facade to pick a WWR band from.
"""

from __future__ import annotations

from checker.model.facts import BuildingFacts, ElementRecord, Evidence, split_skylights
from checker.rules.families.envelope_bounds import (
    U_UNIT,
    Bound,
    is_candidate,
    surface_resistances,
    worst_with_candidates,
)
from checker.rules.measurement import Measurement, MetricFn, Params

WINDOW_U = "Pset_WindowCommon.ThermalTransmittance"


def _evidence(records: list[ElementRecord], what: str) -> list[Evidence]:
    ids = [r.global_id for r in records]
    return [Evidence(method="derived", source=what, global_ids=ids, count=len(ids))]


def baseline_skylight_u(building: BuildingFacts, params: Params) -> Measurement:
    """Worst skylight U / params.u_skylights_base (≤ 1 passes), the one figure of every skylight rule."""
    limit = float(params["u_skylights_base"])
    records = split_skylights(building.elements)["skylights"]
    if not records:
        return Measurement(value=None, missing=["skylights (windows filling an opening of a roof): none found"])
    items = [(r, r.u_value(*surface_resistances(params, "windows"))[0]) for r in records]
    lacking = [r.global_id for r, u in items if u is None and not is_candidate(r)]
    note = f"{WINDOW_U} on {len(lacking)} skylights: {', '.join(lacking[:20])}"
    decided = worst_with_candidates(items, limit, "<=", "skylights", "U", note)
    evidence = _evidence(records, "skylights: worst U (declared, Pset_WindowCommon)")
    if decided.value is None or decided.verdict is None:
        return Measurement(value=None, missing=decided.missing, evidence=evidence)
    worst = [r for r, u in items if u is not None and abs(u - decided.value) <= 1e-9]
    return Measurement(
        value=round(decided.value / limit, 6),
        bound=decided.bound,
        missing=decided.missing,
        warnings=list(decided.missing),
        evidence=evidence,
        elements=worst if decided.verdict is False else records,
        display=f"worst skylight U {decided.value:.3f} {U_UNIT} / limit {limit:g} = {decided.value / limit:.2f}",
        gap_unit="1",
    )


def _area(record: ElementRecord) -> float | None:
    area = record.values.get("area_m2")
    return float(area) if isinstance(area, (int, float)) and not isinstance(area, bool) and area > 0 else None


def skylight_share(building: BuildingFacts, params: Params) -> Measurement:
    """Σ skylight area / roof area (the roof_area fact)."""
    records = split_skylights(building.elements)["skylights"]
    roof = building.fact("roof_area")
    areas = [_area(r) for r in records]
    no_area = [r.global_id for r, a in zip(records, areas, strict=True) if a is None]
    missing = [f"area of {len(no_area)} skylights (Qto_WindowBaseQuantities.Area): {', '.join(no_area[:20])}"]
    missing = missing if no_area else []
    roof_m2 = roof.value if isinstance(roof.value, (int, float)) and not isinstance(roof.value, bool) else None
    if roof_m2 is None or roof_m2 <= 0:
        missing.append(roof.missing or "roof area above zero")
    evidence = [*_evidence(records, "skylights: Σ area"), *roof.evidence]
    if missing or roof_m2 is None:
        return Measurement(value=None, missing=missing, evidence=evidence, elements=records)
    total = sum(a for a in areas if a is not None)
    share = total / float(roof_m2)
    flipped: dict[str, Bound] = {"exact": "exact", "upper": "lower", "lower": "upper"}  # larger roof, lower share
    bound = flipped[roof.bound]
    return Measurement(
        value=round(share, 6),
        bound=bound,
        evidence=evidence,
        denominator=float(roof_m2),
        gap_unit="m2",
        elements=records,
        warnings=list(roof.warnings),
        display=f"skylights {total:.1f} m² / roof {float(roof_m2):.1f} m² = {share:.1%}",
    )


METRICS: dict[str, MetricFn] = {"baseline_skylight_u": baseline_skylight_u, "skylight_share": skylight_share}
