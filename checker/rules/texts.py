"""Chinese for the free texts that facts, evidence and metrics write in English (missing data, warnings, sources).

The extractors compose these texts from a small vocabulary of fixed phrases around names, ids and figures
("CN_GreenBuilding.TargetStarLevel on the IfcBuilding", "computed from geometry of 12 elements"). Rather than
carry a second language through every extractor, this catalogue rewrites those phrases, in order, longest and
most specific first; names, GlobalIds and figures pass through untouched. The JSON keeps the English text (and
the rule messages' Chinese halves, built with `zh_text`); tests/report/test_zh_complete.py renders the Chinese
report of the bundled samples and fails on any English sentence left, so a new phrase cannot slip through.
"""

from __future__ import annotations

import re
import re._constants as re_constants  # the parser behind re.compile: which characters every match holds
import re._parser as re_parser
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from checker.rules.labels import FACT_LABELS, VALUE_LABELS
from checker.rules.texts_details import DETAIL_PHRASES, ITEM_NAMES, WORDS
from checker.rules.texts_energy import ENERGY_PHRASES, ENERGY_WORDS
from checker.rules.texts_pvstruct import PVSTRUCT_PHRASES
from checker.rules.texts_supply import SUPPLY_PHRASES

SIDES = {"N": "北", "E": "东", "S": "南", "W": "西"}

