"""Building-level classification facts: use category, new / extension / retrofit, government investment, target
star, and the plan's scope flags (rural building, administrative office area, transport facility).

Mapping tables (OccupancyType, construction-type and rural keywords in Chinese and English) are ruleset data, passed
in the scope. A flag that is neither declared nor inferable is unknown, never false: a default must not turn "cannot
tell" into "not applicable".
"""

from __future__ import annotations

import re
from functools import cache

import ifcopenshell
import ifcopenshell.ifcopenshell_wrapper as wrapper

from checker.model.facts import Evidence, Fact, Scalar
from checker.model.keywords import category_matches
from checker.model.scope import GID_CAP, BuildingScope, as_bool, prop_evidence, property_fact
from checker.model.transport import transport_facility
from checker.model.use_category import use_category

STAR_WORDS = {"三": 3, "二": 2, "两": 2, "一": 1, "three": 3, "two": 2, "one": 1, "basic": 0, "基本": 0}
NEW_STATUSES = ("new", "extension")  # an extension (扩建) adds new floor area: new construction for the 新建 clauses
DECLARE_STATUS = "CN_GreenBuilding.ConstructionType (新建 / 扩建 / 改造: New / Extension / Retrofit) on the IfcBuilding"


def classification_facts(scope: BuildingScope) -> dict[str, Fact]:
    facts = {
        "use_category": use_category(scope),
        "construction_status": construction_status(scope),
        "government_invested": _bool_fact(scope, "GovernmentInvested"),
        "target_star_level": target_star_level(scope),
        "is_rural": is_rural(scope),
        "in_admin_office_area": _flag(scope, "InAdministrativeOfficeArea"),
        "transport_facility": transport_facility(scope),
    }
    facts["is_new"] = is_new(facts["construction_status"])
    return facts


def is_new(status: Fact) -> Fact:
    """True for new construction and extensions, false for retrofits, unknown when the status is."""
    if status.value is None:
        return Fact(value=None, evidence=status.evidence, missing=status.missing, warnings=status.warnings)
    evidence = list(status.evidence)
    if status.value == "extension":
        evidence.append(
            Evidence(
                method="ruleset",
                source="an extension (扩建) adds new floor area: new construction for the plan's 新建 clauses",
                note="GB 55015-2021 1.0.2 names 新建、扩建和改建建筑 apart (recalled, med)",
            )
        )
    return Fact(value=status.value in NEW_STATUSES, evidence=evidence, warnings=status.warnings)


def construction_status(scope: BuildingScope) -> Fact:
    """new / extension / retrofit from the declared property or the building's ConstructionMethod (ruleset keyword
    tables); only when neither decides, from its elements' Pset_*Common.Status."""
    building = scope.building
    config = scope.config
    table = [
        ("new", config.construction_new),
        ("extension", config.construction_extension),
        ("retrofit", config.construction_retrofit),
    ]
    unread: list[str] = []
    for pset, prop in (("CN_GreenBuilding", "ConstructionType"), ("Pset_BuildingCommon", "ConstructionMethod")):
        value = scope.index.value(building, pset, prop)
        if value is None or not isinstance(value.raw, str) or not value.raw.strip():
            continue
        found = list(category_matches(value.raw, table))
        if len(found) == 1:
            return Fact(value=found[0], evidence=[prop_evidence(value, [building])])
        if found:
            return Fact(
                value=None,
                missing=f"{DECLARE_STATUS}: {value.source} '{value.raw}' reads as {' and '.join(found)}",
            )
        unread.append(f"{value.source} '{value.raw}' matches no new / extension / retrofit keyword")
    fact = _status_from_elements(scope)
    if unread and fact.value is None:
        return fact.model_copy(update={"missing": f"{fact.missing} ({'; '.join(unread)})"})
    return fact.model_copy(update={"warnings": [*fact.warnings, *unread]}) if unread else fact


@cache
def _common_psets(schema: str, ifc_class: str) -> tuple[str, ...]:
    """Pset_<Class>Common of the class and its supertypes up to IfcElement (IfcWallStandardCase -> Pset_WallCommon)."""
    names = []
    declaration: wrapper.declaration | None = wrapper.schema_by_name(schema).declaration_by_name(ifc_class)
    while isinstance(declaration, wrapper.entity):
        names.append(f"Pset_{declaration.name()[3:]}Common")
        if declaration.name() == "IfcElement":
            break
        declaration = declaration.supertype()
    return tuple(names)


def _element_status(scope: BuildingScope, element: ifcopenshell.entity_instance) -> str | None:
    value = scope.index.value(element, _common_psets(scope.index.file.schema_identifier, element.is_a()), "Status")
    return str(value.raw).strip().upper() if value is not None else None


