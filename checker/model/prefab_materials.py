"""Structural material of prefabrication members (concrete / steel / timber) and the building's structure type.

GB/T 51129 writes its vertical-member ratio for concrete; steel and timber members are factory-made, and metal-deck
slabs are formwork-free (4.0.5), so a steel frame must not be scored as cast-in-place concrete. The words that name
each material are ruleset data ([extraction.prefab]); a member whose material names none keeps the old reading
(concrete, cast in place unless a prefabrication signal says otherwise), so an unlabelled model never gains points.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import ifcopenshell

from checker.model.config import MaterialClass, PrefabExtraction
from checker.model.facts import ElementRecord, Evidence, Fact
from checker.model.material_props import MaterialIndex
from checker.model.names import NameRepairs
from checker.model.scope import CUSTOM_PSET, GID_CAP, BuildingScope, keyword_matches, prop_evidence

STRUCTURE_TYPES = ("concrete", "steel", "timber", "masonry", "hybrid")


@dataclass(frozen=True)
class MemberMaterial:
    """The material class that decided a member's reading, the IfcMaterial that named it, and its texts."""

    material_class: MaterialClass | None
    material_name: str | None
    from_type: bool
    texts: tuple[str, ...]

    def describe(self) -> str:
        """'IfcMaterial 'Q355B' (on its type): steel', or why the member is read as concrete."""
        where = " (on its type)" if self.from_type else ""
        if self.material_name is None:
            return "no IfcMaterial: counted as concrete"
        if self.material_class is None:
            return f"IfcMaterial '{self.material_name}'{where} names no material class: counted as concrete"
        return f"IfcMaterial '{self.material_name}'{where}: {self.material_class.name}"

    def signal(self) -> str | None:
        """The prefabrication signal a factory-made material gives, naming its basis; None for concrete."""
        found = self.material_class
        if found is None or not found.prefabricated:
            return None
        return f"{found.name} member ({self.describe()}): counts as prefabricated ({found.basis})"

    @property
    def counts_as_concrete(self) -> bool:
        return self.material_class is None or self.material_class.name == "concrete"


def _texts(entity: ifcopenshell.entity_instance | None, names: NameRepairs) -> list[str]:
    """Name and Category (IFC4) of a material or a layer / profile / constituent."""
    if entity is None:
        return []
    return [str(t) for t in (names.name(entity), names.text(getattr(entity, "Category", None))) if t]


def _materials(selection: ifcopenshell.entity_instance, names: NameRepairs) -> Iterator[tuple[str | None, list[str]]]:
    """(IfcMaterial name, texts to match) for every material of a selection."""
    if selection.is_a("IfcMaterialLayerSetUsage"):
        selection = selection.ForLayerSet
    elif selection.is_a("IfcMaterialProfileSetUsage"):
        selection = selection.ForProfileSet
    if selection is None:
        return
    if selection.is_a("IfcMaterial"):
        yield names.name(selection), _texts(selection, names)
        return
    parts = (
        getattr(selection, "MaterialLayers", None)
        or getattr(selection, "MaterialProfiles", None)
        or getattr(selection, "MaterialConstituents", None)
        or getattr(selection, "Materials", None)
        or ()
    )
    for part in parts:
        material = part if part.is_a("IfcMaterial") else getattr(part, "Material", None)
        texts = _texts(material, names) + ([] if part is material else _texts(part, names))
        yield names.name(material), texts


def classify_text(text: str, classes: list[MaterialClass]) -> MaterialClass | None:
    """The first material class (in ruleset order) whose words the text names."""
    return next((c for c in classes if keyword_matches(text, c.keywords)), None)


def member_material(
    mats: MaterialIndex, element: ifcopenshell.entity_instance, config: PrefabExtraction
) -> MemberMaterial:
    """The member's material reading: the first class in ruleset order that any of its materials names."""
    selection, from_type = mats.selection(element)
    found = list(_materials(selection, mats.index.names)) if selection is not None else []
    texts = tuple(t for _, group in found for t in group)
    for material_class in config.material_classes:
        for name, group in found:
            if any(keyword_matches(t, material_class.keywords) for t in group):
                return MemberMaterial(material_class, name or " / ".join(group), from_type, texts)
    first = next((name or " / ".join(group) for name, group in found if name or group), None)
    return MemberMaterial(None, first, from_type, texts)