# (English pattern, Chinese replacement); applied in this order with re.sub, so specific phrases come first.
PHRASES: list[tuple[str, Any]] = [
    # ---- BIM data completeness (checker.rules.completeness, BJ-BIM-001)
    (
        r"computed from (\d+) data inputs of the ruleset \(\[\[extraction\.data_inputs\]\]\) read by (\d+) "
        r"applicable or undecided rules",
        r"由 \2 条适用或尚无法判定适用性的规则所读取的 \1 项规则集数据项（[[extraction.data_inputs]]）计算",
    ),
    (r"(\d+) of (\d+) data items provided", r"所需 \2 项数据中已提供 \1 项"),
    (r"a data input read by an applicable or undecided rule", "适用或尚无法判定适用性的规则所读取的数据项"),
    (
        r" \(walls, curtain walls, windows: IfcWall / IfcCurtainWall / IfcWindow of the building; roofs: IfcRoof / "
        r"ROOF slab; floors: BASESLAB, or FLOOR with IsExternal = TRUE\)",
        "（墙、幕墙、窗：建筑的 IfcWall / IfcCurtainWall / IfcWindow；屋面：IfcRoof / ROOF 楼板；"
        "楼板：BASESLAB，或 IsExternal = TRUE 的 FLOOR）",
    ),
    (
        r"the file is taken as the whole project \(declare (\S+) on the IfcProject when the project has buildings in "
        r"other files\)",
        r"本文件视为整个项目（项目若有建筑在其他文件中，请在 IfcProject 上声明 \1）",
    ),
    # ---- model warnings (checker.model: loader, extract, project)
    (
        r"(\d+) elements are not placed in the building's spatial structure; attributed to its only building",
        r"\1 个构件未放入建筑的空间结构，已归入本文件唯一的建筑",
    ),
    (r"(\d+) elements are not placed in any building and were not checked", r"\1 个构件不属于任何建筑，未予检查"),
    (
        r"building (\S+): (\d+) element measures were not derived from geometry \(limit (\d+) elements per "
        r"building; raise it with --geometry-limit\): the facts needing them are unknown",
        r"建筑 \1：有 \2 项构件量未由几何计算（每栋建筑上限 \3 个构件，可用 --geometry-limit 提高）："
        "依赖它们的数据无法确定",
    ),
    (
        r"the IFC parser reported (\d+) error\(s\), so some entities may be missing from the check \(first: (.*)\)$",
        r"IFC 解析器报告了 \1 个错误，部分实体可能未纳入检查（第一个，解析器原文：\2）",
    ),
    (
        r"the file holds ([\d,]+) IfcBuildings, more than the ([\d,]+) a project file plausibly has: check that the "
        r"exporter did not write one IfcBuilding per block or object \(every building is checked and reported\)",
        r"文件含 \1 个 IfcBuilding，超过一个项目文件通常的 \2 个：请检查导出软件是否把每个体块或对象都写成了 "
        r"IfcBuilding（每栋建筑均已检查并报告）",
    ),
    # ---- waivers (checker.rules.review)
    (
        r"waiver for (\S+)(?: on building (\S+))? \(approved by (.+)\) expired on (\S+): "
        r"the (fail|unknown) counts again",
        lambda m: (
            f"{m.group(1)}"
            + (f"（建筑 {m.group(2)}）" if m.group(2) else "")
            + f" 的豁免（批准人 {m.group(3)}）已于 {m.group(4)} 过期："
            + ("不通过" if m.group(5) == "fail" else "无法判定")
            + "重新计入结论"
        ),
    ),
    (
        r"waiver for (\S+)(?: on building (\S+))? covered no fail or unknown: check its rule id, building and "
        r"elements, or remove it",
        lambda m: (
            f"{m.group(1)}"
            + (f"（建筑 {m.group(2)}）" if m.group(2) else "")
            + " 的豁免未覆盖任何不通过或无法判定的结果：请核对条款编号、建筑和构件，或将其删除"
        ),
    ),
    # ---- what a fact needs, and where to declare it
    (r" \(number\)", "（数值）"),
    (r" \(true/false\)", "（true/false）"),
    (r" \(yes/no\)", "（是/否）"),
    (r" \(ratio 0-1\)", "（0–1 的比例）"),
    (r" \(pre / final\)", "（pre 预评价 / final 评价）"),
    (r" \(新建 / 扩建 / 改造: New / Extension / Retrofit\)", "（新建 / 扩建 / 改造，或 New、Extension、Retrofit）"),
    (
        r" \(and no rural keyword in its OccupancyType or UseCategory\)",
        "（且其 OccupancyType 或 UseCategory 中没有农村关键词）",
    ),
    (r" \(the building has no IfcSpace whose names could show its use\)", "（建筑中没有名称能说明用途的 IfcSpace）"),
    (r" \(whether it is a new public building\)", "（用于判断是否为新建公共建筑）"),
    (r" \(or CN_GreenBuilding\.UseCategory\)", "（或 CN_GreenBuilding.UseCategory）"),
    (r" \(or the top storey's GrossHeight, or roof geometry\)", "（或顶层的 GrossHeight，或屋面几何）"),
    (r"; the storeys give no elevation above ±0\.000", "；各楼层均无 ±0.000 以上的标高"),
    (r" on the IfcBuilding or (\S+), or (\S+) on its elements", r"（IfcBuilding 上），或 \1，或构件上的 \2"),
    (r" on the building's IfcMaterials", "（建筑所用的 IfcMaterial 上）"),
    (r" on the (Ifc\w+)", r"（\1 上）"),
    (r"(\S+) and MaterialCategory", r"\1 和 MaterialCategory"),
    (
        r", or a recognised IfcMaterial and storey on (\d+) vertical members",
        r"，或 \1 个竖向构件上可识别的 IfcMaterial 和楼层",
    ),
    (
        r", or vertical load-bearing members \(columns, load-bearing walls, braces\) with an IfcMaterial",
        "，或带 IfcMaterial 的竖向承重构件（柱、承重墙、支撑）",
    ),
    (r"unnamed or unplaced", "未命名或未定位"),
    (r"\bsteel (\d[\d.]*%)", r"钢 \1"),
    (r"\bconcrete (\d[\d.]*%)", r"混凝土 \1"),
    (r"\btimber (\d[\d.]*%)", r"木 \1"),
    (r", or Length and (\S+) on (\d+) segments", r"，或 \2 段管线上的 Length 和 \1"),
    (
        r"(Pset_WallCommon\.LoadBearing / IsExternal) of (\d+) walls \(([^)]*)\): "
        r"without them a wall may be load-bearing, exterior or a partition, "
        r"so it may belong to this total",
        r"\2 面墙（\3）的 \1：缺少时，墙可能是承重墙、外墙或隔墙，因此可能属于本合计",
    ),
    (r"Pset_WallCommon\.LoadBearing / IsExternal missing", "缺少 Pset_WallCommon.LoadBearing / IsExternal"),
    (
        r"(\S+) \(on the element or its type\) on (\d+) windows / curtain walls",
        r"\2 个窗 / 幕墙上（构件或其类型）的 \1",
    ),
    (r"an IfcBuildingStorey in the building \(there is none\)", "建筑中的 IfcBuildingStorey（一个也没有）"),
    (
        r"an IfcRoof or IfcSlab with PredefinedType ROOF in the building \(there is none\)",
        "建筑中的 IfcRoof 或 PredefinedType 为 ROOF 的 IfcSlab（一个也没有）",
    ),
    (
        r"a PV panel in the building to read a design life from \(there is none\)",
        "可读取设计使用寿命的光伏组件（建筑中没有）",
    ),
    (r"an exterior wall facing ([NESW]) \(there is none\)", r"朝向 \1 的外墙（一面也没有）"),
    (
        r"a wall or curtain wall known to be exterior facing ([NESW]): (\d+) walls? or curtain walls? with no "
        r"orientation \(([^)]*)\) \(if they are exterior, the ratio lies between ([\d.]+) and ([\d.]+)\)",
        r"朝向 \1 且已知为外墙的墙或幕墙：\2 面墙或幕墙无朝向（\3）（若它们是外墙，比值在 \4 与 \5 之间）",
    ),
    (r"floor area of storeys ([^(;]+?) \(holds elements but no floor area: ", r"楼层 \1 的建筑面积（有构件但无面积："),
    (
        r"floor area of storeys ([^(;]+?) \(floor slabs without (\S+) and no usable geometry: ",
        r"楼层 \1 的建筑面积（楼板缺少 \2 且无可用几何：",
    ),
    (r"floor area of storeys ", "楼层建筑面积："),
    (
        r"no storey GrossFloorArea, no spaces with GrossFloorArea, no floor slab: ",
        "无楼层 GrossFloorArea、无带 GrossFloorArea 的空间、无楼板：",
    ),
    (r"area of walls/windows facing ([NESW])", r"朝向 \1 的墙 / 窗面积"),
    (
        r"(structural concrete volume|area) of (\d+) (?:roof )?elements \(([^)]*)\): "
        r"no usable quantity \(a refused one "
        r"is named in the model warnings\) and no usable geometry",
        r"\2 个构件（\3）的\1：无可用工程量（被拒绝的工程量见模型警告）且无可用几何",
    ),
    (r"area of (\d+) roof elements \(([^)]*)\)", r"\1 个屋面构件（\2）的面积"),
    (
        r": no Qto GrossArea/ProjectedArea and no usable geometry",
        "：无 GrossArea 或 ProjectedArea 工程量（Qto），也无可用几何",
    ),
    (r"structural concrete volume", "结构混凝土体积"),
    (
        r"volume \(NetVolume / GrossVolume or geometry\) of (\d+) elements without material",
        r"\1 个无材料构件的体积（NetVolume / GrossVolume 或几何）",
    ),
    (r"mass \(kg\) of every material; lacking on (\d+)", r"每种材料的质量（kg）；\1 种缺少"),
    (r"mass \(kg\) of (\d+) construction elements without material", r"\1 个无材料构件的质量（kg）"),
    (r"(\d+) construction elements without material", r"\1 个未关联材料的构件"),
    (r"\(an undeclared material does not qualify\)", "（未声明的材料不计为合格）"),
    (r"materials associated with the building's elements", "与建筑构件关联的材料"),
    (
        r": none is associated with its elements \(IfcRelAssociatesMaterial\)",
        "：建筑构件均未关联材料（IfcRelAssociatesMaterial）",
    ),
    (r", volume unknown\)", "，体积未知）"),
    (r"U-value of (\d+) exterior walls \(incl\. opaque curtain walls\)", r"\1 面外墙（含非透明幕墙）的传热系数"),
    (r"U-value of (\d+) exterior windows \(incl\. transparent curtain walls\)", r"\1 樘外窗（含透明幕墙）的传热系数"),
    (r"U-value of (\d+) floors over outside / ground", r"\1 块接室外或地面楼板的传热系数"),
    (r"U-value of (\d+) roofs", r"\1 块屋面的传热系数"),
    (r"exterior walls \(incl\. opaque curtain walls\)", "外墙（含非透明幕墙）"),
    (r"exterior windows \(incl\. transparent curtain walls\)", "外窗（含透明幕墙）"),
    (r"floors over outside / ground", "接室外或地面的楼板"),
    (r"\broofs:", "屋面："),
    (r"no (\S+) on the element or its type", r"构件及其类型上均无 \1"),
    (r"no material layer set", "无材料层组"),
    (r" is a placeholder \(a U-value is always positive\): ignored", " 是占位值（传热系数总为正）：已忽略"),
    (
        r" is above ([\d.]+): an exporter's placeholder \(([\d.]+) is common\) or a wrong unit: ignored",
        r" 大于 \1：导出软件的占位值（常见为 \2）或单位错误：已忽略",
    ),
    (
        r"none known to be exterior, so the improvement of the others is only an upper bound",
        "没有已知的外部构件，其余构件的改善幅度仅为上限",
    ),
    (
        r"IsExternal missing on (\d+) walls \(([^)]*)\): cannot tell whether they are exterior",
        r"\1 面墙缺少 IsExternal（\2）：无法判断是否为外墙",
    ),
    (r", U unknown", "，传热系数未知"),
    (
        r"figures that decide the level reached: envelope classes, N50 or heat recovery",
        "决定所达等级的数据：围护结构分级、N50 或热回收",
    ),
    (r"heat-recovery efficiency: no (\S+) and no (\S+)", r"热回收效率：无 \1，也无 \2"),
    (r"heat-recovery efficiency", "热回收效率"),
    (
        r"interior partitions, non-masonry: none found in the model "
        r"\(declare it absent in (\S+) if the project has none\)",
        r"非砌筑内隔墙：模型中未找到（若项目没有，请在 \1 中声明缺项）",
    ),
    (
        r"the share on each basis that may apply \(([^)]*\)[^)]*)\) does not settle the rule alike",
        r"可能适用的各计算基准下的比例（\1）结论不一致",
    ),
    (r"no quantity above zero", "没有大于零的数量"),
    (r"^volume \(m³\)", "体积（m³）"),
    (r"\(volume \(m³\)", "（体积（m³）"),
    (r"exterior walls, roofs, floors or windows", "外墙、屋面、楼板或外窗"),
    (r"exterior windows or transparent curtain walls", "外窗或透明幕墙"),
    (r"identifiable (.+?): none found", r"可识别的\1：一个也没有找到"),
    # ---- bounds and applicability
    (r" is only a lower bound", " 仅为下限"),
    (r" is only an? upper bound", " 仅为上限"),
    (r" is only a exact bound", " 仅为近似值"),
    (r" is not a usable number \(NaN, infinite or too large\)", " 不是可用的数值（NaN、无穷或过大）"),
    (r" has a value that cannot be compared", " 的值无法比较"),
    (r"the data this rule needs", "本规则所需的数据"),
    (r"conditions not met", "不满足适用条件"),
    (
        r"buildings whose use, newness or above-ground floor area is open \(they may add area\)",
        "用途、是否新建或地上面积未定的建筑（可能增加面积）",
    ),
    (
        r"Σ above_ground_gfa of (\d+) new public building\(s\) in this file",
        r"本文件 \1 栋新建公共建筑的 above_ground_gfa 之和",
    ),
    # ---- evidence: sources and notes
    (r"computed from geometry of (\d+) elements", r"由 \1 个构件的几何计算"),
    (r"computed from material layers \(Σ thickness / (\S+)\)", r"由材料层计算（Σ 厚度 / \1）"),
    (r"(\d+) element volumes computed from geometry", r"其中 \1 个构件体积由几何计算"),
    (r"(\S+) of (\d+) elements;", r"\2 个构件的 \1；"),
    (r"'([^']*)' mapped by the ruleset's use-category table", r"“\1”按规则集的用途对照表归类"),
    (r"(\d+) members below ground not counted", r"\1 个地下构件未计入"),
    (r"storeys (.+?) below ground not counted", r"地下楼层 \1 未计入"),
    (
        r"(\d+) slabs on storey '([^']*)' are not floor area, outdoor paving by its name or type",
        r"楼层“\2”上的 \1 块楼板不计入建筑面积：按名称或类型为室外铺装",
    ),
    (
        r"left out of the floor area of storey '([^']*)': outdoor paving by its name or type",
        r"未计入楼层“\1”的建筑面积：按名称或类型为室外铺装",
    ),
    (
        r"storey '([^']*)' is a roof level \(it holds only slabs, roofs, railings, parapets or PV\): its slabs are the "
        r"roof, not floor area",
        r"楼层“\1”为屋面层（只有楼板、屋面、栏杆、女儿墙或光伏）：其楼板是屋面，不计入建筑面积",
    ),
    (
        r"roof levels \(only slabs, roofs, railings, parapets or PV\): not floor area",
        "屋面层（只有楼板、屋面、栏杆、女儿墙或光伏）：不计入建筑面积",
    ),
    (
        r"the top storey holds only the roof \(slabs, roofs, railings, parapets, PV\): its elevation is the roof "
        r"surface, taken as exact",
        "顶层只有屋面（楼板、屋面、栏杆、女儿墙、光伏）：其标高即屋面标高，按精确值计",
    ),
    (
        r"building height taken as the top storey's elevation \(no (\S+), no GrossHeight, no roof level and no roof "
        r"geometry above it\): a lower bound",
        r"建筑高度取顶层标高（无 \1、无 GrossHeight、其上无屋面层也无屋面几何）：为下限",
    ),
    (r"elevation of the roof level '([^']*)' \(Elevation attribute\)", r"屋面层“\1”的标高（Elevation 属性）"),
    (r"elevation of the top storey '([^']*)' \(Elevation attribute\)", r"顶层“\1”的标高（Elevation 属性）"),
    (r"highest point of the roof \((\S+)\) above the building's placement z", r"屋面（\1）最高点，相对建筑定位 z"),
    (
        r"(\d+) elements without material not counted \((\S+): not known to be construction\)",
        r"\1 个无材料构件未计入（\2：不确定是否为建筑构件）",
    ),
    (r"no (\S+) declared: whole roof taken as usable", r"未声明 \1：整个屋面按可利用计"),
    (r"no (\S+): every item is taken as present", r"无 \1：各评价项均视为存在"),
    (r"no (\S+) on the element, its type or its assembly", r"构件、其类型及其所属组合件上均无 \1"),
    (
        r"no IfcSolarDevice SOLARPANEL or PV-marked element in the building",
        "建筑中没有 IfcSolarDevice SOLARPANEL 或标记为光伏的构件",
    ),
    (r"no PV panels in the building", "建筑中没有光伏组件"),
    (r"no elements: ", "无构件："),
    (r"(\S+) PV by name", r"\1（按名称判为光伏）"),
    (r"by name \(ruleset pv_keywords\)", "按名称判定（规则集 pv_keywords）"),
    (
        r"IfcMaterial of (\d+) vertical load-bearing members \(share by count\)",
        r"\1 个竖向承重构件的 IfcMaterial（按数量占比）",
    ),
    (r"(\S+) not declared", r"未声明 \1"),
    (r"minus ([\d.,]+ m²) excluded", r"扣除 \1"),
    (r"([\d.,]+ m) separated of ([\d.,]+ m)", r"\2 中 \1 已分离"),
    (r"\bshortest: ", "最短："),
    (r"^empty$", "空"),
    (r"^geometry$", "几何计算"),
    (r"geometry \(one side, openings cut\)", "几何计算（单侧，扣除洞口）"),
    (r"element volume shared by layer thickness", "构件体积按材料层厚度分摊"),
    (r"element volume \(geometry\)", "构件体积（几何计算）"),
    (r"element volume", "构件体积"),
    (r"layer thickness x element area", "材料层厚度 × 构件面积"),
    (r" \(glazing's value, not the whole window\)", "（玻璃的数值，非整窗）"),
    (r" \(non-masonry by construction\)", "（构造上为非砌筑）"),
    (r"(\S+) = OFFSITE \(on its type\)", r"\1 = OFFSITE（在其类型上）"),
    (r" present$", " 存在"),
    (
        r"area-weighted mean U per envelope component \(declared U, or 1/\(Rsi \+ Σd/λ \+ Rse\)\) "
        r"vs the baseline table",
        "各围护部位按面积加权的平均传热系数（声明值，或 1/(Rsi + Σd/λ + Rse)）与基准表对比",
    ),
    (r"U per element \(declared, or computed from material layers\)", "逐个构件的传热系数（声明值，或由材料层计算）"),
    (r"(\S+) heat-recovery efficiency", r"\1 热回收效率"),
    (r"outside the rated part", "不在评价范围内"),
    (r"the assembly rate covers the single building above the outdoor ground", "装配率按室外地坪以上的单体建筑计算"),
    (r"VERIFIED-2nd \(weak\)", "已经第二来源核实（较弱）"),
    # ---- metric displays
    (r"; grade none$", "；未达到评价等级"),
    (r"; grade (A{1,3})$", r"；评价等级 \1"),
    (r"(?<=\d) pts\b", " 分"),
    (
        r"worst unit (enthalpy|sensible) ",
        lambda m: "最差机组" + ("全热" if m.group(1) == "enthalpy" else "显热") + "效率 ",
    ),
    (r"reached (\w+), claimed (\w+)", lambda m: f"达到 {_value(m.group(1))}，申报 {_value(m.group(2))}"),
]


