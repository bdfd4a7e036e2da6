"""Loading untrusted files: every bad input is refused with one clear line (ModelLoadError), or opens.

Corpus files (../shared/ifc-corpus/malformed) are skipped cleanly when the corpus is absent; the made-up
inputs are written into tmp_path.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.api import check_file
from checker.errors import ModelLoadError
from checker.model.ifczip import MAX_ZIP_RATIO
from checker.model.loader import load_model
from checker.rules.results import CheckRun, Status
from checker.rules.schema import Ruleset

# file -> the reason text the loader must give (None: ifcopenshell opens it, so it is checked like any file).
MALFORMED: dict[str, str | None] = {
    "BadSchemaQuote_gherkin_fail-als004.ifc": "header FILE_SCHEMA is malformed: FILE_SCHEMA((''IFC4X3'_ADD2'))",
    "ExtraHeaderEntity_validate_fail_invalid_header_entity.ifc": None,
    "GitLFS_pointer_Duplex_A_20110907.ifc": "is a Git LFS pointer, not the IFC content (fetch it with 'git lfs pull')",
    "HTML_page_saved_as_rac_advanced_sample_project.ifc": "is an HTML page saved with an .ifc name, not an IFC file",
    "HeaderSyntaxError_validate_pdf_example.ifc": None,
    "SchemaIFC2X2_FINAL_Duplex_TestFile.ifc": (
        "unsupported schema 'IFC2X2_FINAL' (supported: IFC2X3, IFC4, IFC4X3_ADD2)"
    ),
    "SchemaIFC4X3_RC2_KIT-Simple-Road.ifc": "unsupported schema 'IFC4X3_RC2' (supported: IFC2X3, IFC4, IFC4X3_ADD2)",
    "SchemaIFC4X3_RC4_OpenRoads_test2.ifc": "unsupported schema 'IFC4X3_RC4' (supported: IFC2X3, IFC4, IFC4X3_ADD2)",
    "SikongSphere_mangled_escapes_basic.ifc": None,
    "TrailingSignature_validate_fail_truncated_signature.ifc": None,
    "webifc_unterminated-string.ifc": "not an IFC-SPF file (does not start with ISO-10303-21;)",
    "xbim_InvalidMultiByte.ifc": None,  # its doubled backslashes before \X2\ are repaired (tests/hostile)
}


def refusal(path: Path) -> str:
    """The one-line reason load_model gives for `path` (fails the test if it opens)."""
    with pytest.raises(ModelLoadError) as info:
        load_model(path)
    message = str(info.value)
    assert "\n" not in message
    assert message == f"{path}: {info.value.reason}"
    assert info.value.path == str(path)
    return info.value.reason


def test_malformed_list_is_complete(corpus_dir: Path) -> None:
    assert sorted(p.name for p in (corpus_dir / "malformed").iterdir()) == sorted(MALFORMED)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_corpus_file(corpus_dir: Path, ruleset: Ruleset, name: str) -> None:
    path = corpus_dir / "malformed" / name
    expected = MALFORMED[name]
    if expected is not None:
        assert refusal(path) == expected
        with pytest.raises(ModelLoadError):
            check_file(path, ruleset)
        return
    loaded = load_model(path)
    assert loaded.schema in ("IFC2X3", "IFC4", "IFC4X3_ADD2")
    try:
        run = check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z")
    except ModelLoadError as exc:
        assert exc.reason == "contains no IfcBuilding: nothing to check"
    else:
        assert isinstance(run, CheckRun)
        assert all(r.status is not Status.ERROR for b in run.buildings for r in b.results)


def test_ifc4x3_alias_opens_with_a_warning(corpus_dir: Path, ruleset: Ruleset) -> None:
    path = corpus_dir / "IFC4X3_IfcLCA_4x3.ifc"
    loaded = load_model(path)
    assert loaded.schema == "IFC4X3_ADD2"
    assert loaded.warnings == ["schema 'IFC4X3' read as IFC4X3_ADD2"]
    run = check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z")
    assert "schema 'IFC4X3' read as IFC4X3_ADD2" in run.model.warnings


# --- made-up bad inputs -------------------------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    assert refusal(tmp_path / "nope.ifc") == "file not found"


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.ifc"
    folder.mkdir()
    assert refusal(folder) == "is a directory, not an IFC file"


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "], ids=["empty", "whitespace"])
def test_empty_and_whitespace_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.ifc"
    path.write_bytes(content)
    assert refusal(path) == "file is empty"


def test_truncated_sample(tmp_path: Path, sample: Callable[[str], Path]) -> None:
    data = sample("pass-public-office").read_bytes()
    path = tmp_path / "half.ifc"
    path.write_bytes(data[: len(data) // 2])
    assert "truncated" in refusal(path)


@pytest.mark.parametrize(
    ("head", "reason"),
    [
        (b"<?xml version='1.0'?><ifcXML/>", "ifcXML / ifcJSON is not supported; export IFC-SPF (.ifc)"),
        (b'{"type": "IfcProject"}', "ifcXML / ifcJSON is not supported; export IFC-SPF (.ifc)"),
        (b"<!DOCTYPE html><html><body>404</body></html>", "is an HTML page saved with an .ifc name, not an IFC file"),
        (b"hello, not a model", "not an IFC-SPF file (does not start with ISO-10303-21;)"),
        (
            b"ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC5'));\nENDSEC;\nEND-ISO-10303-21;\n",
            "unsupported schema 'IFC5' (supported: IFC2X3, IFC4, IFC4X3_ADD2)",
        ),
        (b"ISO-10303-21;\nHEADER;\nENDSEC;\nEND-ISO-10303-21;\n", "header FILE_SCHEMA is malformed: missing"),
    ],
)
def test_not_ifc_text(tmp_path: Path, head: bytes, reason: str) -> None:
    path = tmp_path / "bad.ifc"
    path.write_bytes(head)
    assert refusal(path) == reason


def test_syntax_error_names_an_offset(tmp_path: Path, sample: Callable[[str], Path]) -> None:
    data = sample("pass-public-office").read_bytes().replace(b"DATA;\n", b"DATA;\n#9999=IFCWALL(3x);\n", 1)
    path = tmp_path / "syntax.ifc"
    path.write_bytes(data)
    reason = refusal(path)
    assert reason.startswith("cannot be parsed as IFC (")
    assert "3x" in reason and "at offset" in reason


def test_unterminated_entity_is_not_silently_accepted(tmp_path: Path, sample: Callable[[str], Path]) -> None:
    data = sample("pass-public-office").read_bytes().replace(b"DATA;\n", b"DATA;\n#9999=IFCWALL(,,;\n", 1)
    path = tmp_path / "swallowed.ifc"
    path.write_bytes(data)
    try:
        loaded = load_model(path)
    except ModelLoadError as exc:
        assert "parse" in exc.reason
    else:
        assert loaded.warnings, f"opened with {len(list(loaded.file))} instances and no warning"


def _zip(path: Path, members: dict[str, bytes], level: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_with_two_ifc_members(tmp_path: Path, sample: Callable[[str], Path]) -> None:
    data = sample("pass-public-office").read_bytes()
    path = _zip(tmp_path / "two.ifczip", {"a.ifc": data, "b.ifc": data})
    assert refusal(path) == "an .ifczip must hold exactly one .ifc file, found 2"


def test_zip_without_ifc_member(tmp_path: Path) -> None:
    path = _zip(tmp_path / "none.ifczip", {"readme.txt": b"hello"})
    assert refusal(path) == "an .ifczip must hold exactly one .ifc file, found 0"


def test_zip_bomb_ratio_is_refused(tmp_path: Path) -> None:
    body = b"ISO-10303-21;\n" + b" " * (8 * 1024 * 1024)
    path = _zip(tmp_path / "bomb.ifczip", {"bomb.ifc": body})
    info = zipfile.ZipFile(path).infolist()[0]
    assert info.file_size > MAX_ZIP_RATIO * info.compress_size  # the test input really is over the ratio
    assert refusal(path).startswith(f"the archive member unpacks more than {MAX_ZIP_RATIO}:1 (")


def test_not_a_zip_ifczip(tmp_path: Path) -> None:
    path = tmp_path / "fake.ifczip"
    path.write_bytes(b"this is not a zip archive at all")
    assert refusal(path).startswith("not a valid .ifczip archive (")


def test_ifczip_of_a_sample_gives_the_same_facts(
    tmp_path: Path, sample: Callable[[str], Path], ruleset: Ruleset, checked: Callable[[str], CheckRun]
) -> None:
    source = sample("pass-public-office")
    path = _zip(tmp_path / "office.ifczip", {"pass-public-office.ifc": source.read_bytes()})
    loaded = load_model(path)
    assert loaded.schema == "IFC4" and not loaded.warnings
    assert loaded.size_bytes == path.stat().st_size
    run = check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z")
    assert [b.facts for b in run.buildings] == [b.facts for b in checked("pass-public-office").buildings]
    assert run.summary == checked("pass-public-office").summary
    assert list(tmp_path.iterdir()) == [path]  # nothing unpacked beside it


def test_zip_renamed_to_ifc_is_read_as_archive(tmp_path: Path, sample: Callable[[str], Path]) -> None:
    path = _zip(tmp_path / "renamed.ifc", {"model.ifc": sample("pass-geometry-only-areas").read_bytes()})
    assert load_model(path).schema == "IFC4"


def test_sample_load_identifies_the_file(sample: Callable[[str], Path]) -> None:
    path = sample("pass-ifc2x3-pv-proxies")
    loaded = load_model(str(path))
    assert loaded.schema == "IFC2X3"
    assert loaded.application == "greencheck sample generator 1.0"
    assert loaded.size_bytes == path.stat().st_size
    assert len(loaded.sha256) == 64 and loaded.warnings == []


def test_names_with_stripped_x2_escapes_are_decoded_and_reported(corpus_dir: Path) -> None:
    """A real export lost the backslashes of \\X2\\6807\\X0\\ ('X268079AD8X0'):
    the report shows 标高 and says it repaired it."""
    from checker.api import facts_for_file
    from checker.rules.loader import load_ruleset

    facts = facts_for_file(corpus_dir / "malformed" / "SikongSphere_mangled_escapes_basic.ifc", load_ruleset())
    storeys = {e.storey for b in facts.buildings for records in b.elements.values() for e in records if e.storey}
    assert storeys and all("X2" not in s for s in storeys) and any("标高" in s for s in storeys)
    assert any("X2" in w and "decoded" in w for w in facts.model.warnings)
