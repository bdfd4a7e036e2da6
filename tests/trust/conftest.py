"""Shared model builders of the issue-8 trust tests, loaded once under a fixed module name.

Test modules are imported with --import-mode=importlib, so they cannot import a sibling by path; this conftest runs
first and puts `envelope_models.py` in sys.modules, so a test module writes `import greencheck_trust_envelope_models`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ENVELOPE_MODELS = "greencheck_trust_envelope_models"

if ENVELOPE_MODELS not in sys.modules:
    _spec = importlib.util.spec_from_file_location(ENVELOPE_MODELS, Path(__file__).with_name("envelope_models.py"))
    assert _spec is not None and _spec.loader is not None
    sys.modules[ENVELOPE_MODELS] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[ENVELOPE_MODELS])
