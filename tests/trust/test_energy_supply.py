"""Issue 12, plan 六(十五)/(十六): heating, hot-water and cooking equipment read the way authoring tools export it
(IFC4 occurrences and types, IFC2X3 generic flow terminals and energy-conversion devices typed by their type), the
declared HeatingSource / AllElectric, and the three energy-supply rules on them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ifcopenshell
import ifcopenshell.api.nest
import ifcopenshell.api.root
import ifcopenshell.api.type

from checker.api import check_file, facts_for_file
from checker.rules.results import Status
from checker.rules.schema import Ruleset

NEW_HOMES = {"ConstructionType": "新建", "UseCategory": "住宅"}
SUPPLY_FACTS = ("heating_plant_count", "gas_heating_count", "heat_pump_count", "gas_appliance_count")


def run(model: Any, ruleset: Ruleset) -> tuple[Any, dict[str, Any]]:
    checked = check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")
    (building,) = checked.buildings
    return building, {r.rule_id: r for r in building.results}


def records(model: Any, ruleset: Ruleset) -> dict[str, Any]:
    """The building's energy_equipment element records by GlobalId (from the extracted facts)."""
    (building,) = facts_for_file(model.written[-1], ruleset).buildings
    return {r.global_id: r for r in building.elements["energy_equipment"]}


def typed(model: Any, ifc_class: str, name: str, type_class: str, type_name: str, ptype: str | None = None) -> Any:
    """An occurrence with a type of its own, as Revit and ArchiCAD export equipment families."""
    element = model.element(ifc_class, name)
    element_type = ifcopenshell.api.root.create_entity(
        model.file, ifc_class=type_class, name=type_name, predefined_type=ptype
    )
    ifcopenshell.api.type.assign_type(model.file, related_objects=[element], relating_type=element_type)
    return element, element_type


def counts(building: Any) -> tuple[Any, ...]:
    return tuple(building.facts[key].value for key in SUPPLY_FACTS)


