"""Material take-off per building, and the declared GB/T 50378 scores, for the green_materials and star_rating families.

Every material-bearing element is split over its materials: a single material takes the element volume;
a layer set takes layer thickness x element area (Qto Net/GrossSideArea or Net/GrossArea), else the volume
shared by thickness; a constituent set takes volume x Fraction; a profile set shares the volume equally.
Element volume comes from a quantity set (NetVolume, else GrossVolume), else from geometry. Mass uses
Pset_MaterialCommon.MassDensity, cost CN_GreenBuilding.UnitCost (CNY per m³) on the IfcMaterial. The
green-building flags are read from CN_GreenBuilding on the IfcMaterial (docs/data-requirements.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import ifcopenshell

from checker.model.facts import ElementRecord, Evidence, Fact, Scalar
from checker.model.material_gaps import bare_record, gap_facts, is_construction, without_material
from checker.model.material_props import MaterialIndex
from checker.model.scope import CUSTOM_PSET, GID_CAP, BuildingScope, as_bool, prop_evidence

log = logging.getLogger(__name__)

SKIP_CLASSES = ("IfcFeatureElement", "IfcVirtualElement", "IfcSpatialElement", "IfcGrid", "IfcAnnotation")
VOLUME_KEYS = ("NetVolume", "GrossVolume")
# Bar geometry (swept disks along bent paths) costs minutes per model and rebar is counted by mass elsewhere:
# without a volume quantity its volume stays unknown instead.
NO_GEOMETRY_CLASSES = ("IfcReinforcingElement", "IfcFastener", "IfcMechanicalFastener")
AREA_KEYS = ("NetSideArea", "GrossSideArea", "NetArea", "GrossArea")
FLAGS = {
    "green_certified": "GreenCertified",
    "recyclable": "Recyclable",
    "reusable": "Reusable",
    "waste_based": "WasteBased",
}
# The four material categories of the appendix method, with the spellings designers use for them.
CATEGORY_ALIASES = {
    "structure_envelope": [
        "structure_envelope",
        "structure",
        "envelope",
        "主体及围护结构",
        "主体结构",
        "围护结构",
        "S1",
    ],
    "decoration": ["decoration", "装饰装修", "装修", "S2"],
    "mep": ["mep", "机电安装", "机电", "S3"],
    "outdoor": ["outdoor", "室外工程", "室外", "S4"],
}
STAR_PROPS = {
    "star_score_safety": "ScoreSafety",
    "star_score_health": "ScoreHealth",
    "star_score_convenience": "ScoreConvenience",
    "star_score_resource": "ScoreResource",
    "star_score_environment": "ScoreEnvironment",
    "star_score_innovation": "ScoreInnovation",
    "star_score_green_materials": "ScoreGreenMaterials",
}


@dataclass
class Tally:
    """What one material accumulates over the building's elements."""

    material: ifcopenshell.entity_instance
    volume: float = 0.0
    unknown: list[str] = field(default_factory=list)  # elements whose share of this material has no volume
    elements: list[str] = field(default_factory=list)
    bases: set[str] = field(default_factory=set)
    construction: set[str] = field(default_factory=set)  # its elements that are construction (config.materials)


def category_of(text: str | None) -> str | None:
    """structure_envelope / decoration / mep / outdoor from a declared MaterialCategory."""
    if not text:
        return None
    lowered = str(text).strip().lower()
    for key, words in CATEGORY_ALIASES.items():
        if any(lowered == w.lower() for w in words):
            return key
    return None


def _qto(scope: BuildingScope, element: ifcopenshell.entity_instance, keys: Sequence[str]) -> tuple[float | None, str]:
    index = scope.index
    sets = {
        n: index.pset(element, n) for n in index.pset_names(element) if n.startswith("Qto_") or n == "BaseQuantities"
    }
    for key in keys:
        for values in sets.values():
            found = values.get(key)
            if found is not None and found.si is not None and found.si > 0:
                return found.si, found.source
    return None, ""


