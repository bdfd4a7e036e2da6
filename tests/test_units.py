"""Property values are converted from the file's own units, and a unit that cannot be resolved is never read raw."""

from __future__ import annotations

import ifcopenshell
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import pytest

from checker.model.index import ModelIndex
from checker.model.units import si_scale


def _wall_with_u(unit_of: str, value: float) -> tuple[ModelIndex, ifcopenshell.entity_instance]:
    model = ifcopenshell.api.project.create_file("IFC4")
    project = ifcopenshell.api.root.create_entity(model, ifc_class="IfcProject")
    metre = model.createIfcSIUnit(None, "LENGTHUNIT", None, "METRE")
    square_metre = model.createIfcSIUnit(None, "AREAUNIT", None, "SQUARE_METRE")
    if unit_of == "milliwatt":
        elements = [
            model.createIfcDerivedUnitElement(model.createIfcSIUnit(None, "POWERUNIT", "MILLI", "WATT"), 1),
            model.createIfcDerivedUnitElement(square_metre, -1),
            model.createIfcDerivedUnitElement(
                model.createIfcSIUnit(None, "THERMODYNAMICTEMPERATUREUNIT", None, "KELVIN"), -1
            ),
        ]
        u_unit = model.createIfcDerivedUnit(elements, "THERMALTRANSMITTANCEUNIT", None)
    else:  # a unit only the authoring tool understands
        u_unit = model.createIfcContextDependentUnit(
            model.createIfcDimensionalExponents(1, 0, -3, 0, -1, 0, 0), "USERDEFINED", "vendor U"
        )
    project.UnitsInContext = model.createIfcUnitAssignment([metre, square_metre, u_unit])
    wall = ifcopenshell.api.root.create_entity(model, ifc_class="IfcWall")
    pset = ifcopenshell.api.pset.add_pset(model, product=wall, name="Pset_WallCommon")
    ifcopenshell.api.pset.edit_pset(
        model, pset=pset, properties={"ThermalTransmittance": model.createIfcThermalTransmittanceMeasure(value)}
    )
    return ModelIndex(model), wall


def test_u_value_in_a_declared_derived_unit_is_converted_to_si() -> None:
    index, wall = _wall_with_u("milliwatt", 200.0)
    found = index.value(wall, "Pset_WallCommon", "ThermalTransmittance")
    assert found is not None and found.raw == 200.0 and found.si == 0.2  # 200 mW/(m²·K) = 0.2 W/(m²·K)


def test_u_value_without_a_declared_unit_is_taken_as_si_and_says_so() -> None:
    index, wall = _wall_with_u("vendor", 0.35)  # the declared unit is not a THERMALTRANSMITTANCEUNIT: none applies
    found = index.value(wall, "Pset_WallCommon", "ThermalTransmittance")
    assert (
        found is not None and found.si == 0.35 and found.unit_note == "no THERMALTRANSMITTANCEUNIT declared: SI assumed"
    )


def test_u_value_in_a_context_dependent_unit_is_unresolved_never_raw() -> None:
    model = ifcopenshell.api.project.create_file("IFC4")
    project = ifcopenshell.api.root.create_entity(model, ifc_class="IfcProject")
    vendor = model.createIfcContextDependentUnit(
        model.createIfcDimensionalExponents(1, 0, -3, 0, 0, 0, 0), "POWERUNIT", "vendor power"
    )
    u_unit = model.createIfcDerivedUnit(
        [model.createIfcDerivedUnitElement(vendor, 1)], "THERMALTRANSMITTANCEUNIT", None
    )
    project.UnitsInContext = model.createIfcUnitAssignment(
        [model.createIfcSIUnit(None, "LENGTHUNIT", None, "METRE"), u_unit]
    )
    wall = ifcopenshell.api.root.create_entity(model, ifc_class="IfcWall")
    pset = ifcopenshell.api.pset.add_pset(model, product=wall, name="Pset_WallCommon")
    ifcopenshell.api.pset.edit_pset(
        model, pset=pset, properties={"ThermalTransmittance": model.createIfcThermalTransmittanceMeasure(0.3)}
    )
    found = ModelIndex(model).value(wall, "Pset_WallCommon", "ThermalTransmittance")
    assert found is not None and found.raw == 0.3 and found.si is None
    assert (
        found.unit_note
        == "declared THERMALTRANSMITTANCEUNIT 'vendor power' is context-dependent (no SI conversion given)"
    )


def _units_of(*units_of: str) -> tuple[ifcopenshell.file, dict[str, ifcopenshell.entity_instance]]:
    """A file declaring mass the ways exports do: kilogram (Revit), gram, or pound; and what derives from it."""
    model = ifcopenshell.api.project.create_file("IFC4")
    project = ifcopenshell.api.root.create_entity(model, ifc_class="IfcProject")
    metre = model.createIfcSIUnit(None, "LENGTHUNIT", None, "METRE")
    kelvin = model.createIfcSIUnit(None, "THERMODYNAMICTEMPERATUREUNIT", None, "KELVIN")
    second = model.createIfcSIUnit(None, "TIMEUNIT", None, "SECOND")
    kilogram = model.createIfcSIUnit(None, "MASSUNIT", "KILO", "GRAM")
    gram = model.createIfcSIUnit(None, "MASSUNIT", None, "GRAM")
    pound = model.createIfcConversionBasedUnit(
        model.createIfcDimensionalExponents(0, 1, 0, 0, 0, 0, 0),
        "MASSUNIT",
        "pound",
        model.createIfcMeasureWithUnit(model.createIfcMassMeasure(0.45359237), kilogram),
    )
    element = model.createIfcDerivedUnitElement
    units = {
        "kilogram": kilogram,
        "gram": gram,
        "pound": pound,
        # Revit's W/(m²·K): kg·K⁻¹·s⁻³, and its kg/m³
        "revit_u": model.createIfcDerivedUnit(
            [element(kilogram, 1), element(kelvin, -1), element(second, -3)], "THERMALTRANSMITTANCEUNIT", None
        ),
        "density": model.createIfcDerivedUnit([element(kilogram, 1), element(metre, -3)], "MASSDENSITYUNIT", None),
    }
    project.UnitsInContext = model.createIfcUnitAssignment([metre, *(units[u] for u in units_of)])
    return model, units


def test_mass_units_are_converted_to_kilograms() -> None:
    """ifcopenshell's get_unit_scale counts mass in grams (kilogram -> 1000): SI is the kilogram."""
    _, units = _units_of()
    assert si_scale(units["kilogram"]) == 1.0
    assert si_scale(units["gram"]) == 0.001
    assert si_scale(units["pound"]) == pytest.approx(0.45359237)
    assert si_scale(units["density"]) == 1.0


def test_revit_u_value_in_kilogram_kelvin_seconds_is_read_as_it_is() -> None:
    """Regression: Revit's kg·K⁻¹·s⁻³ made a wall's U of 0.087 W/(m²·K) read 87 and be dropped as implausible."""
    model, _ = _units_of("revit_u", "density")
    wall = ifcopenshell.api.root.create_entity(model, ifc_class="IfcWall")
    pset = ifcopenshell.api.pset.add_pset(model, product=wall, name="Pset_WallCommon")
    ifcopenshell.api.pset.edit_pset(
        model, pset=pset, properties={"ThermalTransmittance": model.createIfcThermalTransmittanceMeasure(0.0872)}
    )
    index = ModelIndex(model)
    value = index.value(wall, "Pset_WallCommon", "ThermalTransmittance")
    assert value is not None and value.si == pytest.approx(0.0872)
    assert index.units.for_type("MASSDENSITYUNIT").factor == 1.0
