"""Extraction tables a ruleset hands to the extractor (mapping tables, tolerances).

They live in the ruleset so a reviewer can read and change them; they are defined here, on the
model side, so that extraction depends on plain data and never on the rules package.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class UseCategoryKeywords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Literal["public", "residential", "industrial", "warehouse", "mixed"]
    keywords: list[str] = Field(min_length=1)


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
