"""Invariant 4 (issue 8): metre and millimetre versions of the same model give the same status for every rule and
the same values (within a relative 1e-6).

The builder writes every coordinate, length, area and volume in the file's own unit, so the two files differ only by
their IfcUnitAssignment and the numbers scaled to it; U-values, powers and ratios are SI in both.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import greencheck_invariants_strategies as S
from hypothesis import given

B = S.b


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    return bool(a == b)


@S.fast(40)
@given(project=S.projects())
def test_metre_and_millimetre_files_agree(project: Any, folder: Path) -> None:
    metres = B.results_by_key(B.check(dataclasses.replace(project, millimetres=False), folder))
    millimetres = B.results_by_key(B.check(dataclasses.replace(project, millimetres=True), folder))
    differ = [
        f"{where} {rule}: {m.status.value} {m.value!r} in metres, {mm.status.value} {mm.value!r} in millimetres "
        f"({m.message.en} | {mm.message.en})"
        for (where, rule), m in metres.items()
        if m.status is not (mm := millimetres[(where, rule)]).status or not same(m.value, mm.value)
    ]
    assert differ == []
