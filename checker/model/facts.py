"""Building facts with their evidence: the only thing the rules ever see of a model.

Every value is in SI units (m, m², m³, W, W/(m²·K)) and says where it came from, so a report
can name the GlobalIds, property sets or geometry behind each figure. No ifcopenshell import here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Scalar = float | int | str | bool | None

EvidenceMethod = Literal["property", "quantity", "attribute", "geometry", "derived", "ruleset", "default"]


class Evidence(BaseModel):
    """Where one figure came from."""

    model_config = ConfigDict(frozen=True)

    method: EvidenceMethod
    source: str = Field(
        description="e.g. 'Qto_BuildingStoreyBaseQuantities.GrossFloorArea' or 'computed from geometry of 12 elements'"
    )
    global_ids: list[str] = Field(default_factory=list)
    count: int = Field(
        0, description="number of elements behind the figure (global_ids may be capped in human reports, never here)"
    )
    note: str | None = None


class Fact(BaseModel):
    """One building-level fact. value is None when the model does not carry the data; `missing` says what is absent."""

    model_config = ConfigDict(frozen=True)

    value: Scalar
    unit: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    missing: str | None = None
    bound: Literal["exact", "upper", "lower"] = Field(
        "exact", description="upper: the true value may be lower (e.g. tilt unknown)"
    )
    warnings: list[str] = Field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.value is not None


class ElementRecord(BaseModel):
    """One element relevant to a rule family (a PV panel, a wall, a slab), with its SI values and their sources."""

    model_config = ConfigDict(frozen=True)

    global_id: str
    ifc_class: str
    name: str | None = None
    type_name: str | None = None
    storey: str | None = None
    values: dict[str, Scalar] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict, description="value key -> where it came from")

    def u_value(self, rsi: float | None, rse: float | None) -> tuple[float | None, str]:
        """(U, source) of an envelope element: its declared U, else 1 / (Rsi + Σd/λ + Rse) from its material layers
        when the surface resistances are given. One formula for the facts and every envelope rule."""
        declared = self.values.get("u_declared")
        if isinstance(declared, (int, float)) and not isinstance(declared, bool):
            return float(declared), self.sources.get("u_declared", "declared")
        r_layers = self.values.get("r_layers")
        if rsi is None or rse is None or not isinstance(r_layers, (int, float)) or isinstance(r_layers, bool):
            return None, "missing"
        if r_layers <= 0:
            return None, "missing"
        u = 1.0 / (rsi + float(r_layers) + rse)
        return u, f"computed from material layers: 1/(Rsi {rsi:g} + Σd/λ {float(r_layers):.4f} + Rse {rse:g})"


class BuildingFacts(BaseModel):
    """Everything extracted for one IfcBuilding."""

    model_config = ConfigDict(frozen=True)

    global_id: str
    name: str | None = None
    facts: dict[str, Fact] = Field(default_factory=dict)
    elements: dict[str, list[ElementRecord]] = Field(default_factory=dict)

    def fact(self, key: str) -> Fact:
        """The named fact, or an empty one saying nothing extracted it."""
        found = self.facts.get(key)
        if found is None:
            return Fact(value=None, missing=f"fact '{key}' was not extracted")
        return found


class ProjectFacts(BaseModel):
    """Facts the plan states per project (发改环资〔2024〕241号 三(二): 公共建筑项目), over all buildings of the
    IfcProject."""

    model_config = ConfigDict(frozen=True)

    global_id: str | None = None
    name: str | None = None
    building_ids: list[str] = Field(default_factory=list)
    facts: dict[str, Fact] = Field(default_factory=dict)


class ModelInfo(BaseModel):
    """The reviewed file, so a report can be tied to it."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    file: str
    sha256: str
    size_bytes: int
    schema_name: str = Field(alias="schema")
    application: str | None = None
    length_unit: str | None = None
    warnings: list[str] = Field(default_factory=list)


class ModelFacts(BaseModel):
    """All buildings of one file, plus file-level warnings (e.g. elements assigned to no building)."""

    model_config = ConfigDict(frozen=True)

    model: ModelInfo
    buildings: list[BuildingFacts]
    project: ProjectFacts = Field(default_factory=ProjectFacts)


def split_skylights(elements: dict[str, list[ElementRecord]]) -> dict[str, list[ElementRecord]]:
    """The envelope components: windows filling an opening of a roof element are skylights (屋顶透光部分), judged by
    their own limits, never as facade windows (they have no facade); the other windows stay windows."""
    roofs = {r.global_id for r in elements.get("envelope_roofs", [])}
    windows = elements.get("envelope_windows", [])

    def on_roof(record: ElementRecord) -> bool:
        return record.values.get("host") in roofs or record.values.get("host_class") == "IfcRoof"

    return {
        "walls": elements.get("envelope_walls", []),
        "roofs": elements.get("envelope_roofs", []),
        "floors": elements.get("envelope_floors", []),
        "windows": [w for w in windows if not on_roof(w)],
        "skylights": [w for w in windows if on_roof(w)],
    }
