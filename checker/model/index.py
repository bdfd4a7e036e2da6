"""Relationship indexes built once per file: property sets, types, containment, aggregation.

ifcopenshell's per-element helpers walk inverse attributes on every call; for a batch of models
with tens of thousands of elements we walk each relationship class once and look things up in dicts.
Property values are parsed once per property-set instance (Revit shares them across elements)
and carry their measure type so `units.py` can bring them to SI.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

import ifcopenshell

from checker.model.names import NameRepairs
from checker.model.units import QUANTITY_MEASURES, Scale, UnitScales

Raw = float | int | str | bool | None
T = TypeVar("T")


# Property measures that are sizes: a negative one is a broken export, never a figure (quantities are all checked:
# IFC4 requires every quantity value >= 0). IfcLengthMeasure is not here: elevations and offsets may be negative.
SIZE_MEASURES = frozenset(
    {"IfcAreaMeasure", "IfcVolumeMeasure", "IfcMassMeasure", "IfcPositiveLengthMeasure", "IfcPowerMeasure"}
)
SI_SYMBOLS = {
    "IfcAreaMeasure": "m²",
    "IfcVolumeMeasure": "m³",
    "IfcMassMeasure": "kg",
    "IfcLengthMeasure": "m",
    "IfcPositiveLengthMeasure": "m",
    "IfcPowerMeasure": "W",
    "IfcTimeMeasure": "s",
}


@dataclass(frozen=True)
class PropValue:
    """One property or quantity value: raw file value, SI value for measures, and where it was found.

    `problem` says why a value found in the file is not used (negative size, not finite): `si` is then None, so every
    reader treats it as missing, and `ModelIndex.rejected` names it with its element for a model warning.
    """

    raw: Raw
    si: float | None
    measure: str | None
    source: str  # "Pset.Prop" as written in the file
    unit_note: str | None = None
    from_type: bool = False
    problem: str | None = None


def _entities(values: object) -> list[ifcopenshell.entity_instance]:
    """The entities of an aggregate attribute; a damaged file can put a string or number where one belongs."""
    items = values if isinstance(values, (tuple, list)) else ()
    return [item for item in items if isinstance(item, ifcopenshell.entity_instance)]


def unwrap_value(value: object) -> tuple[Raw, str | None]:
    """Plain python value and measure class of an IfcValue select."""
    if isinstance(value, ifcopenshell.entity_instance):
        inner = value.wrappedValue
        return (inner if isinstance(inner, (int, float, str, bool)) else str(inner)), value.is_a()
    if isinstance(value, (tuple, list)):
        parts = [unwrap_value(item) for item in value]
        return ", ".join(str(p[0]) for p in parts), (parts[0][1] if parts else None)
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value, None
    return str(value), None


def _predefined(element: ifcopenshell.entity_instance, own_type: ifcopenshell.entity_instance | None) -> object:
    if own_type is not None:
        value = getattr(own_type, "PredefinedType", None)
        if value == "USERDEFINED" or not value:
            value = getattr(own_type, "ElementType", ...)
            if value is ...:
                value = getattr(own_type, "ProcessType", None)
        if value and value != "NOTDEFINED":
            return value
    value = getattr(element, "PredefinedType", None)
    if value == "USERDEFINED" or not value:
        value = getattr(element, "ObjectType", None)
    return value


class ModelIndex:
    """Dict lookups over one file's relationships."""

    def __init__(self, model: ifcopenshell.file) -> None:
        self.file = model
        self.units = UnitScales(model)
        self.names = NameRepairs()  # every name a report shows is read through this, per file
        self._defs: dict[int, list[ifcopenshell.entity_instance]] = defaultdict(list)
        self._type_of: dict[int, ifcopenshell.entity_instance] = {}
        self._container: dict[int, ifcopenshell.entity_instance] = {}
        self._contained: dict[int, list[ifcopenshell.entity_instance]] = defaultdict(list)
        self._parent: dict[int, ifcopenshell.entity_instance] = {}
        self._children: dict[int, list[ifcopenshell.entity_instance]] = defaultdict(list)
        self._parsed: dict[int, dict[str, PropValue]] = {}
        self._named: dict[tuple[int, str], dict[str, PropValue]] = {}
        self._by_name: dict[int, dict[str, list[tuple[ifcopenshell.entity_instance, bool]]]] = {}
        self._set_names: dict[int, str | None] = {}
        self._parsed_type: dict[int, dict[str, PropValue]] = {}
        self._building_of: dict[int, ifcopenshell.entity_instance | None] = {}
        # (element GlobalId, "Pset.Prop") -> why the value was not used; filled as values are read
        self.rejected: dict[tuple[str, str], str] = {}
        self._per_file: dict[str, object] = {}
        # the declarations of the file's schema: ifcopenshell opened the file, so it has them
        self._schema: Any = ifcopenshell.ifcopenshell_wrapper.schema_by_name(model.schema_identifier)
        self._class_is: dict[tuple[str, str], bool] = {}
        self._predefined: dict[int, str | None] = {}
        self._index_relationships()

    def per_file(self, key: str, compute: Callable[[], T]) -> T:
        """compute() once per file: extractors run once per building, and a whole-file scan per building makes a
        file of many buildings quadratic (3,000 empty IfcBuildings took 1:44)."""
        if key not in self._per_file:
            self._per_file[key] = compute()
        return cast(T, self._per_file[key])

    def _index_relationships(self) -> None:
        """Each relationship once; a link that is no entity (a damaged file: a string, a number) is skipped.

        Attributes are read by position (the same in IFC2X3, IFC4 and IFC4X3: 4 and 5 follow IfcRoot's four), three
        times faster than by name over the hundred thousand relationships of a large model.
        """
        for rel in self.file.by_type("IfcRelDefinesByProperties"):  # RelatedObjects, RelatingPropertyDefinition
            definition = rel[5]
            definitions = _entities(definition if isinstance(definition, tuple) else (definition,))
            for obj in _entities(rel[4]):
                self._defs[obj.id()].extend(definitions)
        for rel in self.file.by_type("IfcRelDefinesByType"):  # RelatedObjects, RelatingType
            relating = rel[5]
            if not isinstance(relating, ifcopenshell.entity_instance):  # real exports: a null RelatingType
                continue
            for obj in _entities(rel[4]):
                self._type_of[obj.id()] = relating
        for rel in self.file.by_type("IfcRelContainedInSpatialStructure"):  # RelatedElements, RelatingStructure
            structure = rel[5]
            if not isinstance(structure, ifcopenshell.entity_instance):
                continue
            for element in _entities(rel[4]):
                self._container.setdefault(element.id(), structure)
                self._contained[structure.id()].append(element)
        for rel_class in ("IfcRelAggregates", "IfcRelNests"):  # RelatingObject, RelatedObjects
            for rel in self.file.by_type(rel_class):
                parent = rel[4]
                if not isinstance(parent, ifcopenshell.entity_instance):
                    continue
                for child in _entities(rel[5]):
                    self._parent.setdefault(child.id(), parent)
                    self._children[parent.id()].append(child)

    # --- structure -------------------------------------------------------------------
    def predefined_type(self, element: ifcopenshell.entity_instance) -> str | None:
        """ifcopenshell.util.element.get_predefined_type with the type from this index, once per element: the type's
        PredefinedType (its ElementType / ProcessType when USERDEFINED) unless NOTDEFINED, else the occurrence's (its
        ObjectType when USERDEFINED). get_type walks inverse attributes on each call (1.3 s on 40k elements)."""
        key = element.id()
        if key not in self._predefined:
            try:
                own_type = element if element.is_a("IfcTypeObject") else self._type_of.get(key)
                value = _predefined(element, own_type)
            except (AttributeError, RuntimeError):
                value = getattr(element, "PredefinedType", None)
            self._predefined[key] = str(value) if value else None
        return self._predefined[key]

    def class_is(self, exact: str, query: str) -> bool:
        """Whether entity class `exact` is `query` or one of its subtypes, from the schema, once per pair: the same
        answer as element.is_a(query) without a call into the file per element."""
        key = (exact, query)
        found = self._class_is.get(key)
        if found is None:
            wanted = query.upper()
            declaration = self._schema.declaration_by_name(exact) if exact else None
            found = False
            while declaration is not None and not found:
                found = declaration.name_uc() == wanted
                declaration = declaration.supertype()
            self._class_is[key] = found
        return found

    def type_of(self, element: ifcopenshell.entity_instance) -> ifcopenshell.entity_instance | None:
        return self._type_of.get(element.id())

    def parent(self, element: ifcopenshell.entity_instance) -> ifcopenshell.entity_instance | None:
        return self._parent.get(element.id())

    def children(self, element: ifcopenshell.entity_instance) -> list[ifcopenshell.entity_instance]:
        return self._children.get(element.id(), [])

    def contained(self, structure: ifcopenshell.entity_instance) -> list[ifcopenshell.entity_instance]:
        return self._contained.get(structure.id(), [])

    def container(self, element: ifcopenshell.entity_instance) -> ifcopenshell.entity_instance | None:
        """Spatial container, inherited from the assembly an element is part of."""
        seen = 0
        current: ifcopenshell.entity_instance | None = element
        while current is not None and seen < 64:
            found = self._container.get(current.id())
            if found is not None:
                return found
            current = self._parent.get(current.id())
            seen += 1
        return None

    def storey_of(self, element: ifcopenshell.entity_instance) -> ifcopenshell.entity_instance | None:
        current = element if element.is_a("IfcSpatialStructureElement") else self.container(element)
        for _ in range(64):
            if current is None or current.is_a("IfcBuildingStorey"):
                return current
            if current.is_a("IfcBuilding") or current.is_a("IfcSite"):
                return None
            current = self._parent.get(current.id()) or self._container.get(current.id())
        return None

    def building_of(self, element: ifcopenshell.entity_instance) -> ifcopenshell.entity_instance | None:
        """The IfcBuilding an element sits in (through containment and aggregation), memoised."""
        key = element.id()
        if key in self._building_of:
            return self._building_of[key]
        chain: list[int] = []
        current: ifcopenshell.entity_instance | None = element
        result: ifcopenshell.entity_instance | None = None
        while current is not None and len(chain) < 64:
            if current.is_a("IfcBuilding"):
                result = current
                break
            if current.id() in self._building_of:
                result = self._building_of[current.id()]
                break
            chain.append(current.id())
            current = self._container.get(current.id()) or self._parent.get(current.id())
        for visited in chain:
            self._building_of[visited] = result
        return result

    # --- properties ------------------------------------------------------------------
    def pset_names(self, element: ifcopenshell.entity_instance) -> list[str]:
        """The names of the element's property and quantity sets (its type's included), in merge order."""
        return list(self._definitions(element))

    def pset(self, element: ifcopenshell.entity_instance, name: str) -> dict[str, PropValue]:
        """One named set, type values first and then overridden by the occurrence's; {} when there is none. Built
        once per element and set and shared: callers read it, never change it.

        Parsing only the sets a fact asks for matters: Revit attaches ten or more sets to every element, and a
        rule reading Pset_WallCommon.Status on 80,000 elements must not parse the other nine.
        """
        definitions = self._definitions(element).get(name)
        if not definitions:
            return {}
        key = (element.id(), name)
        cached = self._named.get(key)
        if cached is None:
            cached = {}
            for definition, from_type in definitions:
                cached.update(self._parse_type(definition) if from_type else self._parse(definition))
            self._named[key] = cached
        return cached

    def _definitions(
        self, element: ifcopenshell.entity_instance
    ) -> dict[str, list[tuple[ifcopenshell.entity_instance, bool]]]:
        """Set name -> (definition, from its type) in merge order; a link that is no property set definition
        (a damaged file may relate a string or a number) is left out."""
        cached = self._by_name.get(element.id())
        if cached is not None:
            return cached
        found: dict[str, list[tuple[ifcopenshell.entity_instance, bool]]] = {}
        element_type = self._type_of.get(element.id())
        type_definitions = (getattr(element_type, "HasPropertySets", None) or ()) if element_type is not None else ()
        for definitions, from_type in ((type_definitions, True), (self._defs.get(element.id(), ()), False)):
            for definition in definitions:
                name = self._set_name(definition)
                if name is not None:
                    found.setdefault(name, []).append((definition, from_type))
        self._by_name[element.id()] = found
        return found

    def _set_name(self, definition: object) -> str | None:
        """A property set definition's Name ("" when unnamed), read once per definition; None for anything else."""
        if not isinstance(definition, ifcopenshell.entity_instance):
            return None
        key = definition.id()
        if key not in self._set_names:
            ok = definition.is_a("IfcPropertySetDefinition")
            self._set_names[key] = (definition.Name or "") if ok else None
        return self._set_names[key]

    def value(
        self, element: ifcopenshell.entity_instance, pset_names: str | Sequence[str], prop: str
    ) -> PropValue | None:
        """First value of `prop` in any of `pset_names` (e.g. Qto_X and IFC2X3's BaseQuantities)."""
        for name in (pset_names,) if isinstance(pset_names, str) else pset_names:
            found = self.pset(element, name).get(prop)
            if found is not None and found.raw is not None:
                if found.problem is not None:
                    self.rejected[(str(getattr(element, "GlobalId", None) or f"#{element.id()}"), found.source)] = (
                        found.problem
                    )
                return found
        return None

    def _parse(self, definition: ifcopenshell.entity_instance) -> dict[str, PropValue]:
        key = definition.id()
        if key not in self._parsed:
            self._parsed[key] = dict(self._iter_values(definition))
        return self._parsed[key]

    def _parse_type(self, definition: ifcopenshell.entity_instance) -> dict[str, PropValue]:
        """The values of a type's set, marked as coming from the type; built once per set, not per occurrence."""
        key = definition.id()
        if key not in self._parsed_type:
            self._parsed_type[key] = {k: replace(v, from_type=True) for k, v in self._parse(definition).items()}
        return self._parsed_type[key]

    def _iter_values(self, definition: ifcopenshell.entity_instance) -> Iterable[tuple[str, PropValue]]:
        """Every value of a property set or element quantity; attributes by position in this hot loop (IfcPropertySet
        and IfcElementQuantity: Name 2, HasProperties / Quantities 4 and 5; single and enumerated values: Name 0,
        NominalValue / EnumerationValues 2, Unit 3; simple quantities: Name 0, Unit 2, value 3 in every schema)."""
        pset_name = definition[2] or ""
        if definition.is_a("IfcElementQuantity"):
            for quantity in _entities(definition[5]):
                attr_measure = QUANTITY_MEASURES.get(quantity.is_a())
                if attr_measure is None:
                    continue
                name = quantity[0]
                raw, unit = quantity[3], quantity[2]
                yield name, self.to_value(raw, attr_measure[1], unit, f"{pset_name}.{name}", True)
        elif definition.is_a("IfcPropertySet"):
            for prop in _entities(definition[4]):
                if prop.is_a("IfcPropertySingleValue"):
                    raw, measure = unwrap_value(prop[2])
                    yield prop[0], self.to_value(raw, measure, prop[3], f"{pset_name}.{prop[0]}")
                elif prop.is_a("IfcPropertyEnumeratedValue"):
                    raw, measure = unwrap_value(prop[2])
                    yield prop[0], self.to_value(raw, None, None, f"{pset_name}.{prop[0]}")

    def to_value(
        self,
        raw: Raw,
        measure: str | None,
        own_unit: ifcopenshell.entity_instance | None,
        source: str,
        quantity: bool = False,
    ) -> PropValue:
        """A PropValue with its SI value, converted with the property's own unit or the project's; a `quantity`
        (IfcElementQuantity member) is refused when negative whatever its measure."""
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            return PropValue(raw, None, measure, source)
        scale: Scale = self.units.for_measure(measure, own_unit)
        si = None if scale.factor is None else float(raw) * scale.factor
        if si is not None and not math.isfinite(si):  # 1e305 km² overflows; a NaN has no figure either
            problem = f"{source} = {raw!r} is not a finite number in SI units: not used"
            return PropValue(raw, None, measure, source, problem, problem=problem)
        return _refuse_negative(PropValue(raw, si, measure, source, scale.note), quantity)


def _refuse_negative(value: PropValue, quantity: bool) -> PropValue:
    """A negative quantity (IFC4 requires every quantity >= 0) or negative size property is a broken export: kept
    in `raw`, never used as a figure."""
    if value.si is None or value.si >= 0 or not (quantity or value.measure in SIZE_MEASURES):
        return value
    unit = SI_SYMBOLS.get(value.measure or "", "")
    shown = f"{value.si:,.6g} {unit}".strip()
    problem = f"{value.source} = {shown}: a negative {'quantity' if quantity else 'size'} (broken export), not used"
    return replace(value, si=None, unit_note=problem, problem=problem)
