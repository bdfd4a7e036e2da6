"""`greencheck ids export`: a valid IDS 1.0 file of the data the ruleset reads, independent of any model."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from checker.cli import main
from checker.model.ids_run import concrete_classes
from checker.report.ids_export import export_ids, fact_readers
from checker.rules.schema import Ruleset

ifctester_ids = pytest.importorskip("ifctester.ids")
NS = {"ids": "http://standards.buildingsmart.org/IDS", "xs": "http://www.w3.org/2001/XMLSchema"}


@pytest.fixture(scope="module")
def exported(ruleset: Ruleset) -> etree._Element:
    text = export_ids(ruleset, concrete_classes)
    ifctester_ids.get_schema().validate(text)  # the IDS 1.0 XSD ifctester ships, W3C imports via xmlschema
    return etree.fromstring(text.encode("utf-8"))


def _spec(root: etree._Element, identifier: str) -> list[etree._Element]:
    return root.findall(f".//ids:specification[@identifier='{identifier}']", NS)


def _entities(spec: etree._Element) -> list[str]:
    entity = spec.find("ids:applicability/ids:entity/ids:name", NS)
    simple = entity.findtext("ids:simpleValue", namespaces=NS)
    return [simple] if simple else [e.get("value") for e in entity.iterfind(".//xs:enumeration", NS)]


def test_target_star_level_is_required_on_ifcbuilding_with_its_enumeration(exported: etree._Element) -> None:
    (star,) = _spec(exported, "IfcBuilding:CN_GreenBuilding.TargetStarLevel")
    assert star.get("ifcVersion") == "IFC2X3 IFC4 IFC4X3_ADD2"
    assert star.find("ids:applicability", NS).get("minOccurs") == "1"  # every model has a building: required
    assert _entities(star) == ["IFCBUILDING"]
    prop = star.find("ids:requirements/ids:property", NS)
    assert (prop.get("dataType"), prop.get("cardinality")) == ("IFCINTEGER", "required")
    assert [e.get("value") for e in prop.iterfind(".//xs:enumeration", NS)] == ["0", "1", "2", "3"]
    assert "BJ-STAR-001" in star.get("description")


def test_a_wall_property_names_every_wall_class_of_each_ifc_version(exported: etree._Element) -> None:
    specs = _spec(exported, "IfcWall:Pset_WallCommon.ThermalTransmittance")
    by_version = {spec.get("ifcVersion"): _entities(spec) for spec in specs}
    assert by_version == {
        "IFC2X3 IFC4X3_ADD2": ["IFCWALL", "IFCWALLSTANDARDCASE"],
        "IFC4": ["IFCWALL", "IFCWALLELEMENTEDCASE", "IFCWALLSTANDARDCASE"],
    }
    prop = specs[0].find("ids:requirements/ids:property", NS)
    assert prop.get("dataType") == "IFCTHERMALTRANSMITTANCEMEASURE"
    # only ultra-low-energy buildings need wall U-values: optional, and the instructions say why
    assert prop.get("cardinality") == "optional"
    assert specs[0].find("ids:applicability", NS).get("minOccurs") == "0"  # a model without walls is not at fault
    assert "BJ-ULE-WALL-RES" in specs[0].get("instructions") and "energy_target" in specs[0].get("instructions")


def test_material_properties_apply_to_ifcmaterial(exported: etree._Element) -> None:
    (category,) = _spec(exported, "IfcMaterial:CN_GreenBuilding.MaterialCategory")
    assert _entities(category) == ["IFCMATERIAL"]
    assert category.find("ids:applicability", NS).get("minOccurs") == "0"  # a model may hold no IfcMaterial
    prop = category.find("ids:requirements/ids:property", NS)
    values = [e.get("value") for e in prop.iterfind(".//xs:enumeration", NS)]
    assert values == ["structure_envelope", "decoration", "mep", "outdoor"]
    # BJ-STAR-013 (no conditions) reads the material take-off of every building: required
    assert (prop.get("dataType"), prop.get("cardinality")) == ("IFCLABEL", "required")
    assert "BJ-GM-001" in category.get("description") and "BJ-STAR-013" in category.get("description")
    (density,) = _spec(exported, "IfcMaterial:Pset_MaterialCommon.MassDensity")
    prop = density.find("ids:requirements/ids:property", NS)
    assert (prop.get("dataType"), prop.get("cardinality")) == ("IFCMASSDENSITYMEASURE", "optional")
    assert density.get("description") == "Read per element by BJ-GM-005, BJ-GM-006, BJ-GM-007, BJ-GM-008."
    assert "use_category" in density.get("instructions")


def test_keyword_tables_go_to_the_instructions_not_an_enumeration(exported: etree._Element) -> None:
    (use,) = _spec(exported, "IfcBuilding:Pset_BuildingCommon.OccupancyType")
    assert use.find(".//xs:enumeration", NS) is None
    assert "public, residential" in use.get("instructions")


def test_fact_readers_mark_conditional_facts(ruleset: Ruleset) -> None:
    readers = fact_readers(ruleset)
    assert readers["target_star_level"]["BJ-STAR-010"] is True  # its first condition reads it: every building
    assert set(readers["airtightness_n50"]) == {"BJ-ULE-N50-RES", "BJ-ULE-N50-PUB"}
    assert not any(readers["airtightness_n50"].values())


def test_cli_export_is_deterministic_and_writes_a_file(ruleset: Ruleset, tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["ids", "export"])
    second = runner.invoke(main, ["ids", "export", "-o", str(tmp_path / "req.ids")])
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert first.stdout_bytes == (tmp_path / "req.ids").read_bytes() == export_ids(ruleset, concrete_classes).encode()
    # issue 12: + HeatingSource, AllElectric, WasteBased, LowVOC, AirtightnessClass (3), FacilityType, PV (3)
    assert first.stdout_bytes.count(b"<specification ") == 74
    zh = runner.invoke(main, ["ids", "export", "--lang", "zh"])
    assert zh.exit_code == 0 and "用于规则 BJ-STAR-001" in zh.stdout


def test_cli_export_unknown_ruleset_is_one_line_exit_2() -> None:
    result = CliRunner().invoke(main, ["ids", "export", "-r", "no-such-ruleset"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("greencheck: error:")


def test_a_ruleset_rule_cannot_claim_the_ids_family(ruleset: Ruleset) -> None:
    from pydantic import ValidationError

    from checker.rules.schema import Rule

    data = ruleset.rules[0].model_dump()
    with pytest.raises(ValidationError, match="reserved for the results of IDS files"):
        Rule.model_validate({**data, "family": "ids"})
