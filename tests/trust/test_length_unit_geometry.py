"""Issue 8 case 12: a millimetre file with no IfcUnitAssignment is not measured as metres.

The geometry engine reads coordinates in metres when a file declares no length unit, so a roof drawn in
millimetres came out at 1.2 x 10^9 m² and the PV rule asked for 500,000,000 m² more panels. BuildingScope.measure()
now measures nothing without a resolved length unit, and the facts that needed geometry are unknown, saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.api import check_file
from checker.model.config import ExtractionConfig
from checker.model.index import ModelIndex
from checker.model.scope import BuildingScope
from checker.rules.results import BuildingResult, Status
from checker.rules.schema import Ruleset

NO_UNIT = "the file declares no length unit (IfcUnitAssignment), so geometry cannot be measured"


def _millimetre_drawing_without_units(make_model: Callable[..., Any]) -> Any:
    """A 30 m x 40 m public building drawn in millimetres (coordinates 30000 x 40000), with no unit assignment."""
    model = make_model(length_unit=None, storeys=[("L1", 0.0), ("L2", 4000.0)])
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "New", "GovernmentInvested": True})
    for n in range(2):
        slab = model.element("IfcSlab", f"L{n + 1} floor", n, "FLOOR")
        model.box(slab, (0.0, 0.0, 4000.0 * n), (30_000.0, 40_000.0, 200.0))
        model.element("IfcColumn", f"L{n + 1} column", n)
    roof = model.element("IfcSlab", "Roof", 1, "ROOF")
    model.box(roof, (0.0, 0.0, 8000.0), (30_000.0, 40_000.0, 300.0))
    panel = model.element("IfcSolarDevice", "PV 1", 1, "SOLARPANEL")
    model.box(panel, (0.0, 0.0, 8300.0), (10_000.0, 10_000.0, 50.0))
    return model


def test_geometry_is_not_measured_without_a_length_unit(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = _millimetre_drawing_without_units(make_model)
    (building_entity,) = model.file.by_type("IfcBuilding")
    index = ModelIndex(model.file)
    scope = BuildingScope(index, building_entity, list(model.file.by_type("IfcSlab")), ExtractionConfig())
    assert scope.geometry_blocked == NO_UNIT
    assert scope.footprints(model.file.by_type("IfcSlab")) == {}
    assert scope.measure("top", model.file.by_type("IfcSlab")) == {}


def test_facts_needing_geometry_are_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    run = check_file(
        _millimetre_drawing_without_units(make_model).write(), ruleset, generated_at="2024-01-01T00:00:00Z"
    )
    (building,) = run.buildings
    assert any("declares no units" in w for w in run.model.warnings)
    roof = building.facts["roof_area"]
    assert roof.value is None and roof.missing is not None and roof.missing.endswith(NO_UNIT)  # was 1.2e9 m²
    assert building.facts["usable_roof_area"].value is None
    assert building.facts["above_ground_gfa"].value is None
    assert building.facts["pv_panel_area"].value is None
    assert building.facts["building_height"].value is None
    results = {r.rule_id: r for r in building.results}
    assert results["BJ-PV-002"].status is Status.UNKNOWN  # was a fail: "add about 500,000,000 m² of panels"
    assert not any(r.status is Status.FAIL for r in _area_rules(building))


def _area_rules(building: BuildingResult) -> list[Any]:
    return [r for r in building.results if r.rule_id.startswith(("BJ-PV", "BJ-PREFAB"))]
