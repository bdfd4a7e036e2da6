"""The synthetic model generator of the speed benchmarks (benchmarks/synthetic.py) keeps writing a valid model.

No timing here: benchmarks/bench_speed.py measures; this only guards what it measures on (issue 13).
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from types import ModuleType

import ifcopenshell
import ifcopenshell.guid
import ifcopenshell.util.element
import ifcopenshell.util.unit
import pytest

from checker.api import check_file
from checker.rules.schema import Ruleset

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def synthetic() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))  # synthetic.py imports its sibling synthetic_ifc.py
    try:
        import synthetic

        return synthetic
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def small(synthetic: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("synthetic") / "syn.ifc"
    return path, synthetic.generate(0.5, path)


def test_size_units_and_counts(small: tuple[Path, dict[str, int]]) -> None:
    path, counts = small
    assert abs(path.stat().st_size - 0.5e6) < 0.05 * 0.5e6
    model = ifcopenshell.open(str(path))
    assert model.schema == "IFC4"
    assert ifcopenshell.util.unit.calculate_unit_scale(model) == pytest.approx(0.001)  # millimetres, as Revit
    assert [len(model.by_type(c)) for c in ("IfcProject", "IfcSite", "IfcBuilding")] == [1, 1, 1]
    storeys = model.by_type("IfcBuildingStorey")
    assert len(storeys) == counts["storeys"] + 1 and storeys[-1].Name == "Roof"
    nx, ny, levels = counts["nx"], counts["ny"], counts["storeys"]
    exterior = 2 * (nx + ny) * levels
    assert len(model.by_type("IfcWall")) == exterior + (nx - 1) * ny * levels
    assert len(model.by_type("IfcWindow")) == 2 * exterior
    assert len(model.by_type("IfcSpace")) == nx * ny * levels
    assert len(model.by_type("IfcSlab")) == nx * ny * (levels + 1)
    assert {p.PredefinedType for p in model.by_type("IfcSolarDevice")} == {"SOLARPANEL"}
    assert len(model.by_type("IfcRelContainedInSpatialStructure")) == levels + 1
    assert all(len(rel.RelatedObjects) == 1 for rel in model.by_type("IfcRelDefinesByProperties"))
    walls = model.by_type("IfcWall")
    with_qto = [w for w in walls if "Qto_WallBaseQuantities" in ifcopenshell.util.element.get_psets(w)]
    assert 0.4 < len(with_qto) / len(walls) < 0.6  # the rest need geometry
    green = ifcopenshell.util.element.get_psets(model.by_type("IfcBuilding")[0])["CN_GreenBuilding"]
    assert (green["UseCategory"], green["ConstructionType"], green["TargetStarLevel"]) == ("public", "New", 3)


def test_global_ids_valid_unique_deterministic(synthetic: ModuleType, small: tuple[Path, dict[str, int]]) -> None:
    path, _ = small
    ids = [e.GlobalId for e in ifcopenshell.open(str(path)).by_type("IfcRoot")]
    assert len(ids) == len(set(ids))
    step = synthetic.Step("greencheck-synthetic")
    for n in (1, 4095, 4096, 123_456_789):
        step.roots = n - 1
        expected = ifcopenshell.guid.compress(uuid.UUID(int=step.seed_bits | n).hex)
        assert step.guid() == f"'{expected}'"
    again = synthetic.text(synthetic.build(3, 2, 3), "syn.ifc")
    assert again == synthetic.text(synthetic.build(3, 2, 3), "syn.ifc")


def test_greencheck_reads_sensible_facts(small: tuple[Path, dict[str, int]], ruleset: Ruleset) -> None:
    path, counts = small
    facts = check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z").buildings[0].facts
    bay_m2 = 8.4**2
    assert facts["above_ground_gfa"].value == pytest.approx(counts["nx"] * counts["ny"] * counts["storeys"] * bay_m2)
    assert facts["pv_panel_count"].value == 16 * counts["nx"] * counts["ny"]
    assert facts["u_mean_walls"].value == pytest.approx(0.35)
    assert facts["prefab_q1a_precast"].value == facts["prefab_q1a_total"].value > 0
