"""Chinese for the rule families' detail tables and per-element sources (see checker.rules.texts for the idea).

WORDS are whole cells and column names, matched exactly; DETAIL_PHRASES are rewritten inside longer texts.
"""

from __future__ import annotations

from typing import Any

# Whole texts (table columns, short bases): exact match only, so 'limit' inside a sentence is left to PHRASES.
WORDS: dict[str, str] = {
    "item": "评价项",
    "ratio": "比例",
    "basis": "计算基准",
    "points": "得分",
    "max": "满分",
    "elements counted": "计入的构件",
    "to reach full points": "达到满分",
    "component": "部位",
    "count": "数量",
    "area m²": "面积 m²",
    "mean U W/(m²·K)": "平均传热系数 W/(m²·K)",
    "baseline U": "基准传热系数",
    "baseline basis": "基准依据",
    "improvement": "提高比例",
    "U for the target": "达到目标所需传热系数",
    "range (IsExternal missing / WWR bound)": "区间（缺少 IsExternal / 窗墙比为上下限）",
    "class": "类别",
    "of which IsExternal missing": "其中缺少 IsExternal",
    "mean U": "平均传热系数",
    "worst U": "最不利传热系数",
    "limit": "限值",
    "verdict": "结论",
    "orientation": "朝向",
    "name": "名称",
    "type": "类型",
    "sensible": "显热效率",
    "total": "全热效率",
    "fraction of requirement": "达到要求的比例",
    "U W/(m²·K)": "传热系数 W/(m²·K)",
    "exterior": "外部",
    "source": "来源",
    "SHGC (glazing)": "SHGC（玻璃）",
    "category": "类别",
    "weight": "权重",
    "applicable kinds": "适用种类",
    "qualified kinds": "合格种类",
    "undecided kinds": "未定种类",
    "score": "得分",
    "kind": "种类",
    "quantity": "数量",
    "certified quantity": "已认证数量",
    "certified share": "已认证占比",
    "qualified": "合格",
    "materials": "材料",
    "material": "材料",
    "volume m³": "体积 m³",
    "mass kg": "质量 kg",
    "cost CNY": "造价（元）",
    "flags": "标记",
    "elements": "构件",
    "volume source": "体积来源",
    "declared": "申报",
    "recomputed": "重新计算",
    "maximum": "满分",
    "minimum": "最低分",
    "every material certified": "全部材料已认证",
    "no material certified": "没有材料已认证",
    "walls": "墙",
    "roofs": "屋面",
    "floors": "楼板",
    "windows": "外窗",
    "pass": "通过",
    "fail": "不通过",
    "unknown": "无法判定",
    "missing": "缺失",
    "mass": "质量",
    "volume": "体积",
    "cost": "造价",
    # waste-based and low-VOC materials (material_claims.py), window airtightness (window_airtightness.py)
    "waste-based kg": "利废建材 kg",
    "known kg": "已知质量 kg",
    "share (low)": "比例（下限）",
    "share (high)": "比例（上限）",
    "group": "类别组",
    "coatings": "涂料",
    "adhesives": "胶粘剂",
    "sealants": "密封胶",
    "waterproofing": "防水材料",
    "decorative_boards": "装饰板",
    "count of target materials": "按目标建材个数",
    "the maximum of this part is reached": "本款已达满分",
    "airtightness class": "气密性等级",
    "required": "所需等级",
    "below": "低于要求",
    "open": "待定",
    "meets": "满足",
    "not a low-VOC target material": "非低VOCs目标建材",
    "no target word": "无目标词",
}

FLAG_WORDS = {
    "green_certified": "获证绿色建材",
    "recyclable": "可再循环",
    "reusable": "可再利用",
    "waste_based": "利废建材",
}
FLAGS = "|".join(FLAG_WORDS)
USES = {"public": "公共建筑", "mixed": "综合建筑", "residential": "居住建筑", "industrial": "工业建筑"}

