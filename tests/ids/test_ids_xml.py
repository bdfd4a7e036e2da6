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


@pytest.mark.parametrize(
    "sample", ["unknown-missing-data.ifc", "fail-residential-one-star.ifc", "gm-layer-takeoff-mm.ifc"]
)
def test_checklist_ids_equals_ifctesters_encoding(
    sample: str, ruleset: Ruleset, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = _documents(monkeypatch)
    checklist.checklist_ids(check_file(SAMPLES / sample, ruleset, generated_at="2024-01-01T00:00:00Z"))
    (document,) = documents
    assert document.specifications
    assert _canonical(ids_xml(document)) == _canonical(str(document.to_string()))


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
