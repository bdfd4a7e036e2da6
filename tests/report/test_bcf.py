"""Issue 11 item 2 (BCF): BCF 3.0 (-f bcf) and 2.1 (-f bcf2) zips, one topic per failing rule with the failing
elements selected plus one "data to add" request per building, every XML file validated against the official
buildingSMART XSDs (tests/schemas/bcf-2.1, bcf-3.0), and read back with IfcOpenShell's bcf-client."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from checker.api import check_file
from checker.report import ReportOptions, make_reporter, render
from checker.report.bcf_topics import MAX_SELECTED, stable_guid
from checker.rules.results import CheckRun, Status
from checker.rules.schema import Ruleset

SCHEMAS = Path(__file__).parents[1] / "schemas"
VERSIONS = {"bcf": "3.0", "bcf2": "2.1"}
SCHEMA_OF = {
    "bcf.version": "version",
    "project.bcfp": "project",
    "extensions.xml": "extensions",
    "markup.bcf": "markup",
    "viewpoint.bcfv": "visinfo",
}
HALL = "0hEbSnznDKh8jLqKO0J1za"
PROJECT = "3rWNOm50bTnubjuxhiwoaY"
PREFAB_TITLES = [
    "BJ-BIM-001 The BIM model provides all data the rules need",  # info (Low): 14 of 23 data items (issue 12)
    "BJ-PV-001 Every new public building applies PV",
    "BJ-PV-002 Roof PV coverage of new public-institution buildings and new factories",
    "BJ-PREFAB-001 Assembly rate P at least 50 %",
    "BJ-PREFAB-003 Enclosure and partition score Q2 at least 10 points",
    "BJ-PREFAB-005 Precast ratio at least 40 % (height up to 60 m)",
    "BJ-GM-005 About 70 % of new-building material quantity is certified green material",
    "BJ-E55-SOLAR New buildings install a solar system (PV or solar thermal)",
    "Data to add (7 properties)",  # + CN_GreenBuilding.HeatingSource (issue 12)
]
# BJ-PREFAB-001's elements, the first 13 GlobalIds the JUnit report lists for it
PREFAB_001_SELECTED = [
    "27hOfTV4DKDOmuvwQyP7O_",
    "0d0fDodr1SMhUqEUR$gkYG",
    "1hqBPVAEnOCQWZkbU$4BID",
    "1gHx2$_D1VdRKiGvUfRCH4",
    "2fwiVuUWvPt83f7YDVQC$o",
    "0o7GC0q05Kffh1VUi4m8K1",
    "2FSK47LxrUGwE4j1atdcR$",
    "1H0_HxqQfSNAuTXTFhNyVi",
    "08PVThoVrNixaU4oRLG9U$",
    "2BkO8PcCbNVgc5HI5fVtSh",
    "0gWznW0WfH_A8aUcmFDmkl",
    "277eTY3q9OCx63DfM5kzU2",
    "03YAjmboTUKfnkZ7hOhzvX",
]
# from tests/hostile/test_console.py: a CI workflow command, a forged verdict line, terminal escapes, NEL, LS, RLO
HOSTILE = '<x>&"Tower\n::error::injected-line\rgreencheck: COMPLIANT\x07\x1b]0;owned\x07\x1b[2J\x85\u2028\u202e\uffff'


@cache
def _schema(version: str, name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"bcf-{version}" / f"{name}.xsd")))


def _files(data: bytes, fmt: str) -> dict[str, etree._Element]:
    """Every XML file of the zip, parsed after checking it against its official schema."""
    files = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            schema = _schema(VERSIONS[fmt], SCHEMA_OF[name.rsplit("/", 1)[-1]])
            doc = etree.fromstring(archive.read(name))
            assert schema.validate(doc), f"{name}: {schema.error_log}"
            files[name] = doc
    return files


def _topics(files: dict[str, etree._Element]) -> list[tuple[etree._Element, etree._Element]]:
    """(markup, viewpoint) per topic folder, in the zip's order."""
    return [
        (doc, files[name.replace("markup.bcf", "viewpoint.bcfv")])
        for name, doc in files.items()
        if name.endswith("/markup.bcf")
    ]


def _selected(viewpoint: etree._Element) -> list[str]:
    return [component.get("IfcGuid") for component in viewpoint.iterfind("Components/Selection/Component")]