def _split(
    selection: ifcopenshell.entity_instance, volume: float | None, area: float | None, length: float | None
) -> list[tuple[ifcopenshell.entity_instance, float | None, str]]:
    """(material, volume share in m³ or None, basis) for each material of a selection."""
    if selection.is_a("IfcMaterialLayerSetUsage"):
        selection = selection.ForLayerSet
    elif selection.is_a("IfcMaterialProfileSetUsage"):
        selection = selection.ForProfileSet
    if selection.is_a("IfcMaterial"):
        return [(selection, volume, "element volume")]
    if selection.is_a("IfcMaterialLayerSet"):
        layers = [(layer.Material, float(layer.LayerThickness or 0.0)) for layer in selection.MaterialLayers or ()]
        total = sum(t for _, t in layers)
        out: list[tuple[ifcopenshell.entity_instance, float | None, str]] = []
        for material, thickness in layers:
            if material is None:
                continue
            if area is not None and length is not None:
                out.append((material, thickness * length * area, "layer thickness x element area"))
            elif volume is not None and total > 0:
                out.append((material, volume * thickness / total, "element volume shared by layer thickness"))
            else:
                out.append((material, None, "layer set without element area or volume"))
        return out
    if selection.is_a("IfcMaterialConstituentSet"):
        parts = [c for c in selection.MaterialConstituents or () if c.Material is not None]
        fractions = [c.Fraction for c in parts]
        if all(f is not None for f in fractions) and parts:
            return [
                (
                    c.Material,
                    None if volume is None else volume * float(c.Fraction),
                    "element volume x constituent Fraction",
                )
                for c in parts
            ]
        return [(c.Material, None, "constituent set without Fraction") for c in parts]
    if selection.is_a("IfcMaterialProfileSet"):
        profiles = [p for p in selection.MaterialProfiles or () if p.Material is not None]
        basis = "element volume" if len(profiles) == 1 else "element volume shared equally by profiles"
        return [(p.Material, None if volume is None else volume / len(profiles), basis) for p in profiles]
    if selection.is_a("IfcMaterialList"):
        return [(m, None, "material list: no split given") for m in selection.Materials or ()]
    return []


def _elements(
    scope: BuildingScope, mats: MaterialIndex
) -> list[tuple[ifcopenshell.entity_instance, ifcopenshell.entity_instance]]:
    """(element, selection) for physical elements; an assembly whose parts carry materials is left to its parts."""
    found = []
    for element in scope.of_class("IfcElement"):
        if any(element.is_a(c) for c in SKIP_CLASSES):
            continue
        selection, _ = mats.selection(element)
        if selection is None:
            continue
        if any(mats.selection(child)[0] is not None for child in scope.index.children(element)):
            continue
        found.append((element, selection))
    return found


def _volumes(
    scope: BuildingScope, elements: Sequence[ifcopenshell.entity_instance], worth_geometry: bool
) -> tuple[dict[int, tuple[float | None, str]], int]:
    """(volume m³ or None, source) per element id from a quantity set, else geometry; and how many needed geometry."""
    volumes: dict[int, tuple[float | None, str]] = {e.id(): _qto(scope, e, VOLUME_KEYS) for e in elements}
    need = [
        e
        for e in elements
        if worth_geometry and volumes[e.id()][0] is None and not any(e.is_a(c) for c in NO_GEOMETRY_CLASSES)
    ]
    geometry = scope.measure("volume", need) if need else {}
    for element in need:
        if element.id() in geometry:
            volumes[element.id()] = (geometry[element.id()], "geometry")
    return volumes, len(geometry)


@dataclass
class TakeOff:
    """Per-material tallies, the construction elements without any material (with their volumes), the exempt
    elements without one, and how many element volumes came from geometry."""

    tallies: dict[int, Tally]
    bare: list[tuple[ifcopenshell.entity_instance, float | None, str]]
    exempt: list[ifcopenshell.entity_instance]
    from_geometry: int


