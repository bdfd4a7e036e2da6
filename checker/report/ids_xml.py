"""IDS 1.0 XML from an ifctester document, written with lxml in the schema's element order.

ifctester's own `Ids.to_string` encodes through xmlschema: loading ids.xsd costs 0.25 s per process and encoding
40 ms per report, which every HTML report (it embeds the checklist as IDS) and every CI run paid. The documents this
tool writes use a small, fixed part of IDS 1.0 (info, specifications, applicability and requirements with entity,
attribute, property and material facets, simple values and enumerations); this writer knows that part's order from
the XSD and refuses anything else (`UnsupportedIds`), so the caller falls back to ifctester. Tests check that both
writers give the same canonical XML and that the result validates against the IDS 1.0 XSD.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

IDS_NS = "http://standards.buildingsmart.org/IDS"
XS_NS = "http://www.w3.org/2001/XMLSchema"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NAMESPACES = {None: IDS_NS, "xs": XS_NS, "xsi": XSI_NS}
IDS_SCHEMA_LOCATION = f"{IDS_NS} http://standards.buildingsmart.org/IDS/1.0/ids.xsd"

_FACETS = ["entity", "partOf", "classification", "attribute", "property", "material"]
_VALUE = ["simpleValue", "xs:restriction"]
# element -> (attributes in XSD order, child elements in XSD order); from ids.xsd 1.0
ORDER: dict[str, tuple[list[str], list[str]]] = {
    "ids": (["xsi:schemaLocation"], ["info", "specifications"]),
    "info": ([], ["title", "copyright", "version", "description", "author", "date", "purpose", "milestone"]),
    "specifications": ([], ["specification"]),
    "specification": (
        ["name", "ifcVersion", "identifier", "description", "instructions"],
        ["applicability", "requirements"],
    ),
    "applicability": (["minOccurs", "maxOccurs"], _FACETS),
    "requirements": (["description"], _FACETS),
    "entity": ([], ["name", "predefinedType"]),
    "attribute": (["cardinality", "instructions"], ["name", "value"]),
    "property": (["dataType", "uri", "cardinality", "instructions"], ["propertySet", "baseName", "value"]),
    "material": (["uri", "cardinality", "instructions"], ["value"]),
    "name": ([], _VALUE),
    "value": ([], _VALUE),
    "propertySet": ([], _VALUE),
    "baseName": ([], _VALUE),
    "predefinedType": ([], _VALUE),
    "xs:restriction": (["base"], ["xs:enumeration", "xs:pattern"]),
    "xs:enumeration": (["value"], []),
    "xs:pattern": (["value"], []),
}
_TEXT_ONLY = {"title", "copyright", "version", "description", "author", "date", "purpose", "milestone", "simpleValue"}
_ROOT_DECLARATIONS = {"@xmlns", "@xmlns:xs", "@xmlns:xsi"}


class UnsupportedIds(ValueError):
    """The document uses a part of IDS this writer does not know; ifctester's encoder writes it instead."""


def _qname(key: str) -> str:
    prefix, _, local = key.rpartition(":")
    return f"{{{XS_NS if prefix == 'xs' else XSI_NS if prefix == 'xsi' else IDS_NS}}}{local}"


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(_text(v) for v in value)
    return str(value)


def _fill(element: etree._Element, tag: str, data: Any) -> None:
    if tag in _TEXT_ONLY:
        element.text = _text(data)
        return
    if tag not in ORDER or not isinstance(data, dict):
        raise UnsupportedIds(tag)
    attributes, children = ORDER[tag]
    keys = set(data) - (_ROOT_DECLARATIONS if tag == "ids" else set())
    unknown = keys - {f"@{a}" for a in attributes} - set(children)
    if unknown:
        raise UnsupportedIds(f"{tag}: {sorted(unknown)}")
    for name in attributes:
        if f"@{name}" in data and data[f"@{name}"] is not None:
            element.set(_qname(name) if ":" in name else name, _text(data[f"@{name}"]))
    for child in children:
        value = data.get(child)
        for item in value if isinstance(value, list) else [] if value is None else [value]:
            _fill(etree.SubElement(element, _qname(child)), child, item)


def ids_xml(document: Any) -> str:
    """The XML text of an ifctester Ids document (no declaration), indented by four spaces like ifctester's."""
    return ids_xml_from_dict(document.asdict())


def ids_xml_from_dict(data: dict[str, Any]) -> str:
    """The XML text of an IDS document in ifctester's dictionary form (what `Ids.asdict()` returns)."""
    root = etree.Element(_qname("ids"), nsmap=NAMESPACES)
    _fill(root, "ids", data)
    etree.indent(root, space="    ")
    return str(etree.tostring(root, encoding="unicode"))
