"""Energy-supply metrics (family ultra_low_energy): plan 六(十五) no new stand-alone gas heating and heat pumps,
六(十六) electrified heating, hot water and cooking in homes.

Each counts what the model or a declaration shows against the plan (gas heating units, heat pumps, non-electric
supplies). A count is exact only when the model settles it: nothing modelled and nothing declared is unknown, never a
pass, and a boiler of unknown fuel keeps 'no gas' unknown.
"""

from __future__ import annotations

from checker.model.facts import BuildingFacts, ElementRecord, Fact
from checker.rules.measurement import Measurement, MetricFn, Params

HEAT_PUMP_SOURCES = {"heat_pump", "ground_source_heat_pump", "air_source_heat_pump"}
NON_ELECTRIC_SOURCES = {"gas", "district_heating"}
END_USES = ("heating", "hot_water", "cooking")
NOTHING_MODELLED = "(the model shows no heating plant: no boiler, burner, heat pump or electric heater)"


def _declared(building: BuildingFacts) -> set[str]:
    fact = building.fact("heating_source")
    return {part.strip() for part in str(fact.value).split(",")} if fact.value is not None else set()


def _int(fact: Fact) -> int:
    return int(fact.value) if isinstance(fact.value, (int, float)) and not isinstance(fact.value, bool) else 0


def _records(
    building: BuildingFacts, energies: set[str | None], uses: set[str | None] | None = None
) -> list[ElementRecord]:
    """The building's energy-equipment records of these energies (and end uses, when given)."""
    return [
        r
        for r in building.elements.get("energy_equipment", [])
        if r.values.get("energy") in energies and (uses is None or r.values.get("use") in uses)
    ]


def _heating_missing(building: BuildingFacts) -> str:
    return f"{building.fact('heating_source').missing} {NOTHING_MODELLED}"


def gas_heating(building: BuildingFacts, params: Params) -> Measurement:
    """Gas-fired heating units modelled, or 1 when HeatingSource declares gas (<= 0 passes). No gas with a heating
    unit of unknown fuel is only a lower bound; nothing modelled or declared is unknown."""
    gas = building.fact("gas_heating_count")
    declared = _declared(building)
    count = max(_int(gas), 1 if "gas" in declared else 0)
    elements = _records(building, {"gas"}, {"heating"})
    evidence = [*gas.evidence, *building.fact("heating_source").evidence]
    shown = f"{_int(gas)} gas-fired heating units; declared heating source: {', '.join(sorted(declared)) or '?'}"
    base = Measurement(unit="units", evidence=evidence, elements=elements, display=shown)
    if count == 0 and gas.bound != "exact":
        unsure = _records(building, {None, "gas"}, {"heating", None})
        return base.model_copy(update={"value": 0, "bound": "lower", "missing": [str(gas.missing)], "elements": unsure})
    if count == 0 and not declared and _int(building.fact("heating_plant_count")) == 0:
        return base.model_copy(update={"missing": [_heating_missing(building)]})
    return base.model_copy(update={"value": count, "bound": gas.bound if count else "exact"})


def heat_pumps(building: BuildingFacts, params: Params) -> Measurement:
    """Heat pumps modelled, or 1 when HeatingSource declares a heat pump or district heating (>= 1 passes): the
    clause integrates scattered small heat sources into district heat and heat pumps, so a building on the district
    network with no heating unit of its own has none to replace. Own heating declared or modelled without a heat pump
    fails; neither is unknown."""
    pumps = building.fact("heat_pump_count")
    declared = _declared(building)
    own_plant = _int(building.fact("heating_plant_count")) > _int(pumps)  # a boiler or heater beside the network
    district = "district_heating" in declared and not own_plant
    count = max(_int(pumps), 1 if declared & HEAT_PUMP_SOURCES or district else 0)
    shown = f"{_int(pumps)} heat pumps modelled; declared heating source: {', '.join(sorted(declared)) or '?'}"
    evidence = [*pumps.evidence, *building.fact("heating_source").evidence]
    elements = _records(building, {"heat_pump"})
    if count == 0 and not declared and _int(building.fact("heating_plant_count")) == 0:
        return Measurement(value=None, unit="units", missing=[_heating_missing(building)], display=shown)
    return Measurement(value=count, unit="units", evidence=evidence, elements=elements, display=shown)


def non_electric_supply(building: BuildingFacts, params: Params) -> Measurement:
    """Gas-fired units modelled + a declared gas or district-heating source + AllElectric declared false (<= 0
    passes). Zero passes only when AllElectric is declared true or electric units serve heating, hot water and
    cooking; otherwise it is a lower bound (unknown)."""
    gas = building.fact("gas_appliance_count")
    declared = _declared(building) & NON_ELECTRIC_SOURCES
    all_electric = building.fact("all_electric")
    count = _int(gas) + len(declared) + (1 if all_electric.value is False else 0)
    uses = {u.strip() for u in str(building.fact("electric_end_uses").value or "").split(",")}
    lacking = [u for u in END_USES if u not in uses]
    shown = (
        f"{_int(gas)} gas-fired units; declared non-electric source: {', '.join(sorted(declared)) or 'none'}; "
        f"AllElectric: {_yes_no(all_electric)}; electric end uses modelled: {building.fact('electric_end_uses').value}"
    )
    evidence = [*gas.evidence, *all_electric.evidence, *building.fact("heating_source").evidence]
    base = Measurement(unit="units", evidence=evidence, elements=_records(building, {"gas"}), display=shown)
    if count > 0:
        return base.model_copy(update={"value": count, "bound": gas.bound})
    if gas.bound != "exact":
        return base.model_copy(update={"value": 0, "bound": "lower", "missing": [str(gas.missing)]})
    if all_electric.value is True or not lacking:
        return base.model_copy(update={"value": 0})
    missing = f"{all_electric.missing}, or electric units modelled for {', '.join(lacking)}"
    return base.model_copy(update={"value": 0, "bound": "lower", "missing": [missing]})


def _yes_no(fact: Fact) -> str:
    return "?" if fact.value is None else ("yes" if fact.value is True else "no")


METRICS: dict[str, MetricFn] = {
    "gas_heating": gas_heating,
    "heat_pumps": heat_pumps,
    "non_electric_supply": non_electric_supply,
}
