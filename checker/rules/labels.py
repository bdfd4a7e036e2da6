"""Human names of building facts and fact values, in English and Chinese.

One table for the whole tool: applicability messages (conditions.py) and the report's facts table read it.
A fact missing here is shown by its key, so a new extractor still renders.
"""

from __future__ import annotations

FACT_LABELS: dict[str, tuple[str, str]] = {
    "use_category": ("use category", "建筑类别"),
    "data_completeness": (
        "BIM data completeness (share of the data items the rules need)",
        "BIM 数据完整度（规则所需数据项的提供比例）",
    ),
    "data_inputs_provided": ("data items provided", "已提供的数据项"),
    "data_inputs_needed": ("data items the rules need", "规则所需的数据项"),
    "construction_status": ("new build or retrofit", "新建 / 改造"),
    "is_new": ("new construction", "新建"),
    "government_invested": ("government-invested", "政府投资"),
    "target_star_level": ("declared target star level", "申报目标星级"),
    "above_ground_gfa": ("above-ground gross floor area", "地上建筑面积"),
    "project_new_public_above_ground_gfa": (
        "the project's new public above-ground floor area",
        "项目新建公共建筑地上建筑面积",
    ),
    "project_building_count": ("buildings in the project (this file)", "项目建筑数量（本文件）"),
    "roof_area": ("roof area (projected)", "屋面面积（水平投影）"),
    "usable_roof_area": ("usable roof area", "可利用屋面面积"),
    "pv_panel_count": ("PV panels", "光伏组件数量"),
    "pv_panel_area": ("PV panel area (horizontal projection)", "光伏组件面积（水平投影）"),
    "pv_peak_power": ("PV peak power", "光伏峰值功率"),
    "pv_min_design_life": ("shortest PV design life", "光伏组件最短设计使用寿命"),
    "building_height": ("building height", "建筑高度"),
    "industrial_land": ("on industrial land", "位于工业用地"),
    "energy_target": ("declared energy target", "申报能耗目标"),
    "in_admin_office_area": ("in the administrative office area", "位于行政办公区"),
    "is_rural": ("rural building", "农村建筑"),
    "airtightness_n50": ("airtightness N50", "气密性 N50"),
    "renewable_utilisation": ("renewable energy utilisation", "可再生能源利用率"),
    "energy_saving_rate": ("energy-saving rate", "建筑综合节能率"),
    "heating_demand": ("annual heating demand", "供暖年耗热量"),
    "heat_recovery_unit_count": ("heat-recovery units", "热回收装置数量"),
    "floors_unheated_count": ("floors over unheated space", "分隔供暖与非供暖空间的楼板数量"),
    "wwr_N": ("window-to-wall ratio, north", "窗墙比（北）"),
    "wwr_E": ("window-to-wall ratio, east", "窗墙比（东）"),
    "wwr_S": ("window-to-wall ratio, south", "窗墙比（南）"),
    "wwr_W": ("window-to-wall ratio, west", "窗墙比（西）"),
    "material_count": ("materials in the take-off", "材料种类数"),
    "elements_without_material": ("construction elements without a material", "未关联材料的构件数"),
    "volume_without_material": ("volume of construction elements without a material", "未关联材料的构件体积"),
    "full_decoration": ("full decoration declared", "全装修（申报）"),
    "prefab_full_decoration": ("full decoration (prefabrication)", "全装修（装配式评价）"),
    "prefab_absent_items": ("scoring items absent from the project", "项目缺少的评价项"),
    "prefab_structure_precast": ("precast structural concrete volume", "预制结构混凝土体积"),
    "prefab_structure_total": ("structural concrete volume", "结构混凝土总体积"),
    "prefab_q1a_precast": ("precast vertical-member volume", "竖向构件预制体积"),
    "prefab_q1a_total": ("vertical-member volume", "竖向构件体积"),
    "prefab_q1b_precast": ("precast horizontal projected area (floors)", "水平构件预制投影面积（楼层）"),
    "prefab_q1b_roof_precast": ("precast roof projected area", "屋面预制构件投影面积"),
    "prefab_q1b_total": ("floor-plan area of the above-ground storeys", "地上各楼层建筑平面面积"),
    "structure_type": ("structure type", "结构类型"),
    "transport_facility": (
        "transport facility (bus depot, charging station, car park)",
        "交通场站类型（公交场站、充换电站、停车场）",
    ),
    "pv_max_annual_degradation": ("largest PV annual degradation", "光伏组件最大年衰减率"),
    "prefab_q2a_nonmasonry": ("non-masonry exterior wall area", "非砌筑外围护墙面积"),
    "prefab_q2a_total": ("exterior non-load-bearing wall area", "外围护墙面积"),
    "prefab_q2b_ratio": ("exterior walls integrated (declared)", "外墙一体化比例（申报）"),
    "prefab_q2c_nonmasonry": ("non-masonry partition area", "非砌筑内隔墙面积"),
    "prefab_q2c_total": ("partition area", "内隔墙面积"),
    "prefab_q2d_ratio": ("partitions integrated (declared)", "内隔墙一体化比例（申报）"),
    "prefab_q3a_ratio": ("dry-method floors (declared)", "干式工法楼地面比例（申报）"),
    "prefab_q3b_ratio": ("integrated kitchen (declared)", "集成厨房比例（申报）"),
    "prefab_q3c_ratio": ("integrated bathroom (declared)", "集成卫生间比例（申报）"),
    "prefab_q3d_ratio": ("pipeline separation", "管线分离比例"),
    "star_assessment_stage": ("assessment stage", "评价阶段"),
    "star_control_items_met": ("all control items met (declared)", "控制项全部满足（申报）"),
    "star_score_safety": ("declared score: safety & durability", "申报得分：安全耐久"),
    "star_score_health": ("declared score: health & comfort", "申报得分：健康舒适"),
    "star_score_convenience": ("declared score: convenience", "申报得分：生活便利"),
    "star_score_resource": ("declared score: resource saving", "申报得分：资源节约"),
    "star_score_environment": ("declared score: environment liveability", "申报得分：环境宜居"),
    "star_score_innovation": ("declared score: improvement & innovation", "申报得分：提高与创新"),
    "star_score_green_materials": ("declared 7.2.18 green-material points", "申报 7.2.18 绿色建材得分"),
    "shape_factor": ("shape factor (declared)", "体形系数（申报）"),
    "storeys_above_ground": ("above-ground storeys", "地上层数"),
    "solar_collector_count": ("solar collectors", "太阳能集热器数量"),
    "heating_source": ("declared heating source", "申报的供暖热源"),
    "all_electric": (
        "heating, hot water and cooking all electric (declared)",
        "采暖、生活热水、炊事全部电气化（申报）",
    ),
    "heating_plant_count": ("heating units modelled", "模型中的供热设备数量"),
    "gas_heating_count": ("gas-fired heating units", "燃气供热设备数量"),
    "heat_pump_count": ("heat pumps", "热泵数量"),
    "gas_appliance_count": ("gas-fired units (heating, hot water, cooking)", "燃气设备数量（采暖、热水、炊事）"),
    "electric_end_uses": ("end uses served by electric or heat-pump units", "由电或热泵设备承担的用途"),
    "solar_collector_min_design_life": ("shortest solar-collector design life", "太阳能集热器最短设计使用寿命"),
    "u_mean_walls": ("mean U, exterior walls (incl. opaque curtain walls)", "外墙（含非透光幕墙）平均传热系数"),
    "u_worst_walls": ("worst U, exterior walls (incl. opaque curtain walls)", "外墙（含非透光幕墙）最大传热系数"),
    "u_known_count_walls": (
        "exterior walls (incl. opaque curtain walls) with a U-value",
        "有传热系数的外墙（含非透光幕墙）数量",
    ),
    "u_missing_count_walls": (
        "exterior walls (incl. opaque curtain walls) without a U-value",
        "缺传热系数的外墙（含非透光幕墙）数量",
    ),
    "u_mean_roofs": ("mean U, roofs", "屋面平均传热系数"),
    "u_worst_roofs": ("worst U, roofs", "屋面最大传热系数"),
    "u_known_count_roofs": ("roofs with a U-value", "有传热系数的屋面数量"),
    "u_missing_count_roofs": ("roofs without a U-value", "缺传热系数的屋面数量"),
    "u_mean_floors": ("mean U, floors over outside / ground", "地面及外挑楼板平均传热系数"),
    "u_worst_floors": ("worst U, floors over outside / ground", "地面及外挑楼板最大传热系数"),
    "u_known_count_floors": ("floors over outside / ground with a U-value", "有传热系数的地面及外挑楼板数量"),
    "u_missing_count_floors": ("floors over outside / ground without a U-value", "缺传热系数的地面及外挑楼板数量"),
    "u_mean_windows": ("mean U, exterior windows (incl. glazed curtain walls)", "外窗（含透光幕墙）平均传热系数"),
    "u_worst_windows": ("worst U, exterior windows (incl. glazed curtain walls)", "外窗（含透光幕墙）最大传热系数"),
    "u_known_count_windows": (
        "exterior windows (incl. glazed curtain walls) with a U-value",
        "有传热系数的外窗（含透光幕墙）数量",
    ),
    "u_missing_count_windows": (
        "exterior windows (incl. glazed curtain walls) without a U-value",
        "缺传热系数的外窗（含透光幕墙）数量",
    ),
    "u_mean_skylights": ("mean U, skylights", "屋顶透光部分平均传热系数"),
    "u_worst_skylights": ("worst U, skylights", "屋顶透光部分最大传热系数"),
    "u_known_count_skylights": ("skylights with a U-value", "有传热系数的屋顶透光部分数量"),
    "u_missing_count_skylights": ("skylights without a U-value", "缺传热系数的屋顶透光部分数量"),
    "skylight_count": ("skylights (windows in a roof)", "屋顶透光部分数量"),
}

