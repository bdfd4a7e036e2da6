"""`greencheck ids export`: the data a ruleset reads, as an IDS 1.0 file independent of any model, so a designer
pre-checks a model in any IDS tool before submitting it.

One specification per [[extraction.data_inputs]] row: applicable to the row's IFC class and its instantiable
subtypes (an IDS 1.0 entity facet matches its class exactly), requiring the property with its IFC data type, and its
values where the ruleset reads an enumeration. The rules a property unlocks are found from the ruleset itself: the
rules whose applicability conditions name one of its facts, the rules whose metric asks for one (probed on a building
with no facts: the metric names each fact it lacks), and for a property read per element, the rules whose metric names
it on a building holding one empty record of each kind the data inputs read (materials, walls...) or whose texts name
it. A property every building needs (a rule without conditions reads it, or a rule's first condition does) is
required; one only some buildings need (public buildings, ultra-low-energy buildings) is optional, and the
instructions say which rules need it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from checker.model.config import DataInput
from checker.model.facts import BuildingFacts, ElementRecord
from checker.report.ids import ids_document, ids_text, import_ifctester_ids, property_requirement
from checker.rules.checklist import allowed_values
from checker.rules.metrics import METRICS
from checker.rules.schema import Condition, Rule, Ruleset

# (IFC classes, schema, exempt classes) -> the instantiable classes, upper case (checker.model.ids_run)
ClassLister = Callable[[Sequence[str], str, Sequence[str]], list[str]]
IDS_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3_ADD2")
NOT_EXTRACTED = re.compile(r"fact '([^']+)' was not extracted")
TEXTS = {
    "en": {
        "needed": "Needed by {rules}.",
        "unmapped": "Read by the ruleset per element (docs/data-requirements.md); no rule text names it.",
        "per_element": "Read per element by {rules}.",
        "add": "Add {pset}.{prop} ({type}) to every {entity}.",
        "material": "Associate a material (IfcRelAssociatesMaterial) with every construction element.",
        "optional": " Optional: only needed where {rules} apply ({why}).",
        "keywords": " Values read (matched as words inside the text): {values}.",
        "title": "greencheck: data ruleset {id} {version} reads",
        "description": "Properties the rules of {title} read; a model with all of them can be decided by every rule.",
    },
    "zh": {
        "needed": "用于规则 {rules}。",
        "unmapped": "规则集逐构件读取（见 docs/data-requirements.md）；没有规则文本直接提到它。",
        "per_element": "规则 {rules} 逐构件读取。",
        "add": "为每个 {entity} 添加 {pset}.{prop}（{type}）。",
        "material": "为每个结构与围护构件关联材料（IfcRelAssociatesMaterial）。",
        "optional": " 可选：仅在规则 {rules} 适用时需要（{why}）。",
        "keywords": " 读取的取值（在文本中按词匹配）：{values}。",
        "title": "greencheck：规则集 {id} {version} 读取的数据",
        "description": "{title} 的规则读取的属性；模型提供全部属性时每条规则都能得出结论。",
    },
}


def _leaves(conditions: Sequence[Condition]) -> Iterator[Condition]:
    for condition in conditions:
        if condition.fact is not None:
            yield condition
        yield from _leaves([*(condition.all_of or []), *(condition.any_of or [])])


def _probe(rule: Rule, building: BuildingFacts) -> list[str]:
    """The missing entries of the rule's metric on a probe building (a metric that crashes on it names none)."""
    params = {**rule.params, "require_op": rule.require.op, "require_value": rule.require.value}
    try:
        return list(METRICS[rule.metric](building, params).missing)
    except Exception:  # noqa: BLE001 - a metric that cannot run on a probe just names nothing
        return []


def _metric_facts(rule: Rule) -> set[str]:
    """The facts the rule's metric asks for, probed on a building with no facts."""
    return {key for text in _probe(rule, BuildingFacts(global_id="probe")) for key in NOT_EXTRACTED.findall(text)}


