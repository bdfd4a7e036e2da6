"""The "data to add" checklist: each missing property once per building, with the unknown rules it would unlock.

Rules repeat the missing-data text of every fact they read, so a report listing them per rule names one property a
dozen times. The ruleset's [[extraction.data_inputs]] table says which property each fact reads; a fact that stays
unknown (or only a bound) with a `missing` text makes its property a row, and a rule is counted as unlocked by the row
when one of its missing texts carries that fact's text (the engine copies it verbatim).

Properties of the material take-off (on IfcMaterial, or a material association missing on construction elements)
are read by the rules per material, not through a fact: their rows are matched by the text the rules' missing
entries carry (`mentions`), and the building's records (`records`) say which materials or elements lack them.
"""

from __future__ import annotations

import re

from checker.model.config import DataInput, ExtractionConfig
from checker.model.facts import ElementRecord, Fact
from checker.rules.results import MissingData, RuleResult, Status

# An IFC GlobalId: 22 characters of the IFC base-64 alphabet standing alone in a missing-data text, not followed by
# '.Name' (Qto_SlabBaseQuantities.GrossArea is a set name of 22 letters).
GLOBAL_ID = re.compile(r"(?<![0-9A-Za-z_$.])[0-9A-Za-z_$]{22}(?![0-9A-Za-z_$]|\.[A-Za-z])")
SET_PREFIXES = ("Pset_", "Qto_", "CN_")


def lacking(fact: Fact | None) -> bool:
    """A fact the model does not settle: no value, or a bound, and a text saying what is missing."""
    return fact is not None and bool(fact.missing) and (fact.value is None or fact.bound != "exact")


def allowed_values(data_input: DataInput, extraction: ExtractionConfig) -> list[str]:
    """The enumeration, else the words of the keyword tables named (use category tables give their categories)."""
    if data_input.allowed:
        return list(data_input.allowed)
    words: list[str] = []
    for table in data_input.allowed_from:
        if table in ("use_categories", "space_use_categories"):
            words.extend(entry.category for entry in getattr(extraction, table))
        else:
            value = getattr(extraction, table, [])
            words.extend(word for word in value if isinstance(word, str))
    return list(dict.fromkeys(words))


def _rules_needing(texts: list[str], results: list[RuleResult]) -> list[str]:
    """Ids of the unknown rules one of whose missing entries carries one of `texts`, in rule order, once each."""
    found = [
        r.rule_id
        for r in results
        if r.status is Status.UNKNOWN and any(text in entry for entry in r.missing for text in texts)
    ]
    return list(dict.fromkeys(found))


def _entries_mentioning(text: str, results: list[RuleResult]) -> list[str]:
    """The missing entries of unknown rules that name `text` (e.g. 'no Pset_WallCommon.ThermalTransmittance')."""
    found = (entry for r in results if r.status is Status.UNKNOWN for entry in r.missing if text in entry)
    return list(dict.fromkeys(found))


def _element_ids(data_input: DataInput, building_id: str, texts: list[str]) -> list[str]:
    """The building itself for a building property, else the GlobalIds the facts' missing texts name."""
    if data_input.entity == "IfcBuilding":
        return [building_id]
    found = (gid for text in texts for gid in GLOBAL_ID.findall(text))
    return list(dict.fromkeys(gid for gid in found if not gid.startswith(SET_PREFIXES) and gid != data_input.pset))


def record_in_row(record: ElementRecord, data_input: DataInput) -> bool:
    """Whether a record is one the row is about: of the row's classes, and on construction elements where it says."""
    if data_input.record_classes and record.ifc_class not in data_input.record_classes:
        return False
    # a material of furniture or MEP only: outside the ratio, only warned about
    return not (data_input.construction_only and record.values.get("construction_elements") == 0)


