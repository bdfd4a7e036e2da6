"""Window-to-wall ratio per facade (N/E/S/W), honest about walls the model does not flag as exterior.

WWR of a side = Σ window area / Σ facade area of the exterior walls and curtain walls facing it; a transparent
curtain wall counts as window area and as facade area, an opaque one as facade area only. Roof lights are left out.

Walls and curtain walls whose exteriority is only a candidate (IsExternal missing), and those with no orientation,
may or may not belong to a facade: with them the ratio is a weighted mean (mediant) of the sure facade's ratio and
each uncertain wall's own ratio (its windows over its area), so it lies between the smallest and the largest of
those ratios. Exterior windows that fill no wall (so face no known side) can only raise a side's ratio. The fact is
exact when nothing is uncertain, else a bound on the side of the sure figure, else unknown naming the walls.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from checker.model.envelope_classes import CANDIDATE
from checker.model.envelope_geo import ORIENTATIONS
from checker.model.facts import ElementRecord, Evidence, Fact
from checker.model.scope import GID_CAP

FACADE_CLASSES = ("IfcWall", "IfcCurtainWall")  # with their subtypes (IfcWallStandardCase, ...)


def is_facade_class(ifc_class: object) -> bool:
    return isinstance(ifc_class, str) and ifc_class.startswith(FACADE_CLASSES)


@dataclass
class FacadePart:
    """A wall or curtain wall with the windows it hosts: window area over facade area."""

    record: ElementRecord
    window_area: float = 0.0
    facade_area: float | None = None
    lacking: list[str] = field(default_factory=list)  # GlobalIds whose area is missing
    problem: str | None = None  # why the areas cannot both be right (windows larger than the wall's gross area)

    @property
    def sure(self) -> bool:
        return self.record.values.get("exterior") != CANDIDATE and self.side is not None

    @property
    def side(self) -> str | None:
        side = self.record.values.get("orientation")
        return str(side) if side in ORIENTATIONS else None


def _area(record: ElementRecord, key: str = "area_m2") -> float | None:
    """A positive area, else None (missing, or a wall with no side area)."""
    value = record.values.get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None


def _window_area(record: ElementRecord) -> float | None:
    """A window's area; a quantity of 0 (seen in real exports) adds nothing rather than making the ratio unknown."""
    value = record.values.get("area_m2")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None


def facade_parts(
    walls: list[ElementRecord], windows: list[ElementRecord]
) -> tuple[list[FacadePart], list[ElementRecord]]:
    """The facade parts (walls, curtain walls) with their hosted windows, and the windows hosted by none."""
    parts = {r.global_id: FacadePart(r) for r in walls + windows if is_facade_class(r.ifc_class)}
    transparent = {r.global_id for r in windows if is_facade_class(r.ifc_class)}
    loose: list[ElementRecord] = []
    for win in windows:
        if is_facade_class(win.ifc_class):
            continue
        host = parts.get(str(win.values.get("host")))
        if host is None:
            if win.values.get("host") is None or is_facade_class(win.values.get("host_class")):
                loose.append(win)  # a roof light (host is a roof) is no facade window
            continue
        area = _window_area(win)
        if area is None:
            host.lacking.append(win.global_id)
        else:
            host.window_area += area
    for part in parts.values():
        own = _area(part.record)
        gross = _area(part.record, "gross_area_m2")
        if own is None and gross is None:
            part.lacking.append(part.record.global_id)
            continue
        part.facade_area = gross if gross is not None else float(own or 0.0) + part.window_area
        if part.window_area > part.facade_area * (1 + 1e-6) + 1e-9:
            part.problem = (
                f"the windows of {part.record.global_id} ({part.window_area:,.2f} m²) exceed its gross side area "
                f"({part.facade_area:,.2f} m²): GrossSideArea without the openings, or window areas wrong?"
            )
        if part.record.global_id in transparent:
            part.window_area += own if own is not None else float(gross or 0.0)
    return list(parts.values()), loose


def wwr_facts(walls: list[ElementRecord], windows: list[ElementRecord]) -> dict[str, Fact]:
    """wwr_N / wwr_E / wwr_S / wwr_W."""
    parts, loose = facade_parts(walls, windows)
    loose_area = sum(a for w in loose if (a := _window_area(w)) is not None)
    loose_lacking = [w.global_id for w in loose if _window_area(w) is None]
    by_side: dict[str, list[FacadePart]] = defaultdict(list)
    for part in parts:
        by_side[part.side or "?"].append(part)
    unoriented = by_side.get("?", [])
    return {
        f"wwr_{side}": _side_fact(side, by_side.get(side, []), unoriented, loose, loose_area, loose_lacking)
        for side in ORIENTATIONS
    }


