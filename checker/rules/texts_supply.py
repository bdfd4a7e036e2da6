"""Chinese for the texts of the energy-supply facts and rules (checker.model.energy_supply,
checker.rules.families.energy_supply); applied before the general catalogue, so these specific phrases win."""

from __future__ import annotations

import re
from typing import Any

from checker.rules.labels import VALUE_LABELS

_TOKEN = re.compile(r"[a-z_]+")


def _values(text: str) -> str:
    """'heat_pump, gas' -> '热泵、燃气'; '?' and 'none' as unknown and none."""
    if text.strip() in ("?", ""):
        return "未知"
    return "、".join(
        _TOKEN.sub(lambda m: VALUE_LABELS.get(m.group(0), ("", m.group(0)))[1], p) for p in text.split(", ")
    )


SUPPLY_PHRASES: list[tuple[str, Any]] = [
    (
        r"CN_GreenBuilding\.HeatingSource \(e\.g\. district_heating, heat_pump, gas, electric\) on the IfcBuilding",
        "IfcBuilding 上的 CN_GreenBuilding.HeatingSource"
        "（如 district_heating 市政热网、heat_pump 热泵、gas 燃气、electric 电）",
    ),
    (
        r"CN_GreenBuilding\.HeatingSource = '([^']*)' names no known heating source",
        r"CN_GreenBuilding.HeatingSource = '\1' 不是已知的供暖热源",
    ),
    (
        r"CN_GreenBuilding\.AllElectric \(true / false\) on the IfcBuilding",
        "IfcBuilding 上的 CN_GreenBuilding.AllElectric（是 / 否）",
    ),
    (
        r" \(the model shows no heating plant: no boiler, burner, heat pump or electric heater\)",
        "（模型中没有供热设备：没有锅炉、燃烧器、热泵或电加热器）",
    ),
    (
        r", or electric units modelled for ([a-z_, ]+)$",
        lambda m: f"，或在模型中表达用于{_values(m.group(1))}的电气设备",
    ),
    (
        r"energy source of (\d+) fuel-fired or heating units \(([^()]*)\): ",
        r"\1 台燃料或供热设备（\2）的能源类型：",
    ),
    (
        r"Pset_BoilerTypeCommon\.EnergySource \(boilers\), Pset_BurnerTypeCommon\.EnergySource \(burners\)",
        "Pset_BoilerTypeCommon.EnergySource（锅炉）、Pset_BurnerTypeCommon.EnergySource（燃烧器）",
    ),
    (
        r"^heating units modelled \(boilers, burners, heat pumps, heaters\)$",
        "模型中的供热设备（锅炉、燃烧器、热泵、电加热器）",
    ),
    (r"^gas-fired heating units$", "燃气供热设备"),
    (r"^heat pumps \(by name or type\)$", "热泵（按名称或类型）"),
    (r"^gas-fired units$", "燃气设备"),
    (r"^electric or heat-pump units for heating, hot water or cooking$", "用于采暖、生活热水或炊事的电或热泵设备"),
    (
        r"^(\d+) gas-fired heating units; declared heating source: (.*)$",
        lambda m: f"燃气供热设备 {m.group(1)} 台；申报的供暖热源：{_values(m.group(2))}",
    ),
    (
        r"^(\d+) heat pumps modelled; declared heating source: (.*)$",
        lambda m: f"模型中的热泵 {m.group(1)} 台；申报的供暖热源：{_values(m.group(2))}",
    ),
    (
        r"^(\d+) gas-fired units; declared non-electric source: (.*); AllElectric: (yes|no|\?); "
        r"electric end uses modelled: (.*)$",
        lambda m: (
            f"燃气设备 {m.group(1)} 台；申报的非电热源：{'无' if m.group(2) == 'none' else _values(m.group(2))}；"
            f"AllElectric：{ {'yes': '是', 'no': '否'}.get(m.group(3), '未知') }；"
            f"模型中由电承担的用途：{'无' if m.group(4) == 'none' else _values(m.group(4))}"
        ),
    ),
    (r"^heat pump by name: '(.*)'$", r"按名称判定为热泵：'\1'"),
    (r"^name: '(.*)'$", r"名称：'\1'"),
    (r"^missing: (.*) or CN_GreenBuilding\.EnergySource$", r"缺少：\1 或 CN_GreenBuilding.EnergySource"),
]
