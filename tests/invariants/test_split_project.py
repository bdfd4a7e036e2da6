"""Invariant 5 (issue 8): a building's storeys split across two files of one project give the same
prefabrication scope as the single file.

Both files carry the same IfcProject (GlobalId and name) and declare the project's total in
CN_GreenBuilding.ProjectNewAboveGroundArea; the single file declares the same total. The scope of BJ-PREFAB-001..004
(new AND public in a project of >= 20,000 m², or government-invested, or industrial on industrial land) must come out
the same (applicable, not applicable, or cannot tell) in each part as in the whole.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import greencheck_invariants_strategies as S
from hypothesis import assume, given
from hypothesis import strategies as st

from checker.model.facts import BuildingFacts
from checker.rules.conditions import applicability
from checker.rules.results import CheckRun

B = S.b
RULE = "BJ-PREFAB-001"


def part(building: Any, first: int, stop: int, top: bool) -> Any:
    """The storeys first..stop-1 with their members and facades (re-indexed); the roof and PV with the top part."""

    def inside(index: int) -> bool:
        return first <= index < stop

    return dataclasses.replace(
        building,
        storeys=building.storeys[first:stop],
        members=tuple(dataclasses.replace(m, storey=m.storey - first) for m in building.members if inside(m.storey)),
        facades=tuple(dataclasses.replace(f, storey=f.storey - first) for f in building.facades if inside(f.storey)),
        roof=building.roof if top else None,
        panels=building.panels if top else None,
    )


@st.composite
def split_projects(draw: st.DrawFn) -> tuple[Any, Any, Any]:
    """(single file, lower part, upper part) of one building; the declared total is at least the building's
    above-ground floor area (a smaller total would be contradicted by the single file, and ignored there)."""
    building = draw(S.buildings())
    assume(len(building.storeys) >= 2)
    cut = draw(st.integers(1, len(building.storeys) - 1))
    above = sum(1 for s in building.storeys if s.elevation >= 0)
    floor_area = building.footprint[0] * building.footprint[1] * above
    total = draw(st.sampled_from([floor_area, max(floor_area, 20000.0), max(floor_area, 30000.0)]))
    common = {"schema": draw(st.sampled_from(["IFC4", "IFC2X3"])), "millimetres": draw(st.booleans())}
    common |= {"total": total, "name": "split project"}
    whole = B.Project(buildings=(building,), **common)
    lower = B.Project(buildings=(part(building, 0, cut, False),), **common)
    upper = B.Project(buildings=(part(building, cut, len(building.storeys), True),), **common)
    return whole, lower, upper


def prefab_scope(run: CheckRun) -> bool | None:
    """Whether BJ-PREFAB-001 applies to the file's building (None: cannot tell), from the facts the rule sees."""
    rule = next(r for r in B.ruleset().rules if r.id == RULE)
    (building,) = run.buildings
    facts = BuildingFacts(global_id=building.global_id, facts={**run.project.facts, **building.facts})
    return applicability(rule.applies_when, facts).applies


@S.fast(40)
@given(files=split_projects())
def test_split_project_keeps_the_prefab_scope(files: tuple[Any, Any, Any], folder: Path) -> None:
    runs = [B.check(project, folder) for project in files]
    assert len({run.project.global_id for run in runs}) == 1
    whole, *parts = (prefab_scope(run) for run in runs)
    assert parts == [whole, whole]