def take_off(scope: BuildingScope, mats: MaterialIndex) -> TakeOff:
    """Split every material-bearing element over its materials; collect construction elements without material."""
    coverage = scope.config.materials
    pairs = _elements(scope, mats)
    bare, exempt = without_material(scope, mats, coverage)
    length = scope.index.units.for_type("LENGTHUNIT").factor
    # Volumes from geometry only matter when some material declares green-building data to weigh them.
    volumes, from_geometry = _volumes(scope, [e for e, _ in pairs] + bare, mats.has_pset(CUSTOM_PSET))
    tallies: dict[int, Tally] = {}
    for element, selection in pairs:
        volume, vsource = volumes[element.id()]
        area, asource = _qto(scope, element, AREA_KEYS)
        construction = is_construction(element, coverage)
        for material, share, basis in _split(selection, volume, area, length):
            tally = tallies.setdefault(material.id(), Tally(material))
            tally.elements.append(element.GlobalId)
            if construction:
                tally.construction.add(element.GlobalId)
            source = asource if "area" in basis else vsource
            tally.bases.add(f"{basis} ({source})" if source and share is not None else basis)
            if share is None:
                tally.unknown.append(element.GlobalId)
            else:
                tally.volume += share
    return TakeOff(tallies, [(e, *volumes[e.id()]) for e in bare], exempt, from_geometry)


def low_voc_values(
    scope: BuildingScope,
    mats: MaterialIndex,
    material: ifcopenshell.entity_instance,
    kind: str,
    sources: dict[str, str],
) -> dict[str, Scalar]:
    """voc_group (the [extraction.materials] low_voc_targets group its Name / Category / MaterialKind names) and
    low_voc (CN_GreenBuilding.LowVOC); only a targeted material lacks the flag (the checklist lists no other)."""
    texts = " / ".join(t for t in (scope.name(material), scope.text(getattr(material, "Category", None)), kind) if t)
    targets = scope.config.materials.low_voc_targets
    group = next((g for g, words in targets.items() if any(w.lower() in texts.lower() for w in words)), None)
    flag = mats.value(material, CUSTOM_PSET, "LowVOC")
    sources["voc_group"] = f"IfcMaterial Name / Category / MaterialKind: {texts}" if group else "no target word"
    sources["low_voc"] = flag.source if flag else "missing" if group else "not a low-VOC target material"
    return {"voc_group": group, "low_voc": as_bool(flag.raw) if flag else None}


def _material_record(scope: BuildingScope, mats: MaterialIndex, tally: Tally) -> ElementRecord:
    material = tally.material
    values: dict[str, Scalar] = {}
    sources: dict[str, str] = {}
    kind = mats.value(material, CUSTOM_PSET, "MaterialKind")
    category = mats.value(material, CUSTOM_PSET, "MaterialCategory")
    values["kind"] = (str(kind.raw).strip() or None) if kind else None
    values["category"] = category_of(str(category.raw)) if category else None
    sources["kind"] = kind.source if kind and values["kind"] else "missing"
    # an unrecognised category is as good as none: the checklist lists the material as lacking it
    sources["category"] = "missing"
    if category:
        known = values["category"] is not None
        sources["category"] = category.source if known else f"missing: {category.raw!r} is no known category"
    volume = None if tally.unknown else round(tally.volume, 6)
    values["volume_m3"] = volume
    sources["volume_m3"] = "; ".join(sorted(tally.bases))
    density = mats.value(material, "Pset_MaterialCommon", "MassDensity")
    values["mass_kg"] = (
        None if volume is None or density is None or density.si is None else round(volume * density.si, 3)
    )
    sources["mass_kg"] = f"volume x {density.source}" if density else "missing: Pset_MaterialCommon.MassDensity"
    unit_cost = mats.value(material, CUSTOM_PSET, "UnitCost")
    values["cost"] = (
        None
        if volume is None or unit_cost is None or not isinstance(unit_cost.raw, (int, float))
        else round(volume * float(unit_cost.raw), 2)
    )
    sources["cost"] = f"volume x {unit_cost.source} (CNY/m³)" if unit_cost else "missing"
    for key, prop in FLAGS.items():
        flag = mats.value(material, CUSTOM_PSET, prop)
        values[key] = as_bool(flag.raw) if flag else None
        sources[key] = flag.source if flag else "missing"
    values.update(low_voc_values(scope, mats, material, str(values["kind"] or ""), sources))
    values["element_count"] = len(set(tally.elements))
    values["construction_elements"] = len(tally.construction)
    values["elements_without_quantity"] = len(set(tally.unknown))
    return ElementRecord(
        global_id=f"IfcMaterial#{material.id()}",
        ifc_class=material.is_a(),
        name=scope.name(material),
        values=values,
        sources=sources,
    )


