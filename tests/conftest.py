"""Shared fixtures for the end-to-end tests: the bundled ruleset, the samples and the corpus files (each checked
once per session), the real corpus (skipped cleanly when absent) and a factory for tiny hand-built IFC models.

Fixture names here must not clash with tests/report/conftest.py (`run`, `expect`).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import ifcopenshell
import pytest

from checker.api import check_file
from checker.errors import ModelLoadError
from checker.rules.loader import load_ruleset
from checker.rules.results import CheckRun
from checker.rules.schema import Ruleset

REPO = Path(__file__).resolve().parents[1]
SAMPLES_DIR = REPO / "sample_models"
GENERATED_AT = "2024-01-01T00:00:00Z"


def corpus_root() -> Path | None:
    """GREENCHECK_CORPUS, else ../shared/ifc-corpus beside the checkout (CI clones into another folder)."""
    env = os.environ.get("GREENCHECK_CORPUS")
    candidate = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "ifc-corpus"
    return candidate if candidate.is_dir() else None


def corpus_models() -> list[Path]:
    """The good corpus files (top level; malformed/ holds the broken ones)."""
    root = corpus_root()
    if root is None:
        return []
    return sorted(p for p in root.iterdir() if p.is_file() and p.suffix.lower() in (".ifc", ".ifczip"))


def check_or_refusal(path: Path, ruleset: Ruleset) -> CheckRun | ModelLoadError:
    """The run of a model at the tests' fixed clock, or the error refusing it (a corpus file without a building)."""
    try:
        return check_file(path, ruleset, generated_at=GENERATED_AT)
    except ModelLoadError as exc:
        return exc


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize `corpus_file` over the corpus at collection time; no corpus gives an empty (skipped) set."""
    if "corpus_file" in metafunc.fixturenames:
        files = corpus_models()
        metafunc.parametrize("corpus_file", files, ids=[p.name for p in files])


def load_module_by_path(name: str, path: Path) -> ModuleType:
    """Import a script by path; it must be in sys.modules before exec (dataclasses look it up)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def ruleset() -> Ruleset:
    return load_ruleset()


@pytest.fixture(scope="session")
def sample() -> Callable[[str], Path]:
    """sample('pass-public-office') -> the path of sample_models/pass-public-office.ifc."""

    def path(name: str) -> Path:
        found = SAMPLES_DIR / (name if name.endswith(".ifc") else f"{name}.ifc")
        assert found.is_file(), f"no sample {found}"
        return found

    return path


@pytest.fixture(scope="session")
def checked(ruleset: Ruleset, sample: Callable[[str], Path]) -> Callable[[str], CheckRun]:
    """checked('pass-public-office') -> its CheckRun; each sample is checked once per session."""
    cache: dict[str, CheckRun] = {}

    def get(name: str) -> CheckRun:
        if name not in cache:
            cache[name] = check_file(sample(name), ruleset, generated_at=GENERATED_AT)
        return cache[name]

    return get


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    root = corpus_root()
    if root is None:
        pytest.skip("real IFC corpus not found (set GREENCHECK_CORPUS or put shared/ifc-corpus beside the checkout)")
    return root


@pytest.fixture(scope="session")
def corpus_checked(ruleset: Ruleset) -> Callable[[Path], CheckRun | ModelLoadError]:
    """corpus_checked(path) -> its CheckRun, or the ModelLoadError refusing it; each file is checked once per session
    (tests/test_corpus.py and tests/golden share the check: the corpus is the slowest part of the suite)."""
    cache: dict[Path, CheckRun | ModelLoadError] = {}

    def get(path: Path) -> CheckRun | ModelLoadError:
        if path not in cache:
            cache[path] = check_or_refusal(path, ruleset)
        return cache[path]

    return get


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    """sample_models/generate.py imported by path (it must sit in sys.modules before exec)."""
    return sys.modules.get("greencheck_sample_generate") or load_module_by_path(
        "greencheck_sample_generate", SAMPLES_DIR / "generate.py"
    )


@pytest.fixture(scope="session")
def ifcbuild() -> ModuleType:
    """sample_models/_ifcbuild.py, the helpers the sample generator uses."""
    return sys.modules.get("_ifcbuild") or load_module_by_path("_ifcbuild", SAMPLES_DIR / "_ifcbuild.py")


@dataclass
class TinyModel:
    """A small model under construction: project > site > building > storeys, helpers in SI units."""

    ib: ModuleType
    m: Any  # _ifcbuild.Model
    site: ifcopenshell.entity_instance
    building: ifcopenshell.entity_instance
    storeys: list[ifcopenshell.entity_instance]
    out: Path
    written: list[Path] = field(default_factory=list)

    @property
    def file(self) -> ifcopenshell.file:
        return self.m.file

    def pset(self, product: ifcopenshell.entity_instance, name: str, values: dict[str, Any]) -> None:
        self.ib.add_pset(self.m, product, name, values)

    def qto(self, product: ifcopenshell.entity_instance, name: str, areas_m2: dict[str, float]) -> None:
        self.ib.add_area_qto(self.m, product, name, areas_m2)

    def element(
        self, ifc_class: str, name: str, storey: int = -1, predefined_type: str | None = None
    ) -> ifcopenshell.entity_instance:
        return self.ib.add_element(self.m, ifc_class, name, self.storeys[storey], predefined_type)

    def box(
        self,
        product: ifcopenshell.entity_instance,
        origin: tuple[float, float, float],
        size: tuple[float, float, float],
    ) -> None:
        self.ib.add_box(self.m, product, origin, size)

    def add_building(self, name: str) -> ifcopenshell.entity_instance:
        return self.ib.add_spatial(self.m, "IfcBuilding", name, self.site)

    def write(self, name: str = "tiny.ifc") -> Path:
        path = self.out / name
        self.m.file.write(str(path))
        self.written.append(path)
        return path


@pytest.fixture
def make_model(tmp_path: Path, ifcbuild: ModuleType) -> Callable[..., TinyModel]:
    """make_model(schema="IFC4", length_unit="MILLIMETRE" | "METRE" | None, storeys=[(name, elevation_m)],
    building=name).

    length_unit None writes no IfcUnitAssignment at all (an edge case real exporters produce).
    """

    def build(
        schema: str = "IFC4",
        length_unit: str | None = "MILLIMETRE",
        storeys: list[tuple[str, float]] | None = None,
        building: str | None = "Tiny building",
    ) -> TinyModel:
        if length_unit not in ("METRE", "MILLIMETRE", None):
            raise ValueError(f"length_unit {length_unit!r}: use METRE, MILLIMETRE or None")
        m = ifcbuild.new_model(schema, "tiny.ifc", "tiny project", millimetres=length_unit == "MILLIMETRE")
        if length_unit is None:
            for assignment in m.file.by_type("IfcUnitAssignment"):
                units = list(assignment.Units)
                m.project.UnitsInContext = None
                m.file.remove(assignment)
                for unit in units:
                    m.file.remove(unit)
        site = ifcbuild.add_spatial(m, "IfcSite", "Site", m.project)
        if building is None:
            return TinyModel(ifcbuild, m, site, site, [], tmp_path)
        bldg = ifcbuild.add_spatial(m, "IfcBuilding", building, site)
        levels = [("L1", 0.0)] if storeys is None else storeys
        made = [ifcbuild.add_spatial(m, "IfcBuildingStorey", name, bldg, z=z) for name, z in levels]
        return TinyModel(ifcbuild, m, site, bldg, made, tmp_path)

    return build
