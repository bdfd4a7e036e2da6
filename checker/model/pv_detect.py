"""Which elements are PV panels, and which only look like one.

Certain panels: IfcSolarDevice SOLARPANEL (IFC4+); any element flagged CN_GreenBuilding.IsPhotovoltaic = true,
whatever its class; an IfcSolarDevice of undefined type (NOTDEFINED / USERDEFINED / none) or an element of the
ruleset's `pv_named_classes` (IFC2X3 proxies, energy-conversion devices) whose name, type or object type matches the
PV keywords ("by name"). SOLARCOLLECTOR is solar thermal, never PV.

Possible PV, not counted but making PV presence uncertain: an IfcSolarDevice of undefined type with no PV name (it
may be a collector), and elements of `pv_possible_classes` (IfcSlab, IfcPlate, IfcCovering...) named like PV
(光伏板). PV contained in the IfcSite of a file with several buildings cannot be attributed to any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import ifcopenshell
import ifcopenshell.util.element as ifc_element

from checker.model.config import ExtractionConfig
from checker.model.index import ModelIndex
from checker.model.scope import CUSTOM_PSET, BuildingScope, as_bool, keyword_matches

UNDEFINED_TYPES = {"NOTDEFINED", "USERDEFINED"}
SOLAR_THERMAL = "SOLARCOLLECTOR"


@dataclass(frozen=True)
class PvFinding:
    """One element judged PV ('panel') or possibly PV ('possible'), and why."""

    element: ifcopenshell.entity_instance
    kind: str  # "panel" | "possible"
    source: str  # e.g. "IfcSolarDevice SOLARPANEL", "IfcBuildingElementProxy PV by name"
    name: str | None = None  # the name that matched the PV keywords, for findings by name

    @property
    def how(self) -> str:
        return f"{self.source}: '{self.name}'" if self.name else self.source


@dataclass
class PvSurvey:
    """A building's PV panels, the elements that only look like PV, and site PV it may own but cannot claim."""

    panels: list[PvFinding] = field(default_factory=list)
    possible: list[PvFinding] = field(default_factory=list)
    unattributed: list[PvFinding] = field(default_factory=list)  # in the IfcSite of a file with several buildings
    in_site: list[PvFinding] = field(default_factory=list)  # site panels attributed to the file's only building


@dataclass
class _FileData:
    flags: dict[int, bool]
    site: list[PvFinding] | None = None


_FILE_CACHE: WeakKeyDictionary[ModelIndex, _FileData] = WeakKeyDictionary()


def _file_data(index: ModelIndex) -> _FileData:
    """Elements flagged CN_GreenBuilding.IsPhotovoltaic (on the occurrence or its type), found once per file from
    the few CN_GreenBuilding property sets instead of reading every element's properties."""
    if index not in _FILE_CACHE:
        candidates: dict[int, ifcopenshell.entity_instance] = {}
        for pset in index.file.by_type("IfcPropertySet"):
            if pset.Name != CUSTOM_PSET or not any(p.Name == "IsPhotovoltaic" for p in pset.HasProperties or ()):
                continue
            for related in ifc_element.get_elements_by_pset(pset):
                objects = ifc_element.get_types(related) if related.is_a("IfcTypeObject") else [related]
                candidates.update((o.id(), o) for o in objects)
        flags = {}
        for key, element in candidates.items():
            value = index.value(element, CUSTOM_PSET, "IsPhotovoltaic")
            parsed = as_bool(value.raw) if value is not None else None
            if parsed is not None:
                flags[key] = parsed
        _FILE_CACHE[index] = _FileData(flags)
    return _FILE_CACHE[index]


def _texts(index: ModelIndex, element: ifcopenshell.entity_instance) -> list[str]:
    element_type = index.type_of(element)
    texts = [index.names.name(element), index.names.text(getattr(element, "ObjectType", None))]
    return [t for t in [*texts, index.names.name(element_type)] if t]


def _named_pv(index: ModelIndex, config: ExtractionConfig, element: ifcopenshell.entity_instance) -> str | None:
    """The name that marks the element as PV, unless it names PV equipment that is no panel (inverter, bracket)."""
    return next((text for text in _texts(index, element) if _is_pv_name(config, text)), None)


def _is_pv_name(config: ExtractionConfig, text: str) -> bool:
    return keyword_matches(text, config.pv_keywords) and not keyword_matches(text, config.pv_exclude_keywords)


def classify(
    index: ModelIndex, config: ExtractionConfig, flags: dict[int, bool], element: ifcopenshell.entity_instance
) -> PvFinding | None:
    """A panel, a possible panel, or None (not PV)."""
    flag = flags.get(element.id())
    if flag is not None:
        return PvFinding(element, "panel", "CN_GreenBuilding.IsPhotovoltaic = true") if flag else None
    named = _named_pv(index, config, element)
    if element.is_a("IfcSolarDevice"):
        declared = index.predefined_type(element) or "NOTDEFINED"  # USERDEFINED: the ObjectType / ElementType text
        kind = declared.upper()
        if named is None and kind not in UNDEFINED_TYPES and _is_pv_name(config, declared):
            named = declared
        if kind == "SOLARPANEL":
            return PvFinding(element, "panel", "IfcSolarDevice SOLARPANEL")
        if kind == SOLAR_THERMAL:
            return None
        if named:
            return PvFinding(element, "panel", "IfcSolarDevice of undefined type, PV by name", named)
        return PvFinding(element, "possible", "IfcSolarDevice of undefined type (PV or solar thermal?)")
    if named is None:
        return None
    if any(element.is_a(c) for c in config.pv_named_classes):
        return PvFinding(element, "panel", f"{element.is_a()} PV by name", named)
    if any(element.is_a(c) for c in config.pv_possible_classes):
        return PvFinding(element, "possible", f"{element.is_a()} named like PV", named)
    return None


def _candidate_classes(config: ExtractionConfig) -> tuple[str, ...]:
    return ("IfcSolarDevice", *config.pv_named_classes, *config.pv_possible_classes)


def _site_findings(index: ModelIndex, config: ExtractionConfig, data: _FileData) -> list[PvFinding]:
    """PV (certain or possible) in no building: contained in the IfcSite or nowhere. Computed once per file."""
    if data.site is None:
        classes = _candidate_classes(config)
        loose = [
            e
            for e in index.file.by_type("IfcElement")
            if index.building_of(e) is None and (e.id() in data.flags or any(e.is_a(c) for c in classes))
        ]
        data.site = [f for e in loose if (f := classify(index, config, data.flags, e)) is not None]
    return data.site


def survey(scope: BuildingScope) -> PvSurvey:
    """Classify the building's candidate elements; add the site's PV that the building cannot claim."""
    index, config = scope.index, scope.config
    data = _file_data(index)
    candidates = scope.of_class(*_candidate_classes(config))
    seen = {e.id() for e in candidates}
    candidates += [e for e in scope.elements if e.id() in data.flags and e.id() not in seen]
    result = PvSurvey()
    for element in candidates:
        finding = classify(index, config, data.flags, element)
        if finding is None:
            continue
        (result.panels if finding.kind == "panel" else result.possible).append(finding)
        if index.building_of(element) is None:
            result.in_site.append(finding)
    if index.per_file("building_count", lambda: len(index.file.by_type("IfcBuilding"))) > 1:
        result.unattributed = _site_findings(index, config, data)
    return result
