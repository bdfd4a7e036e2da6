"""Issue 9 item 5 (time side): 3,000 empty IfcBuildings in one 344 KB file took 1:44 and 2.7 GB.

Two things made the work grow with the square of the number of buildings: extractors that run once per building
re-scanned the whole file (every IfcBuilding for the PV survey, every material pset, every IfcRelAssignsToControl,
the true north), and the project area's `missing` text listed every open building and was repeated by every
building's rules. Both are measured here without a clock: the entities ifcopenshell hands out (`by_type`) and the
size of the report must grow linearly. The timing is in benchmarks/bench_many_buildings.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import ifcopenshell
import ifcopenshell.guid
import pytest

from checker.api import check_file
from checker.model.project import OPEN_BUILDINGS_NAMED
from checker.model.scope import GID_CAP
from checker.rules.schema import Ruleset

GENERATED_AT = "2024-01-01T00:00:00Z"


def many_buildings(ifcbuild: ModuleType, count: int, path: Path) -> Path:
    """`count` empty IfcBuildings under one site (one IfcRelAggregates, as a campus export writes them)."""
    m = ifcbuild.new_model("IFC4", path.name, "campus", millimetres=True)
    site = ifcbuild.add_spatial(m, "IfcSite", "Site", m.project)
    owner = (m.file.by_type("IfcOwnerHistory") or [None])[0]
    buildings = [m.file.createIfcBuilding(ifcopenshell.guid.new(), owner, f"B{i}") for i in range(count)]
    m.file.createIfcRelAggregates(ifcopenshell.guid.new(), owner, None, None, site, buildings)
    m.file.write(str(path))
    return path


class ScanCounter:
    """Counts the entities every file.by_type call returns: the work of whole-file scans."""

    def __init__(self) -> None:
        self.entities = 0
        self.calls = 0


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScanCounter]:
    counter = ScanCounter()
    original = ifcopenshell.file.by_type

    def counting(self: ifcopenshell.file, *args: object, **kwargs: object) -> object:
        found = original(self, *args, **kwargs)
        counter.calls += 1
        counter.entities += len(found)
        return found

    monkeypatch.setattr(ifcopenshell.file, "by_type", counting)
    yield counter


def _measure(
    ifcbuild: ModuleType, ruleset: Ruleset, tmp_path: Path, scans: ScanCounter, count: int
) -> tuple[int, int, int]:
    path = many_buildings(ifcbuild, count, tmp_path / f"campus-{count}.ifc")
    scans.entities = scans.calls = 0
    run = check_file(path, ruleset, generated_at=GENERATED_AT)
    assert len(run.buildings) == count
    return scans.entities, scans.calls, len(run.model_dump_json())


def test_work_grows_linearly_with_buildings(
    ifcbuild: ModuleType, ruleset: Ruleset, tmp_path: Path, scans: ScanCounter
) -> None:
    small = _measure(ifcbuild, ruleset, tmp_path, scans, 60)
    large = _measure(ifcbuild, ruleset, tmp_path, scans, 120)
    entities, _calls, size = (b / a for a, b in zip(small, large, strict=True))
    # Quadratic work doubles again on top of the doubling (x4): before the fix, 60 -> 120 buildings gave x3.9 entities
    # (3,784 -> 14,764), x2.0 by_type calls (436 -> 856) and x3.4 report size (17.6 -> 60.2 MB).
    assert entities <= 2.1, (small, large)
    assert large[1] == small[1], "whole-file scans must not be repeated per building"
    assert size <= 2.1, (small, large)


def test_project_area_names_a_bounded_number_of_open_buildings(
    ifcbuild: ModuleType, ruleset: Ruleset, tmp_path: Path
) -> None:
    run = check_file(many_buildings(ifcbuild, 40, tmp_path / "campus.ifc"), ruleset, generated_at=GENERATED_AT)
    area = run.project.facts["project_new_public_above_ground_gfa"]
    assert (area.value, area.bound) == (0.0, "lower")
    names = ", ".join(f"B{i}" for i in range(OPEN_BUILDINGS_NAMED))
    assert area.missing == (
        f"the use, newness or above-ground floor area of 40 buildings: {names} and 30 more "
        "(GlobalIds in the evidence; each building's facts say what it lacks)"
    )
    assert area.evidence[-1].count == 40
    assert area.evidence[-1].global_ids == [b.global_id for b in run.buildings][:GID_CAP]
