"""index.html of a batch: one self-contained page (inline CSS and JS, nothing fetched), autoescaped by jinja2."""

from __future__ import annotations

from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape

from checker.batch.summary import FAMILIES, BatchSummary

# Interface texts of the dashboard in both report languages.
TEXTS: dict[str, dict[str, str]] = {
    "title": {"zh": "批量审查", "en": "Batch review"},
    "file": {"zh": "文件", "en": "File"},
    "building": {"zh": "建筑", "en": "Building"},
    "use": {"zh": "用途", "en": "Use"},
    "area": {"zh": "地上建筑面积 (m²)", "en": "Above-ground area (m²)"},
    "verdict": {"zh": "结论", "en": "Verdict"},
    "counts": {"zh": "通过/不通过/未知/不适用", "en": "Pass/fail/unknown/n.a."},
    "report": {"zh": "报告", "en": "Report"},
    "bim_data": {"zh": "BIM 数据完整度", "en": "BIM data provided"},
    "bim_data_share": {"zh": "{share}（{provided}/{needed} 项）", "en": "{share} ({provided} of {needed})"},
    "all": {"zh": "全部", "en": "All"},
    "overall": {"zh": "总体结论", "en": "Overall verdict"},
    "family": {"zh": "专项", "en": "Family"},
    "search": {"zh": "搜索", "en": "Search"},
    "shown": {"zh": "显示行数", "en": "Rows shown"},
    "indicators": {"zh": "示范区指标（本批次）", "en": "Zone indicators (this batch)"},
    "target": {"zh": "目标", "en": "target"},
    # how sure the indicator's source is (the citation statuses of the rulesets)
    "cite_primary": {"zh": "原文", "en": "primary source"},
    "cite_verified": {"zh": "已核实", "en": "verified"},
    "cite_secondary": {"zh": "二手来源", "en": "secondary source"},
    "cite_partly": {"zh": "部分确认", "en": "partly confirmed"},
    "cite_recalled": {"zh": "凭记忆引用，未核实", "en": "recalled, not verified"},
    "basis": {
        "zh": "依据 {n} 栋建筑（达标 {met}，未达标 {not_met}）；{unknown} 栋未知（不计为达标），{out} 栋不在范围内",
        "en": "rests on {n} buildings ({met} met, {not_met} not met); {unknown} unknown (never counted as met), "
        "{out} out of scope",
    },
    "no_basis": {"zh": "无可计算的建筑", "en": "no building to compute it on"},
    "models": {"zh": "模型", "en": "models"},
    "table": {"zh": "模型与建筑", "en": "Models and buildings"},
    "checked": {"zh": "本次检查", "en": "checked"},
    "skipped": {"zh": "未变更跳过", "en": "unchanged and skipped"},
    "errors": {"zh": "错误", "en": "errors"},
    "buildings": {"zh": "建筑", "en": "buildings"},
    "error": {"zh": "错误", "en": "error"},
    "ruleset": {"zh": "规则集", "en": "Ruleset"},
    "generated": {"zh": "生成时间", "en": "Generated"},
    "sort_hint": {"zh": "点击表头排序", "en": "click a header to sort"},
    "compliant": {"zh": "合规", "en": "compliant"},
    "non_compliant": {"zh": "不合规", "en": "non-compliant"},
    "incomplete": {"zh": "资料不全", "en": "incomplete"},
    "not_applicable": {"zh": "不适用", "en": "not applicable"},
    "classification": {"zh": "分类", "en": "Classification"},
    "star_rating": {"zh": "绿色建筑星级", "en": "Star rating"},
    "ultra_low_energy": {"zh": "超低能耗", "en": "Ultra-low energy"},
    "prefabrication": {"zh": "装配式", "en": "Prefabrication"},
    "pv": {"zh": "光伏", "en": "PV"},
    "green_materials": {"zh": "绿色建材", "en": "Green materials"},
}
VERDICTS = ("compliant", "non_compliant", "incomplete", "error")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("checker.batch", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = lambda name: quote(str(name), safe="")
    return env


def render_dashboard(summary: BatchSummary) -> bytes:
    lang = summary.lang

    def text(key: str, **values: object) -> str:
        entry = TEXTS.get(key)
        phrase = (entry[lang] if lang in entry else entry["en"]) if entry else key
        return phrase.format(**values) if values else phrase

    template = _environment().get_template("dashboard.html.j2")
    html = template.render(s=summary, t=text, families=FAMILIES, verdicts=VERDICTS, lang=lang)
    return html.encode("utf-8")