def material_facts(scope: BuildingScope) -> tuple[dict[str, Fact], dict[str, list[ElementRecord]]]:
    """Material records, the construction elements without material, and building-level counts; the ratios are
    computed by the rule metrics."""
    mats = MaterialIndex.of(scope.index)
    found = take_off(scope, mats)
    records = sorted(
        (_material_record(scope, mats, t) for t in found.tallies.values()), key=lambda r: (r.name or "", r.global_id)
    )
    geometry = mats.has_pset(CUSTOM_PSET)
    bare = [bare_record(scope, e, v, source, geometry) for e, v, source in found.bare]
    ids = sorted({gid for t in found.tallies.values() for gid in t.elements})
    source = (
        f"IfcRelAssociatesMaterial of {len(ids)} elements; {found.from_geometry} element volumes computed from geometry"
    )
    facts = {
        "material_count": Fact(
            value=len(records),
            evidence=[Evidence(method="attribute", source=source, global_ids=ids[:GID_CAP], count=len(ids))],
        ),
        **gap_facts(bare, found.exempt),
    }
    return facts, {"materials": records, "elements_without_material": bare}


def star_facts(scope: BuildingScope) -> dict[str, Fact]:
    """Declared GB/T 50378 category scores, control items, stage and full decoration
    (CN_GreenBuilding on the IfcBuilding)."""
    building = scope.building
    facts: dict[str, Fact] = {}
    for key, prop in STAR_PROPS.items():
        value = scope.custom(building, prop)
        if value is None or isinstance(value.raw, bool) or not isinstance(value.raw, (int, float)):
            facts[key] = Fact(value=None, unit="points", missing=f"CN_GreenBuilding.{prop} on the IfcBuilding")
        else:
            facts[key] = Fact(value=float(value.raw), unit="points", evidence=[prop_evidence(value, [building])])
    for key, prop in (("star_control_items_met", "ControlItemsMet"), ("full_decoration", "FullDecoration")):
        value = scope.custom(building, prop)
        parsed = as_bool(value.raw) if value else None
        facts[key] = Fact(
            value=parsed,
            missing=None if parsed is not None else f"CN_GreenBuilding.{prop} (yes/no) on the IfcBuilding",
            evidence=[prop_evidence(value, [building])] if value and parsed is not None else [],
        )
    stage = scope.custom(building, "AssessmentStage")
    text = str(stage.raw).strip().lower() if stage else ""
    parsed_stage = (
        "pre"
        if text in {"pre", "pre-assessment", "design", "预评价"}
        else "final"
        if text in {"final", "assessment", "评价", "运行"}
        else None
    )
    facts["star_assessment_stage"] = Fact(
        value=parsed_stage,
        missing=None if parsed_stage else "CN_GreenBuilding.AssessmentStage (pre / final) on the IfcBuilding",
        evidence=[prop_evidence(stage, [building])] if stage and parsed_stage else [],
    )
    return facts


def extract(scope: BuildingScope) -> tuple[dict[str, Fact], dict[str, list[ElementRecord]]]:
    """The registry entry (checker.model.extract.EXTRACTORS['materials'])."""
    facts, records = material_facts(scope)
    facts.update(star_facts(scope))
    return facts, records