ITEM_NAMES: dict[str, str] = {
    "Vertical load-bearing members (precast volume)": "柱、支撑、承重墙等竖向构件",
    "Horizontal members (precast projected area / floor-plan area)": "梁、板、楼梯、阳台、空调板等构件",
    "Non-load-bearing exterior walls, non-masonry": "非承重围护墙非砌筑",
    "Exterior walls integrated with insulation and decoration": "围护墙与保温、隔热、装饰一体化",
    "Interior partitions, non-masonry": "内隔墙非砌筑",
    "Partitions integrated with pipelines and decoration": "内隔墙与管线、装修一体化",
    "Full decoration": "全装修",
    "Dry-method floors": "干式工法楼面、地面",
    "Integrated kitchen": "集成厨房",
    "Integrated bathroom": "集成卫生间",
    "Pipeline separation": "管线分离",
}

DETAIL_PHRASES: list[tuple[str, Any]] = [
    # prefabrication: per-element sources and scoring notes
    (r"storey '([^']*)' above ground: rated", r"楼层“\1”，地上：计入评价"),
    (r"storey '([^']*)' below ground: outside the rated part", r"楼层“\1”，地下：不在评价范围内"),
    (r"in no storey", "不在任何楼层"),
    (r"every storey is rated", "各楼层均计入评价"),
    (r"whether it is above ground is unknown", "是否在地上未知"),
    (r"no prefabrication signal: cast in place", "无预制标记：按现浇计"),
    (r"no non-masonry or prefabrication signal: counted as masonry", "无非砌筑或预制标记：按砌筑计"),
    (r"no prefabrication signal", "无预制标记"),
    (r"not needed: not prefabricated", "不需要：非预制构件"),
    (r"no IfcMaterial: counted as concrete", "无 IfcMaterial：按混凝土计"),
    (r"names no material class: counted as concrete", "未指明材料类别：按混凝土计"),
    (r"(\w+) member \((.*)\): counts as prefabricated \((.*)\)$", r"\1 构件（\2）：计为预制（\3）"),
    (r"metal-deck slab: formwork-free, counts as prefabricated", "压型钢板楼承板：免模板，计为预制"),
    (r"steel members are factory-made", "钢构件为工厂制作"),
    (r"declared absent \((\S+)\): counted in Q4", r"申报缺项（\1）：计入 Q4"),
    (
        r"not graded: (\S+ \S+) 3\.0\.3 minimum conditions \(Q1, Q2, full decoration, P\) not all met",
        r"不评级：\1 3.0.3 条最低条件（Q1、Q2、全装修、P）未全部满足",
    ),
    (r"not graded: vertical precast ratio below the 5\.0\.1 minimum", "不评级：竖向构件预制比例低于 5.0.1 条最低要求"),
    (r"graded per (\S+ \S+) 5\.0\.2", r"按 \1 5.0.2 条评级"),
    (r"P below the lowest grade band", "P 低于最低等级"),
    # envelope
    (r"outward normal of the plane of its geometry", "其几何平面的外法线"),
    (r"outward normal of the placement of host (Ifc\w+) (\S+)", r"宿主 \1 \2 定位的外法线"),
    (r"outward normal of the placement", "定位的外法线"),
    (
        r"every envelope component must improve: the building's figure is the lowest component's",
        "每个围护部位都须提高：建筑的数值取最低部位的数值",
    ),
    (
        r"shape factor S not taken from the model: baseline column '([^']*)' from the ruleset",
        r"体形系数 S 未从模型读取：基准取规则集中的“\1”一栏",
    ),
    (
        r" \(the stricter column: conservative; S ≤ 0\.30 would give a looser baseline\)",
        "（较严一栏，偏保守；S ≤ 0.30 时基准较宽）",
    ),
    (r"cold zone 甲类 public", "寒冷地区甲类公共建筑"),
    (r"cold zone residential", "寒冷地区居住建筑"),
    (r": (roofs|walls|floors|windows), storeys_above_ground", lambda m: f"：{WORDS[m.group(1)]}，storeys_above_ground"),
    (r"(<=|>=)(\d+) storeys", lambda m: ("≤" if m.group(1) == "<=" else "≥") + f"{m.group(2)} 层"),
    (r"\(RECALLED\)", "（凭记忆引用，尚未核对）"),
    (r": (roofs|walls|floors|windows), shape factor", lambda m: f"：{WORDS[m.group(1)]}，体形系数"),
    (r": windows, ([NESW]) facade WWR", r"：外窗，\1 立面窗墙比"),
    (r"Σ window area / Σ facade area facing ([NESW])", r"朝向 \1 的 Σ 窗面积 / Σ 立面面积"),
    (
        r" \(windows and transparent curtain walls over walls and curtain walls; orientation from placement or "
        r"curtain-wall geometry\)",
        "（外窗和透明幕墙面积 / 墙和幕墙面积；朝向取自定位或幕墙几何）",
    ),
    (r"no (\S+) declared: SI assumed", r"未声明 \1：按国际单位制计"),
    # materials
    (r"computed from material layers: ", "由材料层计算："),
    (r"part of (Ifc\w+) (\S+) with AssemblyPlace (\w+)", r"属于 \1 \2，其 AssemblyPlace 为 \3"),
    (r"element volume x constituent Fraction", "构件体积 × 组分 Fraction"),
    (r"(\S+) x constituent Fraction", r"\1 × 组分 Fraction"),
    (
        r"unknown: the element has no NetVolume / GrossVolume quantity "
        r"\(and no material declares (\S+): geometry skipped\)",
        r"未知：构件没有 NetVolume / GrossVolume 工程量（且没有材料声明 \1：未计算几何）",
    ),
    (
        r"unknown: the element has no NetVolume / GrossVolume quantity and no measurable geometry",
        "未知：构件没有 NetVolume / GrossVolume 工程量，也没有可测量的几何",
    ),
    (r"upper bound: green-material ratio between ([\d.]+%) and ([\d.]+%)", r"上限：绿色建材比例在 \1 与 \2 之间"),
    (
        r": their kind cannot be shown certified, so the ratio is an upper bound",
        "：无法证明其种类已认证，因此比例为上限",
    ),
    (r"(\d+) materials declare none of (\S+) and count as not qualifying", r"\1 种材料未声明 \2，按不合格计"),
    (
        r"nothing qualifies, so the share is 0 whatever the missing quantities",
        "没有合格项，无论缺失的数量如何，比例都为 0",
    ),
    # the flags cell of the material take-off table (green_materials.materials_table), e.g. 'recyclable, waste_based'
    (
        rf"^(?:{FLAGS})(?:, (?:{FLAGS}))*$",
        lambda m: "、".join(FLAG_WORDS[f] for f in m.group(0).split(", ")),
    ),
    # waste-based materials (material_claims.py)
    (
        r"mass \(kg\) \(Pset_MaterialCommon\.MassDensity x volume\) of (\d+) materials of kind ([^:]+): ",
        r"\2 类中 \1 种材料的质量（kg）（Pset_MaterialCommon.MassDensity × 体积）：",
    ),
    (
        r"mass \(kg\) \(Pset_MaterialCommon\.MassDensity x volume\) of ",
        "质量（kg）（Pset_MaterialCommon.MassDensity × 体积）：",
    ),
    (r" \(their material may belong to any class\)", "（其材料可能属于任一种类）"),
    (
        r"CN_GreenBuilding\.WasteBased of (\d+) materials of kind ([^:]+): ",
        r"\2 类中 \1 种材料的 CN_GreenBuilding.WasteBased：",
    ),
    (
        r"CN_GreenBuilding\.MaterialKind of (\d+) materials that may be waste-based: ",
        r"\1 种可能为利废建材的材料的 CN_GreenBuilding.MaterialKind：",
    ),
    (r"CN_GreenBuilding\.MaterialKind of (\d+) materials: ", r"\1 种材料的 CN_GreenBuilding.MaterialKind："),
    (
        r"the data leave the figure between ([\d.]+) and ([\d.]+) points, which does not settle the rule",
        r"数据使得分在 \1 与 \2 分之间，无法据此判定",
    ),
    (
        r"the data leave the figure between (.+?) and (.+?), which does not settle the rule",
        r"数据使数值在 \1 与 \2 之间，无法据此判定",
    ),
    (r"^(upper|lower) bound: ", lambda m: ("上限" if m.group(1) == "upper" else "下限") + "："),
    (
        r"([\d.]+) points: (\d+) material classes each with waste-based materials at >= (\d+%) of their mass "
        r"\(now (\d+)\)",
        r"\1 分：\2 类建材中利废建材各占其质量 ≥ \3（目前 \4 类）",
    ),
    (
        r"([\d.]+) points: one material class with waste-based materials at >= (\d+%) of its mass \(",
        r"\1 分：一类建材中利废建材占其质量 ≥ \2（",
    ),
    (r"best class now (.+) at ([\d.]+%)\)", r"目前最高为 \1，\2）"),
    (r"no material class with a mass\)", "没有已知质量的建材种类）"),
    # low-VOC materials (material_claims.py, materials.py)
    (
        r"coatings, paints, adhesives, sealants, waterproofing or decorative boards among the (\d+) materials "
        r"\(ruleset \[extraction\.materials\] low_voc_targets words in their Name, Category or MaterialKind\), or a "
        r"material declaring CN_GreenBuilding\.LowVOC: none found",
        r"\1 种材料中的涂料、油漆、胶粘剂、密封胶、防水材料或装饰板（按规则集 [extraction.materials] low_voc_targets "
        r"中的词匹配 Name、Category 或 MaterialKind），或声明了 CN_GreenBuilding.LowVOC 的材料：一个也没有找到",
    ),
    (r"CN_GreenBuilding\.LowVOC of (\d+) target materials: ", r"\1 种目标建材的 CN_GreenBuilding.LowVOC："),
    (r"(\d+) materials are declared not low-VOC: ", r"\1 种材料声明为非低VOCs："),
    (r"IfcMaterial Name / Category / MaterialKind: ", "IfcMaterial 的 Name / Category / MaterialKind："),
    # window airtightness (window_airtightness.py, envelope_records.py)
    (
        r"CN_GreenBuilding\.AirtightnessClass \(1\.\.8\) on (\d+) exterior windows or their types: ",
        r"\1 樘外窗（或其类型）缺少 CN_GreenBuilding.AirtightnessClass（1..8）：",
    ),
    (
        r"whether (\d+) windows are exterior \(Pset_WindowCommon\.IsExternal, or a host wall declared exterior\): ",
        r"\1 樘外窗是否为外部构件（Pset_WindowCommon.IsExternal，或宿主墙声明为外墙）：",
    ),
    (r"the required class \((.*)\)$", r"所需等级（\1）"),
    (r"residential: class (\d+)", r"居住建筑：\1 级"),
    (
        r"(public|mixed), ([\d.]+) storeys \((>=|<) (\d+)\): class (\d+)",
        lambda m: (
            f"{USES[m.group(1)]}，{m.group(2)} 层（{m.group(3).replace('>=', '≥')} {m.group(4)}）：{m.group(5)} 级"
        ),
    ),
    (r"use category unknown: class (\d+)\.\.(\d+)", r"使用类别未知：\1..\2 级"),
    (
        r"storey count of a (\w+) building not settled: class (\d+)\.\.(\d+)",
        lambda m: f"{USES.get(m.group(1), m.group(1))}的层数未确定：{m.group(2)}..{m.group(3)} 级",
    ),
    (r"missing: (.+) is no airtightness class 1\.\.8", r"缺少：\1 不是 1..8 的气密性等级"),
    # citation clauses
    (r"\(green building materials ratio, 2024 revision\)", "（绿色建材应用比例，2024 年修订）"),
    (r"\(residential envelope table\)", "（居住建筑围护结构表）"),
    (r"'5\.2\.x' numbering recalled", "“5.2.x”编号凭记忆"),
    (r"70 % in pilot/demonstration projects", "试点示范项目 70 %"),
    (r"wall area \(openings deducted\)", "墙面积（扣除洞口）"),
    (r"precast floor projected area", "预制楼板投影面积"),
]
