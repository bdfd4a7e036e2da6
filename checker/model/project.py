"""Project-level facts: the plan states the prefabrication trigger per project (新建地上建筑面积2万平方米（含）
以上的公共建筑项目, 发改环资〔2024〕241号 三(二)), so the floor area is summed over the new public buildings of the
IfcProject.

A project split across files declares its total on the IfcProject (CN_GreenBuilding.ProjectNewAboveGroundArea); without
that declaration the file is taken as the whole project, and the evidence says so.
"""

from __future__ import annotations

import ifcopenshell

from checker.model.config import ExtractionConfig
from checker.model.facts import BuildingFacts, Evidence, Fact, ProjectFacts
from checker.model.index import ModelIndex
from checker.model.scope import CUSTOM_PSET, GID_CAP

DECLARED_TOTAL = "ProjectNewAboveGroundArea"
AREA_FACT = "project_new_public_above_ground_gfa"
# The area's `missing` text is repeated by every building rule that depends on the area, so listing every open
# building with its reason made a file of N such buildings cost N² (3,000 empty IfcBuildings: 2.7 GB, 620 MB of
# reports). Up to OPEN_BUILDINGS_SPELLED_OUT open buildings are listed with what they lack; more are summarised by
# the first OPEN_BUILDINGS_NAMED names and a count (all GlobalIds in the evidence, the reasons in each building's
# facts). Names are cut at NAME_CHARS characters for the same reason.
OPEN_BUILDINGS_SPELLED_OUT = 3
OPEN_BUILDINGS_NAMED = 10
NAME_CHARS = 60


def project_facts(index: ModelIndex, buildings: list[BuildingFacts], config: ExtractionConfig) -> ProjectFacts:
    """The project's facts from its buildings' facts and the declarations on the IfcProject."""
    projects = index.file.by_type("IfcProject")
    project = projects[0] if projects else None
    computed = _summed_area(buildings, set(config.project_public_categories))
    facts = {
        "project_building_count": Fact(
            value=len(buildings),
            evidence=[Evidence(method="attribute", source="IfcBuilding", global_ids=[b.global_id for b in buildings])],
        ),
        AREA_FACT: _with_declared(index, project, computed),
    }
    return ProjectFacts(
        global_id=getattr(project, "GlobalId", None),
        name=index.names.name(project),
        building_ids=[b.global_id for b in buildings],
        facts=facts,
    )


def building_count_warnings(count: int, config: ExtractionConfig) -> list[str]:
    """A model warning when a file holds more buildings than a project plausibly has (3,000 empty IfcBuildings
    were seen in a 344 KB file): each is still checked, but a reviewer should know before reading the reports."""
    limit = config.plausibility.max_buildings_per_file
    if count <= limit:
        return []
    return [
        f"the file holds {count:,} IfcBuildings, more than the {limit:,} a project file plausibly has: check that the "
        "exporter did not write one IfcBuilding per block or object (every building is checked and reported)"
    ]


def _summed_area(buildings: list[BuildingFacts], public: set[str]) -> Fact:
    """Σ above-ground GFA of the new public buildings; a lower bound when a building's use, newness or area is open."""
    total, counted, open_ends, open_ids, open_labels = 0.0, [], [], [], []
    for building in buildings:
        label = _short(building.name or building.global_id)
        use, new = building.fact("use_category"), building.fact("is_new")
        if use.value is not None and use.value not in public or new.value is False:
            continue  # certainly not a new public building
        gfa = building.fact("above_ground_gfa")
        if use.value is None or new.value is None:
            open_ends.append(f"{label}: {use.missing or new.missing} (whether it is a new public building)")
        elif gfa.value is None:
            open_ends.append(f"{label}: {gfa.missing or 'above-ground floor area'}")
        else:
            total += float(gfa.value)
            counted.append(building.global_id)
            if gfa.bound == "exact":
                continue
            open_ends.append(f"{label}: above-ground floor area is only a {gfa.bound} bound ({gfa.missing or ''})")
        open_ids.append(building.global_id)
        open_labels.append(label)
    evidence = [
        Evidence(
            method="derived",
            source=f"Σ above_ground_gfa of {len(counted)} new public building(s) in this file",
            global_ids=counted[:GID_CAP],
            count=len(counted),
            note="the file is taken as the whole project (declare CN_GreenBuilding.ProjectNewAboveGroundArea on the "
            "IfcProject when the project has buildings in other files)",
        )
    ]
    if open_ends:
        return Fact(
            value=round(total, 6),
            unit="m2",
            evidence=[*evidence, _open_evidence(open_ids)],
            bound="lower",
            missing=_open_text(open_ends, open_labels),
        )
    return Fact(value=round(total, 6), unit="m2", evidence=evidence)


def _short(label: str) -> str:
    return label if len(label) <= NAME_CHARS else f"{label[: NAME_CHARS - 1]}…"


def _open_text(open_ends: list[str], labels: list[str]) -> str:
    """Each open building with what it lacks when they are few; else a count and the first names."""
    if len(open_ends) <= OPEN_BUILDINGS_SPELLED_OUT:
        return "; ".join(open_ends)
    named = ", ".join(labels[:OPEN_BUILDINGS_NAMED])
    more = f" and {len(labels) - OPEN_BUILDINGS_NAMED} more" if len(labels) > OPEN_BUILDINGS_NAMED else ""
    return (
        f"the use, newness or above-ground floor area of {len(labels)} buildings: {named}{more} "
        "(GlobalIds in the evidence; each building's facts say what it lacks)"
    )


def _open_evidence(open_ids: list[str]) -> Evidence:
    return Evidence(
        method="derived",
        source="buildings whose use, newness or above-ground floor area is open (they may add area)",
        global_ids=open_ids[:GID_CAP],
        count=len(open_ids),
    )


def _with_declared(index: ModelIndex, project: ifcopenshell.entity_instance | None, computed: Fact) -> Fact:
    """The declared project total wins when it is at least what this file shows; a smaller one is contradicted."""
    declared = index.value(project, CUSTOM_PSET, DECLARED_TOTAL) if project is not None else None
    if project is None or declared is None:
        return computed
    if declared.problem is not None or declared.si is None or declared.si < 0:
        # A broken declaration still says the project may be more than this file: its figure is a lower bound only.
        why = declared.problem or f"{declared.source} = {declared.raw!r}: {declared.unit_note or 'not an area'}"
        why += " (the project total is unknown; this file's new public buildings are a lower bound)"
        missing = "; ".join(filter(None, (computed.missing, why)))
        return computed.model_copy(update={"bound": "lower", "missing": missing, "warnings": [*computed.warnings, why]})
    shown = float(computed.value or 0.0)
    if declared.si + 1e-6 < shown:
        warning = (
            f"{declared.source} = {declared.si:,.0f} m² is less than the {shown:,.0f} m² of new public "
            "buildings in this file: the declaration is ignored"
        )
        return computed.model_copy(update={"warnings": [*computed.warnings, warning]})
    note = f"declared for the whole project; this file's new public buildings hold {shown:,.0f} m²"
    if computed.bound != "exact":
        note += " (at least)"
    evidence = Evidence(method="property", source=declared.source, global_ids=[project.GlobalId], count=1, note=note)
    return Fact(value=declared.si, unit="m2", evidence=[evidence, *computed.evidence])
