"""Table 3.2.8 T1 envelope improvement on hand-built BuildingFacts, with the ruleset's own baseline param set."""

from __future__ import annotations

from typing import Any

import pytest

from checker.model.facts import BuildingFacts, ElementRecord, Fact
from checker.rules.families.envelope_improvement import envelope_improvement
from checker.rules.loader import load_ruleset


def params(**override: Any) -> dict[str, Any]:
    rule = next(r for r in load_ruleset().rules if r.id == "BJ-STAR-020")
    return {**rule.params, "require_op": ">=", "require_value": 0.20, **override}


def rec(
    gid: str, area: float | None, u: float | None = None, orientation: str | None = None, r_layers: float | None = None
) -> ElementRecord:
    values: dict[str, Any] = {"area_m2": area, "u_declared": u, "orientation": orientation}
    if r_layers is not None:
        values["r_layers"] = r_layers
    return ElementRecord(global_id=gid, ifc_class="IfcElement", values=values)


def building(**elements: list[ElementRecord]) -> BuildingFacts:
    facts = {
        "wwr_S": Fact(value=0.35),
        "wwr_N": Fact(value=0.15),
        "wwr_E": Fact(value=None, missing="an exterior wall facing E (there is none)"),
    }
    return BuildingFacts(global_id="B", facts=facts, elements={f"envelope_{k}": v for k, v in elements.items()})


WALLS_LABEL = "exterior walls (incl. opaque curtain walls)"
WINDOWS_LABEL = "exterior windows (incl. transparent curtain walls)"
WALLS = [rec("w1", 100.0, 0.36, "S"), rec("w2", 50.0, 0.30, "N")]
ROOFS = [rec("r1", 200.0, 0.28)]
WINDOWS_S = [rec("g1", 10.0, 1.6, "S"), rec("g2", 20.0, 1.7, "S")]


def test_minimum_over_components_with_a_window_on_a_035_facade() -> None:
    # walls (100x0.36 + 50x0.30)/150 = 0.34 vs 0.45 -> 0.11/0.45 = 0.244444
    # roof 0.28 vs 0.35 -> 0.2
    # S windows (10x1.6 + 20x1.7)/30 = 1.666667 vs 2.0 (WWR 0.35: band 0.30 < WWR <= 0.40) -> 0.166667
    # floor U = 1/(0.11 + 2.35 + 0.04) = 0.4 vs 0.45 -> 0.05/0.45 = 0.111111 (the minimum)
    m = envelope_improvement(
        building(walls=WALLS, roofs=ROOFS, windows=WINDOWS_S, floors=[rec("f1", 100.0, r_layers=2.35)]), params()
    )
    assert m.value == pytest.approx(1 / 9, abs=1e-6)
    assert m.bound == "exact" and not m.missing
    rows = {row[0].rsplit(" / ", 1)[0]: row for row in m.details["tables"][0]["rows"]}
    assert rows[WALLS_LABEL][6] == pytest.approx(0.11 / 0.45, abs=1e-6)
    assert rows["roofs"][6] == pytest.approx(0.2, abs=1e-6)
    assert rows[f"{WINDOWS_LABEL} (S)"][4] == 2.0 and rows[f"{WINDOWS_LABEL} (S)"][6] == pytest.approx(1 / 6, abs=1e-6)
    assert rows["floors over outside / ground"][3] == pytest.approx(0.4, abs=1e-4)
    # U for the 20 % target: 0.8 x baseline
    assert rows[f"{WINDOWS_LABEL} (S)"][7] == pytest.approx(1.6)
    assert [b["value"] for b in m.details["bars"]] == pytest.approx([0.2, 0.11 / 0.45, 1 / 9, 1 / 6], abs=1e-6)
    assert m.details["limiting_component"] == "floors over outside / ground"
    assert any("stricter column" in w for w in m.warnings)


def test_window_baseline_follows_each_facade_and_looser_shape_factor_column() -> None:
    # N window on a 0.15 facade: baseline 2.5, U 2.0 -> 0.2; S windows 1/6 as above is the minimum
    # S <= 0.30 column: walls 0.34 vs 0.50 -> 0.32, roof 0.28 vs 0.40 -> 0.30
    m = envelope_improvement(
        building(walls=WALLS, roofs=ROOFS, windows=[*WINDOWS_S, rec("g3", 5.0, 2.0, "N")]),
        params(shape_factor_band="S<=0.30"),
    )
    assert m.value == pytest.approx(1 / 6, abs=1e-6)
    rows = {row[0].rsplit(" / ", 1)[0]: row for row in m.details["tables"][0]["rows"]}
    assert rows[f"{WINDOWS_LABEL} (N)"][4] == 2.5 and rows[WALLS_LABEL][6] == pytest.approx(0.32, abs=1e-6)
    assert not any("stricter column" in w for w in m.warnings)


def test_missing_u_gives_an_upper_bound_and_missing_wwr_is_named() -> None:
    # roof without U: walls 0.244444 known, so the value is an upper bound of the minimum; the E window has no WWR
    m = envelope_improvement(
        building(walls=WALLS, roofs=[rec("r1", 200.0)], windows=[rec("g4", 3.0, 1.5, "E")]), params()
    )
    assert m.bound == "upper" and m.value == pytest.approx(0.11 / 0.45, abs=1e-6)
    assert any("r1" in s for s in m.missing) and any("E facade" in s for s in m.missing)


def test_nothing_computable_is_unknown() -> None:
    m = envelope_improvement(building(walls=[rec("w9", 10.0)]), params())
    assert m.value is None and any("w9" in s for s in m.missing)
