"""Chinese for the texts of the transport-facility and PV-degradation facts and the steel-structure rule (see
checker.rules.texts for the idea). Applied before the general catalogue, so these specific phrases win."""

from __future__ import annotations

from typing import Any

from checker.rules.labels import FACT_LABELS, VALUE_LABELS

FACILITIES = {
    "bus_depot": "公交场站",
    "charging_station": "充（换）电站",
    "car_park": "停车场",
    "none": "非交通场站",
    "other use": "其他用途",
}
CELL_TYPES = {"poly": "多晶硅", "mono": "单晶硅", "thin_film": "薄膜"}
_F = "(bus_depot|charging_station|car_park|none|other use)"


def _facility(word: str) -> str:
    return FACILITIES.get(word, word)


def _fact(key: str) -> str:
    return FACT_LABELS[key][1] if key in FACT_LABELS else key


def _value(word: str) -> str:
    return VALUE_LABELS[word][1] if word in VALUE_LABELS else word


PVSTRUCT_PHRASES: list[tuple[str, Any]] = [
    # facts: transport facility (checker.model.transport)
    (
        r"CN_GreenBuilding\.FacilityType on the IfcBuilding \(bus_depot, charging_station, car_park or none\)",
        "IfcBuilding 上的 CN_GreenBuilding.FacilityType（bus_depot 公交场站、charging_station 充换电站、car_park 停车场"
        "或 none 无）",
    ),
    (
        r" \(no OccupancyType, and no IfcSpace whose type or name shows a use\)",
        "（无 OccupancyType，也没有类型或名称能表明用途的 IfcSpace）",
    ),
    (
        r" \(only (\d+) IfcSpaces show a use: (.*); at least (\d+) are needed, or transport spaces making (\d+)% "
        r"of them\)",
        r"（只有 \1 个 IfcSpace 能表明用途：\2；至少需要 \3 个，或交通场站空间占其中 \4%）",
    ),
    (
        r"CN_GreenBuilding\.FacilityType '([^']*)' is not bus_depot, charging_station, car_park or none",
        r"CN_GreenBuilding.FacilityType “\1”不是 bus_depot、charging_station、car_park 或 none",
    ),
    (r"'([^']*)' mapped by the ruleset's transport-facility table", r"“\1”按规则集的交通场站对照表归类"),
    (r"'([^']*)' names another use \(no transport-facility word\)", r"“\1”表明其他用途（无交通场站词语）"),
    (r"inferred from (\d+) IfcSpaces \(type or name\)", r"由 \1 个 IfcSpace（类型或名称）推断"),
    (
        r"inferred: (\d+)% by count(?:, (\d+)% by area)? of (\d+) spaces showing a use",
        lambda m: (
            f"推断：按数量 {m.group(1)}%"
            + (f"，按面积 {m.group(2)}%" if m.group(2) else "")
            + f"，共 {m.group(3)} 个能表明用途的空间"
        ),
    ),
    (
        rf"transport facility '{_F}' inferred from IfcSpaces: declare (\S+)",
        lambda m: f"交通场站类型“{_facility(m.group(1))}”由 IfcSpace 推断：请申报 {m.group(2)}",
    ),
    (rf"\b{_F} (\d+) \(", lambda m: f"{_facility(m.group(1))} {m.group(2)}（"),
    (r"PredefinedType (\w+) ×", r"PredefinedType \1 ×"),
    # facts and rules: PV degradation (checker.model.pv_degradation, checker.rules.families.pv)
    (
        r"a PV panel in the building to read a degradation from \(there is none\)",
        "可读取衰减率的光伏组件（建筑中没有）",
    ),
    (
        r"annual degradation of (\d+) PV panels \(([^)]*)\): (\S+) \(ratio, 0\.007 for 0\.7 %\) on the panel or its "
        r"type",
        r"\1 块光伏组件（\2）的年衰减率：组件或其类型上的 \3（比值，0.7 % 写作 0.007）",
    ),
    (
        r"first-year degradation or cell type of (\d+) PV panels \(([^)]*)\): (\S+) \(ratio, 0\.025 for 2\.5 %\) and "
        r"(\S+) \(poly / mono / thin-film\) on the panel or its type",
        r"\1 块光伏组件（\2）的首年衰减率或电池类型：组件或其类型上的 \3（比值，2.5 % 写作 0.025）和 \4"
        "（poly 多晶 / mono 单晶 / thin-film 薄膜）",
    ),
    (
        r"worst panel (\S+): ([\d.]+)% first-year \((poly|mono|thin_film), limit ([\d.]+)%\) = ([\d.]+) of the limit",
        lambda m: (
            f"最不利组件 {m.group(1)}：首年衰减 {m.group(2)}%（{CELL_TYPES[m.group(3)]}，限值 {m.group(4)}%）"
            f"= 限值的 {m.group(5)} 倍"
        ),
    ),
    (r"^largest: (\S+)$", r"最大者：\1"),
    (r"PV panel (\S+): (.+) \(not used\)$", r"光伏组件 \1：\2（未采用）"),
    (r"'([^']*)' is not poly, mono or thin-film", r"“\1”不是 poly、mono 或 thin-film"),
    (r"'([^']*)' is not a number: a ratio, 0\.025 for 2\.5 %", r"“\1”不是数值：应为比值，2.5 % 写作 0.025"),
    (
        r" = (\S+) is not a ratio of 0 to ([\d.]+): a percentage\? write 0\.025 for 2\.5 %",
        r" = \1 不是 0 至 \2 之间的比值：是否误写为百分数？2.5 % 应写作 0.025",
    ),
    # rules: fact_in displays ("structure_type = concrete (expected one of steel)")
    (
        r"^(\w+) = (\w+) \(expected one of ([\w, ]+)\)$",
        lambda m: (
            f"{_fact(m.group(1))}：{_value(m.group(2))}（应为 "
            + "、".join(_value(v.strip()) for v in m.group(3).split(","))
            + "）"
        ),
    ),
    # rules: fact_in with an undecided value (BJ-STRUCT-STEEL)
    (
        r"^structure_type = hybrid does not tell: declare (\S+) on the IfcBuilding$",
        r"混合结构无法判定：请在 IfcBuilding 上申报 \1",
    ),
    (r"^(\w+) = (\w+) does not tell: declare (.+)$", r"\1 = \2 无法据此判定：请申报 \3"),
]