def is_metal_deck(scope: BuildingScope, slab: ifcopenshell.entity_instance, material: MemberMaterial) -> bool:
    """A slab named, typed or layered as a metal deck (楼承板, 压型钢板)."""
    words = scope.config.prefab.metal_deck_keywords
    element_type = scope.index.type_of(slab)
    texts = [*material.texts, scope.name(slab), scope.text(getattr(slab, "ObjectType", None)), scope.name(element_type)]
    return bool(words) and any(keyword_matches(str(t), words) for t in texts if t)


def _declared_type(text: str, config: PrefabExtraction) -> str | None:
    if keyword_matches(text, config.hybrid_keywords):
        return "hybrid"
    if keyword_matches(text, config.masonry_keywords):
        return "masonry"
    if text.strip().lower() in STRUCTURE_TYPES:
        return text.strip().lower()
    found = classify_text(text, config.material_classes)
    return found.name if found is not None else None


def structure_type(scope: BuildingScope, vertical: list[ElementRecord]) -> Fact:
    """concrete / steel / timber / masonry / hybrid: CN_GreenBuilding.StructureType, else the vertical members'
    materials (masonry only declared)."""
    config = scope.config.prefab
    inferred = infer_structure_type(vertical, config)
    declared = scope.custom(scope.building, "StructureType")
    if declared is None or not str(declared.raw or "").strip():
        return inferred
    value = _declared_type(str(declared.raw), config)
    if value is None:
        return Fact(
            value=None,
            missing=(
                f"{CUSTOM_PSET}.StructureType '{declared.raw}' is not concrete, steel, timber, masonry or "
                "hybrid (混凝土 / 钢 / 木 / 砌体 / 混合)"
            ),
        )
    warnings = []
    if inferred.value is not None and inferred.value != value:
        note = inferred.evidence[0].note if inferred.evidence else ""
        warnings.append(
            f"declared structure type {value}, but the vertical members' materials say {inferred.value} ({note})"
        )
    return Fact(value=value, evidence=[prop_evidence(declared, [scope.building])], warnings=warnings)


def infer_structure_type(vertical: list[ElementRecord], config: PrefabExtraction) -> Fact:
    """The material of at least `structure_type_min_share` of the rated vertical members; hybrid when no material
    can reach it; unknown while members of unnamed material or unknown storey could decide.

    Shares are by member count: a steel column holds a tenth of a concrete wall's volume, so volume would call a
    steel frame around a concrete core 'concrete'."""
    considered = [r for r in vertical if r.values.get("rated") is not False]
    if not considered:
        return Fact(
            value=None,
            missing=(
                f"{CUSTOM_PSET}.StructureType on the IfcBuilding, or vertical load-bearing members "
                "(columns, load-bearing walls, braces) with an IfcMaterial"
            ),
        )
    counts: dict[str, int] = {}
    uncertain = [r for r in considered if r.values.get("material") is None or r.values.get("rated") is None]
    for record in considered:
        if record not in uncertain:
            material = str(record.values["material"])
            counts[material] = counts.get(material, 0) + 1
    total = len(considered)
    shares = sorted(((k, v / total) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0]))
    note = ", ".join([*(f"{k} {v:.1%}" for k, v in shares), f"unnamed or unplaced {len(uncertain) / total:.1%}"])
    ids = [r.global_id for r in considered]
    evidence = Evidence(
        method="derived",
        source=f"IfcMaterial of {len(ids)} vertical load-bearing members (share by count)",
        global_ids=ids[:GID_CAP],
        count=len(ids),
        note=note,
    )
    limit, open_share = config.structure_type_min_share, len(uncertain) / total
    decided = [k for k, v in shares if v >= limit]
    if decided:
        return Fact(value=decided[0], evidence=[evidence])
    if shares and all(v + open_share < limit for _, v in shares):
        return Fact(value="hybrid", evidence=[evidence])
    lacking = ", ".join(r.global_id for r in uncertain[:10])
    return Fact(
        value=None,
        evidence=[evidence],
        missing=(
            f"{CUSTOM_PSET}.StructureType on the IfcBuilding, or a recognised IfcMaterial and storey on "
            f"{len(uncertain)} vertical members ({lacking}): {note}"
        ),
    )