def _value(word: str) -> str:
    return VALUE_LABELS[word][1] if word in VALUE_LABELS else word


def _item_phrases() -> list[tuple[str, str]]:
    """Table 4.0.1 items: 'q1a Vertical … / 柱、支撑…' keeps the Chinese name, '(Vertical …)' becomes it."""
    found = []
    for en, zh in ITEM_NAMES.items():
        found.append((rf" {re.escape(en)} / {re.escape(zh)}", f" {zh}"))
        found.append((rf" \({re.escape(en)}\)", f"（{zh}）"))
        found.append((rf"\b{re.escape(en)}\b", zh))
    return found


def _label_phrases() -> list[tuple[str, Any]]:
    """'use category: public' -> '建筑类别：公共建筑': fact labels (longest first) and 'label: value' pairs."""
    labels = sorted((pair for pair in FACT_LABELS.values() if " " in pair[0]), key=lambda pair: -len(pair[0]))
    found: list[tuple[str, Any]] = []
    for en, zh in labels:
        found.append((rf"{re.escape(en)}: ([\w-]+)\b", lambda m, zh=zh: f"{zh}：{_value(m.group(1))}"))
        found.append((rf"\b{re.escape(en)}\b", zh))
    return found


def _required_literal(pattern: str) -> str | None:
    """The longest run of plain characters every match of `pattern` contains (None: no run of 3 or more, or a
    case-insensitive pattern): a text without it cannot match, so the pattern is neither compiled nor run on it."""
    parsed = re_parser.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    best = current = ""
    for op, argument in parsed:
        if op is re_constants.LITERAL:
            current += chr(argument)
        else:
            best, current = max(best, current, key=len), ""
    best = max(best, current, key=len)
    return best if len(best) >= 3 else None


