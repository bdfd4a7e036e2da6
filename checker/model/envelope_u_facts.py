"""Envelope U-values as building facts, reported for every building whether or not a rule judges them.

Per component (exterior walls incl. opaque curtain walls, roofs, floors, windows incl. glazed curtain walls,
skylights = windows hosted by a roof): area-weighted mean U and worst U over the elements known to be exterior, and
how many have / lack a U-value. The records are the envelope family's (envelope_records.py); U is the declared value,
else 1 / (Rsi + Σd/λ + Rse) with the ruleset's surface resistances ([extraction.surface_resistances]).
"""

from __future__ import annotations

from checker.model.facts import ElementRecord, Evidence, Fact, split_skylights
from checker.model.scope import GID_CAP

U_UNIT = "W/(m2.K)"
COMPONENTS = ("walls", "roofs", "floors", "windows", "skylights")
CANDIDATE = "candidate"  # IsExternal missing: not counted as exterior (envelope_classes.py)


def envelope_u_facts(
    elements: dict[str, list[ElementRecord]], resistances: dict[str, tuple[float, float]]
) -> dict[str, Fact]:
    """u_mean_<c>, u_worst_<c>, u_known_count_<c>, u_missing_count_<c> for every component c the model has."""
    facts: dict[str, Fact] = {}
    components = split_skylights(elements)
    for component, records in components.items():
        rsi, rse = resistances.get("windows" if component == "skylights" else component, (None, None))
        facts.update(_component_facts(component, records, rsi, rse))
    facts["skylight_count"] = _skylight_count(components)
    return facts


def _skylight_count(components: dict[str, list[ElementRecord]]) -> Fact:
    """Windows filling an opening of a roof. An IfcWindow neither on a roof nor on a facade (no host, or a host whose
    orientation is unknown) may be a skylight, so then the count is only a lower bound and the skylight rules stay
    unknown rather than not applicable; windows all on facades prove there is none."""
    skylights = [r.global_id for r in components["skylights"]]
    count = _count(skylights, "windows filling an opening of a roof (skylights)")
    unplaced = [  # a curtain wall is a facade even where its orientation is unknown; a lone window may be on a roof
        r.global_id
        for r in components["windows"]
        if r.values.get("orientation") is None and not r.ifc_class.startswith("IfcCurtainWall")
    ]
    if not unplaced:
        return count
    why = (
        f"whether {len(unplaced)} windows with no facade are skylights (the wall or roof they fill an opening of): "
        + ", ".join(unplaced[:20])
    )
    return count.model_copy(update={"bound": "lower", "missing": why})


def _component_facts(
    component: str, records: list[ElementRecord], rsi: float | None, rse: float | None
) -> dict[str, Fact]:
    if not records:
        return {}  # no element of the component in the model: nothing to report (the rules say "none found")
    sure = [r for r in records if r.values.get("exterior") != CANDIDATE]
    candidates = len(records) - len(sure)
    with_u = [(r, *r.u_value(rsi, rse)) for r in sure]
    known = [(r, float(u), src) for r, u, src in with_u if u is not None]
    lacking = [r.global_id for r, u, _ in with_u if u is None]
    notes = [f"IsExternal missing on {candidates} elements: not counted as exterior"] if candidates else []
    facts = {
        f"u_known_count_{component}": _count([r.global_id for r, _, _ in known], f"{component} with a U-value", notes),
        f"u_missing_count_{component}": _count(lacking, f"{component} without a U-value (declared or from layers)"),
    }
    if not sure:
        return facts
    partial = [f"U-value missing on {len(lacking)} of {len(sure)} {component}: {', '.join(lacking[:20])}"]
    partial = partial if lacking else []
    if not known:
        missing = f"U-value of the {component} (Pset_*Common.ThermalTransmittance or material layers with λ)"
        facts[f"u_mean_{component}"] = Fact(value=None, unit=U_UNIT, missing=missing)
        facts[f"u_worst_{component}"] = Fact(value=None, unit=U_UNIT, missing=missing)
        return facts
    worst, worst_u, worst_src = max(known, key=lambda item: item[1])
    facts[f"u_worst_{component}"] = Fact(
        value=round(float(worst_u), 4),
        unit=U_UNIT,
        bound="lower" if lacking else "exact",  # an element without U may be worse
        evidence=[Evidence(method="derived", source=f"{worst.global_id}: {worst_src}", global_ids=[worst.global_id])],
        warnings=partial + notes,
    )
    facts[f"u_mean_{component}"] = _mean(component, known, partial + notes)
    return facts


def _mean(component: str, known: list[tuple[ElementRecord, float, str]], notes: list[str]) -> Fact:
    """Area-weighted mean over the elements with a U-value and an area; the others are named, not guessed."""
    areas = [(r, r.values.get("area_m2"), u) for r, u, _ in known]
    weighted = [(r, float(a), float(u)) for r, a, u in areas if isinstance(a, (int, float)) and a > 0]
    no_area = [r.global_id for r, a, _ in areas if not (isinstance(a, (int, float)) and a > 0)]
    if not weighted:
        return Fact(
            value=None, unit=U_UNIT, missing=f"area of the {component} with a U-value: {', '.join(no_area[:20])}"
        )
    total = sum(a for _, a, _ in weighted)
    warnings = notes + ([f"no area on {len(no_area)} {component}: {', '.join(no_area[:20])}"] if no_area else [])
    evidence = Evidence(
        method="derived",
        source=f"area-weighted mean U of {len(weighted)} {component} ({total:.1f} m²)",
        global_ids=[r.global_id for r, _, _ in weighted][:GID_CAP],
        count=len(weighted),
    )
    value = sum(a * u for _, a, u in weighted) / total
    return Fact(value=round(value, 4), unit=U_UNIT, evidence=[evidence], warnings=warnings)


def _count(global_ids: list[str], what: str, warnings: list[str] | None = None) -> Fact:
    evidence = Evidence(method="derived", source=what, global_ids=global_ids[:GID_CAP], count=len(global_ids))
    return Fact(value=len(global_ids), evidence=[evidence], warnings=warnings or [])
