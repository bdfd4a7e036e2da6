"""Property sets on IfcMaterial (IfcMaterialProperties) and material associations, indexed once per file.

ModelIndex only reads IfcPropertySet definitions attached to objects; materials carry their psets as
IfcMaterialProperties (IFC4) or IfcExtendedMaterialProperties (IFC2X3), and elements reach their
materials through IfcRelAssociatesMaterial. Both are walked once here instead of per element.
"""

from __future__ import annotations

from collections.abc import Iterable

import ifcopenshell

from checker.model.index import ModelIndex, PropValue, unwrap_value


class MaterialIndex:
    """Material psets (SI-converted with the file's units) and element -> material selection."""

    @classmethod
    def of(cls, index: ModelIndex) -> MaterialIndex:
        """The file's material index, built once per file (it reads every material pset and association)."""
        return index.per_file("material_index", lambda: cls(index))

    def __init__(self, index: ModelIndex) -> None:
        self.index = index
        self._has_pset: dict[str, bool] = {}
        self._psets: dict[int, dict[str, dict[str, PropValue]]] = {}
        self._assoc: dict[int, ifcopenshell.entity_instance] = {}
        model = index.file
        for props in model.by_type("IfcMaterialProperties"):
            material = getattr(props, "Material", None)
            if material is None:
                continue
            name = getattr(props, "Name", None) or ""
            items = getattr(props, "Properties", None) or getattr(props, "ExtendedProperties", None) or ()
            target = self._psets.setdefault(material.id(), {}).setdefault(name, {})
            target.update(dict(self._parse(name, items)))
        for rel in model.by_type("IfcRelAssociatesMaterial"):
            selection = rel.RelatingMaterial
            if selection is None:
                continue
            for obj in rel.RelatedObjects or ():
                self._assoc.setdefault(obj.id(), selection)

    def _parse(self, pset_name: str, items: Iterable[ifcopenshell.entity_instance]) -> Iterable[tuple[str, PropValue]]:
        for prop in items:
            if not prop.is_a("IfcPropertySingleValue"):
                continue
            raw, measure = unwrap_value(prop.NominalValue)
            yield prop.Name, self.index.to_value(raw, measure, prop.Unit, f"{pset_name}.{prop.Name} (IfcMaterial)")

    def has_pset(self, name: str) -> bool:
        """Whether any material carries the named property set (decides whether a take-off is worth geometry)."""
        if name not in self._has_pset:
            self._has_pset[name] = any(name in sets for sets in self._psets.values())
        return self._has_pset[name]

    def value(self, material: ifcopenshell.entity_instance, pset: str, prop: str) -> PropValue | None:
        found = self._psets.get(material.id(), {}).get(pset, {}).get(prop)
        return found if found is not None and found.raw is not None else None

    def selection(self, element: ifcopenshell.entity_instance) -> tuple[ifcopenshell.entity_instance | None, bool]:
        """(material selection, inherited from the type?): the occurrence's own association wins."""
        own = self._assoc.get(element.id())
        if own is not None:
            return own, False
        element_type = self.index.type_of(element)
        if element_type is not None and element_type.id() in self._assoc:
            return self._assoc[element_type.id()], True
        return None, False
