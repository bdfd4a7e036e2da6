"""The invariant tests' model builder and hypothesis strategies, loaded once under fixed module names.

Test modules are imported with --import-mode=importlib, so they cannot import a sibling by path; this conftest runs
first and puts `specs.py`, `builder.py` and `strategies.py` in sys.modules (in that order), so a test module writes
`import greencheck_invariants_strategies as S` (and `S.b` is the builder).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

for _name, _file in (
    ("greencheck_invariants_specs", "specs.py"),
    ("greencheck_invariants_builder", "builder.py"),
    ("greencheck_invariants_strategies", "strategies.py"),
):
    if _name not in sys.modules:
        _spec = importlib.util.spec_from_file_location(_name, Path(__file__).with_name(_file))
        assert _spec is not None and _spec.loader is not None
        sys.modules[_name] = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(sys.modules[_name])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where a test module writes its generated IFC files (one at a time, overwritten)."""
    return tmp_path_factory.mktemp("invariants")
