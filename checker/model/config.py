"""Extraction tables a ruleset hands to the extractor (mapping tables, tolerances).

They live in the ruleset so a reviewer can read and change them; they are defined here, on the
model side, so that extraction depends on plain data and never on the rules package.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class UseCategoryKeywords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    category: Literal["public", "residential", "industrial", "warehouse", "mixed"]
    keywords: list[str] = Field(min_length=1)


class Plausibility(BaseModel):
    """Limits beyond which an extracted figure is taken as a modelling or unit error: the fact becomes unknown with
    a warning that says what looks wrong (e.g. "areas look like millimetres"), never a silent pass or fail."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    max_storey_area_m2: float = Field(100_000.0, gt=0)
    max_building_height_m: float = Field(1_000.0, gt=0)
    min_u_value: float = Field(
        0.05, ge=0, description="W/(m²·K); below this a U-value is not physical for a building element"
    )
    max_u_value: float = Field(10.0, gt=0, description="W/(m²·K); exporters write 26.15 or 0 as placeholders")
    max_open_ratio: float = Field(
        10.0, gt=1, description="a ratio that may pass 1 (renewable utilisation) above this is no building's"
    )
    max_buildings_per_file: int = Field(
        200,
        ge=1,
        description="more IfcBuildings than this in one file gives a model warning (an exporter writing one per "
        "block or object); every building is still checked and reported",
    )


class MaterialClass(BaseModel):
    """A structural material class and the words that name it in IfcMaterial Name/Category (and layer/profile names).

    Classes are tried in the ruleset's order and the first match wins, so 'concrete' must come before 'steel':
    reinforced concrete (钢筋混凝土, Stahlbeton) names steel too.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: Literal["concrete", "steel", "timber"]
    keywords: list[str] = Field(min_length=1)
    prefabricated: bool = Field(False, description="members of this material are factory-made (a prefab signal)")
    basis: str = Field("", description="citation shown in the member record when `prefabricated` counts")


class PrefabExtraction(BaseModel):
    """What the prefabrication extractor reads beyond standard IFC signals (GB/T 51129 Table 4.0.1 inputs)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    above_ground_only: bool = Field(
        True, description="Table 4.0.1 members, the floor-plan area A and the precast ratio over above-ground storeys"
    )
    above_ground_basis: str = ""
    material_classes: list[MaterialClass] = Field(default_factory=list)
    metal_deck_keywords: list[str] = Field(default_factory=list)
    metal_deck_basis: str = ""
    hybrid_keywords: list[str] = Field(default_factory=list, description="declared StructureType words for hybrid")
    masonry_keywords: list[str] = Field(
        default_factory=list, description="declared StructureType words for masonry (only declared, never inferred)"
    )
    structure_type_min_share: float = Field(
        0.9,
        gt=0.5,
        le=1.0,
        description="share of the vertical members (by count) one material needs to name the structure",
    )
    absent_item_words: dict[str, list[str]] = Field(
        default_factory=dict, description="CN_GreenBuilding.PrefabAbsentItems word -> Table 4.0.1 item codes"
    )
    item_space_keywords: dict[str, list[str]] = Field(
        default_factory=dict, description="item code -> IfcSpace Name/LongName words showing the item exists"
    )


