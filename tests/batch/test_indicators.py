"""Zone indicators per building: unknown scope, weight or outcome is never counted as meeting the target; a bound
decides only the way it proves."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from checker.batch.indicators import aggregate, assess, load_definitions
from checker.model.facts import Fact
from checker.rules.results import BuildingResult, CheckRun


@pytest.fixture(scope="module")
def office(checked: Callable[[str], CheckRun]) -> BuildingResult:
    return checked("pass-public-office.ifc").buildings[0]  # new public, three-star, 18 panels, 21,600 m2


def _with(building: BuildingResult, **facts: Fact) -> BuildingResult:
    return building.model_copy(update={"facts": {**building.facts, **facts}})


def test_every_indicator_cites_the_plan() -> None:
    definitions = load_definitions()
    assert [d.id for d in definitions] == [
        "new-area-two-star",
        "new-area-star-rated",
        "new-public-pv",
        "prefab-area",
        "bim-data-complete",
    ]
    assert {d.citation.document for d in definitions} == {"发改环资〔2024〕241号"}
    assert all(d.target == 1.0 for d in definitions)


def test_office_meets_all_four(office: BuildingResult) -> None:
    outcomes = assess(office)
    assert {key: o.state for key, o in outcomes.items()} == dict.fromkeys(outcomes, "met")
    assert outcomes["new-area-two-star"].weight == 21600.0 and outcomes["new-public-pv"].weight == 1.0


@pytest.mark.parametrize(
    ("fact", "state"),
    [
        (Fact(value=0, bound="lower"), "unknown"),  # 0 found, more may exist: cannot tell
        (Fact(value=2, bound="lower"), "met"),  # at least 2 panels: proven
        (Fact(value=None, missing="no IfcSolarDevice"), "unknown"),
        (Fact(value=0), "not_met"),
    ],
)
def test_pv_presence_with_bounds(office: BuildingResult, fact: Fact, state: str) -> None:
    assert assess(_with(office, pv_panel_count=fact))["new-public-pv"].state == state


def test_unknown_scope_or_area_is_counted_apart(office: BuildingResult) -> None:
    unknown_new = _with(office, is_new=Fact(value=None, missing="CN_GreenBuilding.ConstructionStatus"))
    no_area = _with(office, above_ground_gfa=Fact(value=20000.0, unit="m2", bound="lower"))
    retrofit = _with(office, is_new=Fact(value=False))
    assert assess(unknown_new)["new-area-two-star"].state == "unknown"
    assert assess(no_area)["new-area-two-star"].state == "unknown"
    assert assess(retrofit)["new-area-two-star"].state == "out_of_scope"
    one_star = _with(office, target_star_level=Fact(value=1, unit="star"))
    two_star = aggregate([assess(b) for b in (office, unknown_new, no_area, retrofit, one_star)])[0]
    assert (two_star.buildings_met, two_star.buildings_not_met, two_star.buildings_unknown) == (1, 1, 2)
    assert two_star.buildings_out_of_scope == 1
    assert (two_star.met_weight, two_star.basis_weight, two_star.value) == (21600.0, 43200.0, 0.5)


def test_no_basis_gives_no_value(office: BuildingResult) -> None:
    unknown = _with(office, is_new=Fact(value=None, missing="CN_GreenBuilding.ConstructionStatus"))
    indicator = aggregate([assess(unknown)])[0]
    assert indicator.value is None and indicator.buildings_unknown == 1
