"""Thermal envelope and ultra-low-energy indicators (GB/T 51350-2019) of one building.

Envelope elements per class come from envelope_classes.py (which elements, how sure) and envelope_records.py
(area, U or layer resistance, SHGC, orientation); the window-to-wall ratio per facade from envelope_wwr.py.
Building indicators (N50, heat recovery, renewable share, saving rate, heating demand) come from CN_GreenBuilding
or, for heat recovery, from IfcAirToAirHeatRecovery psets.
"""

from __future__ import annotations

from collections import defaultdict

import ifcopenshell

from checker.model.envelope_records import envelope_records
from checker.model.envelope_u_facts import envelope_u_facts
from checker.model.envelope_wwr import wwr_facts
from checker.model.facts import ElementRecord, Evidence, Fact, Scalar
from checker.model.scope import GID_CAP, BuildingScope, prop_evidence

TARGET_WORDS = (
    ("nearly_zero", ("nearly", "nzeb", "近零")),
    ("ultra_low", ("ultra", "超低", "passive", "被动")),
    ("zero", ("zero", "零能耗", "zeb")),
)
# fact -> (CN_GreenBuilding property, unit, kind): kind "" a quantity, "ratio" 0-1, "open" a ratio that may pass 1
INDICATORS = {
    "airtightness_n50": ("AirtightnessN50", "1/h", ""),
    "renewable_utilisation": ("RenewableEnergyUtilisation", "1", "open"),
    "energy_saving_rate": ("EnergySavingRate", "1", "ratio"),
    "heating_demand": ("HeatingDemand", "kWh/(m2.a)", ""),
}
RATIO_MEASURES = {"IfcRatioMeasure", "IfcPositiveRatioMeasure", "IfcNormalisedRatioMeasure"}


def envelope_facts(scope: BuildingScope) -> tuple[dict[str, Fact], dict[str, list[ElementRecord]]]:
    facts = {"energy_target": energy_target(scope)}  # the scope flags (rural, admin office area) are in building.py
    for fact, (prop, unit, ratio) in INDICATORS.items():
        facts[fact] = _indicator(scope, prop, unit, ratio)
    elements = envelope_records(scope)
    unheated = [r.global_id for r in elements["envelope_floors_unheated"]]
    facts["floors_unheated_count"] = Fact(
        value=len(unheated),
        evidence=[
            Evidence(
                method="property",
                source="IfcSlab FLOOR with CN_GreenBuilding.AboveUnheatedSpace = true",
                global_ids=unheated[:GID_CAP],
                count=len(unheated),
            )
        ],
    )
    facts.update(wwr_facts(elements["envelope_walls"], elements["envelope_windows"]))
    facts.update(envelope_u_facts(elements, scope.config.surface_resistances))
    hr_facts, units = heat_recovery(scope)
    facts.update(hr_facts)
    elements["heat_recovery_units"] = units
    return facts, elements


# --- building declarations -----------------------------------------------------------------------------------
def parse_energy_target(raw: Scalar) -> str | None:
    """ultra_low / nearly_zero / zero from English or Chinese spellings (近零 checked before 零能耗)."""
    text = str(raw).strip().lower().replace("-", " ").replace("_", " ")
    for level, words in TARGET_WORDS:
        if any(word in text for word in words):
            return level
    return None


def energy_target(scope: BuildingScope) -> Fact:
    value = scope.custom(scope.building, "EnergyTarget")
    if value is None or not str(value.raw or "").strip():
        ev = Evidence(
            method="default",
            source="CN_GreenBuilding.EnergyTarget not declared",
            global_ids=[scope.building.GlobalId],
            count=1,
        )
        return Fact(value="none", evidence=[ev])
    level = parse_energy_target(value.raw)
    if level is None:
        return Fact(
            value=None,
            missing=(
                f"CN_GreenBuilding.EnergyTarget '{value.raw}' is not ultra-low / nearly-zero / zero "
                "(超低能耗 / 近零能耗 / 零能耗)"
            ),
        )
    return Fact(value=level, evidence=[prop_evidence(value, [scope.building])])


def as_ratio(raw: float) -> tuple[float, list[str]]:
    """A 0..1 ratio; values in (1, 100] are read as percent with a warning."""
    if 1.0 < raw <= 100.0:
        return raw / 100.0, [f"value {raw:g} read as a percentage ({raw / 100:g})"]
    return raw, []


def _indicator(scope: BuildingScope, prop: str, unit: str, kind: str) -> Fact:
    value = scope.custom(scope.building, prop)
    if value is None or isinstance(value.raw, bool) or not isinstance(value.raw, (int, float)):
        return Fact(value=None, unit=unit, missing=f"CN_GreenBuilding.{prop} (number) on the IfcBuilding")
    raw = float(value.raw)
    evidence = [prop_evidence(value, [scope.building])]
    if kind == "open":
        limit = scope.config.plausibility.max_open_ratio
        return _open_ratio(prop, raw, value.measure in RATIO_MEASURES, unit, evidence, limit)
    if kind == "ratio" and not 0.0 <= raw <= 100.0:
        problem = f"CN_GreenBuilding.{prop} = {raw:g} is neither a ratio (0-1) nor a percentage (0-100)"
        return Fact(value=None, unit=unit, missing=problem, warnings=[problem])
    number, warnings = as_ratio(raw) if kind == "ratio" else (raw, [])
    return Fact(value=number, unit=unit, evidence=evidence, warnings=warnings)