class MaterialCoverage(BaseModel):
    """Elements that must show their material: one without any (own, type's or assembly's) is unknown-material
    quantity in the green-material shares, which can then only be upper bounds (docs/data-requirements.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    required_classes: list[str] = Field(
        default_factory=lambda: [
            "IfcBuildingElement",
            "IfcBuiltElement",
            "IfcBuildingElementPart",
            "IfcReinforcingElement",
        ],
        description="physical construction (IFC2X3/IFC4 IfcBuildingElement, IFC4X3 IfcBuiltElement) and its parts",
    )
    exempt_classes: list[str] = Field(
        default_factory=lambda: ["IfcBuildingElementProxy"],
        description="not known to be construction (proxies often carry furniture, MEP or PV): only warned about",
    )
    low_voc_targets: dict[str, list[str]] = Field(
        default_factory=dict,
        description="material group (coatings, adhesives, ...) -> words naming it in an IfcMaterial's Name, Category "
        "or CN_GreenBuilding.MaterialKind, case-insensitive: the materials whose CN_GreenBuilding.LowVOC the "
        "low-VOC rule reads (plan 三(一))",
    )


class StoreyTables(BaseModel):
    """How storeys and slabs are read: which storeys are basements, which slabs are no floor, what a roof level is.

    Precedence for above ground: CN_GreenBuilding.AboveGround > the Elevation attribute >
    Pset_BuildingStoreyCommon.AboveGround > a basement name > the storey placement's z (only when the file places its
    storeys apart).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    basement_name_patterns: list[str] = Field(
        default_factory=list,
        description="regular expressions (case-insensitive, searched anywhere in the storey name) that mark a basement",
    )
    foundation_keywords: list[str] = Field(
        default_factory=list, description="slab name / type / ObjectType words of a foundation (never floor area)"
    )
    outdoor_slab_keywords: list[str] = Field(
        default_factory=list, description="slab name / type / ObjectType words of outdoor paving (never floor area)"
    )
    roof_level_classes: list[str] = Field(
        default_factory=list,
        description="IFC classes a roof level may hold; a top storey holding only these (and a slab or roof) is a roof",
    )
    roof_level_wall_types: list[str] = Field(
        default_factory=list, description="wall PredefinedTypes a roof level may hold (parapets)"
    )
    parapet_keywords: list[str] = Field(
        default_factory=list, description="wall name / type / ObjectType words of a parapet (IFC2X3 has no PARAPET)"
    )
    flat_roof_tolerance_m: float = Field(
        1.0, gt=0, description="a roof element whose own height span exceeds this is pitched (its top is a ridge)"
    )

    @field_validator("basement_name_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"basement name pattern {pattern!r} is not a regular expression: {exc}") from exc
        return patterns


class DataInput(BaseModel):
    """One IFC property that facts read: the row a 'data to add' checklist and its IDS file name when those facts are
    missing. Data, not code, so a ruleset that reads another property says so beside its keyword tables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    facts: list[str] = Field(
        default_factory=list, description="fact keys that stay unknown (or a bound) without the property"
    )
    mentions: str | None = Field(
        None,
        description="for a property the rules read per element (U-values, SHGC), not through a fact: the text an "
        "unknown rule's missing entry carries when the property is what it lacks, e.g. "
        "Pset_WallCommon.ThermalTransmittance",
    )
    entity: str = Field(description="IFC class the property belongs on, e.g. IfcBuilding or IfcSlab")
    pset: str = Field(description="property or quantity set, e.g. CN_GreenBuilding or Qto_SlabBaseQuantities")
    property: str
    value_type: str = Field(description="IFC value type, e.g. IfcLabel, IfcBoolean, IfcAreaMeasure")
    allowed: list[str] = Field(default_factory=list, description="the only values read (an enumeration)")
    allowed_from: list[str] = Field(
        default_factory=list, description="[extraction] keyword tables whose words are read (use_categories: names)"
    )
    records: str | None = Field(
        None,
        description="for a property the rules read per element (with mentions): the building's element records that "
        "say who lacks it, e.g. 'materials' (one per IfcMaterial, listed by name and #step id: no GlobalId), "
        "'elements_without_material', 'envelope_walls', 'prefab_unclassified_walls'",
    )
    record_value: str | None = Field(
        None,
        description="the records' value key for the property: a record lacks it when its source starts with "
        "'missing' (or its value is record_lacking); without a key every record lacks it",
    )
    record_lacking: str | None = Field(
        None, description="the value a record carries when it lacks the property, e.g. 'candidate' for exterior"
    )
    record_classes: list[str] = Field(
        default_factory=list, description="only records of these IFC classes (a class list mixing several)"
    )
    construction_only: bool = Field(
        False, description="materials only when on construction elements (the others are only warned about)"
    )
    requirement: Literal["property", "material"] = Field(
        "property",
        description="what the IDS requires: the property (pset.property), or a material association (IDS material "
        "facet) for elements that carry none",
    )

    @model_validator(mode="after")
    def _names_what_lacks_it(self) -> DataInput:
        if not self.facts and not self.mentions:
            raise ValueError("a data input names the facts that read it, or the text rules mention it by (mentions)")
        reads_records = self.record_value or self.record_lacking or self.record_classes or self.construction_only
        if reads_records and not self.records:
            raise ValueError("record_value, record_lacking, record_classes and construction_only need records")
        if self.records and not self.mentions:
            raise ValueError("a data input read from records names the text rules mention it by (mentions)")
        return self


class HeatingSourceKeywords(BaseModel):
    """A declared heating source (CN_GreenBuilding.HeatingSource) and the words that name it."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    category: Literal[
        "district_heating", "heat_pump", "ground_source_heat_pump", "air_source_heat_pump", "gas", "electric", "other"
    ]
    keywords: list[str] = Field(min_length=1)


