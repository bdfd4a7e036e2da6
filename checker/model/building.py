"""Building-level classification facts: use category, new or retrofit, government investment, target star.

Mapping tables (OccupancyType keywords in Chinese and English) are ruleset data, passed in the scope.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from checker.model.facts import Evidence, Fact, Scalar
from checker.model.scope import BuildingScope, as_bool, keyword_matches, prop_evidence, property_fact

STAR_WORDS = {"三": 3, "二": 2, "两": 2, "一": 1, "three": 3, "two": 2, "one": 1, "basic": 0, "基本": 0}
CATEGORY_WORDS = {
    "public": ["public", "公共"],
    "residential": ["residential", "住宅", "居住"],
    "industrial": ["industrial", "factory", "工业", "厂房"],
    "warehouse": ["warehouse", "仓库", "仓储"],
    "mixed": ["mixed", "综合", "混合"],
}


def classification_facts(scope: BuildingScope) -> dict[str, Fact]:
    facts = {
        "use_category": use_category(scope),
        "construction_status": construction_status(scope),
        "government_invested": _bool_fact(scope, "GovernmentInvested"),
        "target_star_level": target_star_level(scope),
    }
    status = facts["construction_status"]
    facts["is_new"] = Fact(
        value=None if status.value is None else status.value == "new", evidence=status.evidence, missing=status.missing
    )
    return facts


def _categories(text: str, table: Sequence[tuple[str, list[str]]]) -> list[str]:
    found = [category for category, words in table if keyword_matches(text, words)]
    return list(dict.fromkeys(found))


def use_category(scope: BuildingScope) -> Fact:
    building = scope.building
    declared = scope.custom(building, "UseCategory")
    if declared is not None and isinstance(declared.raw, str):
        found = _categories(declared.raw, list(CATEGORY_WORDS.items()))
        if len(found) == 1:
            return Fact(value=found[0], evidence=[prop_evidence(declared, [building])])
        return Fact(
            value=None,
            missing=(
                f"CN_GreenBuilding.UseCategory '{declared.raw}' is not one of "
                "public/residential/industrial/warehouse/mixed"
            ),
        )
    occupancy = scope.index.value(building, "Pset_BuildingCommon", "OccupancyType")
    if occupancy is None or not str(occupancy.raw).strip():
        return Fact(
            value=None, missing="Pset_BuildingCommon.OccupancyType (or CN_GreenBuilding.UseCategory) on the IfcBuilding"
        )
    table = [(entry.category, entry.keywords) for entry in scope.config.use_categories]
    found = _categories(str(occupancy.raw), table)
    evidence = [prop_evidence(occupancy, [building], f"'{occupancy.raw}' mapped by the ruleset's use-category table")]
    if not found:
        return Fact(
            value=None,
            missing=(
                f"Pset_BuildingCommon.OccupancyType '{occupancy.raw}' "
                "matches no entry of the ruleset's use-category table"
            ),
        )
    category = found[0] if len(found) == 1 else "mixed"
    warnings = [f"'{occupancy.raw}' matches {', '.join(found)}: treated as mixed"] if len(found) > 1 else []
    return Fact(value=category, evidence=evidence, warnings=warnings)


def construction_status(scope: BuildingScope) -> Fact:
    """new / retrofit from the declared property, the building's ConstructionMethod, or its elements' Status."""
    building = scope.building
    for pset, prop in (("CN_GreenBuilding", "ConstructionType"), ("Pset_BuildingCommon", "ConstructionMethod")):
        value = scope.index.value(building, pset, prop)
        if value is None or not isinstance(value.raw, str):
            continue
        if keyword_matches(value.raw, scope.config.construction_retrofit):
            return Fact(value="retrofit", evidence=[prop_evidence(value, [building])])
        if keyword_matches(value.raw, scope.config.construction_new):
            return Fact(value="new", evidence=[prop_evidence(value, [building])])
    return _status_from_elements(scope)


def _status_from_elements(scope: BuildingScope) -> Fact:
    new: list[str] = []
    existing: list[str] = []
    for element in scope.of_class("IfcElement"):
        for name, values in scope.index.psets(element).items():
            if name.startswith("Pset_") and name.endswith("Common") and "Status" in values:
                status = str(values["Status"].raw or "").upper()
                (new if status == "NEW" else existing if status in {"EXISTING", "DEMOLISH"} else []).append(
                    element.GlobalId
                )
                break
    if existing:
        note = f"{len(existing)} elements EXISTING/DEMOLISH, {len(new)} NEW"
        return Fact(
            value="retrofit",
            evidence=[
                Evidence(
                    method="property", source="Pset_*Common.Status", global_ids=existing, count=len(existing), note=note
                )
            ],
        )
    if new:
        return Fact(
            value="new",
            evidence=[
                Evidence(
                    method="property",
                    source="Pset_*Common.Status",
                    global_ids=new,
                    count=len(new),
                    note="all elements with a Status are NEW",
                )
            ],
        )
    return Fact(
        value=None,
        missing=(
            "CN_GreenBuilding.ConstructionType or Pset_BuildingCommon.ConstructionMethod on the IfcBuilding, "
            "or Pset_*Common.Status on its elements"
        ),
    )


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