@dataclass
class _Phrase:
    """A catalogue phrase: compiled on first use (a process renders a few hundred texts; compiling all 540 patterns
    took 0.15 s, as much as checking a small model) and tried only on texts holding its required literal."""

    source: str
    replacement: Any
    literal: str | None
    _pattern: re.Pattern[str] | None = None

    def sub(self, text: str) -> str:
        if self.literal is not None and self.literal not in text:
            return text
        if self._pattern is None:
            self._pattern = re.compile(self.source)
        return self._pattern.sub(self.replacement, text)


@lru_cache(maxsize=1)
def _compiled() -> list[_Phrase]:
    return [
        _Phrase(pattern, replacement, _required_literal(pattern))
        for pattern, replacement in [
            *SUPPLY_PHRASES,
            *PVSTRUCT_PHRASES,
            *ENERGY_PHRASES,
            *PHRASES,
            *DETAIL_PHRASES,
            *_item_phrases(),
            *_label_phrases(),
        ]
    ]


@lru_cache(maxsize=4096)
def zh_text(text: str) -> str:
    """The Chinese of a free text built from the catalogue's phrases, in order; names, ids and figures are kept."""
    if text in WORDS:
        return WORDS[text]
    if text in ENERGY_WORDS:
        return ENERGY_WORDS[text]
    for phrase in _compiled():
        text = phrase.sub(text)
    return text


def in_language(text: str, lang: str) -> str:
    """`text` (English) for an English report, its catalogue Chinese for a Chinese one."""
    return zh_text(text) if lang == "zh" else text