def _open_ratio(prop: str, raw: float, typed: bool, unit: str, evidence: list[Evidence], limit: float) -> Fact:
    """A ratio that may exceed 1 (renewable utilisation of a zero-energy building): typed as a ratio measure it is
    taken as written (1.2 = 120 %); an untyped 1.2 could be 120 % or 1.2 %, so it is unknown rather than guessed."""
    if typed and 0.0 <= raw <= limit:
        return Fact(value=raw, unit=unit, evidence=evidence)
    if not typed and 0.0 <= raw <= 1.0:
        return Fact(value=raw, unit=unit, evidence=evidence)
    if not typed and limit < raw <= 100.0 * limit:
        return Fact(value=raw / 100.0, unit=unit, evidence=evidence, warnings=[f"value {raw:g} read as a percentage"])
    if not typed and 1.0 < raw <= limit:
        problem = (
            f"CN_GreenBuilding.{prop} = {raw:g} could be {raw:.0%} or {raw:g} %: declare it as IfcRatioMeasure "
            "(1.2 = 120 %)"
        )
    else:
        problem = f"CN_GreenBuilding.{prop} = {raw:g} is not a plausible ratio"
    return Fact(value=None, unit=unit, missing=problem, warnings=[problem])


# --- heat recovery -------------------------------------------------------------------------------------------
def _performance_histories(model: ifcopenshell.file) -> dict[int, list[ifcopenshell.entity_instance]]:
    """Element id -> its IfcPerformanceHistory objects (IfcRelAssignsToControl), for the whole file at once."""
    histories: dict[int, list[ifcopenshell.entity_instance]] = defaultdict(list)
    for rel in model.by_type("IfcRelAssignsToControl"):
        if rel.RelatingControl is not None and rel.RelatingControl.is_a("IfcPerformanceHistory"):
            for obj in rel.RelatedObjects or ():
                histories[obj.id()].append(rel.RelatingControl)
    return histories


def heat_recovery(scope: BuildingScope) -> tuple[dict[str, Fact], list[ElementRecord]]:
    """Per IfcAirToAirHeatRecovery: HeatTransferType and Sensible/TotalEffectiveness (PHistory pset on the unit,
    its type or its IfcPerformanceHistory), else CN_GreenBuilding.HeatRecoverySensibleEfficiency / ...EnthalpyEfficiency
    on the unit or the building."""
    histories = scope.index.per_file("performance_histories", lambda: _performance_histories(scope.index.file))
    units = scope.of_class("IfcAirToAirHeatRecovery") if scope.index.file.schema != "IFC2X3" else []
    records = []
    for unit in units:
        values: dict[str, Scalar] = {}
        sources: dict[str, str] = {}
        kind = scope.index.value(unit, "Pset_AirToAirHeatRecoveryTypeCommon", "HeatTransferType")
        values["heat_transfer_type"] = str(kind.raw).upper() if kind is not None else None
        sources["heat_transfer_type"] = kind.source if kind is not None else "missing"
        for key, prop, custom in (
            ("sensible", "SensibleEffectiveness", "HeatRecoverySensibleEfficiency"),
            ("total", "TotalEffectiveness", "HeatRecoveryEnthalpyEfficiency"),
        ):
            found = None
            for holder in (unit, *histories.get(unit.id(), [])):
                found = found or scope.index.value(holder, "Pset_AirToAirHeatRecoveryPHistory", prop)
            found = found or scope.custom(unit, custom) or scope.custom(scope.building, custom)
            if found is not None and isinstance(found.raw, (int, float)) and not isinstance(found.raw, bool):
                values[key] = as_ratio(float(found.raw))[0]
                sources[key] = found.source
        records.append(scope.record(unit, values, sources))
    if not units:
        building_values: dict[str, Scalar] = {}
        building_sources: dict[str, str] = {}
        for key, custom in (
            ("sensible", "HeatRecoverySensibleEfficiency"),
            ("total", "HeatRecoveryEnthalpyEfficiency"),
        ):
            found = scope.custom(scope.building, custom)
            if found is not None and isinstance(found.raw, (int, float)) and not isinstance(found.raw, bool):
                building_values[key] = as_ratio(float(found.raw))[0]
                building_sources[key] = found.source
        if building_values:
            records.append(scope.record(scope.building, building_values, building_sources))
    count_ev = Evidence(
        method="attribute", source="IfcAirToAirHeatRecovery", global_ids=[u.GlobalId for u in units], count=len(units)
    )
    return {"heat_recovery_unit_count": Fact(value=len(units), evidence=[count_ev])}, records
