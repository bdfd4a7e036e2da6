"""Chinese for the texts of the envelope U-value facts and the GB 55015 baseline and solar rules (see
checker.rules.texts for the idea). Applied before the general catalogue, so these specific phrases win."""

from __future__ import annotations

from typing import Any

COMPONENTS = {
    "walls": "外墙",
    "roofs": "屋面",
    "floors": "楼板",
    "windows": "外窗",
    "skylights": "屋顶透光部分",
    "solar collectors": "太阳能集热器",
}
_C = "(walls|roofs|floors|windows|skylights)"


def _component(word: str) -> str:
    return COMPONENTS.get(word, word)


ENERGY_WORDS: dict[str, str] = {
    "limit (strict)": "限值（较严）",
    "limit (loose)": "限值（较宽）",
    "worst / limit": "最不利值 / 限值",
    "facade": "立面",
    "WWR band": "窗墙比档",
    "any column": "任一列",
}

ENERGY_PHRASES: list[tuple[str, Any]] = [
    # facts: envelope U-values (checker.model.envelope_u_facts)
    (rf"^{_C} with a U-value$", lambda m: f"有传热系数的{_component(m.group(1))}"),
    (
        rf"^{_C} without a U-value \(declared or from layers\)$",
        lambda m: f"缺传热系数的{_component(m.group(1))}（无申报值，也无法由材料层计算）",
    ),
    (r"IsExternal missing on (\d+) elements: not counted as exterior", r"\1 个构件缺少 IsExternal：未计为外部构件"),
    (
        rf"U-value missing on (\d+) of (\d+) {_C}: ",
        lambda m: f"{m.group(2)} 个{_component(m.group(3))}中有 {m.group(1)} 个缺传热系数：",
    ),
    (
        rf"U-value of the {_C} \(Pset_\*Common\.ThermalTransmittance or material layers with λ\)",
        lambda m: f"{_component(m.group(1))}的传热系数（Pset_*Common.ThermalTransmittance，或含导热系数的材料层）",
    ),
    (
        rf"area-weighted mean U of (\d+) {_C} \(([\d.]+) m²\)",
        lambda m: f"{m.group(1)} 个{_component(m.group(2))}按面积加权的平均传热系数（{m.group(3)} m²）",
    ),
    (rf"area of the {_C} with a U-value: ", lambda m: f"有传热系数的{_component(m.group(1))}的面积："),
    (rf"no area on (\d+) {_C}: ", lambda m: f"{m.group(1)} 个{_component(m.group(2))}无面积："),
    (r"no (\S+(?: / \S+)+) on the element or its type", r"构件及其类型上均无 \1"),
    # facts: shape factor, storeys, solar collectors (checker.model.baseline_energy)
    (
        r"CN_GreenBuilding\.ShapeFactor \(number, envelope area / heated volume\) on the IfcBuilding",
        "IfcBuilding 上的 CN_GreenBuilding.ShapeFactor（数值，外表面积 / 供暖体积）",
    ),
    (r"is not a plausible shape factor", "不是合理的体形系数"),
    (
        r"IfcBuildingStorey above ground \(Elevation, or CN_GreenBuilding\.AboveGround\)",
        "地上的 IfcBuildingStorey（Elevation，或 CN_GreenBuilding.AboveGround）",
    ),
    (r"IfcBuildingStorey of the building: none found", "建筑的 IfcBuildingStorey：一个也没有找到"),
    (r"elements of the empty storeys ", "以下空楼层的构件："),
    (r" holding elements$", "（含构件的楼层）"),
    (
        r"above-ground status \(Elevation or CN_GreenBuilding\.AboveGround\) of storeys ",
        "以下楼层是否在地上（Elevation 或 CN_GreenBuilding.AboveGround）：",
    ),
    (
        r"IfcSolarDevice PredefinedType SOLARCOLLECTOR \(on the occurrence or its type\)",
        "IfcSolarDevice PredefinedType SOLARCOLLECTOR（实例或其类型）",
    ),
    (
        r"IFC2X3 has no IfcSolarDevice: solar collectors modelled otherwise are not counted",
        "IFC2X3 没有 IfcSolarDevice：以其他方式建模的太阳能集热器未计入",
    ),
    (r"a solar collector in the building to read a design life from", "建筑中可读取设计使用寿命的太阳能集热器"),
    (r"design life of (\d+) solar collectors", r"\1 个太阳能集热器的设计使用寿命"),
    # rules: GB 55015 baseline (checker.rules.families.baseline_energy)
    (r"(\w+) \(([^()]*(?:\([^()]*\))?[^()]*)\), needed to pick the limits' column", r"\1（\2），用于确定限值所在的列"),
    (r"(\w+) exactly \(", r"\1 的准确值（"),
    (
        r"(.+): area-weighted mean U \(declared, or computed from material layers\)",
        r"\1：按面积加权的平均传热系数（声明值，或由材料层计算）",
    ),
    (r"^mean U ([\d.]+) W/\(m2\.K\) / limit ([\d.]+) = ([\d.]+)$", r"平均传热系数 \1 W/(m²·K) / 限值 \2 = \3"),
    (r"WWR unknown: any band", "窗墙比未知：任一档"),
    (r"orientation \(facade\) of the windows, needed to pick the WWR band", "外窗的朝向（立面），用于确定窗墙比档"),
    (r"exact window-to-wall ratio of the ([NESW]) facade", r"\1 立面窗墙比的准确值"),
    (r"window-to-wall ratio of the ([NESW]) facade \(", r"\1 立面的窗墙比（"),
    (r" \(Pset_CurtainWallCommon for curtain walls\)", "（幕墙为 Pset_CurtainWallCommon）"),
    (r"(\S+) on (\d+) windows / curtain walls of facade ([NESW?]): ", r"\3 立面 \2 个外窗 / 幕墙缺少 \1："),
    (
        r"the whole window's SHGC \(only the glazing's Pset_DoorWindowGlazingType value is modelled\)",
        "整窗太阳得热系数（模型只有玻璃的 Pset_DoorWindowGlazingType 数值）",
    ),
    (r"window (U|SHGC) per facade against its WWR band", r"各立面外窗 \1 与其窗墙比档限值对比"),
    (r"^no windows on ([NESW/]+)$", r"\1 立面无外窗"),
    (r"^(\d+|\?) PV panels, (\d+|\?) solar collectors$", r"光伏组件 \1 块，太阳能集热器 \2 个"),
    (r" \((upper|lower) bound\): ", lambda m: "（" + ("上限" if m.group(1) == "upper" else "下限") + "）："),
    (
        r"IsExternal missing on (\d+) (windows? or curtain walls?|roofs?|floors?|doors?) \((.*)\): "
        r"cannot tell whether (?:it is|they are) exterior",
        r"\1 个构件缺少 IsExternal（\3）：无法判断是否为外部构件",
    ),
    (r", (U|SHGC) unknown", r"，\1 未知"),
    # skylights (checker.model.envelope_u_facts, checker.rules.families.baseline_skylights)
    (r"windows filling an opening of a roof \(skylights\)", "填充屋面洞口的窗（屋顶透光部分）"),
    (
        r"whether (\d+) windows with no facade are skylights \(the wall or roof they fill an opening of\): ",
        r"\1 个无立面的外窗是否为屋顶透光部分（其所填充洞口所在的墙或屋面）：",
    ),
    (
        r"skylights \(windows filling an opening of a roof\): none found",
        "屋顶透光部分（填充屋面洞口的窗）：一个也没有找到",
    ),
    (r"(\S+) on (\d+) skylights: ", r"\2 个屋顶透光部分缺少 \1："),
    (
        r"^skylights: worst U \(declared, Pset_WindowCommon\)$",
        "屋顶透光部分：最不利传热系数（Pset_WindowCommon 申报值）",
    ),
    (
        r"^worst skylight U ([\d.]+) W/\(m2\.K\) / limit ([\d.]+) = ([\d.]+)$",
        r"屋顶透光部分最不利传热系数 \1 W/(m²·K) / 限值 \2 = \3",
    ),
    (r"^skylights: Σ area$", "屋顶透光部分：面积之和"),
    (
        r"area of (\d+) skylights \(Qto_WindowBaseQuantities\.Area\): ",
        r"\1 个屋顶透光部分的面积（Qto_WindowBaseQuantities.Area）：",
    ),
    (r"^roof area above zero$", "大于零的屋面面积"),
    (
        r"^skylights ([\d.]+) m² / roof ([\d.]+) m² = ([\d.]+%)$",
        r"屋顶透光部分 \1 m² / 屋面 \2 m² = \3",
    ),
    (r"computed from geometry \(footprint\)", "由几何计算（水平投影面积）"),
    (r"computed from geometry \(side area\)", "由几何计算（侧面积）"),
    (r"computed from geometry \(elevation of the curtain wall and its parts\)", "由几何计算（幕墙及其部件的立面）"),
]
