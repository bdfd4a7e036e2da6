"""Issue 8 case 9: walls without Pset_WallCommon.IsExternal are exterior candidates, not skipped. A verdict is given
only when the candidates cannot change it; a wall hosting a window declared exterior is inferred exterior."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import greencheck_trust_envelope_models as em  # loaded by tests/trust/conftest.py
import pytest

from checker.api import check_file, facts_for_file
from checker.model.facts import BuildingFacts
from checker.rules.schema import Ruleset


def run(model: Any, ruleset: Ruleset, name: str = "tiny.ifc") -> tuple[BuildingFacts, dict[str, Any]]:
    path = model.write(name)
    building = facts_for_file(path, ruleset).buildings[0]
    return building, em.results(check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z"))


def box(
    make_model: Callable[..., Any], west_u: float | None, west_flag: bool | None = None, schema: str = "IFC4"
) -> tuple[Any, Any]:
    """Public ULE office: S/E/N walls flagged exterior (U 0.25, S with two windows), W wall `west_flag`/`west_u`."""
    model = em.office(make_model, schema=schema)
    south = em.wall(model, "S", 0.25)
    em.window(model, south, 1.0)
    em.window(model, south, 1.0)
    for side in "EN":
        em.wall(model, side, 0.25)
    west = em.wall(model, "W", west_u, external=west_flag)
    em.roof(model, 0.20)
    em.base_slab(model, 0.30)
    return model, west


def test_unflagged_wall_above_the_limit_makes_the_wall_rule_unknown(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    model, west = box(make_model, west_u=0.8)
    building, res = run(model, ruleset)
    walls = {r.global_id: r for r in building.elements["envelope_walls"]}
    assert len(walls) == 4 and walls[west.GlobalId].values["exterior"] == "candidate"
    assert (
        walls[west.GlobalId].sources["exterior"]
        == "Pset_WallCommon.IsExternal missing: cannot tell whether it is exterior"
    )
    wall = res["BJ-ULE-WALL-PUB"]  # before issue 8: pass on the three flagged walls (0.25)
    assert wall.status == "unknown" and wall.value == pytest.approx(0.25) and wall.bound == "lower"
    assert wall.missing == [
        f"IsExternal missing on 1 wall ({west.GlobalId}, U 0.80): cannot tell whether it is exterior"
    ]
    level = res["BJ-ULE-LEVEL"]
    assert level.status == "unknown" and any("IsExternal missing on 1 wall" in m for m in level.missing)
    # T1: walls between (0.45 − 0.8)/0.45 < 0 and (0.45 − 0.25)/0.45: cannot tell against 20 %
    t1 = res["BJ-STAR-020"]
    assert t1.status == "unknown" and any(west.GlobalId in m for m in t1.missing)


def test_wall_hosting_an_exterior_window_is_inferred_exterior(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Revit-like IFC2X3: the W wall carries no IsExternal but hosts a window whose Pset_WindowCommon says TRUE."""
    model, west = box(make_model, west_u=0.8, schema="IFC2X3")
    window = em.window(model, west, 1.0, external=True)
    building, res = run(model, ruleset)
    (record,) = [r for r in building.elements["envelope_walls"] if r.global_id == west.GlobalId]
    assert record.values["exterior"] == "inferred"
    assert record.sources["exterior"] == (
        "Pset_WallCommon.IsExternal missing; inferred exterior: hosts IfcWindow "
        f"{window.GlobalId} (Pset_WindowCommon.IsExternal = TRUE)"
    )
    wall = res["BJ-ULE-WALL-PUB"]
    assert wall.status == "fail" and wall.value == pytest.approx(0.8) and wall.bound == "exact"
    assert [e.global_id for e in wall.elements] == [west.GlobalId]