def test_ifc4_gas_boiler_energy_source_on_the_type_only_fails(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC4")
    model.pset(model.building, "CN_GreenBuilding", dict(NEW_HOMES))
    boiler, boiler_type = typed(model, "IfcBoiler", "Boiler-1", "IfcBoilerType", "Condensing boiler 60 kW", "WATER")
    model.pset(boiler_type, "Pset_BoilerTypeCommon", {"EnergySource": "GAS"})
    cooker = model.element("IfcBurner", "燃气灶-双眼")  # IFC4: a gas hob as IfcBurner
    building, results = run(model, ruleset)
    assert counts(building) == (1, 1, 0, 2)
    assert building.facts["gas_heating_count"].evidence[0].global_ids == [boiler.GlobalId]
    gas = results["BJ-ES-GAS-HEAT"]
    assert gas.status is Status.FAIL and gas.value == 1
    assert [e.global_id for e in gas.elements] == [boiler.GlobalId]
    assert results["BJ-ES-HEATPUMP"].status is Status.FAIL  # heating modelled, no heat pump
    homes = results["BJ-ES-ELEC-RES"]  # gas boiler + gas hob
    assert homes.status is Status.FAIL and homes.value == 2
    assert {e.global_id for e in homes.elements} == {boiler.GlobalId, cooker.GlobalId}
    found = records(model, ruleset)
    assert found[boiler.GlobalId].sources["energy"] == "Pset_BoilerTypeCommon.EnergySource (type)"
    assert found[cooker.GlobalId].values == {"use": "cooking", "energy": "gas", "kind": "IfcBurner"}


def test_ifc2x3_generic_occurrences_typed_as_boiler_and_gas_terminal(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """DDS-CAD writes IfcEnergyConversionDevice typed IfcBoilerType 'Pelletskessel'; a gas hob is an IfcFlowTerminal
    typed IfcGasTerminalType GASAPPLIANCE. The pellet boiler is a non-gas heating plant; the hob is gas cooking."""
    model = make_model(schema="IFC2X3")
    model.pset(model.building, "CN_GreenBuilding", dict(NEW_HOMES))
    boiler, _ = typed(model, "IfcEnergyConversionDevice", "", "IfcBoilerType", "GF2854", "WATER")
    boiler.Description = "Pelletskessel"
    hob, _ = typed(model, "IfcFlowTerminal", "Kitchen 3", "IfcGasTerminalType", "Cooker", "GASAPPLIANCE")
    building, results = run(model, ruleset)
    assert counts(building) == (1, 0, 0, 1)
    found = {gid: r.values for gid, r in records(model, ruleset).items()}
    assert found[boiler.GlobalId] == {"use": "heating", "energy": "biomass", "kind": "IfcBoiler"}
    assert found[hob.GlobalId] == {"use": "cooking", "energy": "gas", "kind": "IfcGasTerminal"}
    assert results["BJ-ES-GAS-HEAT"].status is Status.PASS  # heating modelled, none of it gas
    assert results["BJ-ES-HEATPUMP"].status is Status.FAIL
    homes = results["BJ-ES-ELEC-RES"]
    assert homes.status is Status.FAIL and [e.global_id for e in homes.elements] == [hob.GlobalId]


def test_heat_pump_and_electric_appliances_pass_every_rule(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC4")
    model.pset(model.building, "CN_GreenBuilding", dict(NEW_HOMES))
    pump = model.element("IfcUnitaryEquipment", "空气源热泵机组 ASHP-1", predefined_type="USERDEFINED")
    typed(model, "IfcElectricAppliance", "Hob", "IfcElectricApplianceType", "Induction hob", "ELECTRICCOOKER")
    typed(model, "IfcElectricAppliance", "WH", "IfcElectricApplianceType", "80 L", "FREESTANDINGWATERHEATER")
    building, results = run(model, ruleset)
    assert counts(building) == (1, 0, 1, 0)
    assert building.facts["heat_pump_count"].evidence[0].global_ids == [pump.GlobalId]
    assert building.facts["electric_end_uses"].value == "cooking, heating, hot_water"
    for rule_id in ("BJ-ES-GAS-HEAT", "BJ-ES-HEATPUMP", "BJ-ES-ELEC-RES"):
        assert results[rule_id].status is Status.PASS, (rule_id, results[rule_id].message.en)
    assert results["BJ-ES-HEATPUMP"].elements[0].global_id == pump.GlobalId


def test_boiler_of_unstated_fuel_is_unknown_and_named(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """CarF writes IfcBoiler 'Heizkessel' with no EnergySource: it may burn gas. Even with district heating
    declared, the result waits for its fuel; the missing text names the boiler."""
    model = make_model(schema="IFC4")
    model.pset(model.building, "CN_GreenBuilding", {**NEW_HOMES, "HeatingSource": "市政热网", "AllElectric": True})
    boiler = model.element("IfcBoiler", "Heizkessel", predefined_type="WATER")
    building, results = run(model, ruleset)
    assert building.facts["heating_source"].value == "district_heating"
    assert building.facts["gas_heating_count"].bound == "lower"
    gas = results["BJ-ES-GAS-HEAT"]
    assert gas.status is Status.UNKNOWN
    assert boiler.GlobalId in gas.missing[0] and "Pset_BoilerTypeCommon.EnergySource" in gas.missing[0]
    assert results["BJ-ES-HEATPUMP"].status is Status.FAIL  # a boiler of its own beside the network, no heat pump
    assert results["BJ-ES-ELEC-RES"].status is Status.FAIL  # district heating is not electric heating


def test_burner_nested_in_a_boiler_is_gas_heating(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC4")
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "新建"})
    boiler = model.element("IfcBoiler", "B1", predefined_type="WATER")
    burner, burner_type = typed(model, "IfcBurner", "", "IfcBurnerType", "", "NOTDEFINED")
    model.pset(burner_type, "Pset_BurnerTypeCommon", {"EnergySource": "GAS"})
    ifcopenshell.api.nest.assign_object(model.file, related_objects=[burner], relating_object=boiler)
    building, results = run(model, ruleset)
    assert records(model, ruleset)[burner.GlobalId].values == {"use": "heating", "energy": "gas", "kind": "IfcBurner"}
    # the boiler's own fuel is unstated, but one gas heating unit already fails
    assert building.facts["gas_heating_count"].value == 1
    assert results["BJ-ES-GAS-HEAT"].status is Status.FAIL
    assert results["BJ-ES-ELEC-RES"].status is Status.UNKNOWN  # no use declared: whether it applies is unknown


def test_nothing_modelled_is_unknown_and_asks_for_the_declarations(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    model = make_model(schema="IFC4")
    model.pset(model.building, "CN_GreenBuilding", dict(NEW_HOMES))
    model.element("IfcFlowTerminal", "Ceiling light")  # not heating, hot water or cooking
    building, results = run(model, ruleset)
    assert counts(building) == (0, 0, 0, 0)
    assert records(model, ruleset) == {}
    for rule_id in ("BJ-ES-GAS-HEAT", "BJ-ES-HEATPUMP", "BJ-ES-ELEC-RES"):
        assert results[rule_id].status is Status.UNKNOWN, rule_id
    assert "CN_GreenBuilding.HeatingSource" in results["BJ-ES-GAS-HEAT"].missing[0]
    rows = {(row.pset, row.property): row for row in building.data_to_add}
    assert {"BJ-ES-GAS-HEAT", "BJ-ES-HEATPUMP"} <= set(rows[("CN_GreenBuilding", "HeatingSource")].rules)
    assert rows[("CN_GreenBuilding", "AllElectric")].rules == ["BJ-ES-ELEC-RES"]


def test_declarations_alone_settle_the_rules(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC2X3")
    model.pset(model.building, "CN_GreenBuilding", {**NEW_HOMES, "HeatingSource": "地源热泵", "AllElectric": True})
    building, results = run(model, ruleset)
    assert building.facts["heating_source"].value == "ground_source_heat_pump"
    assert building.facts["all_electric"].value is True
    for rule_id in ("BJ-ES-GAS-HEAT", "BJ-ES-HEATPUMP", "BJ-ES-ELEC-RES"):
        assert results[rule_id].status is Status.PASS, rule_id


def test_declared_gas_and_named_gas_water_heater_fail(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """A Chinese Revit export: the water heater is a proxy named 燃气热水器; the source is declared 燃气."""
    model = make_model(schema="IFC2X3")
    model.pset(model.building, "CN_GreenBuilding", {**NEW_HOMES, "HeatingSource": "燃气"})
    heater = model.element("IfcBuildingElementProxy", "燃气热水器:JSQ24")
    building, results = run(model, ruleset)
    assert building.facts["heating_source"].value == "gas"
    assert results["BJ-ES-GAS-HEAT"].status is Status.FAIL and results["BJ-ES-GAS-HEAT"].value == 1
    homes = results["BJ-ES-ELEC-RES"]  # 1 gas water heater + 1 declared gas source
    assert homes.status is Status.FAIL and homes.value == 2
    assert [e.global_id for e in homes.elements] == [heater.GlobalId]
