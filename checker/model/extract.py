"""LoadedModel + the ruleset's extraction tables -> ModelFacts, one BuildingFacts per IfcBuilding.

Relationships are indexed once (ModelIndex); each extractor family reads the building's slice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import ifcopenshell

from checker.model import materials
from checker.model.areas import area_facts
from checker.model.baseline_energy import baseline_energy_facts
from checker.model.building import classification_facts
from checker.model.config import ExtractionConfig
from checker.model.energy_supply import energy_supply_facts
from checker.model.envelope import envelope_facts
from checker.model.facts import BuildingFacts, ElementRecord, Fact, ModelFacts, ModelInfo
from checker.model.index import ModelIndex
from checker.model.integrity import check_global_ids
from checker.model.loader import LoadedModel
from checker.model.placements import refuse_cyclic_placements
from checker.model.plausibility import rejected_values_warning
from checker.model.prefab import prefab_facts
from checker.model.project import building_count_warnings, project_facts
from checker.model.pv import pv_facts
from checker.model.scope import BuildingScope

FactsAndElements = tuple[dict[str, Fact], dict[str, list[ElementRecord]]]


def _pv(scope: BuildingScope) -> FactsAndElements:
    facts, panels, candidates = pv_facts(scope)
    return facts, {"pv_panels": panels, "pv_candidates": candidates}


# Explicit registry, run in order; later rule families add their extractor here.
EXTRACTORS: dict[str, Callable[[BuildingScope], FactsAndElements]] = {
    "classification": lambda scope: (classification_facts(scope), {}),
    "areas": lambda scope: (area_facts(scope), {}),
    "pv": _pv,
    "envelope": envelope_facts,
    "baseline_energy": baseline_energy_facts,
    "energy_supply": energy_supply_facts,
    "materials": materials.extract,
    "prefabrication": prefab_facts,
}


def extract_facts(loaded: LoadedModel, config: ExtractionConfig) -> ModelFacts:
    """All buildings of the model with their facts and evidence."""
    id_warnings = check_global_ids(loaded)
    refuse_cyclic_placements(loaded.file, str(loaded.path))  # before anything asks where an element is
    index = ModelIndex(loaded.file)
    buildings = loaded.file.by_type("IfcBuilding")
    members, unassigned = _group_by_building(index, buildings)
    warnings = list(loaded.warnings) + id_warnings
    if unassigned and len(buildings) == 1:
        members[buildings[0].id()].extend(unassigned)
        warnings.append(
            f"{len(unassigned)} elements are not placed in the building's spatial structure; "
            "attributed to its only building"
        )
    elif unassigned:
        warnings.append(f"{len(unassigned)} elements are not placed in any building and were not checked")
    warnings += building_count_warnings(len(buildings), config)
    if not loaded.file.by_type("IfcProject"):
        warnings.append(
            "the file has no IfcProject, so it declares no units (IfcProject.UnitsInContext) and no project data: "
            "unit-bearing figures are unknown"
        )
    elif not index.units.has_assignment:
        warnings.append("the file declares no units (IfcUnitAssignment): unit-bearing figures are unknown")
    results = []
    for building in buildings:
        scope = BuildingScope(index, building, members[building.id()], config)
        facts: dict[str, Fact] = {}
        elements: dict[str, list[ElementRecord]] = {}
        for extractor in EXTRACTORS.values():
            new_facts, new_elements = extractor(scope)
            facts.update(new_facts)
            elements.update(new_elements)
        building_name = scope.name(building)
        if scope.geometry_skipped:
            skipped = sum(scope.geometry_skipped.values())
            warnings.append(
                f"building {scope.label(building)}: {skipped} element measures "
                "were not derived from geometry "
                f"(limit {config.geometry_element_limit} elements per building; raise it with --geometry-limit): "
                "the facts needing them are unknown"
            )
        results.append(BuildingFacts(global_id=building.GlobalId, name=building_name, facts=facts, elements=elements))
    project = project_facts(index, results, config)
    repaired = index.names.warning()  # after every name was read: each distinct name counted once
    if repaired:
        warnings.append(repaired)
    warnings += rejected_values_warning(index.rejected)  # after every reader, the project's included
    info = ModelInfo(
        file=loaded.path.name,
        sha256=loaded.sha256,
        size_bytes=loaded.size_bytes,
        schema_name=loaded.schema,
        application=loaded.application,
        length_unit=index.units.length_unit_name(),
        warnings=warnings,
    )
    return ModelFacts(model=info, buildings=results, project=project)


def _group_by_building(
    index: ModelIndex, buildings: Sequence[ifcopenshell.entity_instance]
) -> tuple[dict[int, list[ifcopenshell.entity_instance]], list[ifcopenshell.entity_instance]]:
    members: dict[int, list[ifcopenshell.entity_instance]] = defaultdict(list)
    unassigned: list[ifcopenshell.entity_instance] = []
    for ifc_class in ("IfcBuildingStorey", "IfcSpace", "IfcElement"):
        for element in index.file.by_type(ifc_class):
            building = index.building_of(element)
            if building is not None:
                members[building.id()].append(element)
            elif ifc_class == "IfcElement" and not element.is_a("IfcFeatureElement"):
                unassigned.append(element)
    return members, unassigned