class EnergySupplyExtraction(BaseModel):
    """How heating, hot-water and cooking equipment is recognised (plan 六(十五)/(十六)): the words of a fuel, a
    heat pump and an end use in names, types and ObjectTypes; a Pset EnergySource value wins over any word."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    heating_sources: list[HeatingSourceKeywords] = Field(default_factory=list)
    fuel_keywords: dict[str, list[str]] = Field(
        default_factory=dict, description="energy (gas, electric, oil, coal, biomass) -> name words"
    )
    heat_pump_keywords: list[str] = Field(default_factory=list)
    use_keywords: dict[Literal["heating", "hot_water", "cooking"], list[str]] = Field(default_factory=dict)
    named_classes: list[str] = Field(
        default_factory=list,
        description="generic classes (IFC2X3 flow terminals, proxies, furniture) read as equipment only by name",
    )
    heat_pump_classes: list[str] = Field(
        default_factory=list, description="classes counted as heat pumps when their name matches heat_pump_keywords"
    )


class ExtractionConfig(BaseModel):
    """Mapping tables and tolerances the extractor needs."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    use_categories: list[UseCategoryKeywords] = Field(default_factory=list)
    # IfcSpace Name/LongName keyword -> use category, for buildings that declare no use (Chinese Revit exports).
    space_use_categories: list[UseCategoryKeywords] = Field(default_factory=list)
    space_use_min_share: float = Field(
        0.7, gt=0.5, le=1.0, description="share of the classified spaces (by count or by area) one use must reach"
    )
    space_use_min_spaces: int = Field(3, ge=1, description="fewer classified spaces than this decide nothing")
    construction_new: list[str] = Field(default_factory=list)
    construction_extension: list[str] = Field(default_factory=list)
    construction_retrofit: list[str] = Field(default_factory=list)
    rural_keywords: list[str] = Field(default_factory=list)
    pv_keywords: list[str] = Field(default_factory=list)
    pv_exclude_keywords: list[str] = Field(
        default_factory=list, description="PV equipment that is not a panel (inverter, bracket): never counted by name"
    )
    pv_named_classes: list[str] = Field(
        default_factory=list, description="classes counted as PV panels when their name matches pv_keywords"
    )
    pv_possible_classes: list[str] = Field(
        default_factory=list,
        description="classes only 'possible PV' when their name matches: not counted, but PV presence becomes unknown",
    )
    pv_cell_types: dict[str, list[str]] = Field(
        default_factory=dict, description="PV cell type (poly / mono / thin_film) -> CN_GreenBuilding.PVCellType words"
    )
    pv_degradation_max_ratio: float = Field(
        0.2, gt=0, le=1, description="a declared degradation above this is a percentage written by mistake: not used"
    )
    transport_facility_words: dict[str, list[str]] = Field(
        default_factory=dict,
        description="transport facility (bus_depot / charging_station / car_park) -> words of CN_GreenBuilding."
        "FacilityType and Pset_BuildingCommon.OccupancyType",
    )
    transport_facility_none_words: list[str] = Field(
        default_factory=list, description="CN_GreenBuilding.FacilityType words declaring no transport facility"
    )
    transport_space_words: dict[str, list[str]] = Field(
        default_factory=dict, description="transport facility -> IfcSpace Name / LongName words"
    )
    transport_space_types: dict[str, list[str]] = Field(
        default_factory=dict, description="transport facility -> IfcSpace PredefinedTypes (IFC4 PARKING)"
    )
    transport_space_min_share: float = Field(
        0.5, gt=0, le=1, description="share of the named spaces (by count or area) that makes a transport facility"
    )
    above_ground_min_elevation_m: float = -0.3
    surface_resistances: dict[str, tuple[float, float]] = Field(
        default_factory=dict,
        description=(
            "envelope class -> (Rsi, Rse) in m²·K/W for the U-value facts of elements whose U comes from material "
            "layers; a class without an entry reports such elements as lacking U"
        ),
    )
    # Elements per building whose missing quantities may be derived from geometry (-1 = no limit, 0 = never).
    geometry_element_limit: int = 400
    plausibility: Plausibility = Field(default_factory=Plausibility)
    storeys: StoreyTables = Field(default_factory=StoreyTables)
    # Use categories whose new buildings' above-ground area adds up to the project's public floor area (prefab trigger).
    project_public_categories: list[str] = Field(default_factory=lambda: ["public", "mixed"])
    prefab: PrefabExtraction = Field(default_factory=PrefabExtraction)
    materials: MaterialCoverage = Field(default_factory=MaterialCoverage)
    energy_supply: EnergySupplyExtraction = Field(default_factory=EnergySupplyExtraction)
    data_inputs: list[DataInput] = Field(
        default_factory=list, description="the property each fact reads, for the 'data to add' checklist"
    )
