"""Metric functions on hand-built BuildingFacts, and the extractor's pure helpers."""

from __future__ import annotations

import pytest

from checker.model.envelope import as_ratio, parse_energy_target
from checker.model.envelope_geo import bin_bearing
from checker.model.facts import BuildingFacts, ElementRecord, Fact
from checker.rules.families.ultra_low_energy import envelope_u, heat_recovery, ule_level, window_shgc

PARAMS = {"element_class": "walls", "require_value": 0.20, "basis": "worst", "rsi_walls": 0.11, "rse_walls": 0.04}


def wall(gid: str, area: float | None, u: float | None = None, r: float | None = None) -> ElementRecord:
    values = {"area_m2": area, "u_declared": u}
    if u is None:
        values["r_layers"] = r
    return ElementRecord(
        global_id=gid,
        ifc_class="IfcWall",
        name=gid,
        values=values,
        sources={"u_declared": "Pset_WallCommon.ThermalTransmittance" if u else "missing", "r_layers": "why"},
    )


def facts(**elements: list[ElementRecord]) -> BuildingFacts:
    return BuildingFacts(global_id="B", elements={f"envelope_{k}": v for k, v in elements.items()})


def test_worst_and_mean_u_with_a_layer_computed_wall() -> None:
    # w3: R layers 4.85 -> U = 1/(0.11 + 4.85 + 0.04) = 0.2 exactly
    building = facts(walls=[wall("w1", 30.0, 0.15), wall("w2", 10.0, 0.25), wall("w3", 20.0, r=4.85)])
    worst = envelope_u(building, PARAMS)
    assert worst.value == pytest.approx(0.25)
    assert [e.global_id for e in worst.elements] == ["w2"] and worst.elements[0].values["u_limit"] == 0.20
    mean = envelope_u(building, {**PARAMS, "basis": "mean"})
    assert mean.value == pytest.approx(
        (30 * 0.15 + 10 * 0.25 + 20 * 0.2) / 60, abs=1e-6
    )  # 0.18333, rounded to 6 places
    assert mean.warnings  # w2 above the limit although the mean passes


def test_missing_u_makes_the_worst_a_lower_bound_and_names_the_wall() -> None:
    measured = envelope_u(facts(walls=[wall("w1", 30.0, 0.15), wall("w9", 10.0)]), PARAMS)
    assert measured.value == 0.15 and measured.bound == "lower" and "w9" in measured.missing[0]
    assert envelope_u(facts(walls=[wall("w9", 10.0)]), PARAMS).value is None
    assert envelope_u(facts(walls=[]), PARAMS).value is None


def test_shgc_lowest_window() -> None:
    wins = [
        ElementRecord(global_id=g, ifc_class="IfcWindow", values={"shgc_glazing": v})
        for g, v in (("a", 0.5), ("b", 0.4))
    ]
    measured = window_shgc(facts(windows=wins), {"require_value": 0.45})
    assert measured.value == pytest.approx(0.4) and [e.global_id for e in measured.elements] == ["b"]


def test_heat_recovery_type_selects_the_efficiency() -> None:
    unit = ElementRecord(
        global_id="hr",
        ifc_class="IfcAirToAirHeatRecovery",
        values={"heat_transfer_type": "SENSIBLE", "sensible": 0.70, "total": 0.90},
    )
    building = BuildingFacts(global_id="B", elements={"heat_recovery_units": [unit]})
    # SENSIBLE unit: the 90 % total does not count; 0.70 / 0.75 = 0.9333
    assert heat_recovery(building, {"sensible_min": 0.75, "enthalpy_min": 0.70}).value == pytest.approx(
        0.70 / 0.75, rel=1e-5
    )


LEVEL_PARAMS = {
    "minimum_level": 1,
    "u_walls_residential": 0.2,
    "u_roofs_residential": 0.2,
    "u_floors_residential": 0.3,
    "u_windows_residential": 1.2,
    "n50_residential": 0.6,
    "n50_public": 1.0,
    "sensible_min": 0.75,
    "enthalpy_min": 0.70,
    "heating_demand_ultra_low": 20,
    "heating_demand_nearly_zero": 15,
    "energy_saving_rate_ultra_low": 0.5,
    "energy_saving_rate_nearly_zero": 0.6,
    "renewable_nearly_zero": 0.1,
    "renewable_zero": 1.0,
    **{f"{r}_{c}": v for c in ("walls", "roofs", "floors", "windows") for r, v in (("rsi", 0.11), ("rse", 0.04))},
}


def test_level_reached_nearly_zero_against_claimed_ultra_low() -> None:
    elements = {
        f"envelope_{c}": [wall(c, 10.0, u)]
        for c, u in (("walls", 0.15), ("roofs", 0.1), ("floors", 0.2), ("windows", 1.0))
    }
    elements["heat_recovery_units"] = [ElementRecord(global_id="hr", ifc_class="IfcBuilding", values={"sensible": 0.8})]
    values = {
        "energy_target": "ultra_low",
        "use_category": "residential",
        "airtightness_n50": 0.5,
        "heating_demand": 14.0,
        "renewable_utilisation": 0.2,
    }
    building = BuildingFacts(global_id="B", facts={k: Fact(value=v) for k, v in values.items()}, elements=elements)
    measured = ule_level(building, LEVEL_PARAMS)
    assert (
        measured.value == 1 and measured.details["reached"] == "nearly_zero"
    )  # 14 <= 15 and 20 % >= 10 %, below 100 %


def test_helpers() -> None:
    assert [
        parse_energy_target(t) for t in ("超低能耗", "近零能耗建筑", "零能耗", "Nearly-Zero", "ultra_low", "ZEB", "foo")
    ] == ["ultra_low", "nearly_zero", "zero", "nearly_zero", "ultra_low", "zero", None]
    assert as_ratio(75.0)[0] == pytest.approx(0.75) and as_ratio(0.75) == (0.75, [])
    assert [bin_bearing(b) for b in (0, 44.9, 45, 180, 269, 315)] == ["N", "N", "E", "S", "W", "N"]
