"""The lxml IDS writer gives the same document as ifctester's xmlschema encoder and hands back what it cannot write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from checker.api import check_file
from checker.model.ids_run import concrete_classes
from checker.report import ids as checklist
from checker.report import ids_export
from checker.report.ids_xml import UnsupportedIds, ids_xml
from checker.rules.results import CheckRun
from checker.rules.schema import Ruleset

ifctester_ids = pytest.importorskip("ifctester.ids")
SAMPLES = Path(__file__).resolve().parents[2] / "sample_models"


def _canonical(text: str) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(text.encode("utf-8"), parser), method="c14n", exclusive=True)


def _documents(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every ifctester document the reports hand to ids_text, captured."""
    seen: list[Any] = []
    text = checklist.ids_text

    def capture(document: Any) -> str:
        seen.append(document)
        return text(document)

    monkeypatch.setattr(checklist, "ids_text", capture)
    monkeypatch.setattr(ids_export, "ids_text", capture)
    return seen


def _ifctester_checklist(run: CheckRun) -> str:
    """The oracle: the same checklist built with ifctester's classes and encoded by ifctester (xmlschema)."""
    ids = ifctester_ids
    version = checklist.IDS_VERSIONS.get(run.model.schema_name.upper(), "IFC4")
    title = f"greencheck: data to add to {run.model.file}"
    description = f"Properties missing for ruleset {run.ruleset.id} {run.ruleset.version}"
    document = ids.Ids(title=title, description=description, version=run.ruleset.version, purpose="data to add")
    for row in checklist.merged_rows(run):
        allowed = "" if row.enumerated or not row.allowed else f" Values read: {', '.join(row.allowed)}."
        spec = ids.Specification(
            name=f"{row.pset}.{row.property} on {row.entity}",
            ifcVersion=[version],
            description=f"Needed by {', '.join(row.rules)}.",
            instructions=checklist._instructions(row) + allowed,
        )
        if row.global_ids:
            restriction = ids.Restriction(options={"enumeration": row.global_ids})
            spec.applicability.append(ids.Attribute(name="GlobalId", value=restriction))
        else:
            spec.applicability.append(ids.Entity(name=row.entity.upper()))
            if names := checklist.material_names(row):
                restriction = ids.Restriction(options={"enumeration": names})
                spec.applicability.append(ids.Attribute(name="Name", value=restriction))
        if row.requirement == "material":
            spec.requirements.append(ids.Material())
        else:
            enumeration = list(row.allowed) if row.enumerated else []
            facet = checklist.property_requirement(ids, row.pset, row.property, row.value_type, enumeration)
            spec.requirements.append(facet)
        document.specifications.append(spec)
    return str(document.to_string())


@pytest.mark.parametrize(
    "sample",
    ["unknown-missing-data.ifc", "fail-residential-one-star.ifc", "gm-layer-takeoff-mm.ifc", "pass-public-office.ifc"],
)
def test_checklist_ids_equals_ifctesters_encoding(sample: str, ruleset: Ruleset) -> None:
    run = check_file(SAMPLES / sample, ruleset, generated_at="2024-01-01T00:00:00Z")
    declaration, body = checklist.checklist_ids(run).split("\n", 1)
    assert declaration == '<?xml version="1.0" encoding="utf-8"?>'
    ifctester_ids.get_schema().validate(body)
    if checklist.merged_rows(run):
        assert _canonical(body) == _canonical(_ifctester_checklist(run))


def test_exported_ids_equals_ifctesters_encoding_and_validates(
    ruleset: Ruleset, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = _documents(monkeypatch)
    text = ids_export.export_ids(ruleset, concrete_classes)
    (document,) = documents
    assert len(document.specifications) >= 60
    assert _canonical(ids_xml(document)) == _canonical(str(document.to_string()))
    ifctester_ids.get_schema().validate(text)


def test_an_unknown_facet_is_refused_and_ifctester_writes_it() -> None:
    document = ifctester_ids.Ids(title="t")
    spec = ifctester_ids.Specification(name="parts", ifcVersion=["IFC4"])
    spec.applicability.append(ifctester_ids.PartOf(name="IFCELEMENTASSEMBLY"))
    document.specifications.append(spec)
    with pytest.raises(UnsupportedIds):
        ids_xml(document)
    text = checklist.ids_text(document)
    assert "<partOf" in text and text.startswith("<?xml")
