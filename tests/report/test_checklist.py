"""The "data to add" checklist (issue 10 item 1): each missing property once per building, with its IFC type, allowed
values, the unknown rules it unlocks and the elements lacking it; the HTML shows it once and unknown cards link to
it; the IDS 1.0 download validates against the buildingSMART schema and names the same properties."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from checker.api import check_file
from checker.report.html import HtmlReporter
from checker.rules.loader import Ruleset
from checker.rules.results import CheckRun, Status

UNKNOWN_SAMPLE_PROPERTIES = [
    "IfcBuilding:Pset_BuildingCommon.OccupancyType",
    "IfcBuilding:CN_GreenBuilding.FacilityType",  # BJ-PV-TRANSPORT (issue 12): nothing shows the building's use
    "IfcBuilding:CN_GreenBuilding.ConstructionType",
    "IfcBuilding:CN_GreenBuilding.GovernmentInvested",
    "IfcBuilding:CN_GreenBuilding.TargetStarLevel",
    "IfcBuilding:CN_GreenBuilding.IndustrialLand",
    "IfcBuilding:CN_GreenBuilding.InAdministrativeOfficeArea",
    "IfcBuilding:CN_GreenBuilding.Rural",
    "IfcBuilding:Qto_BuildingBaseQuantities.Height",
    "IfcBuilding:CN_GreenBuilding.StructureType",
    "IfcBuilding:CN_GreenBuilding.ScoreGreenMaterials",
    "IfcSlab:Qto_SlabBaseQuantities.GrossArea",  # BJ-STRUCT-STEEL (issue 12) waits on the above-ground area of 3 slabs
    "IfcElement:IfcRelAssociatesMaterial.RelatingMaterial",  # 4 slabs without material: an IDS material facet
]
PROPERTY_ROWS = UNKNOWN_SAMPLE_PROPERTIES[:-1]  # the rows the IDS states as a property requirement
TARGET_STAR_RULES = [
    "BJ-GM-001",
    "BJ-GM-002",
    "BJ-GM-003",
    "BJ-STAR-010",
    "BJ-STAR-011",
    "BJ-STAR-012",
    "BJ-STAR-014",
    "BJ-STAR-020",
    "BJ-STAR-021",
    "BJ-STAR-022",
    # issue 12: Table 3.2.8 T1 residential, T2, T6 (in ruleset order)
    *["BJ-STAR-026", "BJ-STAR-027", "BJ-STAR-028", "BJ-STAR-023", "BJ-STAR-024", "BJ-STAR-025", "BJ-STAR-030"],
]
IDS_NS = {"ids": "http://standards.buildingsmart.org/IDS", "xs": "http://www.w3.org/2001/XMLSchema"}


@pytest.fixture(scope="module")
def unknown_run(checked: Callable[[str], CheckRun]) -> CheckRun:
    return checked("unknown-missing-data")


def test_each_missing_property_once_with_type_values_rules_and_count(unknown_run: CheckRun) -> None:
    (building,) = unknown_run.buildings
    rows = {row.key: row for row in building.data_to_add}
    assert [row.key for row in building.data_to_add] == UNKNOWN_SAMPLE_PROPERTIES
    star = rows["IfcBuilding:CN_GreenBuilding.TargetStarLevel"]
    assert (star.value_type, star.allowed, star.enumerated) == ("IfcInteger", ["0", "1", "2", "3"], True)
    assert star.rules == TARGET_STAR_RULES
    assert (star.element_count, star.global_ids) == (1, [building.global_id])
    use = rows["IfcBuilding:Pset_BuildingCommon.OccupancyType"]
    assert use.allowed == ["public", "residential", "industrial", "warehouse", "mixed"] and not use.enumerated
    # 19 + the 7 GB 55015 envelope rules of issue 12 (public and residential, both waiting on the use) + BJ-ES-ELEC-RES
    # issue 12 later: + BJ-GM-008 and the residential T1 / T2 rules, + BJ-PV-RETRO and BJ-STRUCT-STEEL
    assert len(use.rules) == 36 and use.rules[0] == "BJ-PRJ-001"  # the project rule waits on the building's use too
    construction = rows["IfcBuilding:CN_GreenBuilding.ConstructionType"]
    assert construction.facts == ["construction_status", "is_new"]  # two facts, one row
    assert construction.allowed[:4] == ["new", "new construction", "新建", "新建建筑"]
    assert rows["IfcBuilding:CN_GreenBuilding.GovernmentInvested"].value_type == "IfcBoolean"
    # every unknown rule that names a missing property is reachable from a row, and only unknown rules are listed
    statuses = {r.rule_id: r.status for r in [*unknown_run.project.results, *building.results]}
    assert all(statuses[rid] is Status.UNKNOWN for row in building.data_to_add for rid in row.rules)
    # every one of the 43 unknown rules (32 + the 8 GB 55015 and 3 energy-supply rules of issue 12, waiting on use
    # and newness):
    # BJ-GM-004 and BJ-STAR-013 wait on material kinds, and the building has no material at all, so the row that
    # unlocks them asks for materials on its 4 slabs
    # + 9 (materials, Table 3.2.8 T1 residential, T2, T6) + 3 (BJ-PV-RETRO, BJ-PV-TRANSPORT, BJ-STRUCT-STEEL)
    assert len({rid for row in building.data_to_add for rid in row.rules}) == 55
    bare = rows["IfcElement:IfcRelAssociatesMaterial.RelatingMaterial"]
    assert (bare.requirement, bare.element_count, bare.names) == ("material", 4, [])
    assert {"BJ-GM-004", "BJ-STAR-013"} <= set(bare.rules)


def test_archicad_like_model_slab_quantity_row_names_the_slab(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """An ArchiCAD-like IFC4 export in millimetres: use and newness declared, floor slabs without base quantities or
    geometry: the slab quantity is one row naming the slab, the declared properties are no row."""
    tiny = make_model(schema="IFC4", length_unit="MILLIMETRE", storeys=[("EG", 0.0), ("OG", 3.0)], building="Haus")
    tiny.pset(tiny.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    tiny.pset(tiny.building, "CN_GreenBuilding", {"ConstructionType": "New", "GovernmentInvested": False})
    ground = tiny.element("IfcSlab", "Decke EG", storey=0, predefined_type="FLOOR")
    tiny.element("IfcSlab", "Decke OG", storey=1, predefined_type="FLOOR")
    tiny.element("IfcWall", "Wand", storey=0)
    run = check_file(tiny.write("archicad-like.ifc"), ruleset, generated_at="2024-01-01T00:00:00Z")
    (building,) = run.buildings
    rows = {row.key: row for row in building.data_to_add}
    slab = rows["IfcSlab:Qto_SlabBaseQuantities.GrossArea"]
    assert (slab.value_type, slab.element_count, slab.global_ids) == ("IfcAreaMeasure", 1, [ground.GlobalId])
    assert slab.rules == [
        "BJ-PRJ-001",
        "BJ-PREFAB-001",
        "BJ-PREFAB-002",
        "BJ-PREFAB-003",
        "BJ-PREFAB-004",
        "BJ-PREFAB-005",
    ]
    assert "IfcBuilding:Pset_BuildingCommon.OccupancyType" not in rows
    assert "IfcBuilding:CN_GreenBuilding.ConstructionType" not in rows
    assert rows["IfcBuilding:CN_GreenBuilding.TargetStarLevel"].rules[:2] == ["BJ-STAR-001", "BJ-STAR-002"]
    # + 1 since issue 12: the unflagged wall leaves the GB 55015 wall rule unknown, naming IsExternal; + HeatingSource
    assert len(rows) == len(building.data_to_add) == 9
    bare = rows["IfcElement:IfcRelAssociatesMaterial.RelatingMaterial"]  # no element carries a material
    assert (bare.element_count, bare.requirement) == (3, "material")


def test_html_shows_the_checklist_once_and_unknown_cards_link_to_rows(unknown_run: CheckRun) -> None:
    html = HtmlReporter().render(unknown_run, "en").decode("utf-8")
    assert html.count('class="checklist"') == 1
    row_ids = re.findall(r'<tr id="([^"]+)" data-checklist-row="([^"]+)"', html)
    assert [prop for _, prop in row_ids] == [key.split(":", 1)[1] for key in UNKNOWN_SAMPLE_PROPERTIES]
    links = re.findall(r'<a href="#([^"]+)" data-checklist-link="([^"]+)"', html)
    anchors = {anchor for anchor, _ in row_ids}
    assert links and all(target in anchors for target, _ in links)
    assert sum(prop == "CN_GreenBuilding.TargetStarLevel" for _, prop in links) == len(TARGET_STAR_RULES)
    # the missing-data text is no longer repeated per card: only entries no row covers stay as text
    texts = re.findall(r'<ul class="missing">(.*?)</ul>', html, re.S)
    plain = [li for block in texts for li in re.findall(r"<li>(?!<a)(.*?)</li>", block, re.S)]
    assert not any("TargetStarLevel" in li for li in plain)
    assert plain == []  # BJ-GM-004 and BJ-STAR-013's material kinds link to the material association row
    zh = HtmlReporter().render(unknown_run, "zh").decode("utf-8")
    # 31 + 8 GB 55015 + 3 energy supply + 9 materials / Table 3.2.8 + 3 PV / steel; + FacilityType, slab GrossArea rows
    assert zh.count("无法判定的条款：54 条 — 需补充的数据：13 项") == 1


def _ids_properties(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    found = []
    for prop in root.iterfind(".//ids:requirements/ids:property", IDS_NS):
        pset = prop.findtext("ids:propertySet/ids:simpleValue", namespaces=IDS_NS)
        name = prop.findtext("ids:baseName/ids:simpleValue", namespaces=IDS_NS)
        found.append(f"{pset}.{name}")
    return found


def test_ids_download_validates_against_ids_1_0_and_names_the_same_properties(unknown_run: CheckRun) -> None:
    ifctester_ids = pytest.importorskip("ifctester.ids")
    from checker.report.ids import IdsReporter

    xml = IdsReporter().render(unknown_run)
    schema = ifctester_ids.get_schema()  # the IDS 1.0 XSD ifctester ships (W3C imports from xmlschema's own copies)
    schema.validate(xml.decode("utf-8"))
    assert _ids_properties(xml) == [key.split(":", 1)[1] for key in PROPERTY_ROWS]
    root = etree.fromstring(xml)
    star = root.find(".//ids:specification[@name='CN_GreenBuilding.TargetStarLevel on IfcBuilding']", IDS_NS)
    assert star is not None
    assert star.find(".//ids:property", IDS_NS).get("dataType") == "IFCINTEGER"
    assert [e.get("value") for e in star.iterfind(".//ids:property//xs:enumeration", IDS_NS)] == ["0", "1", "2", "3"]
    gids = [e.get("value") for e in star.iterfind(".//ids:attribute//xs:enumeration", IDS_NS)]
    assert gids == [unknown_run.buildings[0].global_id]
    html = HtmlReporter().render(unknown_run, "en").decode("utf-8")
    assert 'class="ids-download"' in html and "data:application/xml;base64," in html


def test_ids_of_a_complete_model_is_valid_and_requires_nothing(checked: Callable[[str], CheckRun]) -> None:
    ifctester_ids = pytest.importorskip("ifctester.ids")
    from checker.report.ids import IdsReporter

    run = checked("pass-public-office")
    assert [row for b in run.buildings for row in b.data_to_add] == []
    xml = IdsReporter().render(run)
    ifctester_ids.get_schema().validate(xml.decode("utf-8"))
    assert _ids_properties(xml) == []
    assert 'class="checklist"' not in HtmlReporter().render(run, "en").decode("utf-8")


def test_sample_report_measures(unknown_run: CheckRun, tmp_path: Path) -> None:
    """Before the checklist the sample's cards repeated 72 missing-data lines; now 11 rows say it and the cards
    only link to them (the material kinds of BJ-GM-004 / BJ-STAR-013 included)."""
    html = HtmlReporter().render(unknown_run, "en").decode("utf-8")
    blocks = re.findall(r'<ul class="missing">(.*?)</ul>', html, re.S)
    items = sum(len(re.findall(r"<li>", block)) for block in blocks)
    # 84 links (short), no text left; was 72 full texts (66 before the GB 55015 rules, 81 before energy supply)
    assert items == 106  # + 22 links of the materials, Table 3.2.8, PV and steel rules (issue 12)


def test_envelope_properties_read_per_element_get_rows_with_their_elements(
    checked: Callable[[str], CheckRun],
) -> None:
    """U-values, SHGC and heat recovery are read per element by the rules (no fact): a row for each, from the
    missing entries that name it, so the ULE cards link to the checklist instead of repeating the element lists."""
    run = checked("unknown-ule-missing-thermal")
    building = run.buildings[0]
    rows = {f"{row.entity}:{row.pset}.{row.property}": row for row in building.data_to_add if row.mentions}
    assert {key: (row.rules, row.element_count) for key, row in rows.items()} == {
        # + the two-star residential T1 (BJ-STAR-027) and T2 (BJ-STAR-024) rules (issue 12)
        "IfcWall:Pset_WallCommon.ThermalTransmittance": (
            ["BJ-ULE-WALL-RES", "BJ-ULE-LEVEL", "BJ-STAR-027", "BJ-E55-WALL-RES"],
            4,
        ),
        "IfcSlab:Pset_SlabCommon.ThermalTransmittance": (
            ["BJ-ULE-ROOF-RES", "BJ-ULE-FLOOR-RES", "BJ-ULE-LEVEL", "BJ-STAR-027", "BJ-E55-ROOF-RES"],
            2,
        ),
        "IfcWindow:Pset_WindowCommon.ThermalTransmittance": (
            ["BJ-ULE-WIN-RES", "BJ-ULE-LEVEL", "BJ-STAR-027", "BJ-STAR-024", "BJ-E55-WIN-RES"],
            7,
        ),
        "IfcWindow:Pset_DoorWindowGlazingType.SolarHeatGainTransmittance": (["BJ-ULE-SHGC"], 7),
        "IfcBuilding:CN_GreenBuilding.HeatRecoverySensibleEfficiency": (["BJ-ULE-HR"], 1),
        # the sample carries no material at all: its 14 construction elements need one before any material rule
        "IfcElement:IfcRelAssociatesMaterial.RelatingMaterial": (
            [
                "BJ-GM-002",
                "BJ-GM-004",
                "BJ-GM-005",
                "BJ-GM-006",
                "BJ-GM-008",
                "BJ-STAR-010",
                "BJ-STAR-012",
                "BJ-STAR-013",
            ],
            14,
        ),
    }
    assert rows["IfcSlab:Pset_SlabCommon.ThermalTransmittance"].global_ids == [
        "18YpvhpMbNVvAIZMipDBI8",  # the roof slab's 26.15 is an exporter's placeholder
        "1cGqYrs3fTmw8AL0bpUg2s",  # the base slab's 0 likewise
    ]
    html = HtmlReporter().render(run, "en").decode("utf-8")
    links = re.findall(r'data-checklist-link="([^"]+)"', html)
    # the wall rules (ULE, GB 55015), the level and the residential T1 (issue 12)
    assert links.count("Pset_WallCommon.ThermalTransmittance") == 4
    texts = re.findall(r'<ul class="missing">(.*?)</ul>', html, re.S)
    plain = [li for block in texts for li in re.findall(r"<li>(?!<a)(.*?)</li>", block, re.S)]
    assert not any("no Pset_WallCommon.ThermalTransmittance" in li for li in plain)
    ifctester_ids = pytest.importorskip("ifctester.ids")
    from checker.report.ids import IdsReporter

    xml = IdsReporter().render(run)
    ifctester_ids.get_schema().validate(xml.decode("utf-8"))
    assert "Pset_WindowCommon.ThermalTransmittance" in _ids_properties(xml)