def _bcf(run: CheckRun, fmt: str = "bcf", lang: str = "en", fail_on: str = "error") -> dict[str, etree._Element]:
    return _files(render(run, fmt, lang, ReportOptions(fail_on=fail_on)), fmt)


@pytest.mark.parametrize("fmt", ["bcf", "bcf2"])
def test_prefab_fail_government(checked: Callable[[str], CheckRun], fmt: str) -> None:
    run = checked("prefab-fail-government")
    files = _bcf(run, fmt)
    topics = _topics(files)
    assert [markup.findtext("Topic/Title") for markup, _ in topics] == PREFAB_TITLES
    assert [markup.find("Topic").get("TopicType") for markup, _ in topics] == ["Issue"] * 8 + ["Request"]
    assert {markup.find("Topic").get("TopicStatus") for markup, _ in topics} == {"Open"}
    assert {markup.findtext("Topic/CreationDate") for markup, _ in topics} == {"2024-01-01T00:00:00Z"}
    assert {markup.findtext("Topic/CreationAuthor") for markup, _ in topics} == {"greencheck"}
    labels = "Topic/Labels/Label" if fmt == "bcf" else "Topic/Labels"
    prefab, prefab_view = topics[3]
    assert [label.text for label in prefab.iterfind(labels)] == ["prefabrication", "error"]
    assert prefab.findtext("Topic/Priority") == "High"
    assert topics[5][0].findtext("Topic/Priority") == "Normal"  # BJ-PREFAB-005 is a warning
    assert topics[0][0].findtext("Topic/Priority") == "Low"  # BJ-BIM-001 is info
    # its elements, not the storeys L1 and L2 its floor area was summed over (selecting a storey selects a floor)
    assert _selected(prefab_view) == PREFAB_001_SELECTED
    assert _selected(topics[2][1]) == ["2BkO8PcCbNVgc5HI5fVtSh"]  # BJ-PV-002 lists no elements: its roof slab
    assert _selected(topics[1][1]) == []  # BJ-PV-001: no PV at all, nothing to select
    assert prefab_view.find("Components/Visibility").get("DefaultVisibility") == "true"
    assert prefab_view.find("Components/Selection/Component/AuthoringToolId") is None
    description = prefab.findtext("Topic/Description")
    assert description.startswith(
        "Fail: 34.1 % (≥ 50.0 % required; short by 15.9 pp): about 14.9 more points of Table 4.0.1"
    )
    assert "Required: ≥ 50.0 %" in description
    assert "Citation: GB/T 51129-2017 3.0.3, 4.0.1 (Table 4.0.1), 5.0.1, 5.0.2 (partly confirmed" in description
    assert "\nRemedy: " in description and description.endswith("Elements selected in the viewpoint: 13")
    reference = prefab.find(".//DocumentReference/Description").text
    assert reference.startswith("GB/T 51129-2017 3.0.3, 4.0.1 (Table 4.0.1), 5.0.1, 5.0.2 (partly confirmed")
    file = prefab.find("Header/Files/File" if fmt == "bcf" else "Header/File")
    assert (file.get("IfcProject"), file.get("IfcSpatialStructureElement")) == (PROJECT, HALL)
    assert file.findtext("Filename") == "prefab-fail-government.ifc"
    # the topic GUID is the same for both versions and both languages: re-importing updates the same topic
    guid = stable_guid(run.ruleset.id, PROJECT, HALL, "BJ-PREFAB-001")
    assert prefab.find("Topic").get("Guid") == guid
    assert f"{guid}/markup.bcf" in files


def test_materials_are_named_not_selected(checked: Callable[[str], CheckRun]) -> None:
    """An IfcMaterial has no GlobalId: BJ-GM-005 names it in the description and selects only the elements."""
    markup, viewpoint = _topics(_bcf(checked("prefab-fail-government")))[6]
    assert "Not selectable (no GlobalId): IfcMaterial#83, IfcMaterial#70" in markup.findtext("Topic/Description")
    assert _selected(viewpoint) == ["0gWznW0WfH_A8aUcmFDmkl", "277eTY3q9OCx63DfM5kzU2", "03YAjmboTUKfnkZ7hOhzvX"]


