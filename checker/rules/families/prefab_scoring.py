"""GB/T 51129-2017 Table 4.0.1 item scoring: each item measured, declared absent (Q4) or unknown.

Which fact feeds which item is the standard's structure, so it lives here; every range, point value, the list of
items a project may lack and whether the roof plane belongs to q1b's floor-plan area are rule `params`. A ratio
outside [0, 1] means areas or volumes were counted twice: the item is then unknown with a warning, never points.
A declared absence the standard does not allow, or that the model contradicts, is refused with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.model.facts import BuildingFacts, ElementRecord, Evidence
from checker.rules.formatting import format_value
from checker.rules.measurement import Params

EPS = 1e-9
ABSENT_PSET = "CN_GreenBuilding.PrefabAbsentItems"


@dataclass(frozen=True)
class Item:
    """One Table 4.0.1 row: where its ratio comes from and how it is described."""

    code: str
    group: int  # 1 main structure, 2 enclosure & partitions, 3 decoration & MEP
    en: str
    zh: str
    numerator: str | None = None  # facts of a measured ratio
    denominator: str | None = None
    ratio_fact: str | None = None  # a declared ratio / flag
    unit: str = "m2"
    records: str | None = None
    part_label: str = ""  # how the guard names numerator and denominator
    whole_label: str = ""
    roof_parts: tuple[str, str] | None = None  # (numerator, denominator) facts added when the roof plane is in A
    presence: tuple[str, str | None] | None = None  # (records key, item value) showing the item exists


ITEMS = (
    Item(
        "q1a",
        1,
        "Vertical load-bearing members (precast volume)",
        "柱、支撑、承重墙等竖向构件",
        "prefab_q1a_precast",
        "prefab_q1a_total",
        unit="m3",
        records="prefab_vertical",
        part_label="precast vertical-member volume",
        whole_label="the vertical-member volume",
    ),
    Item(
        "q1b",
        1,
        "Horizontal members (precast projected area / floor-plan area)",
        "梁、板、楼梯、阳台、空调板等构件",
        "prefab_q1b_precast",
        "prefab_q1b_total",
        records="prefab_horizontal",
        part_label="horizontal precast area",
        whole_label="the floor-plan area",
        roof_parts=("prefab_q1b_roof_precast", "roof_area"),
    ),
    Item(
        "q2a",
        2,
        "Non-load-bearing exterior walls, non-masonry",
        "非承重围护墙非砌筑",
        "prefab_q2a_nonmasonry",
        "prefab_q2a_total",
        records="prefab_exterior_walls",
        part_label="non-masonry exterior wall area",
        whole_label="the exterior wall area",
    ),
    Item(
        "q2b",
        2,
        "Exterior walls integrated with insulation and decoration",
        "围护墙与保温、隔热、装饰一体化",
        ratio_fact="prefab_q2b_ratio",
    ),
    Item(
        "q2c",
        2,
        "Interior partitions, non-masonry",
        "内隔墙非砌筑",
        "prefab_q2c_nonmasonry",
        "prefab_q2c_total",
        records="prefab_partitions",
        part_label="non-masonry partition area",
        whole_label="the partition area",
        presence=("prefab_partitions", None),
    ),
    Item(
        "q2d",
        2,
        "Partitions integrated with pipelines and decoration",
        "内隔墙与管线、装修一体化",
        ratio_fact="prefab_q2d_ratio",
        presence=("prefab_partitions", None),
    ),
    Item("q3_decoration", 3, "Full decoration", "全装修", ratio_fact="prefab_full_decoration"),
    Item("q3a", 3, "Dry-method floors", "干式工法楼面、地面", ratio_fact="prefab_q3a_ratio"),
    Item(
        "q3b",
        3,
        "Integrated kitchen",
        "集成厨房",
        ratio_fact="prefab_q3b_ratio",
        presence=("prefab_item_spaces", "q3b"),
    ),
    Item(
        "q3c",
        3,
        "Integrated bathroom",
        "集成卫生间",
        ratio_fact="prefab_q3c_ratio",
        presence=("prefab_item_spaces", "q3c"),
    ),
    Item("q3d", 3, "Pipeline separation", "管线分离", ratio_fact="prefab_q3d_ratio", records="prefab_pipelines"),
)


@dataclass
class Scored:
    """One item's outcome: measured ratio and points, absent (Q4), or unknown."""

    item: Item
    status: str  # measured | absent | unknown
    max_points: float
    ratio: float | None = None
    points: float = 0.0
    basis: str = ""
    missing: str | None = None
    to_max: str = ""
    counted: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    whole: float | None = None  # the measured denominator, for "what it takes" advice


