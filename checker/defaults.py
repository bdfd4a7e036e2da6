"""Defaults the command line shows before it checks anything, kept free of imports.

`greencheck --help` and `rulesets list` must start fast (issue 13: ≤ 0.25 s), so the CLI reads its option defaults
and choices from here rather than from the modules that use them, which pull in ifcopenshell, pydantic and the
report templates. Those modules take the same names from here, so a default has one home.
"""

from __future__ import annotations

from pathlib import Path

LANGUAGES = ("en", "zh")
DEFAULT_RULESET = "beijing-subcenter-2024"
DEFAULT_MAX_MODEL_BYTES = 2 * 1024**3  # of the file, and of the model unpacked from an .ifczip
DEFAULT_MAX_MEMORY_GB = 8.0  # a 2-core / 24 GB machine: room for the parent, the OS and another job
DEFAULT_TIMEOUT_S = 600.0  # the biggest real export of the corpus (27 MB) takes 4 s; a hang is stopped in 10 min
FAIL_ON_CHOICES = ("error", "warning", "never")  # the keys of checker.rules.results.FAIL_ON_SEVERITIES
STDOUT = Path("-")  # --out -: the one report goes to standard output
