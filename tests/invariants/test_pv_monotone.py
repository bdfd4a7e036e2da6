"""Invariant 3 (issue 8): adding PV panels never lowers the roof coverage (BJ-PV-002's value) nor the panel count.

A generated project is checked with and without more panels of the same kind on a building's roof (or its first
panels); wherever both checks give a value, the one with more panels is not lower.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import greencheck_invariants_strategies as S
from hypothesis import given
from hypothesis import strategies as st

B = S.b


@st.composite
def with_more_pv(draw: st.DrawFn) -> tuple[Any, Any]:
    """(project, the same project with 1-3 more panels on its first building)."""
    project = draw(S.projects(full=draw(st.sampled_from([True, None]))))
    first, *rest = project.buildings
    if draw(st.sampled_from([True, True, False])):  # mostly where BJ-PV-002 applies: new, public, government-invested
        green = dict(first.green) | {"ConstructionType": "New", "GovernmentInvested": True, "UseCategory": "public"}
        first = dataclasses.replace(first, green=tuple(green.items()))
    added = draw(st.integers(1, 3))
    panels = first.panels if first.panels is not None else draw(S.panels(first.footprint, True))
    if draw(st.booleans()):  # mostly panels that fit the roof even after the addition (else the coverage is unknown)
        roof = first.footprint[0] * first.footprint[1]
        share = draw(st.sampled_from([0.3, 0.6, 0.9]))
        panels = dataclasses.replace(panels, area=roof * share / (panels.count + 3))
    base = dataclasses.replace(first, panels=panels if first.panels is not None else None)
    more = dataclasses.replace(first, panels=dataclasses.replace(panels, count=panels.count + added))
    if first.panels is None:
        more = dataclasses.replace(more, panels=dataclasses.replace(panels, count=added))
    return dataclasses.replace(project, buildings=(base, *rest)), dataclasses.replace(project, buildings=(more, *rest))


def pv_figures(project: Any, folder: Path) -> tuple[Any, Any]:
    """(BJ-PV-002 result, pv_panel_count fact) of the first building."""
    building = B.check(project, folder).buildings[0]
    return next(r for r in building.results if r.rule_id == "BJ-PV-002"), building.facts["pv_panel_count"]


@S.fast(50)
@given(pair=with_more_pv())
def test_adding_pv_never_lowers_coverage_or_count(pair: tuple[Any, Any], folder: Path) -> None:
    (coverage, count), (more_coverage, more_count) = (pv_figures(project, folder) for project in pair)
    assert more_count.value > count.value
    if coverage.value is not None and more_coverage.value is not None:
        assert more_coverage.value >= coverage.value - 1e-9, (coverage.message.en, more_coverage.message.en)