def test_unflagged_walls_that_all_comply_pass_with_a_note(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model, west = box(make_model, west_u=0.28)
    _, res = run(model, ruleset)
    wall = res["BJ-ULE-WALL-PUB"]
    assert wall.status == "pass" and wall.value == pytest.approx(0.28) and wall.bound == "upper"
    assert wall.missing == ["IsExternal missing on 1 wall but it complies (U 0.280 at worst)"]
    assert "whatever the missing data turn out to be" in wall.message.en


def test_flagged_walls_that_already_fail_fail(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = em.office(make_model)
    for side in "SEN":
        em.wall(model, side, 0.35)
    em.wall(model, "W", None, external=None)  # an unflagged wall without any U
    _, res = run(model, ruleset)
    wall = res["BJ-ULE-WALL-PUB"]
    assert wall.status == "fail" and wall.value == pytest.approx(0.35) and wall.bound == "lower"


def test_fzk_haus_style_model_without_any_is_external(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """ArchiCAD IFC4 as FZK-Haus: no wall or window carries IsExternal. Exterior walls U 0.15, one interior wall
    (U 1.5, as ArchiCAD writes it) parallel to the S facade: the residential wall rule cannot tell."""
    green = {**em.ULE_PUBLIC, "ConstructionType": "New", "HeatingDemand": 15.0}
    model = make_model()
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "Einfamilienhaus"})
    model.pset(model.building, "CN_GreenBuilding", green)
    south = em.wall(model, "S", 0.15, external=None, name="Wand-Ext-ERDG-1")
    em.window(model, south, 1.0, external=None)
    for side in "ENW":
        em.wall(model, side, 0.15, external=None, name=f"Wand-Ext-{side}")
    inner = em.wall(model, "S", 1.5, external=None, name="Wand-Int-ERDG-1", offset=3.0)
    building, res = run(model, ruleset)
    walls = building.elements["envelope_walls"]
    assert len(walls) == 5 and {r.values["exterior"] for r in walls} == {"candidate"}
    assert [r.values["exterior"] for r in building.elements["envelope_windows"]] == ["candidate"]
    wall = res["BJ-ULE-WALL-RES"]
    assert wall.status == "unknown" and wall.value is None
    assert wall.missing == [
        f"IsExternal missing on 1 wall ({inner.GlobalId}, U 1.50): cannot tell whether it is exterior"
    ]
    # WWR S: no wall known to be exterior faces S; the two candidates do (window 2.25 m² on 80 m², and 0 on 80 m²)
    wwr = building.facts["wwr_S"]
    assert wwr.value is None and "between 0.000 and 0.028" in str(wwr.missing)
    # the interior wall with a compliant U: every candidate complies, the rule passes and says so
    inner_ok = make_model()
    inner_ok.pset(inner_ok.building, "Pset_BuildingCommon", {"OccupancyType": "Einfamilienhaus"})
    inner_ok.pset(inner_ok.building, "CN_GreenBuilding", green)
    for side in "SENW":
        em.wall(inner_ok, side, 0.15, external=None)
    _, res_ok = run(inner_ok, ruleset, "ok.ifc")
    assert res_ok["BJ-ULE-WALL-RES"].status == "pass" and res_ok["BJ-ULE-WALL-RES"].bound == "upper"


def test_wwr_with_an_unflagged_wall_is_an_upper_bound(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """An unflagged wall without windows facing S can only lower the S ratio: 4.5 / 80 is an upper bound."""
    model, _ = box(make_model, west_u=0.25, west_flag=True)
    candidate = em.wall(model, "S", 0.25, external=None, name="Wall S2", offset=2.0)
    building, _ = run(model, ruleset)
    wwr = building.facts["wwr_S"]
    assert wwr.value == pytest.approx(4.5 / 80) and wwr.bound == "upper"
    assert wwr.warnings == [
        f"WWR S: 0.056 over the walls known to face it, between 0.000 and 0.056 depending on "
        f"1 wall without IsExternal facing S ({candidate.GlobalId})"
    ]
    assert building.facts["wwr_N"].bound == "exact" and building.facts["wwr_N"].value == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("candidate_u", "flagged_u", "status", "value", "bound"),
    [
        # walls between (0.45 − 0.35)/0.45 = 22.2 % and (0.45 − 0.30)/0.45 = 33.3 %: both ≥ 20 % -> pass (lower bound)
        (0.35, 0.30, "pass", 1 - 0.35 / 0.45, "lower"),
        # walls between 11.1 % and 33.3 %: cannot tell
        (0.40, 0.30, "unknown", 1 / 3, "upper"),
        # flagged walls alone 11.1 %; candidates can only lower it -> fail (upper bound)
        (0.90, 0.40, "fail", 1 - 0.40 / 0.45, "upper"),
    ],
)
def test_t1_uses_the_interval_the_candidates_allow(
    make_model: Callable[..., Any],
    ruleset: Ruleset,
    candidate_u: float,
    flagged_u: float,
    status: str,
    value: float,
    bound: str,
) -> None:
    """Three-star public office: roof 42.9 %, ground slab 33.3 %, S windows 60 % (WWR 0.056, an upper bound
    because of the candidate: band ≤ 0.20, baseline 2.5); the walls component decides."""
    model = em.office(make_model)
    south = em.wall(model, "S", flagged_u)
    em.window(model, south, 1.0)
    em.window(model, south, 1.0)
    for side in "ENW":
        em.wall(model, side, flagged_u)
    em.wall(model, "S", candidate_u, external=None, name="Wall S2", offset=2.0)
    em.roof(model, 0.20)
    em.base_slab(model, 0.30)
    _, res = run(model, ruleset)
    t1 = res["BJ-STAR-020"]
    assert t1.status == status and t1.value == pytest.approx(value) and t1.bound == bound


def test_fzk_haus_corpus_walls_are_candidates(corpus_dir: Path, ruleset: Ruleset) -> None:
    """IFC4_ArchiCAD20_AC20-FZK-Haus.ifc: 13 walls and 11 windows, none with IsExternal. Before issue 8: no exterior
    wall at all and every WWR 'no exterior wall facing'; now 13 candidates and a WWR range per facade."""
    path = corpus_dir / "IFC4_ArchiCAD20_AC20-FZK-Haus.ifc"
    if not path.is_file():
        pytest.skip("corpus file missing")
    building = facts_for_file(path, ruleset).buildings[0]
    walls = building.elements["envelope_walls"]
    assert len(walls) == 13 and {r.values["exterior"] for r in walls} == {"candidate"}
    assert sorted({float(r.values["u_declared"]) for r in walls}) == [0.4, 1.5]  # Wand-Ext 0.4, Wand-Int 1.5
    assert len(building.elements["envelope_windows"]) == 11
    for side in "NESW":
        wwr = building.facts[f"wwr_{side}"]
        assert wwr.value is None and "a wall or curtain wall known to be exterior facing" in str(wwr.missing)


def test_exterior_window_in_no_wall_makes_every_ratio_a_lower_bound(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """A window declared exterior that fills no wall opening (a window-frame sub-model, as in the Schependomlaan
    ArchiCAD files) faces no known side: it could raise any facade's ratio, never lower one."""
    model, _ = box(make_model, west_u=0.25, west_flag=True)
    loose = model.element("IfcWindow", "Loose window")
    model.qto(loose, "Qto_WindowBaseQuantities", {"Area": 2.25})
    model.pset(loose, "Pset_WindowCommon", {"IsExternal": True})
    building, _ = run(model, ruleset)
    south, east = building.facts["wwr_S"], building.facts["wwr_E"]
    assert south.value == pytest.approx(4.5 / 80) and south.bound == "lower"
    assert east.value == pytest.approx(0.0) and east.bound == "lower"
    assert east.warnings == [
        f"WWR E: 0.000 over the walls known to face it, between 0.000 and 0.056 depending on "
        f"1 window filling no wall, so facing no known side ({loose.GlobalId})"
    ]
