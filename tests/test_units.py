"""Property values are converted from the file's own units, and a unit that cannot be resolved is never read raw."""

from __future__ import annotations

import ifcopenshell
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root

from checker.model.index import ModelIndex


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
