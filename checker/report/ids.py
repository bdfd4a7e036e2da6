"""The "data to add" checklist as an IDS 1.0 file (buildingSMART Information Delivery Specification), built in
ifctester's dictionary form and written by checker.report.ids_xml (tests check it equals ifctester's own encoding),
so a designer loads it into an authoring or checking tool and sees on which elements what is missing.

One specification per property: applicable to the elements that lack it (entity + GlobalId enumeration), requiring
the property with its IFC data type, and its values where the ruleset reads an enumeration. Keyword tables are no
enumeration (words are matched inside a text), so they go into the instructions instead.

Elements listed by GlobalId are selected by that enumeration alone: an IDS 1.0 entity facet matches its class
exactly, so IFCWALL would miss an IFC2X3 IfcWallStandardCase, and the construction elements without material are of
many classes. Properties on IfcMaterial are stated too: IDS 1.0 property facets apply to materials (the property
facet documentation names materials among the objects properties attach to; ifctester reads IfcMaterialProperties),
so such a specification is applicable to IFCMATERIAL, narrowed by Name (IfcMaterial has no GlobalId). Elements that
lack any material get an IDS material facet as their requirement.
"""

from __future__ import annotations

from typing import Any

from checker.errors import ReportError
from checker.report.base import check_language
from checker.report.ids_xml import IDS_SCHEMA_LOCATION, UnsupportedIds, ids_xml, ids_xml_from_dict
from checker.rules.results import CheckRun, MissingData