def item_points(ratio: float, ratio_range: list[float], points_range: list[float], decimals: int = 1) -> float:
    """Table 4.0.1 scoring: 0 below the range, linear inside it, the top points at or above it; rounded."""
    (r0, r1), (p0, p1) = (float(x) for x in ratio_range), (float(x) for x in points_range)
    if ratio < r0 - EPS:
        return 0.0
    if ratio >= r1 - EPS or r1 <= r0:
        return round(p1, decimals)
    return round(p0 + (ratio - r0) / (r1 - r0) * (p1 - p0) + EPS, decimals)


def score_items(building: BuildingFacts, params: Params, codes: set[int] | None = None) -> list[Scored]:
    """Score every Table 4.0.1 item of the given groups with the ranges and points in params."""
    absent_fact = building.fact("prefab_absent_items")
    declared = set(str(absent_fact.value).split(",")) if absent_fact.value else set()
    decimals = int(params.get("points_decimals", 1))
    results = []
    for item in ITEMS:
        if codes is not None and item.group not in codes:
            continue
        ratio_range, points_range = params[f"{item.code}_range"], params[f"{item.code}_points"]
        top = float(points_range[1])
        refusal = _refusal(building, item, params) if item.code in declared else None
        if item.code in declared and refusal is None:
            basis = f"declared absent ({ABSENT_PSET}): counted in Q4"
            results.append(Scored(item, "absent", top, basis=basis, evidence=list(absent_fact.evidence)))
            continue
        scored = _measure(building, item, top, params)
        if refusal is not None:
            scored.warnings.insert(0, refusal)
        if scored.ratio is not None:
            scored.points = item_points(scored.ratio, ratio_range, points_range, decimals)
            scored.to_max = _to_max(scored, float(ratio_range[1]))
        results.append(scored)
    return results


def _refusal(building: BuildingFacts, item: Item, params: Params) -> str | None:
    """Why a declared absence does not count in Q4 (the standard does not allow it, or the model shows the item)."""
    allowed = [str(code) for code in params.get("absentable_items", [])]
    head = f"{ABSENT_PSET} declares it absent"  # the warning is shown under the item's code and name
    if item.code not in allowed:
        return (
            f"{head}: refused, only items a project can lack count in Q4 (the ruleset's absentable_items: "
            f"{', '.join(allowed) or 'none'}): the item is scored as the model shows"
        )
    shown = _present(building, item)
    if shown:
        ids = ", ".join(f"{r.global_id} '{r.name}'" if r.name else r.global_id for r in shown[:10])
        return f"{head}: refused, the model shows it exists ({len(shown)} elements: {ids}): scored as the model shows"
    return None


def _present(building: BuildingFacts, item: Item) -> list[ElementRecord]:
    """Elements in the rated part of the building that show the item exists."""
    if item.presence is None:
        return []
    key, code = item.presence
    return [
        r
        for r in building.elements.get(key, [])
        if r.values.get("rated") is not False and (code is None or r.values.get("item") == code)
    ]


