"""SI scale factors from a file's own units, computed once per file.

ifcopenshell.util.unit does the unit arithmetic; this module decides what happens when a file
declares nothing (derive area from length, assume SI for derived measures, or say 'unresolved').
"""

from __future__ import annotations

from dataclasses import dataclass

import ifcopenshell
import ifcopenshell.util.unit as ifc_unit

QUANTITY_MEASURES = {
    "IfcQuantityLength": ("LengthValue", "IfcLengthMeasure"),
    "IfcQuantityArea": ("AreaValue", "IfcAreaMeasure"),
    "IfcQuantityVolume": ("VolumeValue", "IfcVolumeMeasure"),
    "IfcQuantityCount": ("CountValue", "IfcCountMeasure"),
    "IfcQuantityWeight": ("WeightValue", "IfcMassMeasure"),
    "IfcQuantityTime": ("TimeValue", "IfcTimeMeasure"),
}
# Named unit types a file normally declares; without a declaration their scale is unresolved.
NAMED_BASE = {"LENGTHUNIT", "AREAUNIT", "VOLUMEUNIT", "MASSUNIT", "PLANEANGLEUNIT"}
DERIVED_FROM_LENGTH = {"AREAUNIT": 2, "VOLUMEUNIT": 3}


def _opaque_part(unit: ifcopenshell.entity_instance) -> str | None:
    """Name of a context-dependent unit inside `unit`: ifcopenshell scales those by 1, which would read them raw."""
    parts = [e.Unit for e in unit.Elements or ()] if unit.is_a("IfcDerivedUnit") else [unit]
    for part in parts:
        if part is not None and part.is_a("IfcContextDependentUnit"):
            return str(part.Name or part.UnitType)
    return None


def si_scale(unit: ifcopenshell.entity_instance) -> float:
    """Factor from `unit` to SI. ifcopenshell.util.unit.get_unit_scale counts mass in grams (IFC names the SI mass
    unit GRAM), so a file in kilograms read 1000 x SI: Revit's W/(m²·K), declared as kg·s⁻³·K⁻¹, turned a wall's
    U of 0.087 into 87 (and dropped it as implausible), and kg/m³ densities read 1000 x. Mass is in kilograms here;
    a derived unit is the product of its elements' factors."""
    if unit.is_a("IfcDerivedUnit"):
        factor = 1.0
        for element in unit.Elements or ():
            factor *= si_scale(element.Unit) ** int(element.Exponent)
        return factor
    scale = float(ifc_unit.get_unit_scale(unit))
    return scale / 1000.0 if getattr(unit, "UnitType", None) == "MASSUNIT" else scale


@dataclass(frozen=True)
class Scale:
    """Multiply a file value by `factor` to get SI; factor None means the unit could not be resolved."""

    factor: float | None
    note: str | None = None


class UnitScales:
    """Per-file cache of SI factors by unit type."""

    def __init__(self, model: ifcopenshell.file) -> None:
        self._model = model
        self._cache: dict[str, Scale] = {}
        # Units hang off the IfcProject; without one (seen in broken exports) the file declares none.
        assignment = ifc_unit.get_unit_assignment(model) if model.by_type("IfcProject") else None
        if not isinstance(assignment, ifcopenshell.entity_instance) or not assignment.is_a("IfcUnitAssignment"):
            assignment = None  # a damaged UnitsInContext (a number, a context) declares no units
        self._declared: dict[str, ifcopenshell.entity_instance] = {}
        if assignment is not None:
            for unit in assignment.Units or ():
                unit_type = getattr(unit, "UnitType", None)
                if unit_type and unit_type not in self._declared:
                    self._declared[str(unit_type)] = unit

    @property
    def has_assignment(self) -> bool:
        return bool(self._declared)

    def length_unit_name(self) -> str | None:
        unit = self._declared.get("LENGTHUNIT")
        if unit is None:
            return None
        try:
            return str(ifc_unit.get_full_unit_name(unit))
        except (AttributeError, TypeError, ValueError):
            return str(getattr(unit, "Name", None) or unit.is_a())

    def for_type(self, unit_type: str) -> Scale:
        """Scale of the project unit of `unit_type` (e.g. 'AREAUNIT')."""
        if unit_type not in self._cache:
            self._cache[unit_type] = self._resolve(unit_type)
        return self._cache[unit_type]

    def for_measure(self, measure_class: str | None, own_unit: ifcopenshell.entity_instance | None = None) -> Scale:
        """Scale for a value of `measure_class`, honouring a unit attached to the property itself."""
        if own_unit is not None and not isinstance(own_unit, ifcopenshell.entity_instance):
            return Scale(None, f"property unit {own_unit!r} is no unit entity (the file breaks the schema)")
        if own_unit is not None:
            opaque = _opaque_part(own_unit)
            if opaque is not None:
                return Scale(None, f"property unit '{opaque}' is context-dependent (no SI conversion given)")
            try:
                return Scale(si_scale(own_unit), "property's own unit")
            except (AttributeError, TypeError, ValueError, KeyError):
                return Scale(None, f"property unit {own_unit.is_a()} could not be resolved")
        if not measure_class:
            return Scale(1.0)
        try:
            unit_type = ifc_unit.get_measure_unit_type(measure_class)  # type: ignore[arg-type]  # any IfcXxxMeasure name
        except (KeyError, ValueError, AttributeError):
            return Scale(1.0)
        if not unit_type or unit_type == "USERDEFINED":
            return Scale(1.0)
        return self.for_type(unit_type)

    def _resolve(self, unit_type: str) -> Scale:
        unit = self._declared.get(unit_type)
        if unit is not None:
            opaque = _opaque_part(unit)
            if opaque is not None:
                return Scale(None, f"declared {unit_type} '{opaque}' is context-dependent (no SI conversion given)")
            try:
                return Scale(si_scale(unit))
            except (AttributeError, TypeError, ValueError, KeyError):
                return Scale(None, f"declared {unit_type} could not be resolved")
        if unit_type in DERIVED_FROM_LENGTH and "LENGTHUNIT" in self._declared:
            length = self.for_type("LENGTHUNIT")
            if length.factor is not None:
                power = DERIVED_FROM_LENGTH[unit_type]
                return Scale(length.factor**power, f"no {unit_type} declared: derived from the length unit")
        if unit_type in NAMED_BASE:
            return Scale(None, f"file declares no {unit_type}")
        return Scale(1.0, f"no {unit_type} declared: SI assumed")
