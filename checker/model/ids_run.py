"""Run a user's IDS 1.0 file on the opened model with ifctester, and the IFC class lists `ids export` states.

Beside the loader because ifctester reads the ifcopenshell file; the result is plain data (checker.model.ids_outcomes)
for the rules side. A bad IDS file (too big, not XML, not valid against the IDS 1.0 XSD, not loadable by ifctester) is
one IdsFileError line, never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.ifcopenshell_wrapper as wrapper

from checker.errors import CheckerError
from checker.model.ids_outcomes import IdsElement, IdsFileOutcome, IdsSpecOutcome, Usage
from checker.model.index import ModelIndex

MAX_IDS_BYTES = 4 * 1024**2  # as ruleset files: an IDS is a hand-sized list of requirements
IDS_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3_ADD2")
IDS_NAMESPACE = "http://standards.buildingsmart.org/IDS"


class IdsFileError(CheckerError):
    """An IDS file that cannot be used; the message is one line naming the file."""


def load_ids(path: str | Path) -> Any:
    """The parsed ifctester Ids of a file, validated against the IDS 1.0 XSD."""
    from ifctester import ids
    from lxml import etree

    where = Path(path)
    try:
        size = where.stat().st_size
        if size > MAX_IDS_BYTES:
            raise IdsFileError(f"{where}: IDS file of {size} bytes refused (more than {MAX_IDS_BYTES} bytes)")
        data = where.read_bytes()
    except OSError as exc:
        raise IdsFileError(f"{where}: cannot read the IDS file ({exc.strerror or exc})") from exc
    try:
        tree = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise IdsFileError(f"{where}: not an XML file ({_one_line(exc)})") from None
    if tree.getroottree().docinfo.doctype:  # entities are a way to blow up or reach out; IDS 1.0 declares none
        raise IdsFileError(f"{where}: an IDS file with a DOCTYPE is refused (IDS 1.0 declares no entities)")
    try:
        ids.get_schema().validate(str(where))
    except Exception as exc:  # noqa: BLE001 - xmlschema raises several kinds; each is one line
        raise IdsFileError(f"{where}: not a valid IDS 1.0 file ({_one_line(exc)})") from None
    try:
        document = ids.open(str(where))
    except Exception as exc:  # noqa: BLE001 - ifctester's parser fails in many ways on odd content
        raise IdsFileError(f"{where}: ifctester cannot load the IDS file ({_one_line(exc)})") from None
    # ifctester 0.8/0.9 does not read the optional identifier attribute: taken from the XML, in document order
    identifiers = [spec.get("identifier") for spec in tree.iterfind(f".//{{{IDS_NAMESPACE}}}specification")]
    for spec, identifier in zip(document.specifications, identifiers, strict=False):
        spec.identifier = identifier
    return document


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "reason", None) or exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def run_ids_files(model: ifcopenshell.file, paths: Sequence[str | Path]) -> list[IdsFileOutcome]:
    """Every specification of every IDS file on the model, each applicable element attributed to its building."""
    if not paths:
        return []
    index = ModelIndex(model)
    return [_run_one(model, index, Path(path)) for path in paths]


def _run_one(model: ifcopenshell.file, index: ModelIndex, path: Path) -> IdsFileOutcome:
    document = load_ids(path)
    document.validate(model, should_filter_version=True)
    info = document.info
    specs = [_outcome(n, spec, index) for n, spec in enumerate(document.specifications, start=1)]
    return IdsFileOutcome(
        file=path.name,
        stem=path.stem,
        title=_text(info.get("title")),
        author=_text(info.get("author")),
        version=_text(info.get("version")),
        date=_text(info.get("date")),
        specifications=specs,
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _outcome(position: int, spec: Any, index: ModelIndex) -> IdsSpecOutcome:
    reasons: dict[int, list[str]] = {}
    for facet in spec.requirements:
        for failure in facet.failures:
            reasons.setdefault(failure["element"].id(), []).append(str(failure["reason"]))
    elements = [_element(element, index, reasons.get(element.id(), [])) for element in spec.applicable_entities]
    usage: Usage = spec.get_usage()
    return IdsSpecOutcome(
        index=position,
        identifier=_text(spec.identifier),
        name=str(spec.name),
        description=_text(spec.description),
        instructions=_text(spec.instructions),
        usage=usage,
        applies_to_version=bool(getattr(spec, "is_ifc_version", True)),
        elements=elements,
    )


def _element(element: ifcopenshell.entity_instance, index: ModelIndex, reasons: list[str]) -> IdsElement:
    building = element if element.is_a("IfcBuilding") else index.building_of(element)
    global_id = getattr(element, "GlobalId", None) or f"#{element.id()}"
    return IdsElement(
        global_id=str(global_id),
        ifc_class=element.is_a(),
        name=index.names.name(element),  # repaired like every name a report shows (\X2\ escapes)
        building_id=str(building.GlobalId) if building is not None else None,
        reasons=reasons,
    )


def concrete_classes(names: Sequence[str], schema: str, exempt: Sequence[str] = ()) -> list[str]:
    """The instantiable classes of `schema` that are one of `names` or a subtype (an IDS 1.0 entity facet matches
    its class exactly: IFCWALL misses an IfcWallStandardCase), less `exempt` and their subtypes; upper case, sorted."""
    declarations = wrapper.schema_by_name(schema)
    found: set[str] = set()
    skipped = {name.upper() for name in exempt}

    def collect(declaration: Any) -> None:
        if declaration.name().upper() in skipped:
            return
        if not declaration.is_abstract():
            found.add(declaration.name().upper())
        for subtype in declaration.subtypes():
            collect(subtype)

    for name in names:
        try:
            collect(declarations.declaration_by_name(name))
        except (RuntimeError, KeyError):  # a class this schema lacks (IfcBuiltElement before IFC4X3)
            continue
    return sorted(found)