def _status_from_elements(scope: BuildingScope) -> Fact:
    """All NEW -> new; all EXISTING/DEMOLISH -> retrofit; a mix cannot tell (a building keeping one existing wall is
    neither surely a retrofit nor surely new)."""
    seen: dict[str, list[str]] = {"NEW": [], "EXISTING": [], "DEMOLISH": []}
    for element in scope.of_class("IfcElement"):
        status = _element_status(scope, element)
        if status in seen:
            seen[status].append(element.GlobalId)
    new, kept = seen["NEW"], seen["EXISTING"] + seen["DEMOLISH"]
    counts = ", ".join(f"{len(ids)} {name}" for name, ids in seen.items() if ids)
    if new and kept:
        return Fact(
            value=None,
            missing=(
                f"{DECLARE_STATUS}: its elements' Pset_*Common.Status are mixed ({counts}), "
                "which may be a retrofit or an extension"
            ),
        )
    if new or kept:
        ids = new or kept
        return Fact(
            value="new" if new else "retrofit",
            evidence=[
                Evidence(
                    method="property",
                    source="Pset_*Common.Status",
                    global_ids=ids[:GID_CAP],
                    count=len(ids),
                    note=f"every element with a Status: {counts}",
                )
            ],
            warnings=[f"construction status taken from element Status ({counts}): declare {DECLARE_STATUS}"],
        )
    return Fact(
        value=None,
        missing=(f"{DECLARE_STATUS} or Pset_BuildingCommon.ConstructionMethod, or Pset_*Common.Status on its elements"),
    )


def is_rural(scope: BuildingScope) -> Fact:
    """Declared CN_GreenBuilding.Rural, else true when the use text says rural (农宅, 农房, rural: ruleset keywords),
    else unknown."""
    building = scope.building
    if scope.custom(building, "Rural") is not None:
        return _flag(scope, "Rural")
    texts = (scope.custom(building, "UseCategory"), scope.index.value(building, "Pset_BuildingCommon", "OccupancyType"))
    for value in texts:
        if value is None or not isinstance(value.raw, str):
            continue
        matches = category_matches(value.raw, [("rural", scope.config.rural_keywords)])
        if matches:
            words = ", ".join(dict.fromkeys(m.keyword for m in matches["rural"]))
            note = f"inferred: '{value.raw}' contains the ruleset's rural keyword {words}"
            return Fact(
                value=True,
                evidence=[prop_evidence(value, [building], note)],
                warnings=[f"rural building inferred from {value.source} '{value.raw}': declare CN_GreenBuilding.Rural"],
            )
    return Fact(
        value=None,
        missing=f"{_undeclared('Rural')} (and no rural keyword in its OccupancyType or UseCategory)",
    )


def _undeclared(prop: str) -> str:
    return f"CN_GreenBuilding.{prop} on the IfcBuilding"


def _flag(scope: BuildingScope, prop: str) -> Fact:
    """A yes/no scope flag declared on the building; not declared is unknown, never false."""
    value = scope.custom(scope.building, prop)
    if value is None:
        return Fact(value=None, missing=_undeclared(prop))
    parsed = as_bool(value.raw)
    if parsed is None:
        return Fact(value=None, missing=f"CN_GreenBuilding.{prop} '{value.raw}' is not a yes/no value")
    return Fact(value=parsed, evidence=[prop_evidence(value, [scope.building])])


def _bool_fact(scope: BuildingScope, prop: str) -> Fact:
    value = scope.custom(scope.building, prop)
    fact = property_fact(value, scope.building, f"CN_GreenBuilding.{prop} on the IfcBuilding")
    if value is None:
        return fact
    parsed = as_bool(value.raw)
    if parsed is None:
        return Fact(value=None, missing=f"CN_GreenBuilding.{prop} '{value.raw}' is not a yes/no value")
    return fact.model_copy(update={"value": parsed})


def parse_star_level(raw: Scalar) -> int | None:
    """0..3 from 3, '3', '三星级', '3-star', '★★★', 'three star'."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, float)):
        return int(raw) if float(raw).is_integer() and 0 <= raw <= 3 else None
    text = str(raw).strip().lower()
    if text.count("★"):
        return min(text.count("★"), 3)
    digits = re.findall(r"\d", text)
    if len(digits) == 1 and 0 <= int(digits[0]) <= 3:
        return int(digits[0])
    for word, level in STAR_WORDS.items():
        if word in text:
            return level
    return None


def target_star_level(scope: BuildingScope) -> Fact:
    value = scope.custom(scope.building, "TargetStarLevel")
    if value is None:
        return Fact(value=None, unit="star", missing="CN_GreenBuilding.TargetStarLevel on the IfcBuilding")
    level = parse_star_level(value.raw)
    if level is None:
        return Fact(
            value=None, unit="star", missing=f"CN_GreenBuilding.TargetStarLevel '{value.raw}' is not a star level 0-3"
        )
    return Fact(value=level, unit="star", evidence=[prop_evidence(value, [scope.building])])
