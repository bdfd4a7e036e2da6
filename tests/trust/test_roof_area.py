"""A pitched IfcRoof exported with Qto_RoofBaseQuantities.GrossArea only (ArchiCAD, Revit): GrossArea is the roof
surface, more than its horizontal projection, so it bounds the usable roof from above and the PV coverage from below:
enough to prove a pass, never a fail (before: 450 m² of panels on a 1,000 m² roof surface failed at 45 %)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import check_file
from checker.rules.results import Status
from checker.rules.schema import Ruleset


def _pitched(make_model: Callable[..., Any], panel_m2: float, projected: float | None = None) -> Any:
    model = make_model(length_unit="METRE")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "办公"})
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "新建", "GovernmentInvested": True})
    roof = model.element("IfcRoof", "Pitched roof", predefined_type="GABLE_ROOF")
    areas = {"GrossArea": 1000.0, **({"ProjectedArea": projected} if projected is not None else {})}
    model.qto(roof, "Qto_RoofBaseQuantities", areas)
    panel = model.element("IfcSolarDevice", "PV array", predefined_type="SOLARPANEL")
    model.qto(panel, "Qto_SolarDeviceBaseQuantities", {"GrossArea": panel_m2})
    model.pset(panel, "CN_GreenBuilding", {"TiltAngle": 0.0, "PeakPower": 60_000.0})
    return model


def _coverage(model: Any, ruleset: Ruleset) -> Any:
    run = check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")
    (building,) = run.buildings
    return building, next(r for r in building.results if r.rule_id == "BJ-PV-002")


@pytest.mark.parametrize(("panel_m2", "status"), [(450.0, Status.UNKNOWN), (600.0, Status.PASS)])
def test_roof_surface_is_an_upper_bound(
    make_model: Callable[..., Any], ruleset: Ruleset, panel_m2: float, status: Status
) -> None:
    building, result = _coverage(_pitched(make_model, panel_m2), ruleset)
    roof = building.facts["roof_area"]
    assert roof.value == pytest.approx(1000.0) and roof.bound == "upper"
    assert building.facts["usable_roof_area"].bound == "upper"
    assert result.status is status and result.bound == "lower"
    assert result.value == pytest.approx(panel_m2 / 1000.0)


def test_projected_area_is_exact(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    building, result = _coverage(_pitched(make_model, 450.0, projected=800.0), ruleset)
    assert building.facts["roof_area"].bound == "exact"
    assert result.status is Status.PASS and result.value == pytest.approx(450.0 / 800.0)