def _record_probe(ruleset: Ruleset) -> BuildingFacts:
    """A building holding one empty element record of each kind the data inputs read records from (materials,
    elements without material, walls...): a metric reading them names the properties they lack."""
    elements: dict[str, list[ElementRecord]] = {}
    for row in ruleset.extraction.data_inputs:
        if row.records and row.records not in elements:
            ifc_class = row.record_classes[0] if row.record_classes else row.entity
            elements[row.records] = [ElementRecord(global_id="probe#1", ifc_class=ifc_class, name="probe")]
    return BuildingFacts(global_id="probe", elements=elements)


def mention_readers(ruleset: Ruleset) -> dict[str, dict[str, bool]]:
    """mentions text -> {rule id: unconditional} of the rules whose metric, on the record probe, names it."""
    probe = _record_probe(ruleset)
    texts = {row.mentions for row in ruleset.extraction.data_inputs if row.mentions}
    readers: dict[str, dict[str, bool]] = {}
    for rule in ruleset.rules:
        missing = _probe(rule, probe)
        for text in sorted(texts):
            if any(text in entry for entry in missing):
                readers.setdefault(text, {})[rule.id] = not rule.applies_when
    return readers


def fact_readers(ruleset: Ruleset) -> dict[str, dict[str, bool]]:
    """fact -> {rule id: whether every building needs it for that rule}, in rule order."""
    readers: dict[str, dict[str, bool]] = {}
    for rule in ruleset.rules:
        first = {leaf.fact for leaf in _leaves(rule.applies_when[:1])}
        named = {leaf.fact for leaf in _leaves(rule.applies_when)} | _metric_facts(rule)
        for fact in sorted(key for key in named if key):
            everywhere = not rule.applies_when or fact in first
            entry = readers.setdefault(fact, {})
            entry[rule.id] = entry.get(rule.id, False) or everywhere
    return readers


def _row_rules(row: DataInput, ruleset: Ruleset, readers: dict[str, dict[str, bool]]) -> dict[str, bool]:
    """The rules a row unlocks: through its facts, or (read per element) the rules whose texts name it."""
    found: dict[str, bool] = {}
    for fact in row.facts:
        for rule_id, everywhere in readers.get(fact, {}).items():
            found[rule_id] = found.get(rule_id, False) or everywhere
    if row.mentions:
        for rule_id, everywhere in mention_readers_cached(ruleset).get(row.mentions, {}).items():
            found[rule_id] = found.get(rule_id, False) or everywhere
        names = {row.mentions, f"{row.pset}.{row.property}"}
        for rule in ruleset.rules:
            texts = [rule.title.en, rule.remedy.en, rule.shortfall.en if rule.shortfall else ""]
            if any(name in text for name in names for text in texts):
                found.setdefault(rule.id, not rule.applies_when)
    order = {rule.id: n for n, rule in enumerate(ruleset.rules)}
    return dict(sorted(found.items(), key=lambda item: order.get(item[0], len(order))))


def _why(rule_ids: Sequence[str], ruleset: Ruleset, lang: str) -> str:
    """The rules' conditions in short: 'use_category in [public, mixed]; ...'."""
    rules = {rule.id: rule for rule in ruleset.rules}
    shown = []
    for rule_id in rule_ids:
        for leaf in _leaves(rules[rule_id].applies_when[:1]):
            shown.append(f"{leaf.fact} {leaf.op} {leaf.value}")
    text = "; ".join(dict.fromkeys(shown))
    return text or ("conditions of those rules" if lang == "en" else "这些规则的适用条件")


def _instructions(row: DataInput, ruleset: Ruleset, rules: dict[str, bool], lang: str) -> tuple[str, str]:
    """(description, instructions) of a row's specification."""
    words = TEXTS[lang]
    listed = ", ".join(rules)
    kind = "unmapped" if not rules else "per_element" if row.mentions and not row.facts else "needed"
    description = words[kind].format(rules=listed)
    if row.requirement == "material":
        what = words["material"]
    else:
        what = words["add"].format(pset=row.pset, prop=row.property, type=row.value_type, entity=row.entity)
    if rules and not any(rules.values()):
        what += words["optional"].format(rules=listed, why=_why(list(rules), ruleset, lang))
    if not row.allowed:
        values = allowed_values(row, ruleset.extraction)
        if values:
            what += words["keywords"].format(values=", ".join(values))
    return description, what


