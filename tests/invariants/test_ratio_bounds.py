"""Invariant 6 (issue 8): every ratio in every result lies in [0, 1].

Checked on generated projects that include the inputs real exports get wrong: PV larger than the usable roof, windows
larger than their wall's gross area, a saving rate written as a percentage or out of range. Ratios are:

- facts that are shares (RATIO_FACTS). renewable_utilisation may exceed 1 by definition (a plus-energy building) and
  is not listed; nor is heat recovery's 'fraction of requirement';
- the value of every rule whose metric is a share (RATIO_METRICS), and envelope_improvement (1 - U / U_baseline),
  which is at most 1 and negative when the envelope is worse than the baseline;
- every item ratio in the BJ-PREFAB details.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import greencheck_invariants_strategies as S
import pytest
from hypothesis import given

from checker.rules.results import CheckRun

B = S.b
RATIO_FACTS = (
    "prefab_q2b_ratio",
    "prefab_q2d_ratio",
    "prefab_q3a_ratio",
    "prefab_q3b_ratio",
    "prefab_q3c_ratio",
    "prefab_q3d_ratio",
    "energy_saving_rate",
    "wwr_N",
    "wwr_E",
    "wwr_S",
    "wwr_W",
)
RATIO_METRICS = (
    "pv_roof_coverage",
    "prefab_assembly_rate",
    "prefab_precast_ratio",
    "green_material_ratio",
    "certified_material_share",
    "recyclable_reusable_share",
    "star_min_category_share",
    "window_shgc",
)
AT_MOST_ONE = ("envelope_improvement",)


def out_of_range(run: CheckRun) -> list[str]:
    """Every ratio of the run outside its range, described."""
    metric = {rule.id: rule.metric for rule in B.ruleset().rules}
    found = []
    for building in run.buildings:
        for key in RATIO_FACTS:
            value = building.facts[key].value
            if value is not None and not 0.0 <= float(value) <= 1.0:
                found.append(f"{building.name} fact {key} = {value!r}")
        for result in building.results:
            value, low = result.value, 0.0 if metric[result.rule_id] in RATIO_METRICS else None
            if metric[result.rule_id] not in RATIO_METRICS + AT_MOST_ONE or not isinstance(value, (int, float)):
                continue
            if not (low is None or float(value) >= low) or float(value) > 1.0:
                found.append(f"{building.name} {result.rule_id} = {value!r} ({result.message.en})")
            for code, item in (result.details.get("items") or {}).items():
                if item.get("ratio") is not None and not 0.0 <= float(item["ratio"]) <= 1.0:
                    found.append(f"{building.name} {result.rule_id} item {code} ratio {item['ratio']!r}")
    return found


@S.fast(60)
@given(project=S.projects(quirks=True))
def test_every_ratio_lies_between_zero_and_one(project: Any, folder: Path) -> None:
    assert out_of_range(B.check(project, folder)) == []


# --- the cases the invariant found (fixed in checker/; kept as plain tests) ---------------------------------------
ULE_OFFICE = (("ConstructionType", "New"), ("GovernmentInvested", True), ("EnergyTarget", "超低能耗"))


def office(facades: tuple[Any, ...], *green: tuple[str, Any]) -> Any:
    """A one-storey 20 m x 10 m ultra-low-energy office with these facades."""
    storeys = (B.Storey("L1", 0.0),)
    return B.Project((B.Building("Office", (20.0, 10.0), storeys, green=ULE_OFFICE + green, facades=facades),))


def test_windows_larger_than_the_gross_wall_area_give_no_window_to_wall_ratio(folder: Path) -> None:
    """An exporter writing GrossSideArea = NetSideArea (40 m²) around a 60 m² window gave a WWR of 1.5."""
    facade = B.Facade(0, "S", 40.0, 0.15, window=B.Glazing(60.0, 1.0), gross_with_openings=False)
    facts = B.check(office((facade,)), folder).buildings[0].facts
    for side in "NESW":
        wwr = facts[f"wwr_{side}"]
        assert wwr.value is None and "(60.00 m²) exceed its gross side area (40.00 m²)" in (wwr.missing or "")
        assert wwr.warnings == [wwr.missing]


def test_a_wall_on_the_centre_line_has_no_orientation(folder: Path) -> None:
    """Exterior walls only on S and E: the S wall's origin lies on the centre of the walls' origins across its face,
    so nothing says which side is out; it used to face inwards (N, a wrong WWR for N). Now it has no orientation."""
    facades = (
        B.Facade(0, "S", 40.0, 0.15, window=B.Glazing(8.0, 1.0)),
        B.Facade(0, "E", 20.0, 0.15, window=B.Glazing(2.0, 1.0)),
    )
    facts = B.check(office(facades), folder).buildings[0].facts
    wwr_e = facts["wwr_E"]  # 2 / 22 m² over the E wall; the S wall (8 / 48 m²) might face E too: a lower bound
    assert (wwr_e.value, wwr_e.bound) == (pytest.approx(2 / 22, abs=1e-6), "lower")
    for side in "NSW":
        assert facts[f"wwr_{side}"].value is None
        assert "1 wall or curtain wall with no orientation" in (facts[f"wwr_{side}"].missing or "")


def test_a_saving_rate_above_100_is_no_ratio(folder: Path) -> None:
    facts = B.check(office((), ("EnergySavingRate", 150.0)), folder).buildings[0].facts
    rate = facts["energy_saving_rate"]
    assert rate.value is None and rate.missing == (
        "CN_GreenBuilding.EnergySavingRate = 150 is neither a ratio (0-1) nor a percentage (0-100)"
    )
