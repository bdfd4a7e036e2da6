"""What running a user's IDS file on a model found, as plain data: the rules side turns it into results without
touching ifcopenshell or ifctester (checker.model.ids_run produces it in the check's child process)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Usage = Literal["required", "optional", "prohibited"]


class IdsElement(BaseModel):
    """One element a specification applied to, with the building it sits in (None: outside any building)."""

    model_config = ConfigDict(frozen=True)

    global_id: str
    ifc_class: str
    name: str | None = None
    building_id: str | None = None
    reasons: list[str] = Field(default_factory=list, description="ifctester's failure reasons; empty: it passed")


class IdsSpecOutcome(BaseModel):
    """One specification of an IDS file on one model."""

    model_config = ConfigDict(frozen=True)

    index: int = Field(description="1-based position in the file")
    identifier: str | None = None
    name: str
    description: str | None = None
    instructions: str | None = None
    usage: Usage
    applies_to_version: bool = Field(True, description="false: the model's IFC schema is not in the ifcVersion list")
    elements: list[IdsElement] = Field(default_factory=list, description="the applicable elements")


class IdsFileOutcome(BaseModel):
    """One IDS file: its name, info block and specifications."""

    model_config = ConfigDict(frozen=True)

    file: str = Field(description="the file name as given")
    stem: str
    title: str | None = None
    author: str | None = None
    version: str | None = None
    date: str | None = None
    specifications: list[IdsSpecOutcome] = Field(default_factory=list)
