"""PV module degradation (GB 55015-2021 ch. 5): each panel's cell type and its declared first-year and annual
degradation, read from the panel or its type.

Degradation is a ratio (IfcPositiveRatioMeasure, 0..1): 2.5 % is written 0.025. A figure above the ruleset's
`pv_degradation_max_ratio` (0.2: no module loses a fifth of its power in a year) is taken as a percentage written
by mistake ('2.5' or '0.7' for 0.7 %) and is not used: guessing the unit could turn a fail into a pass, so the panel
is reported as lacking the value, with a warning that says how to write it.
"""

from __future__ import annotations

import ifcopenshell

from checker.model.facts import ElementRecord, Fact, Scalar
from checker.model.keywords import category_matches
from checker.model.scope import CUSTOM_PSET, BuildingScope, extreme_of_records

FIRST_YEAR = "PVFirstYearDegradation"
ANNUAL = "PVAnnualDegradation"
CELL_TYPE = "PVCellType"
# record value key -> the CN_GreenBuilding property it is read from
DEGRADATION_KEYS = {"first_year_degradation": FIRST_YEAR, "annual_degradation": ANNUAL}


def cell_type(scope: BuildingScope, panel: ifcopenshell.entity_instance) -> tuple[str | None, str]:
    """(poly / mono / thin_film or None, source): CN_GreenBuilding.PVCellType through the ruleset's word table."""
    declared = scope.custom(panel, CELL_TYPE)
    if declared is None or not str(declared.raw or "").strip():
        return None, "missing"
    table = [(name, words) for name, words in scope.config.pv_cell_types.items()]
    found = list(category_matches(str(declared.raw), table))
    if len(found) != 1:
        return None, f"missing ({declared.source} '{declared.raw}' is not poly, mono or thin-film)"
    return found[0], declared.source


def degradation(scope: BuildingScope, panel: ifcopenshell.entity_instance, prop: str) -> tuple[float | None, str]:
    """(ratio or None, source): a number in 0..pv_degradation_max_ratio; a larger one is refused as a percentage."""
    declared = scope.custom(panel, prop)
    if declared is None:
        return None, "missing"
    raw = declared.raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None, f"missing ({declared.source} '{raw}' is not a number: a ratio, 0.025 for 2.5 %)"
    if raw < 0 or raw > scope.config.pv_degradation_max_ratio:
        return None, (
            f"missing ({declared.source} = {raw} is not a ratio of 0 to {scope.config.pv_degradation_max_ratio}: "
            "a percentage? write 0.025 for 2.5 %)"
        )
    return float(raw), declared.source


def degradation_values(
    scope: BuildingScope, panel: ifcopenshell.entity_instance
) -> tuple[dict[str, Scalar], dict[str, str]]:
    """The panel record's degradation values and their sources."""
    kind, kind_source = cell_type(scope, panel)
    values: dict[str, Scalar] = {"pv_cell_type": kind}
    sources = {"pv_cell_type": kind_source}
    for key, prop in DEGRADATION_KEYS.items():
        values[key], sources[key] = degradation(scope, panel, prop)
    return values, sources


def refused(records: list[ElementRecord]) -> list[str]:
    """Warnings for values found in the file but not used (not a number, a percentage, an unknown cell type); their
    record sources start with 'missing' so that the data-to-add checklist lists the panel as lacking the value."""
    found = []
    for record in records:
        for key in ("pv_cell_type", *DEGRADATION_KEYS):
            source = record.sources.get(key, "missing")
            if record.values.get(key) is None and source.startswith("missing ("):
                found.append(f"PV panel {record.global_id}: {source[len('missing (') : -1]} (not used)")
    return found


def max_annual_degradation(records: list[ElementRecord]) -> Fact:
    """The largest declared annual degradation (ratio) among the panels: unknown while any panel lacks it."""
    if not records:
        return Fact(
            value=None, unit="1", missing="a PV panel in the building to read a degradation from (there is none)"
        )
    where = f"{CUSTOM_PSET}.{ANNUAL} (ratio, 0.007 for 0.7 %) on the panel or its type"
    lacking = ("annual degradation", "PV panels", where)
    return extreme_of_records(records, "annual_degradation", max, "1", lacking, warnings=refused(records))
