"""Heating, hot-water and cooking equipment of a building and its declared heating source (plan 六(十五) no new
stand-alone gas heating, heat pumps; 六(十六) electrified heating, hot water and cooking in homes).

An architectural model rarely holds this equipment, and its absence proves nothing: a rule passes only on a
declaration on the IfcBuilding (CN_GreenBuilding.HeatingSource, .AllElectric) or on modelled equipment.

Equipment is read by class, on the occurrence or (IFC2X3 flow terminals and energy-conversion devices) its type:
IfcBoiler, IfcBurner (IFC4+), IfcGasTerminal (IFC2X3), IfcElectricAppliance (cooker, water heater, heater),
IfcSpaceHeater with a stated energy source, heat pumps by name in the ruleset's heat-pump classes, and the ruleset's
named classes (proxies, furniture) when their name says an end use (燃气灶, 电热水器). The energy source is, first
wins: a heat-pump name, Pset_<Class>TypeCommon.EnergySource (IFC2X3 space heaters: HeatingSource) or
CN_GreenBuilding.EnergySource, the class (a gas terminal burns gas, an electric appliance is electric), the name's
fuel words. A boiler or burner whose energy source none of these gives is listed as unknown fuel, never as non-gas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import ifcopenshell

from checker.model.facts import ElementRecord, Evidence, Fact
from checker.model.keywords import category_matches
from checker.model.scope import CUSTOM_PSET, GID_CAP, BuildingScope, as_bool, keyword_matches

USES: tuple[Literal["heating", "hot_water", "cooking"], ...] = ("heating", "hot_water", "cooking")
ELECTRIC = ("electric", "heat_pump")
# IFC2X3 and IFC4 IfcElectricApplianceTypeEnum values that heat, heat water or cook (schema data).
APPLIANCE_USES = {
    "ELECTRICCOOKER": "cooking",
    "FREESTANDINGWATERHEATER": "hot_water",
    "DIRECTWATERHEATER": "hot_water",
    "INDIRECTWATERHEATER": "hot_water",
    "WATERHEATER": "hot_water",
    "FREESTANDINGELECTRICHEATER": "heating",
    "ELECTRICHEATER": "heating",
    "RADIANTHEATER": "heating",
}
# IFC4 PEnum_EnergySource and IFC2X3 PEnum_HeatingSource (space heaters) values; NOTKNOWN / UNSET say nothing, and a
# space heater fed by HOTWATER / STEAM is a terminal of some plant, not a heat source.
ENERGY_VALUES = {
    "GAS": "gas",
    "PROPANE": "gas",
    "ELECTRICITY": "electric",
    "OIL": "oil",
    "FUEL": "oil",
    "COAL": "coal",
    "COAL_PULVERIZED": "coal",
    "WOOD": "biomass",
    "WOOD_CHIP": "biomass",
    "WOOD_PELLET": "biomass",
    "WOOD_PULVERIZED": "biomass",
    "OTHER": "other",
}
ENERGY_PSETS = {
    "IfcBoiler": ("Pset_BoilerTypeCommon", "EnergySource"),
    "IfcBurner": ("Pset_BurnerTypeCommon", "EnergySource"),
    "IfcSpaceHeater": ("Pset_SpaceHeaterTypeCommon", "EnergySource", "HeatingSource"),
}
GENERIC = ("IfcEnergyConversionDevice", "IfcFlowTerminal", "IfcFlowMovingDevice", "IfcFlowController")
FIRED = ("IfcBoiler", "IfcBurner", "IfcGasTerminal")  # fuel-fired: an unknown fuel may be gas
HEATING_SOURCE = "CN_GreenBuilding.HeatingSource"
FUEL_PROPERTY = "Pset_BoilerTypeCommon.EnergySource (boilers), Pset_BurnerTypeCommon.EnergySource (burners)"


@dataclass(frozen=True)
class Equipment:
    """One heating, hot-water or cooking unit: its class (the type's for IFC2X3), end use and energy, and why."""

    element: ifcopenshell.entity_instance
    kind: str
    use: str | None  # heating / hot_water / cooking, None when neither the class nor the name says
    energy: str | None  # gas / electric / heat_pump / oil / coal / biomass / other, None when unknown
    source: str  # where the energy came from


def energy_supply_facts(scope: BuildingScope) -> tuple[dict[str, Fact], dict[str, list[ElementRecord]]]:
    found = survey(scope)
    plants = [e for e in found if e.use == "heating"]
    gas_plants = [e for e in plants if e.energy == "gas"]
    facts = {
        "heating_source": heating_source(scope),
        "all_electric": all_electric(scope),
        "heating_plant_count": _count(plants, "heating units modelled (boilers, burners, heat pumps, heaters)"),
        "gas_heating_count": _gas_count(gas_plants, _unsure_heating(found), "gas-fired heating units"),
        "heat_pump_count": _count([e for e in found if e.energy == "heat_pump"], "heat pumps (by name or type)"),
        "gas_appliance_count": _gas_count(
            [e for e in found if e.energy == "gas"], [e for e in found if e.energy is None], "gas-fired units"
        ),
        "electric_end_uses": _electric_uses(found),
    }
    records = [
        scope.record(e.element, {"use": e.use, "energy": e.energy, "kind": e.kind}, {"energy": e.source}) for e in found
    ]
    return facts, {"energy_equipment": records}


def survey(scope: BuildingScope) -> list[Equipment]:
    """Every heating, hot-water or cooking unit of the building (each element read once)."""
    tables = scope.config.energy_supply
    found = []
    for element in scope.of_class(*GENERIC, *tables.named_classes):
        item = _classify(scope, element)
        if item is not None:
            found.append(item)
    return found


def _kind(scope: BuildingScope, element: ifcopenshell.entity_instance) -> str:
    """The element's class, or its type's for a generic IFC2X3 occurrence (IfcFlowTerminal typed IfcSpaceHeaterType)."""
    kind = str(element.is_a())
    element_type = scope.index.type_of(element)
    if kind in GENERIC and element_type is not None and str(element_type.is_a()).endswith("Type"):
        return str(element_type.is_a())[: -len("Type")]
    return kind


def _texts(scope: BuildingScope, element: ifcopenshell.entity_instance) -> str:
    """Name, ObjectType and Description of the element and Name, ElementType and Description of its type."""
    element_type = scope.index.type_of(element)
    parts = [getattr(element, a, None) for a in ("Name", "ObjectType", "Description")]
    if element_type is not None:
        parts += [getattr(element_type, a, None) for a in ("Name", "ElementType", "Description")]
    return " | ".join(t for p in parts if isinstance(p, str) and (t := scope.text(p)))


def _classify(scope: BuildingScope, element: ifcopenshell.entity_instance) -> Equipment | None:
    tables = scope.config.energy_supply
    kind = _kind(scope, element)
    text = _texts(scope, element)
    uses = category_matches(text, [(u, tables.use_keywords.get(u, [])) for u in USES])
    named_use = next(iter(uses), None)
    heat_pump = bool(text) and keyword_matches(text, tables.heat_pump_keywords)
    if heat_pump and (kind in tables.heat_pump_classes or named_use is not None):
        return Equipment(element, kind, named_use or "heating", "heat_pump", f"heat pump by name: '{text}'")
    energy, source = _energy(scope, element, kind, text)
    if kind == "IfcBoiler":
        use: str | None = "hot_water" if named_use == "hot_water" else "heating"
    elif kind == "IfcElectricAppliance":
        use = APPLIANCE_USES.get(scope.index.predefined_type(element) or "") or named_use
        if use is None:
            return None  # a fridge, a washing machine
    elif kind in ("IfcBurner", "IfcGasTerminal"):
        parent = scope.index.parent(element)
        use = named_use or ("heating" if parent is not None and _kind(scope, parent) == "IfcBoiler" else None)
    elif kind == "IfcSpaceHeater":
        if energy is None:
            return None  # a radiator of some plant: heating is there, its source is not
        use = "heating"
    elif named_use is not None and energy is not None:
        use = named_use  # a proxy or furniture named 燃气灶 / 电热水器
    else:
        return None
    return Equipment(element, kind, use, energy, source)


def _energy(
    scope: BuildingScope, element: ifcopenshell.entity_instance, kind: str, text: str
) -> tuple[str | None, str]:
    """(energy, where it came from): the EnergySource property, the class, the name's fuel words, else unknown."""
    pset, *props = ENERGY_PSETS.get(kind, ("", "EnergySource"))
    for pset_name, prop in [*((pset, p) for p in props if pset), (CUSTOM_PSET, "EnergySource")]:
        value = scope.index.value(element, pset_name, prop)
        raw = str(value.raw).strip() if value is not None else ""
        energy = ENERGY_VALUES.get(raw.upper()) or _fuel(scope, raw)
        if energy is not None and value is not None:
            return energy, value.source + (" (type)" if value.from_type else "")
    if kind == "IfcGasTerminal":
        return "gas", "IfcGasTerminal"
    if kind == "IfcElectricAppliance":
        return "electric", "IfcElectricAppliance"
    fuel = _fuel(scope, text)
    if fuel is not None:
        return fuel, f"name: '{text}'"
    return None, f"missing: {FUEL_PROPERTY} or CN_GreenBuilding.EnergySource"


def _fuel(scope: BuildingScope, text: str) -> str | None:
    """The one fuel the text names; several (燃气/电 dual) or none say nothing."""
    if not text:
        return None
    table = list(scope.config.energy_supply.fuel_keywords.items())
    found = list(category_matches(text, table))
    return found[0] if len(found) == 1 else None


def _unsure_heating(found: list[Equipment]) -> list[Equipment]:
    """Units that may be gas heating: heating of unknown fuel, and fuel-fired units (burners, gas terminals) of
    unknown use that are gas or of unknown fuel."""
    return [
        e
        for e in found
        if (e.use == "heating" and e.energy is None)
        or (e.use is None and e.kind in FIRED and e.energy in (None, "gas"))
    ]


def _ids(items: list[Equipment]) -> list[str]:
    return [e.element.GlobalId for e in items]


def _count(items: list[Equipment], what: str) -> Fact:
    evidence = Evidence(method="attribute", source=what, global_ids=_ids(items)[:GID_CAP], count=len(items))
    return Fact(value=len(items), evidence=[evidence])


def _gas_count(gas: list[Equipment], unsure: list[Equipment], what: str) -> Fact:
    """A count of gas units; units of unknown fuel (or use) make it a lower bound naming them."""
    fact = _count(gas, what)
    if not unsure:
        return fact
    listed = ", ".join(f"{e.kind} {e.element.GlobalId}" for e in unsure[:20])
    missing = f"energy source of {len(unsure)} fuel-fired or heating units ({listed}): {FUEL_PROPERTY}"
    return fact.model_copy(update={"bound": "lower", "missing": missing})


def _electric_uses(found: list[Equipment]) -> Fact:
    """The end uses (heating, hot_water, cooking) that modelled electric or heat-pump units serve, 'none' if none."""
    electric = [e for e in found if e.energy in ELECTRIC and e.use is not None]
    uses = sorted({str(e.use) for e in electric})
    evidence = Evidence(
        method="attribute",
        source="electric or heat-pump units for heating, hot water or cooking",
        global_ids=_ids(electric)[:GID_CAP],
        count=len(electric),
    )
    return Fact(value=", ".join(uses) or "none", evidence=[evidence])


def heating_source(scope: BuildingScope) -> Fact:
    """The declared heating source(s) as ruleset categories, comma-separated (地源热泵 → ground_source_heat_pump)."""
    value = scope.custom(scope.building, "HeatingSource")
    wanted = f"{HEATING_SOURCE} (e.g. district_heating, heat_pump, gas, electric) on the IfcBuilding"
    if value is None or not str(value.raw).strip():
        return Fact(value=None, missing=wanted)
    table = [(t.category, t.keywords) for t in scope.config.energy_supply.heating_sources]
    found = list(category_matches(str(value.raw), table))
    if not found:
        problem = f"{HEATING_SOURCE} = '{value.raw}' names no known heating source"
        return Fact(value=None, missing=f"{wanted}; {problem}", warnings=[problem])
    evidence = Evidence(
        method="property", source=value.source, global_ids=[scope.building.GlobalId], count=1, note=str(value.raw)
    )
    return Fact(value=", ".join(sorted(found)), evidence=[evidence])


def all_electric(scope: BuildingScope) -> Fact:
    """CN_GreenBuilding.AllElectric: heating, hot water and cooking are all electric (declared)."""
    value = scope.custom(scope.building, "AllElectric")
    parsed = as_bool(value.raw) if value is not None else None
    if value is None or parsed is None:
        return Fact(value=None, missing="CN_GreenBuilding.AllElectric (true / false) on the IfcBuilding")
    evidence = Evidence(method="property", source=value.source, global_ids=[scope.building.GlobalId], count=1)
    return Fact(value=parsed, evidence=[evidence])
