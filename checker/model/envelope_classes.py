"""Which elements form a building's thermal envelope, per class, and how sure the model is about each one.

Exteriority of a wall, curtain wall, window or door:
- "declared": `Pset_*Common.IsExternal` = TRUE (occurrence or type);
- "inferred": the model shows it: a wall or curtain wall hosting a window or door declared exterior; a window or
  door in a wall that is exterior (declared or inferred);
- "candidate": IsExternal missing and nothing in the model tells. Rules give a verdict only when the candidates
  cannot change it (checker/rules/families/envelope_bounds.py); no default turns "cannot tell" into "interior".
IsExternal = FALSE excludes the element; so does a window or door in a wall declared interior.

Curtain walls belong to the transparent envelope (GB/T 51350 外窗（含透光幕墙）) unless CN_GreenBuilding.IsTransparent
= false declares them opaque, which puts them in the exterior-wall class (GB 55015 外墙（含非透光幕墙）).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import ifcopenshell

from checker.model.index import ModelIndex
from checker.model.scope import BuildingScope, as_bool

DECLARED, INFERRED, CANDIDATE = "declared", "inferred", "candidate"
CLASSES = ("walls", "roofs", "floors", "floors_unheated", "windows", "doors")
COMMON_PSETS = {
    "IfcCurtainWall": "Pset_CurtainWallCommon",
    "IfcWall": "Pset_WallCommon",
    "IfcWindow": "Pset_WindowCommon",
    "IfcDoor": "Pset_DoorCommon",
    "IfcSlab": "Pset_SlabCommon",
}


@dataclass(frozen=True)
class Member:
    """One envelope element, how sure the model is that it is exterior, and why."""

    element: ifcopenshell.entity_instance
    exterior: str
    why: str
    host: ifcopenshell.entity_instance | None = None  # the wall / curtain wall / slab a window or door sits in


@dataclass(frozen=True)
class Openings:
    """Once per file: window/door -> the element whose opening it fills, and the reverse."""

    host_of: dict[int, ifcopenshell.entity_instance]
    filled_by: dict[int, list[ifcopenshell.entity_instance]] = field(default_factory=dict)


_OPENINGS: WeakKeyDictionary[ModelIndex, Openings] = WeakKeyDictionary()


def openings(index: ModelIndex) -> Openings:
    """IfcRelVoidsElement + IfcRelFillsElement walked once per file."""
    cached = _OPENINGS.get(index)
    if cached is not None:
        return cached
    voided = {
        rel.RelatedOpeningElement.id(): rel.RelatingBuildingElement
        for rel in index.file.by_type("IfcRelVoidsElement")
        if rel.RelatingBuildingElement is not None and rel.RelatedOpeningElement is not None
    }
    host_of: dict[int, ifcopenshell.entity_instance] = {}
    filled_by: dict[int, list[ifcopenshell.entity_instance]] = defaultdict(list)
    for rel in index.file.by_type("IfcRelFillsElement"):
        opening = rel.RelatingOpeningElement
        host = voided.get(opening.id()) if opening is not None else None
        if host is not None and rel.RelatedBuildingElement is not None:
            host_of[rel.RelatedBuildingElement.id()] = host
            filled_by[host.id()].append(rel.RelatedBuildingElement)
    found = Openings(host_of, dict(filled_by))
    _OPENINGS[index] = found
    return found


def common_pset(element: ifcopenshell.entity_instance) -> str:
    return next((pset for cls, pset in COMMON_PSETS.items() if element.is_a(cls)), "Pset_WallCommon")


def is_external(scope: BuildingScope, element: ifcopenshell.entity_instance) -> tuple[bool | None, str]:
    """(IsExternal, how it reads): None when absent or not a yes/no value."""
    pset = common_pset(element)
    value = scope.index.value(element, pset, "IsExternal")
    if value is None:
        return None, f"{pset}.IsExternal missing"
    parsed = as_bool(value.raw)
    if parsed is None:
        return None, f"{pset}.IsExternal '{value.raw}' is not a yes/no value"
    return parsed, f"{pset}.IsExternal = {'TRUE' if parsed else 'FALSE'}" + (" (from type)" if value.from_type else "")


def _wall_like(
    scope: BuildingScope, element: ifcopenshell.entity_instance, fillers: list[ifcopenshell.entity_instance]
) -> Member | None:
    """A wall or curtain wall: declared, inferred from a filler (or curtain-wall part) declared exterior, else a
    candidate; None when declared interior."""
    flag, how = is_external(scope, element)
    if flag is True:
        return Member(element, DECLARED, how)
    if flag is False:
        return None
    for filler in fillers:
        if filler.is_a("IfcWindow") or filler.is_a("IfcDoor"):
            filler_flag, filler_how = is_external(scope, filler)
            if filler_flag is True:
                return Member(
                    element,
                    INFERRED,
                    f"{how}; inferred exterior: hosts {filler.is_a()} {filler.GlobalId} ({filler_how})",
                )
    return Member(element, CANDIDATE, f"{how}: cannot tell whether it is exterior")


def _opening_member(
    scope: BuildingScope,
    element: ifcopenshell.entity_instance,
    walls: dict[int, Member],
    roof_ids: set[int],
    hosts: Openings,
) -> Member | None:
    """A window or door: declared, inferred from its host wall, candidate, or None (interior / curtain-wall part)."""
    parent = scope.index.parent(element)
    if parent is not None and parent.is_a("IfcCurtainWall"):
        return None  # a panel of a curtain wall: measured with the curtain wall
    host = hosts.host_of.get(element.id())
    flag, how = is_external(scope, element)
    if flag is True:
        return Member(element, DECLARED, how, host)
    if flag is False:
        return None
    if host is None:
        return Member(element, CANDIDATE, f"{how} and it fills no wall opening: cannot tell whether it is exterior")
    hosting = walls.get(host.id())
    if hosting is not None and hosting.exterior != CANDIDATE:
        return Member(element, INFERRED, f"{how}; inferred exterior: in exterior {host.is_a()} {host.GlobalId}", host)
    if hosting is not None:
        return Member(element, CANDIDATE, f"{how}; its host {host.GlobalId} has no IsExternal either", host)
    if host.is_a("IfcWall") or host.is_a("IfcCurtainWall"):
        return None  # in a wall declared interior (or outside this building)
    if host.id() in roof_ids:
        return Member(element, INFERRED, f"{how}; inferred exterior: in roof {host.GlobalId} (roof light)", host)
    return Member(element, CANDIDATE, f"{how}; its host {host.is_a()} {host.GlobalId} is no envelope element", host)


def classify(scope: BuildingScope) -> dict[str, list[Member]]:
    """Envelope members per class (walls and windows include opaque / transparent curtain walls)."""
    hosts = openings(scope.index)
    walls: dict[int, Member] = {}
    transparent: list[Member] = []
    for element in scope.of_class("IfcWall", "IfcCurtainWall"):
        fillers = list(hosts.filled_by.get(element.id(), []))
        if element.is_a("IfcCurtainWall"):
            fillers += scope.index.children(element)
        member = _wall_like(scope, element, fillers)
        if member is None:
            continue
        walls[element.id()] = member
        if element.is_a("IfcCurtainWall") and _transparency(scope, element) is not False:
            transparent.append(member)
    see_through = {m.element.id() for m in transparent}
    roofs, floors, floors_unheated = _slabs(scope)
    roof_ids = {m.element.id() for m in roofs}
    windows = [m for e in scope.of_class("IfcWindow") if (m := _opening_member(scope, e, walls, roof_ids, hosts))]
    doors = [m for e in scope.of_class("IfcDoor") if (m := _opening_member(scope, e, walls, roof_ids, hosts))]
    return {
        "walls": [m for m in walls.values() if m.element.id() not in see_through],
        "roofs": roofs,
        "floors": floors,
        "floors_unheated": floors_unheated,
        "windows": windows + transparent,
        "doors": doors,
    }


def _transparency(scope: BuildingScope, element: ifcopenshell.entity_instance) -> bool | None:
    value = scope.custom(element, "IsTransparent")
    return None if value is None else as_bool(value.raw)


def _slabs(scope: BuildingScope) -> tuple[list[Member], list[Member], list[Member]]:
    """Roofs (IfcRoof parts, or the roof itself; ROOF slabs), floors (BASESLAB, FLOOR with IsExternal TRUE) and
    floors over unheated space (CN_GreenBuilding.AboveUnheatedSpace = true)."""
    roofs: list[Member] = []
    under_roof: set[int] = set()
    for roof in scope.of_class("IfcRoof"):
        parts = [p for p in scope.index.children(roof) if p.is_a("IfcSlab")]
        under_roof.update(p.id() for p in parts)
        roofs.extend(Member(p, DECLARED, f"part of IfcRoof {roof.GlobalId}") for p in parts)
        if not parts:
            roofs.append(Member(roof, DECLARED, "IfcRoof"))
    floors, unheated = [], []
    for slab in scope.of_class("IfcSlab"):
        kind = scope.index.predefined_type(slab)
        if kind == "ROOF" and slab.id() not in under_roof:
            roofs.append(Member(slab, DECLARED, "IfcSlab PredefinedType ROOF"))
        elif kind == "BASESLAB":
            floors.append(Member(slab, DECLARED, "IfcSlab PredefinedType BASESLAB"))
        elif kind == "FLOOR" and is_external(scope, slab)[0]:
            floors.append(Member(slab, DECLARED, "IfcSlab FLOOR with Pset_SlabCommon.IsExternal = TRUE"))
        elif kind == "FLOOR" and _above_unheated(scope, slab):
            unheated.append(Member(slab, DECLARED, "CN_GreenBuilding.AboveUnheatedSpace = true"))
    return roofs, floors, unheated


def _above_unheated(scope: BuildingScope, slab: ifcopenshell.entity_instance) -> bool:
    """CN_GreenBuilding.AboveUnheatedSpace on the slab (or its type); absent means an ordinary interior floor."""
    value = scope.custom(slab, "AboveUnheatedSpace")
    return value is not None and as_bool(value.raw) is True