VALUE_LABELS: dict[object, tuple[str, str]] = {
    "new": ("new", "新建"),
    "extension": ("extension (new floor area)", "扩建"),
    "retrofit": ("retrofit", "改造"),
    "public": ("public", "公共建筑"),
    "residential": ("residential", "居住建筑"),
    "industrial": ("industrial", "工业建筑"),
    "warehouse": ("warehouse", "仓储建筑"),
    "mixed": ("mixed-use", "综合建筑"),
    "ultra_low": ("ultra-low energy", "超低能耗"),
    "nearly_zero": ("nearly-zero energy", "近零能耗"),
    "zero": ("zero energy", "零能耗"),
    "none": ("none", "无"),
    "pre": ("pre-assessment", "预评价"),
    "concrete": ("concrete", "混凝土结构"),
    "steel": ("steel", "钢结构"),
    "timber": ("timber", "木结构"),
    "hybrid": ("hybrid", "混合结构"),
    "masonry": ("masonry", "砌体结构"),
    "bus_depot": ("bus depot", "公交场站"),
    "charging_station": ("charging (battery-swap) station", "充（换）电站"),
    "car_park": ("car park", "停车场"),
    "final": ("assessment", "评价"),
    "district_heating": ("district heating", "市政热网"),
    "heat_pump": ("heat pump", "热泵"),
    "ground_source_heat_pump": ("ground-source heat pump", "地源热泵"),
    "air_source_heat_pump": ("air-source heat pump", "空气源热泵"),
    "gas": ("gas", "燃气"),
    "electric": ("electric", "电"),
    "other": ("other", "其他"),
    "heating": ("heating", "采暖"),
    "hot_water": ("hot water", "生活热水"),
    "cooking": ("cooking", "炊事"),
}


# Element values that name a category from VALUE_LABELS (energy-supply records: what a unit serves, its fuel);
# other element strings (names, material kinds) stay as the model wrote them.
CATEGORICAL_ELEMENT_KEYS = frozenset({"use", "energy"})


def fact_label(key: str, lang: str) -> str:
    en, zh = FACT_LABELS.get(key, (key.replace("_", " "), key.replace("_", " ")))
    return zh if lang == "zh" else en


def value_label(value: object, lang: str) -> str | None:
    """The display name of a categorical fact value, or None when the value is not categorical."""
    if isinstance(value, str) and value in VALUE_LABELS:
        return VALUE_LABELS[value][1 if lang == "zh" else 0]
    parts = value.split(", ") if isinstance(value, str) else []
    if len(parts) > 1 and all(p in VALUE_LABELS for p in parts):  # a list such as 'cooking, heating'
        return ("、" if lang == "zh" else ", ").join(VALUE_LABELS[p][1 if lang == "zh" else 0] for p in parts)
    return None
