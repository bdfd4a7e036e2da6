"""BCF (BIM Collaboration Format) 3.0 and 2.1 for designers: each failing rule a topic whose viewpoint selects the
failing elements, so BIMcollab, Solibri, Revit's BCF Manager or Bonsai open the issue on the elements to change.

Which topics a check raises is decided in bcf_topics.py; this module writes them as the two versions' XML and zips
them. The XML is written with lxml rather than with IfcOpenShell's bcf-client (PyPI `bcf-client` 0.9.0), which can
write both versions but not as this reporter must: its `save` only writes to a file name (a reporter returns bytes
and never opens files), stamps each zip entry with the current time and gives the project a uuid4, so two renders of
one check differ. bcf-client stays a test dependency: the tests read the reports back with it.

The files follow the official buildingSMART XSDs (tests/schemas/bcf-2.1, bcf-3.0; every file is validated there):
- bcf.version; project.bcfp; (3.0) extensions.xml declaring every topic type, status, priority, label and user used.
- <topic GUID>/markup.bcf: the topic, and a header naming the IFC file with its project and building GlobalIds.
- <topic GUID>/viewpoint.bcfv: the elements selected, visibility default true, no snapshot (there is no renderer).
  BCF 3.0 requires a camera; a fixed isometric orthogonal one (looking at the origin from south-west, above) is
  given in both versions, since the tools zoom to the selection anyway and some 2.1 readers expect a camera too.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from lxml import etree

from checker.console import printable
from checker.report.base import ReportOptions, check_language, without_gc_pauses
from checker.report.bcf_topics import AUTHOR, STATUS_OPEN, Topic, plan_topics
from checker.report.junit import junit_timestamp, xml_text
from checker.rules.results import CheckRun

# (element, x, y, z): from (100, -100, 100) m towards the origin, up vector square to it, 100 m visible height.
CAMERA = (
    ("CameraViewPoint", "100.0", "-100.0", "100.0"),
    ("CameraDirection", "-0.5773502692", "0.5773502692", "-0.5773502692"),
    ("CameraUpVector", "-0.4082482905", "0.4082482905", "0.8164965809"),
)
VIEW_TO_WORLD_SCALE = "100.0"
ASPECT_RATIO = "1.5"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def _add(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    child = etree.SubElement(parent, tag, {key: xml_text(value) for key, value in attributes.items()})
    if text is not None:
        child.text = xml_text(text)
    return child


def _bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _header(markup: etree._Element, run: CheckRun, topic: Topic, v3: bool) -> None:
    """The IFC file the topic is about, with its project and building GlobalIds (when they are valid IfcGuids)."""
    header = _add(markup, "Header")
    files = _add(header, "Files") if v3 else header
    attributes = {"IfcProject": topic.project_id, "IfcSpatialStructureElement": topic.building_id}
    file = _add(files, "File", **{key: value for key, value in attributes.items() if value})
    file.set("IsExternal" if v3 else "isExternal", "true")
    _add(file, "Filename", printable(run.model.file))


def _topic_body(element: etree._Element, topic: Topic, created: str, v3: bool) -> None:
    """Title to description, the order both versions' Topic sequences share."""
    _add(element, "Title", topic.title)
    _add(element, "Priority", topic.priority)
    labels = _add(element, "Labels") if v3 else None
    for label in topic.labels:
        if labels is not None:
            _add(labels, "Label", label)
        else:
            _add(element, "Labels", label)
    _add(element, "CreationDate", created)
    _add(element, "CreationAuthor", AUTHOR)
    _add(element, "Description", topic.description)


def markup_xml(run: CheckRun, topic: Topic, v3: bool) -> bytes:
    markup = etree.Element("Markup")
    _header(markup, run, topic, v3)
    element = _add(markup, "Topic", Guid=topic.guid, TopicType=topic.topic_type, TopicStatus=STATUS_OPEN)
    _topic_body(element, topic, junit_timestamp(run.generated_at) + "Z", v3)
    if v3:
        if topic.documents:
            references = _add(element, "DocumentReferences")
            for document in topic.documents:
                _add(_add(references, "DocumentReference", Guid=document.guid), "Description", document.description)
        viewpoints = _add(element, "Viewpoints")
        _add(_add(viewpoints, "ViewPoint", Guid=topic.viewpoint_guid), "Viewpoint", "viewpoint.bcfv")
    else:
        for document in topic.documents:
            _add(_add(element, "DocumentReference", Guid=document.guid), "Description", document.description)
        _add(_add(markup, "Viewpoints", Guid=topic.viewpoint_guid), "Viewpoint", "viewpoint.bcfv")
    return _bytes(markup)


