"""Extraction tables a ruleset hands to the extractor (mapping tables, tolerances).

They live in the ruleset so a reviewer can read and change them; they are defined here, on the
model side, so that extraction depends on plain data and never on the rules package.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class UseCategoryKeywords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Literal["public", "residential", "industrial", "warehouse", "mixed"]
    keywords: list[str] = Field(min_length=1)


class Plausibility(BaseModel):
    """Limits beyond which an extracted figure is taken as a modelling or unit error: the fact becomes unknown with
    a warning that says what looks wrong (e.g. "areas look like millimetres"), never a silent pass or fail."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_storey_area_m2: float = Field(100_000.0, gt=0)
    max_building_height_m: float = Field(1_000.0, gt=0)
    min_u_value: float = Field(
        0.05, ge=0, description="W/(m²·K); below this a U-value is not physical for a building element"
    )
    max_u_value: float = Field(10.0, gt=0, description="W/(m²·K); exporters write 26.15 or 0 as placeholders")


class StoreyTables(BaseModel):
    """How storeys and slabs are read: which storeys are basements, which slabs are no floor, what a roof level is.

    Precedence for above ground: CN_GreenBuilding.AboveGround > the Elevation attribute >
    Pset_BuildingStoreyCommon.AboveGround > a basement name > the storey placement's z (only when the file places its
    storeys apart).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

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


class ExtractionConfig(BaseModel):
    """Mapping tables and tolerances the extractor needs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    use_categories: list[UseCategoryKeywords] = Field(default_factory=list)
    construction_new: list[str] = Field(default_factory=list)
    construction_retrofit: list[str] = Field(default_factory=list)
    pv_keywords: list[str] = Field(default_factory=list)
    above_ground_min_elevation_m: float = -0.3
    # Elements per building whose missing quantities may be derived from geometry (-1 = no limit, 0 = never).
    geometry_element_limit: int = 400
    plausibility: Plausibility = Field(default_factory=Plausibility)
    storeys: StoreyTables = Field(default_factory=StoreyTables)
