"""Invariant 2 (issue 8): adding precast members never lowers the assembly rate P (BJ-PREFAB-001's value).

A generated one-building project is checked with and without extra precast members (columns, shear walls, floor
slabs in its storeys); wherever BJ-PREFAB-001 has a value in both, the one with more precast members is not lower.
P is exact or a lower bound (unknown items score 0): an exact P after the addition must reach the P before, and an
exact P before may not become a bound (a precast member with its quantities cannot make an item unknown).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import greencheck_invariants_strategies as S
from hypothesis import given
from hypothesis import strategies as st

B = S.b
RULE = "BJ-PREFAB-001"


@st.composite
def with_precast(draw: st.DrawFn) -> tuple[Any, Any]:
    """(project, the same project with 1-3 more precast members in its building)."""
    project = draw(S.projects(max_buildings=1, full=draw(st.sampled_from([True, True, None]))))
    (building,) = project.buildings
    if draw(st.booleans()):  # mostly in the prefabrication scope (new, government-invested), so that P is measured
        green = dict(building.green) | {"ConstructionType": "New", "GovernmentInvested": True}
        building = dataclasses.replace(building, green=tuple(green.items()))
        project = dataclasses.replace(project, buildings=(building,))
    extra = tuple(
        B.Member(
            ifc_class=draw(st.sampled_from(["IfcColumn", "IfcWall", "IfcSlab"])),
            storey=draw(st.integers(0, len(building.storeys) - 1)),
            precast=True,
            volume=draw(st.sampled_from([5.0, 20.0, 60.0])),
            material=draw(st.sampled_from([0, None])),
        )
        for _ in range(draw(st.integers(1, 3)))
    )
    more = dataclasses.replace(building, members=building.members + extra)
    return project, dataclasses.replace(project, buildings=(more,))


def assembly_rate(project: Any, folder: Path) -> Any:
    (building,) = B.check(project, folder).buildings
    return next(r for r in building.results if r.rule_id == RULE)


@S.fast(60)
@given(pair=with_precast())
def test_adding_precast_members_never_lowers_p(pair: tuple[Any, Any], folder: Path) -> None:
    base, more = (assembly_rate(project, folder) for project in pair)
    if base.value is None or more.value is None:
        return
    assert not (base.bound == "exact" and more.bound != "exact"), (base.message.en, more.message.en)
    if more.bound == "exact":
        assert more.value >= base.value - 1e-9, (base.message.en, more.message.en)