def _counted(building: BuildingFacts, item: Item) -> str:
    records = [r for r in building.elements.get(item.records or "", []) if r.values.get("rated") is not False]
    flags = ("prefabricated", "non_masonry", "separated")
    flagged = sum(1 for r in records if any(r.values.get(f) for f in flags))
    return f"{flagged} of {len(records)}" if records else ""


def _measure(building: BuildingFacts, item: Item, top: float, params: Params) -> Scored:
    counted = _counted(building, item)
    if item.ratio_fact is not None:
        fact = building.fact(item.ratio_fact)
        if fact.value is None:
            return Scored(item, "unknown", top, missing=fact.missing, counted=counted)
        ratio = float(fact.value)  # a bool flag (full decoration) scores as 1 or 0
        note = fact.evidence[0].note if fact.evidence and fact.evidence[0].method != "property" else None
        return Scored(
            item, "measured", top, ratio=ratio, basis=note or "declared", counted=counted, evidence=list(fact.evidence)
        )
    numerators, denominators = [item.numerator or ""], [item.denominator or ""]
    if item.roof_parts is not None and params.get(f"{item.code}_roof_in_denominator"):
        numerators.append(item.roof_parts[0])
        denominators.append(item.roof_parts[1])
    parts = [building.fact(name) for name in numerators + denominators]
    lacking = list(dict.fromkeys(f.missing for f in parts if f.value is None and f.missing))
    if lacking or any(f.value is None for f in parts):
        return Scored(item, "unknown", top, missing="; ".join(lacking) or "a figure", counted=counted)
    values = [float(f.value) for f in parts]  # type: ignore[arg-type]
    part, whole = sum(values[: len(numerators)]), sum(values[len(numerators) :])
    evidence = [e for f in parts for e in f.evidence]
    if whole <= 0:
        none_found = (
            f"{item.en.lower()}: none found in the model (declare it absent in {ABSENT_PSET} if the project has none)"
        )
        return Scored(item, "unknown", top, missing=none_found, counted=counted)
    implausible = _implausible(item, part, whole)
    if implausible is not None:
        return Scored(
            item, "unknown", top, missing=implausible, counted=counted, evidence=evidence, warnings=[implausible]
        )
    basis = f"{format_value(part, item.unit)} / {format_value(whole, item.unit)}"
    return Scored(
        item, "measured", top, ratio=part / whole, basis=basis, counted=counted, evidence=evidence, whole=whole
    )


def _implausible(item: Item, part: float, whole: float) -> str | None:
    """A ratio outside [0, 1] is a modelling error (members or areas counted twice), never a score."""
    shown_part, shown_whole = format_value(part, item.unit), format_value(whole, item.unit)
    if part < -EPS or whole < -EPS:
        return f"{item.part_label} {shown_part} / {shown_whole}: a negative quantity"
    if part > whole * (1 + 1e-6) + EPS:
        what = "volumes" if item.unit == "m3" else "areas"
        return f"{item.part_label} {shown_part} exceeds {item.whole_label} {shown_whole}: {what} double counted?"
    return None


def _to_max(scored: Scored, top_ratio: float) -> str:
    """What would bring the item to its full points, in the item's own quantity where the model measures it."""
    if scored.ratio is None or scored.ratio >= top_ratio - EPS:
        return ""
    shortfall = top_ratio - scored.ratio
    if scored.whole is not None:
        return f"+{format_value(shortfall * scored.whole, scored.item.unit)} prefabricated (to {top_ratio:.0%})"
    return f"raise to {top_ratio:.0%}"


def group_totals(scored: list[Scored]) -> dict[str, float]:
    """Q1..Q3 points earned and Q4, the points of the items the project lacks."""
    totals = {"Q1": 0.0, "Q2": 0.0, "Q3": 0.0, "Q4": 0.0}
    for s in scored:
        if s.status == "absent":
            totals["Q4"] += s.max_points
        elif s.status == "measured":
            totals[f"Q{s.item.group}"] += s.points
    return {k: round(v, 6) for k, v in totals.items()}