def _entity_groups(row: DataInput, ruleset: Ruleset, classes: ClassLister) -> dict[tuple[str, ...], list[str]]:
    """Class list -> the IDS ifcVersions it holds for (IFC2X3 has IfcWallStandardCase, IFC4X3 IfcBuiltElement)."""
    if row.requirement == "material":
        names, exempt = ruleset.extraction.materials.required_classes, ruleset.extraction.materials.exempt_classes
    else:
        names, exempt = [*dict.fromkeys([row.entity, *row.record_classes])], []
    groups: dict[tuple[str, ...], list[str]] = {}
    for schema in IDS_SCHEMAS:
        found = tuple(classes(names, schema, exempt))
        if found:
            groups.setdefault(found, []).append(schema)
    return groups


def _specifications(ids: Any, row: DataInput, ruleset: Ruleset, classes: ClassLister, lang: str) -> list[Any]:
    rules = _row_rules(row, ruleset, fact_readers_cached(ruleset))
    description, instructions = _instructions(row, ruleset, rules, lang)
    cardinality = "required" if any(rules.values()) else "optional"
    groups = _entity_groups(row, ruleset, classes)
    specs = []
    for entities, versions in groups.items():
        suffix = f" ({', '.join(versions)})" if len(groups) > 1 else ""
        spec = ids.Specification(
            name=f"{row.pset}.{row.property} on {row.entity}{suffix}",
            identifier=f"{row.entity}:{row.pset}.{row.property}",
            ifcVersion=versions,
            description=description,
            instructions=instructions,
        )
        # Every model has a building, so a property every building needs makes a required specification (an error in
        # `check --ids`); a model without walls or materials is not at fault: optional, its facet says what to add
        spec.set_usage("required" if cardinality == "required" and row.entity == "IfcBuilding" else "optional")
        name = entities[0] if len(entities) == 1 else ids.Restriction(options={"enumeration": list(entities)})
        spec.applicability.append(ids.Entity(name=name))
        if row.requirement == "material":
            spec.requirements.append(ids.Material(cardinality=cardinality))
        else:
            facet = property_requirement(ids, row.pset, row.property, row.value_type, list(row.allowed))
            facet.cardinality = cardinality
            spec.requirements.append(facet)
        specs.append(spec)
    return specs


_READERS: dict[tuple[int, str], dict[str, dict[str, bool]]] = {}


def fact_readers_cached(ruleset: Ruleset) -> dict[str, dict[str, bool]]:
    """fact_readers once per ruleset object (each row asks)."""
    return _cached(ruleset, "facts", fact_readers)


def mention_readers_cached(ruleset: Ruleset) -> dict[str, dict[str, bool]]:
    """mention_readers once per ruleset object."""
    return _cached(ruleset, "mentions", mention_readers)


def _cached(
    ruleset: Ruleset, kind: str, compute: Callable[[Ruleset], dict[str, dict[str, bool]]]
) -> dict[str, dict[str, bool]]:
    key = (id(ruleset), kind)
    if key not in _READERS:
        if any(cached_id != id(ruleset) for cached_id, _kind in _READERS):
            _READERS.clear()  # another ruleset: its id may be reused, so nothing of the old one is kept
        _READERS[key] = compute(ruleset)
    return _READERS[key]


def export_ids(ruleset: Ruleset, classes: ClassLister, lang: str = "en") -> str:
    """The IDS 1.0 XML text of the data `ruleset` reads; the same ruleset gives the same bytes."""
    ids = import_ifctester_ids()
    words = TEXTS[lang]
    title = ruleset.title.get(lang)
    document = ids_document(
        ids,
        title=words["title"].format(id=ruleset.id, version=ruleset.version),
        description=words["description"].format(title=title),
        version=ruleset.version,
        purpose="data the ruleset reads",
    )
    seen: set[tuple[str, str, str, str]] = set()
    for row in ruleset.extraction.data_inputs:
        identity = (row.entity, row.pset, row.property, row.requirement)
        if identity in seen:
            continue
        seen.add(identity)
        document.specifications.extend(_specifications(ids, row, ruleset, classes, lang))
    return ids_text(document)