IDS_VERSIONS = {"IFC2X3": "IFC2X3", "IFC4": "IFC4", "IFC4X3": "IFC4X3_ADD2", "IFC4X3_ADD2": "IFC4X3_ADD2"}
XSD_BASE = {"IfcInteger": "integer", "IfcReal": "double", "IfcBoolean": "boolean"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def merged_rows(run: CheckRun) -> list[MissingData]:
    """The checklist rows of every building, one per property, GlobalIds and rules united."""
    rows: dict[str, MissingData] = {}
    for building in run.buildings:
        for row in building.data_to_add:
            earlier = rows.get(row.key)
            if earlier is not None:
                ids = list(dict.fromkeys([*earlier.global_ids, *row.global_ids]))
                rules = list(dict.fromkeys([*earlier.rules, *row.rules]))
                names = list(dict.fromkeys([*earlier.names, *row.names]))
                update = {"global_ids": ids, "rules": rules, "names": names, "element_count": len(ids) + len(names)}
                row = row.model_copy(update=update)
            rows[row.key] = row
    return list(rows.values())


def material_names(row: MissingData) -> list[str]:
    """The Name of each material the row lists ('C30 concrete (#45)' -> 'C30 concrete'); none when one is unnamed
    ('#45'): the specification then applies to every material."""
    if not row.names or any(label.startswith("#") for label in row.names):
        return []
    return list(dict.fromkeys(label.rsplit(" (#", 1)[0] for label in row.names))


def _instructions(row: MissingData) -> str:
    """What to do, in the words of the row: a property on elements or materials, or a material association."""
    if row.requirement == "material":
        return f"Associate a material (IfcRelAssociatesMaterial) with {row.element_count} element(s)."
    what = "material(s)" if row.names else "element(s)"
    return f"Add {row.pset}.{row.property} ({row.value_type}) to {row.element_count} {what}."


def property_requirement(ids: Any, pset: str, name: str, value_type: str, enumeration: list[str]) -> Any:
    """An IDS property facet: this property with its IFC data type, and only these values when enumerated. Shared by
    the checklist's IDS and `greencheck ids export`."""
    value = None
    if enumeration:
        value = ids.Restriction(options={"enumeration": enumeration}, base=XSD_BASE.get(value_type, "string"))
    return ids.Property(propertySet=pset, baseName=name, dataType=value_type.upper(), value=value)


def ids_document(ids: Any, title: str, description: str, version: str, purpose: str) -> Any:
    """An empty IDS document with its info block."""
    return ids.Ids(title=title, description=description, version=version, purpose=purpose)


def ids_text(document: Any) -> str:
    """The XML text of an IDS document, with its declaration (ifctester's encoder leaves it out); written by
    checker.report.ids_xml, or by ifctester's slower encoder for a part of IDS that writer does not know."""
    try:
        return XML_DECLARATION + ids_xml(document)
    except UnsupportedIds:
        return XML_DECLARATION + str(document.to_string())


def _simple(value: str) -> dict[str, str]:
    return {"simpleValue": value}


def _enumeration(values: list[str], base: str = "string") -> dict[str, Any]:
    return {"xs:restriction": [{"@base": f"xs:{base}", "xs:enumeration": [{"@value": v} for v in values]}]}


def _specification(row: MissingData, version: str) -> dict[str, Any]:
    """One IDS specification, in ifctester's dictionary form: these elements must carry this property."""
    allowed = "" if row.enumerated or not row.allowed else f" Values read: {', '.join(row.allowed)}."
    applicability: dict[str, Any] = {"@minOccurs": 0, "@maxOccurs": "unbounded"}
    if row.global_ids:
        applicability["attribute"] = [{"name": _simple("GlobalId"), "value": _enumeration(row.global_ids)}]
    else:
        applicability["entity"] = [{"name": _simple(row.entity.upper())}]
        names = material_names(row)
        if names:
            applicability["attribute"] = [{"name": _simple("Name"), "value": _enumeration(names)}]
    requirements: dict[str, Any] = {}
    if row.requirement == "material":
        requirements["material"] = [{"@cardinality": "required"}]
    else:
        facet: dict[str, Any] = {
            "@cardinality": "required",
            "@dataType": row.value_type.upper(),
            "propertySet": _simple(row.pset),
            "baseName": _simple(row.property),
        }
        if row.enumerated and row.allowed:
            facet["value"] = _enumeration(list(row.allowed), XSD_BASE.get(row.value_type, "string"))
        requirements["property"] = [facet]
    return {
        "@name": f"{row.pset}.{row.property} on {row.entity}",
        "@ifcVersion": [version],
        "@description": f"Needed by {', '.join(row.rules)}.",
        "@instructions": _instructions(row) + allowed,
        "applicability": applicability,
        "requirements": requirements,
    }


def import_ifctester_ids() -> Any:
    """ifctester.ids, or a one-line ReportError naming the package."""
    try:
        from ifctester import ids
    except ImportError as exc:
        raise ReportError("IDS files need the ifctester package (pip install ifctester)") from exc
    return ids


def checklist_ids(run: CheckRun) -> str:
    """The IDS XML text of the run's checklist; with nothing missing, one specification that only names the buildings
    (IDS needs one), requiring nothing. Built as ifctester's dictionary form and written by checker.report.ids_xml,
    without importing ifctester (its xmlschema import cost 0.22 s of every HTML report, which embeds this file)."""
    version = IDS_VERSIONS.get(run.model.schema_name.upper(), "IFC4")
    rows = merged_rows(run)
    specifications = [_specification(row, version) for row in rows]
    if not rows:
        applicability = {"@minOccurs": 0, "@maxOccurs": "unbounded", "entity": [{"name": _simple("IFCBUILDING")}]}
        specifications.append(
            {
                "@name": "No data missing",
                "@ifcVersion": [version],
                "@description": "Nothing to add.",
                "applicability": applicability,
                "requirements": {},
            }
        )
    document = {
        "@xsi:schemaLocation": IDS_SCHEMA_LOCATION,
        "info": {
            "title": f"greencheck: data to add to {run.model.file}",
            "version": run.ruleset.version,
            "description": f"Properties missing for ruleset {run.ruleset.id} {run.ruleset.version}",
            "purpose": "data to add",
        },
        "specifications": {"specification": specifications},
    }
    return XML_DECLARATION + ids_xml_from_dict(document)


class IdsReporter:
    """`CheckRun`'s checklist as an .ids file; the language is irrelevant (property names are the same)."""

    format_id = "ids"
    suffix = ".ids"

    def render(self, run: CheckRun, lang: str = "en") -> bytes:
        check_language(lang)
        return checklist_ids(run).encode("utf-8")