def _side_fact(
    side: str,
    facing: list[FacadePart],
    unoriented: list[FacadePart],
    loose: list[ElementRecord],
    loose_area: float,
    loose_lacking: list[str],
) -> Fact:
    sure = [p for p in facing if p.sure]
    maybe = [p for p in facing if not p.sure] + unoriented
    lacking = [gid for p in sure + maybe for gid in p.lacking] + (loose_lacking if sure or maybe else [])
    if not sure and not maybe:
        return Fact(value=None, unit="1", missing=f"an exterior wall facing {side} (there is none)")
    if lacking:
        return Fact(value=None, unit="1", missing=f"area of walls/windows facing {side} ({', '.join(lacking[:10])})")
    problems = [p.problem for p in sure + maybe if p.problem]
    if problems:  # a window-to-wall ratio above 1 is no ratio: the areas are wrong
        return Fact(value=None, unit="1", missing="; ".join(problems), warnings=problems)
    doubt = _doubt(side, maybe, loose)
    ratios = [p.window_area / p.facade_area for p in maybe if p.facade_area]
    window, facade = sum(p.window_area for p in sure), sum(float(p.facade_area or 0.0) for p in sure)
    if facade <= 0:
        low, high = min(ratios), max(ratios)
        return Fact(
            value=None,
            unit="1",
            missing=f"a wall or curtain wall known to be exterior facing {side}: {'; '.join(doubt)} "
            f"(if they are exterior, the ratio lies between {low:.3f} and {high:.3f})",
        )
    ratio = window / facade
    # windows in no wall sit in some facade, so they cannot lift a ratio above 1
    with_loose = max(ratio, min(1.0, (window + loose_area) / facade))
    low, high = min([ratio, *ratios]), max([with_loose, *ratios])
    gids = [p.record.global_id for p in sure]
    evidence = Evidence(
        method="derived",
        source=f"Σ window area / Σ facade area facing {side} (windows and transparent curtain walls over walls and "
        "curtain walls; orientation from placement or curtain-wall geometry)",
        global_ids=gids[:GID_CAP],
        count=len(gids),
        note=f"{window:.3f} m² / {facade:.3f} m²"
        + (f"; between {low:.3f} and {high:.3f} with {doubt[0]}" if doubt else ""),
    )
    if high - low <= 1e-12:
        return Fact(value=round(ratio, 6), unit="1", evidence=[evidence])
    warning = (
        f"WWR {side}: {ratio:.3f} over the walls known to face it, between {low:.3f} and {high:.3f} "
        f"depending on {'; '.join(doubt)}"
    )
    if low >= ratio - 1e-12:
        return Fact(value=round(ratio, 6), unit="1", evidence=[evidence], bound="lower", warnings=[warning])
    if high <= ratio + 1e-12:
        return Fact(value=round(ratio, 6), unit="1", evidence=[evidence], bound="upper", warnings=[warning])
    return Fact(value=round(high, 6), unit="1", evidence=[evidence], bound="upper", warnings=[warning])


def _doubt(side: str, maybe: list[FacadePart], loose: list[ElementRecord]) -> list[str]:
    """What makes a side's ratio uncertain, naming the elements."""
    out = []
    candidates = [p.record for p in maybe if p.record.values.get("exterior") == CANDIDATE and p.side == side]
    unoriented = [p.record for p in maybe if p.side is None]
    if candidates:
        out.append(f"{_counted(candidates, 'wall')} without IsExternal facing {side} ({_ids(candidates)})")
    if unoriented:
        out.append(
            f"{_counted(unoriented, 'wall or curtain wall', 'walls or curtain walls')} with no orientation "
            f"({_ids(unoriented)})"
        )
    if loose:
        out.append(f"{_counted(loose, 'window')} filling no wall, so facing no known side ({_ids(loose)})")
    return out


def _counted(records: list[ElementRecord], singular: str, plural: str | None = None) -> str:
    return f"{len(records)} {singular if len(records) == 1 else plural or singular + 's'}"


def _ids(records: list[ElementRecord]) -> str:
    shown = ", ".join(r.global_id for r in records[:5])
    return shown + (f" and {len(records) - 5} more" if len(records) > 5 else "")