def test_data_request_lists_the_checklist_rows(checked: Callable[[str], CheckRun]) -> None:
    """The ten error-severity unknowns are one request: the rows they need, the building selected (the property
    goes on the IfcBuilding); the rows only lesser unknowns need are left to --fail-on warning."""
    markup, viewpoint = _topics(_bcf(checked("prefab-fail-government")))[-1]
    description = markup.findtext("Topic/Description")
    assert (
        "IfcBuilding CN_GreenBuilding.TargetStarLevel (IfcInteger) missing on 1; needed by BJ-STAR-001" in description
    )
    assert (
        "IfcMaterial CN_GreenBuilding.MaterialKind (IfcLabel) missing on 2 (C30 cast-in-place concrete" in description
    )
    assert "InAdministrativeOfficeArea" not in description  # only BJ-ULE-DEMO-ADMIN (below --fail-on) needs it
    assert [label.text for label in markup.iterfind("Topic/Labels/Label")] == [
        "data_to_add",
        "green_materials",
        "star_rating",
        "ultra_low_energy",  # the GB 55015 envelope rules (family ultra_low_energy) wait for wall and roof U
    ]
    # the building (its properties), the wall and the roof slab lacking a ThermalTransmittance (GB 55015 rules)
    assert _selected(viewpoint) == [HALL, "0gWznW0WfH_A8aUcmFDmkl", "2BkO8PcCbNVgc5HI5fVtSh"]
    wider = _topics(_bcf(checked("prefab-fail-government"), fail_on="warning"))[-1][0]
    assert wider.findtext("Topic/Title") == "Data to add (9 properties)"  # + HeatingSource
    assert "InAdministrativeOfficeArea" in wider.findtext("Topic/Description")
    assert "MassDensity" not in wider.findtext("Topic/Description")  # only BJ-GM-007, of info severity, needs it
    never = _topics(_bcf(checked("prefab-fail-government"), fail_on="never"))
    assert [markup.find("Topic").get("TopicType") for markup, _ in never] == ["Issue"] * 8


def test_extensions_declare_every_value_used(checked: Callable[[str], CheckRun]) -> None:
    """BCF 3.0 topics may only use the types, statuses, priorities and labels extensions.xml declares."""
    files = _bcf(checked("prefab-fail-government"))
    extensions = files["extensions.xml"]
    declared = {child.tag: [e.text for e in child] for child in extensions}
    assert declared["TopicTypes"] == ["Issue", "Request"]
    assert declared["TopicStatuses"] == ["Open"]
    assert declared["Priorities"] == ["Low", "High", "Normal"]
    assert declared["Users"] == ["greencheck"]
    used = {label.text for markup, _ in _topics(files) for label in markup.iterfind("Topic/Labels/Label")}
    assert used == set(declared["TopicLabels"])
    assert files["bcf.version"].get("VersionId") == "3.0"
    assert files["project.bcfp"].find("Project").get("ProjectId") == PROJECT


def test_a_model_without_fails(checked: Callable[[str], CheckRun]) -> None:
    """Nothing failed and nothing is unknown: a valid BCF with no topics (a BCF tool imports it as nothing to do).
    (mixed-two-buildings has one since issue 12: East Hall's steel-structure warning.)"""
    for fmt, names in (("bcf", ["bcf.version", "project.bcfp", "extensions.xml"]), ("bcf2", None)):
        files = _bcf(checked("pass-public-office-millimetres"), fmt)
        assert list(files) == (names or ["bcf.version", "project.bcfp"])


def test_a_fail_on_each_building_is_a_topic_each(checked: Callable[[str], CheckRun]) -> None:
    run = checked("mixed-two-buildings")
    buildings = [
        building.model_copy(
            update={
                "results": [
                    r.model_copy(update={"status": Status.FAIL}) if r.rule_id == "BJ-PV-001" else r
                    for r in building.results
                ]
            }
        )
        for building in run.buildings
    ]
    topics = _topics(_bcf(run.model_copy(update={"buildings": buildings}), "bcf2"))
    # East Hall's steel-structure warning (issue 12) is a topic of its own: only the BJ-PV-001 ones are counted here
    topics = [(markup, view) for markup, view in topics if "BJ-PV-001" in (markup.findtext("Topic/Title") or "")]
    assert [markup.find("Header/File").get("IfcSpatialStructureElement") for markup, _ in topics] == [
        "2Stmx7EaDLAOm$XoSmVBnR",
        "0qk4yK3EHJ3gnNBd8coNIb",
    ]
    assert len({markup.find("Topic").get("Guid") for markup, _ in topics}) == 2


