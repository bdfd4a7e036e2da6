"""generate_prefab.py reproduces the bundled prefab-*.ifc byte for byte."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[2] / "sample_models" / "generate_prefab.py"


def test_prefab_samples_regenerate_identically(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("generate_prefab_under_test", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_prefab_under_test"] = module
    spec.loader.exec_module(module)
    written = module.main(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in GENERATOR.parent.glob("prefab-*.ifc"))
    for path in written:
        assert path.read_bytes() == (GENERATOR.parent / path.name).read_bytes(), path.name
