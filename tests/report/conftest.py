"""Hand-built CheckRun objects: reporters are tested on results, never on IFC files (STYLE.md §10)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from checker.model.facts import ElementRecord, Evidence, Fact, ModelInfo
from checker.rules.results import (
    BuildingResult,
    CheckRun,
    RuleResult,
    RulesetRef,
    Status,
    ToolInfo,
    summarise,
)
from checker.rules.schema import Citation, Family, I18n, Severity, SourceStatus

HOSTILE = '<script>alert(1)</script> "&<>'
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
BUILDING_ID = "2O2Fr$t4X7Zf8NOew3FLOH"
PANELS = 250
GID_EVIDENCE = 30


def _citation(status: SourceStatus, confidence: str | None = None) -> Citation:
    return Citation(document="GB/T 50378-2019", clause="7.2.9", status=status, confidence=confidence)  # type: ignore[arg-type]


def _panels() -> list[ElementRecord]:
    return [
        ElementRecord(
            global_id=f"PV{index:04d}xxxxxxxxxxxxxxxx",
            ifc_class="IfcSolarDevice",
            name=f"Panel {index}",
            storey="Roof",
            values={"area": 1.75, "peak_power": 400.0},
            sources={"area": "geometry", "peak_power": "CN_GreenBuilding.PeakPower"},
        )
        for index in range(PANELS)
    ]


def _results() -> list[RuleResult]:
    pv_fail = RuleResult(
        rule_id="PV-COV-001",
        family=Family.PV,
        title=I18n(zh="屋顶光伏覆盖率", en="Roof PV coverage"),
        severity=Severity.ERROR,
        status=Status.FAIL,
        value=0.4375,
        unit="1",
        op=">=",
        threshold=0.5,
        margin=-0.0625,
        gap=0.0625,
        message=I18n(zh="光伏覆盖率为 43.8 %，低于 50 %。", en="PV covers 43.8 % of the usable roof, below 50 %."),
        remedy=I18n(zh="增加屋顶光伏组件约 110 m²。", en="Add about 110 m² of roof PV panels."),
        citation=_citation(SourceStatus.RECALLED, "med"),
        evidence=[
            Evidence(
                method="geometry",
                source="computed from geometry of 250 elements",
                count=PANELS,
                global_ids=[f"EV{index:04d}" for index in range(GID_EVIDENCE)],
            ),
        ],
        elements=_panels(),
        details={
            "table": {
                "columns": [{"zh": "朝向", "en": "Orientation"}, "m2"],
                "rows": [["South", 300.5], ["East", 137.0]],
            }
        },
    )
    gfa_pass = RuleResult(
        rule_id="CLS-GFA-001",
        family=Family.CLASSIFICATION,
        title=I18n(zh="地上建筑面积", en="Above-ground floor area"),
        severity=Severity.ERROR,
        status=Status.PASS,
        value=12345.678,
        unit="m2",
        op=">=",
        threshold=10000.0,
        margin=2345.678,
        message=I18n(zh="面积满足要求。", en="Floor area is large enough."),
        remedy=I18n(zh="无", en="none"),
        citation=_citation(SourceStatus.PRIMARY),
        evidence=[
            Evidence(
                method="quantity",
                source="Qto_BuildingStoreyBaseQuantities.GrossFloorArea",
                count=5,
                global_ids=["ST01", "ST02"],
            )
        ],
    )
    power_unknown = RuleResult(
        rule_id="PV-PWR-001",
        family=Family.PV,
        title=I18n(zh="光伏装机容量", en="PV peak power"),
        severity=Severity.ERROR,
        status=Status.UNKNOWN,
        unit="W",
        op=">=",
        threshold=50000.0,
        message=I18n(zh="缺少组件峰值功率。", en="Panel peak power is missing."),
        remedy=I18n(zh="补充 PeakPower。", en="Add PeakPower."),
        citation=_citation(SourceStatus.SECONDARY),
        missing=["CN_GreenBuilding.PeakPower on 250 IfcSolarDevice", "pv_peak_power"],
    )
    ule_na = RuleResult(
        rule_id="ULE-WIN-001",
        family=Family.ULTRA_LOW_ENERGY,
        title=I18n(zh="外窗传热系数", en="Window U-value"),
        severity=Severity.WARNING,
        status=Status.NOT_APPLICABLE,
        unit="W/(m2.K)",
        message=I18n(zh="非超低能耗项目。", en="Not an ultra-low-energy project."),
        citation=_citation(SourceStatus.PARTLY, "low"),
    )
    return [gfa_pass, power_unknown, ule_na, pv_fail]


@pytest.fixture
def run() -> CheckRun:
    facts = {
        "above_ground_gfa": Fact(
            value=12345.678,
            unit="m2",
            evidence=[Evidence(method="quantity", source="Qto_BuildingStoreyBaseQuantities.GrossFloorArea", count=5)],
        ),
        "pv_peak_power": Fact(value=None, unit="W", missing="CN_GreenBuilding.PeakPower on 250 panels"),
        "government_invested": Fact(
            value=True, evidence=[Evidence(method="property", source="CN_GreenBuilding.GovernmentInvested")]
        ),
    }
    buildings = [BuildingResult(global_id=BUILDING_ID, name=f"Tower {HOSTILE}", facts=facts, results=_results())]
    return CheckRun(
        tool=ToolInfo(version="0.1.0"),
        generated_at="2025-01-02T03:04:05+08:00",
        model=ModelInfo(
            file=f"model {HOSTILE}.ifc",
            sha256=SHA,
            size_bytes=1234567,
            schema="IFC4",
            application="Revit 2024",
            length_unit="MILLIMETRE",
        ),
        ruleset=RulesetRef(
            id="cn-gb-50378", version="2019.1", title=I18n(zh="绿色建筑评价标准", en="Green building evaluation")
        ),
        buildings=buildings,
        summary=summarise(buildings),
    )


@dataclass(frozen=True)
class Expect:
    """The fixture's planted values, handed to tests as a fixture (conftest modules are not importable)."""

    hostile: str = HOSTILE
    sha: str = SHA
    building_id: str = BUILDING_ID
    panels: int = PANELS
    evidence_ids: int = GID_EVIDENCE


@pytest.fixture
def expect() -> Expect:
    return Expect()