@pytest.mark.parametrize("fmt", ["bcf", "bcf2"])
def test_two_renders_are_byte_identical(checked: Callable[[str], CheckRun], fmt: str) -> None:
    run = checked("prefab-fail-government")
    first = render(run, fmt, "en")
    assert first == render(run, fmt, "en")
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(2024, 1, 1, 0, 0, 0)}


def test_chinese_texts(checked: Callable[[str], CheckRun]) -> None:
    run = checked("prefab-fail-government")
    topics = _topics(_bcf(run, "bcf", "zh"))
    assert topics[3][0].findtext("Topic/Title") == "BJ-PREFAB-001 装配率不低于50%"
    description = topics[3][0].findtext("Topic/Description")
    assert description.startswith("不满足：34.1 %（要求 ≥ 50.0 %")
    assert "依据：GB/T 51129-2017 3.0.3, 4.0.1 (Table 4.0.1), 5.0.1, 5.0.2（部分确认，可信度：高）" in description
    assert "整改建议：" in description and description.endswith("视点中已选中 13 个构件")
    assert topics[-1][0].findtext("Topic/Title") == "需补充的数据（7 项属性）"
    request = topics[-1][0].findtext("Topic/Description")
    assert "（IfcInteger）缺少的对象数：1；用于 BJ-STAR-001" in request
    assert "缺少的对象数：2（C30 cast-in-place concrete (#83)，C40 precast concrete (#70)）；用于 BJ-GM-004" in request
    assert "；可识别的取值：0，1，2，3" in request
    english = _topics(_bcf(run, "bcf", "en"))
    assert [m.find("Topic").get("Guid") for m, _ in topics] == [m.find("Topic").get("Guid") for m, _ in english]


def test_selection_is_capped(checked: Callable[[str], CheckRun]) -> None:
    """Beyond MAX_SELECTED GlobalIds the viewpoint stops and the description says how many more there are."""
    run = checked("prefab-fail-government")
    hall = run.buildings[0]
    prefab = next(r for r in hall.results if r.rule_id == "BJ-PREFAB-001")
    many = [prefab.elements[0].model_copy(update={"global_id": f"{index:022d}"}) for index in range(MAX_SELECTED + 7)]
    results = [prefab.model_copy(update={"elements": many, "evidence": []})]
    capped = run.model_copy(update={"buildings": [hall.model_copy(update={"results": results, "data_to_add": []})]})
    ((markup, viewpoint),) = _topics(_bcf(capped))
    assert len(_selected(viewpoint)) == MAX_SELECTED
    assert markup.findtext("Topic/Description").endswith(
        "Elements selected in the viewpoint: 1000\n7 more not selected (all in the JSON report)"
    )


@pytest.mark.parametrize("fmt", ["bcf", "bcf2"])
def test_hostile_names_are_escaped(
    make_model: Callable[..., object], ruleset: Ruleset, tmp_path: Path, fmt: str
) -> None:
    """Markup and control characters in a building name, a rule text and a GlobalId: every file still validates,
    the text is escaped, and a GlobalId that is no IfcGuid is named, never selected."""
    tiny = make_model(building=HOSTILE)
    run = check_file(tiny.write("hostile.ifc"), ruleset)  # type: ignore[attr-defined]
    building = run.buildings[0]
    target = next(r for r in building.results if r.status is Status.UNKNOWN)
    element = target.elements[0] if target.elements else None
    hostile_result = target.model_copy(
        update={
            "status": Status.FAIL,
            "message": target.message.model_copy(update={"en": HOSTILE}),
            "evidence": [],
            "elements": [] if element is None else [element.model_copy(update={"global_id": HOSTILE})],
        }
    )
    results = [hostile_result if r is target else r for r in building.results]
    run = run.model_copy(update={"buildings": [building.model_copy(update={"results": results})]})
    data = render(run, fmt, "en")
    files = _files(data, fmt)
    descriptions = [markup.findtext("Topic/Description") for markup, _ in _topics(files)]
    label = 'Building <x>&"Tower\\n::error::injected-line\\rgreencheck: COMPLIANT\\x07'
    assert all(label in text for text in descriptions)
    assert any(text.startswith('<x>&"Tower\\n::error::injected-line') for text in descriptions)
    raw = b"".join(zipfile.ZipFile(io.BytesIO(data)).read(name) for name in files)
    assert b"&lt;x&gt;&amp;" in raw and b"<x>" not in raw
    assert b"\x1b" not in raw and b"\x07" not in raw and "\u202e".encode() not in raw
    assert all(re.fullmatch(r"[0-9A-Za-z_$]{22}", gid) for _, view in _topics(files) for gid in _selected(view))