def _components(parent: etree._Element, tag: str, global_ids: Iterable[str]) -> None:
    container = _add(parent, tag)
    for global_id in global_ids:
        _add(container, "Component", IfcGuid=global_id)


def viewpoint_xml(topic: Topic, v3: bool) -> bytes:
    """The selected elements, everything visible, and the fixed camera."""
    info = etree.Element("VisualizationInfo", Guid=topic.viewpoint_guid)
    components = _add(info, "Components")
    if topic.components:  # 2.1 requires at least one Component in a Selection
        _components(components, "Selection", topic.components)
    _add(components, "Visibility", DefaultVisibility="true")
    camera = _add(info, "OrthogonalCamera")
    for name, x, y, z in CAMERA:
        point = _add(camera, name)
        for axis, value in zip("XYZ", (x, y, z), strict=True):
            _add(point, axis, value)
    _add(camera, "ViewToWorldScale", VIEW_TO_WORLD_SCALE)
    if v3:
        _add(camera, "AspectRatio", ASPECT_RATIO)
    return _bytes(info)


def version_xml(v3: bool) -> bytes:
    if v3:
        return _bytes(etree.Element("Version", VersionId="3.0"))
    version = etree.Element("Version", VersionId="2.1")
    _add(version, "DetailedVersion", "2.1")
    return _bytes(version)


def project_xml(run: CheckRun, v3: bool) -> bytes:
    """The BCF project is the IFC project (its GlobalId, else the model file name, names it)."""
    root = etree.Element("ProjectInfo" if v3 else "ProjectExtension")
    project = _add(root, "Project", ProjectId=printable(run.project.global_id or run.model.file))
    _add(project, "Name", printable(run.project.name or run.model.file))
    if not v3:
        _add(root, "ExtensionSchema", "")
    return _bytes(root)


def extensions_xml(topics: list[Topic]) -> bytes:
    """BCF 3.0: the values a topic may use are the ones declared here, so every value used is declared."""
    root = etree.Element("Extensions")
    lists = (
        ("TopicTypes", "TopicType", [topic.topic_type for topic in topics]),
        ("TopicStatuses", "TopicStatus", [STATUS_OPEN]),
        ("Priorities", "Priority", [topic.priority for topic in topics]),
        ("TopicLabels", "TopicLabel", [label for topic in topics for label in topic.labels]),
        ("Users", "User", [AUTHOR]),
    )
    for plural, singular, values in lists:
        container = _add(root, plural)
        for value in dict.fromkeys(values):
            _add(container, singular, value)
    return _bytes(root)


def bcf_files(run: CheckRun, lang: str, fail_on: str, v3: bool) -> list[tuple[str, bytes]]:
    """The zip's entries, in the order they are written."""
    topics = plan_topics(run, lang, fail_on)
    files = [("bcf.version", version_xml(v3)), ("project.bcfp", project_xml(run, v3))]
    if v3:
        files.append(("extensions.xml", extensions_xml(topics)))
    for topic in topics:
        files.append((f"{topic.guid}/markup.bcf", markup_xml(run, topic, v3)))
        files.append((f"{topic.guid}/viewpoint.bcfv", viewpoint_xml(topic, v3)))
    return files


def zip_time(generated_at: str) -> tuple[int, int, int, int, int, int]:
    """The run's time as a zip entry's time: every render of one run gives the same bytes."""
    date, _, time = junit_timestamp(generated_at).partition("T")
    stamp = tuple(int(part) for part in [*date.split("-"), *time.split(":")])
    return max(ZIP_EPOCH, stamp)  # type: ignore[return-value]


def bcf_zip(files: list[tuple[str, bytes]], generated_at: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            entry = zipfile.ZipInfo(name, zip_time(generated_at))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # as written on Windows: readers give default permissions, never 0000
            archive.writestr(entry, data)
    return buffer.getvalue()


class BcfReporter:
    """`CheckRun` as a BCF 3.0 zip, texts in the report language."""

    format_id = "bcf"
    suffix = ".bcf"
    version_3 = True

    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def render(self, run: CheckRun, lang: str = "en") -> bytes:
        check_language(lang)
        with without_gc_pauses():
            return bcf_zip(bcf_files(run, lang, self.options.fail_on, self.version_3), run.generated_at)


class Bcf2Reporter(BcfReporter):
    """`CheckRun` as a BCF 2.1 zip, for tools that read no 3.0 (older Revit BCF Manager, Navisworks add-ins)."""

    format_id = "bcf2"
    suffix = ".bcf2.bcf"
    version_3 = False