def record_lacks(record: ElementRecord, data_input: DataInput) -> bool:
    """Whether a record lacks the property: of the row's classes, and its source for the value is missing (or its
    value says so); a row naming no value: every record."""
    if not record_in_row(record, data_input):
        return False
    key = data_input.record_value
    if key is None:
        return True
    lacking_value = data_input.record_lacking is not None and record.values.get(key) == data_input.record_lacking
    return lacking_value or record.sources.get(key, "missing").startswith("missing")


def material_label(record: ElementRecord) -> str:
    """'C30 concrete (#45)': IfcMaterial has no GlobalId, so its STEP id names it beside its name."""
    step_id = "#" + record.global_id.rsplit("#", 1)[-1]
    return f"{record.name} ({step_id})" if record.name else step_id


def _lacking_records(
    data_input: DataInput, records: dict[str, list[ElementRecord]]
) -> tuple[list[str], list[str]] | None:
    """(GlobalIds, material labels) of the records lacking the property; None when the row reads no records."""
    if data_input.records is None:
        return None
    found = [r for r in records.get(data_input.records, []) if record_lacks(r, data_input)]
    ids = [r.global_id for r in found if r.ifc_class != "IfcMaterial"]
    return list(dict.fromkeys(ids)), [material_label(r) for r in found if r.ifc_class == "IfcMaterial"]


def _about(texts: list[str], ids: list[str]) -> list[str]:
    """The texts about these elements: naming one of them, or no GlobalId at all ('IsExternal missing on 1 window
    (2Xq…)' is not about the walls a wall row lists)."""
    return [text for text in texts if any(gid in text for gid in ids) or not GLOBAL_ID.findall(text)]


def _who_lacks(
    data_input: DataInput, building_id: str, texts: list[str], records: dict[str, list[ElementRecord]]
) -> tuple[list[str], list[str], list[str]] | None:
    """(GlobalIds, material labels, the texts about them) of what lacks the property; None for a row read from
    records that no record lacks."""
    lacking_records = _lacking_records(data_input, records)
    if lacking_records is None:
        return _element_ids(data_input, building_id, texts), [], texts
    ids, names = lacking_records
    if not ids and not names:
        return None
    return ids, names, _about(texts, ids) if ids else texts


def data_to_add(
    building_id: str,
    facts: dict[str, Fact],
    results: list[RuleResult],
    extraction: ExtractionConfig,
    records: dict[str, list[ElementRecord]] | None = None,
) -> list[MissingData]:
    """One row per property (rows naming the same entity, set and property merged) that some unknown rule needs.
    A row read from the take-off records is left out when no record lacks it (the entry is then about another
    property, e.g. a mass missing for want of a volume, not of a density)."""
    rows: dict[tuple[str, str, str], MissingData] = {}
    for data_input in extraction.data_inputs:
        keys = [key for key in data_input.facts if lacking(facts.get(key))]
        texts = list(dict.fromkeys(str(facts[key].missing) for key in keys))
        if data_input.mentions:  # read per element by the rules: the entries that name it say which elements lack it
            texts += _entries_mentioning(data_input.mentions, results)
        found = _who_lacks(data_input, building_id, texts, records or {})
        if found is None:
            continue
        ids, names, texts = found
        rules = _rules_needing(texts, results)
        if not rules:
            continue
        identity = (data_input.entity, data_input.pset, data_input.property)
        earlier = rows.get(identity)
        if earlier is not None:
            keys = [*earlier.facts, *keys]
            rules = list(dict.fromkeys([*earlier.rules, *rules]))
            ids = list(dict.fromkeys([*earlier.global_ids, *ids]))
            names = list(dict.fromkeys([*earlier.names, *names]))
        rows[identity] = MissingData(
            entity=data_input.entity,
            pset=data_input.pset,
            property=data_input.property,
            value_type=data_input.value_type,
            allowed=allowed_values(data_input, extraction),
            enumerated=bool(data_input.allowed),
            facts=keys,
            rules=rules,
            element_count=len(ids) + len(names),
            global_ids=ids,
            mentions=data_input.mentions,
            names=names,
            requirement=data_input.requirement,
        )
    return list(rows.values())