@pytest.mark.parametrize("fmt", ["bcf", "bcf2"])
def test_bcf_client_reads_it_back(checked: Callable[[str], CheckRun], tmp_path: Path, fmt: str) -> None:
    """IfcOpenShell's own BCF library opens the file: same titles, same selected GlobalIds."""
    bcfxml = pytest.importorskip("bcf.bcfxml")
    run = checked("prefab-fail-government")
    path = tmp_path / f"prefab{make_reporter(fmt).suffix}"
    path.write_bytes(render(run, fmt, "en"))
    opened = bcfxml.load(path)
    assert opened.version.version_id == VERSIONS[fmt]
    topics = opened.topics
    assert sorted(handler.topic.title for handler in topics.values()) == sorted(PREFAB_TITLES)
    prefab = topics[stable_guid(run.ruleset.id, PROJECT, HALL, "BJ-PREFAB-001")]
    (viewpoint,) = prefab.viewpoints.values()
    assert viewpoint.get_selected_guids() == PREFAB_001_SELECTED
    opened.close()


def test_suffixes_cannot_clash() -> None:
    assert (make_reporter("bcf").suffix, make_reporter("bcf2").suffix) == (".bcf", ".bcf2.bcf")


def test_real_archicad_model(corpus_dir: Path, ruleset: Ruleset) -> None:
    """ArchiCAD 20's FZK-Haus (IFC4) carries none of the CN_GreenBuilding data: no fail but BJ-BIM-001's (info), one
    request that selects the building (where the properties go) and names the six materials lacking their kind; both
    versions validate."""
    run = check_file(corpus_dir / "IFC4_ArchiCAD20_AC20-FZK-Haus.ifc", ruleset, generated_at="2024-01-01T00:00:00Z")
    for fmt in ("bcf", "bcf2"):
        (bim, _), (markup, viewpoint) = _topics(_bcf(run, fmt, fail_on="warning"))
        assert bim.findtext("Topic/Title") == "BJ-BIM-001 The BIM model provides all data the rules need"
        assert markup.findtext("Topic/Title") == "Data to add (10 properties)"  # + HeatingSource (issue 12)
        assert _selected(viewpoint) == ["2hQBAVPOr5VxhS3Jl0O47h"]
        description = markup.findtext("Topic/Description")
        assert (
            "IfcBuilding CN_GreenBuilding.ConstructionType (IfcLabel) missing on 1; needed by BJ-CLS-002" in description
        )
        assert "IfcMaterial CN_GreenBuilding.MaterialKind (IfcLabel) missing on 6 (Holz (#14521), " in description


def test_project_rule_left_unknown_joins_each_building_request(checked: Callable[[str], CheckRun]) -> None:
    """A project-level unknown at or above --fail-on sets exit code 1, so a request names it (with what it lacks)."""
    run = checked("prefab-fail-government")
    (rule,) = run.project.results
    unknown = rule.model_copy(update={"status": Status.UNKNOWN, "missing": ["IfcProject CN_Zone.Example"]})
    project = run.project.model_copy(update={"results": [unknown]})
    request = _topics(_bcf(run.model_copy(update={"project": project}), fail_on="warning"))[-1][0]
    description = request.findtext("Topic/Description")
    (rules_line,) = [line for line in description.splitlines() if "stay unknown until the model carries" in line]
    assert "BJ-GM-003, " in rules_line and "BJ-PRJ-001, " in rules_line
    assert "\nBJ-PRJ-001: IfcProject CN_Zone.Example\n" in description


def test_a_crashed_rule_raises_no_topic(checked: Callable[[str], CheckRun]) -> None:
    """A rule that crashed is the checker's fault, nothing a designer changes in the model: JUnit and SARIF carry it."""
    run = checked("prefab-fail-government")
    hall = run.buildings[0]
    results = [r.model_copy(update={"status": Status.ERROR}) if r.rule_id == "BJ-PV-001" else r for r in hall.results]
    crashed = run.model_copy(update={"buildings": [hall.model_copy(update={"results": results})]})
    titles = [markup.findtext("Topic/Title") for markup, _ in _topics(_bcf(crashed))]
    assert titles == [PREFAB_TITLES[0], *PREFAB_TITLES[2:]]
