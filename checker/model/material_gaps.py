"""Construction elements that carry no material: unknown-material quantity for the green-material shares.

A roof slab exported without IfcRelAssociatesMaterial would otherwise drop out of every share and let it pass.
Which classes count as construction is ruleset data (`[extraction.materials]`, checker.model.config.MaterialCoverage);
exempt classes (proxies by default) are only warned about. An element is covered by its own or its type's material,
by an enclosing assembly's, or, for an assembly, by its parts (which are then judged themselves).
"""

from __future__ import annotations

import ifcopenshell

from checker.model.config import MaterialCoverage
from checker.model.facts import ElementRecord, Evidence, Fact
from checker.model.material_props import MaterialIndex
from checker.model.scope import GID_CAP, BuildingScope


def is_construction(element: ifcopenshell.entity_instance, coverage: MaterialCoverage) -> bool:
    """A physical construction element per the ruleset (required class, not exempt)."""
    return any(element.is_a(c) for c in coverage.required_classes) and not any(
        element.is_a(c) for c in coverage.exempt_classes
    )


def _assembly_material(scope: BuildingScope, mats: MaterialIndex, element: ifcopenshell.entity_instance) -> bool:
    """Whether an enclosing assembly (IfcRelAggregates / IfcRelNests parent) declares the material of its parts."""
    parent = scope.index.parent(element)
    for _ in range(64):
        if parent is None or not parent.is_a("IfcElement"):
            return False
        if mats.selection(parent)[0] is not None:
            return True
        parent = scope.index.parent(parent)
    return False


def without_material(
    scope: BuildingScope, mats: MaterialIndex, coverage: MaterialCoverage
) -> tuple[list[ifcopenshell.entity_instance], list[ifcopenshell.entity_instance]]:
    """(construction elements with no material anywhere, exempt elements with none). An assembly whose parts are
    construction elements is left to its parts; one whose parts carry materials is covered by them."""
    bare: list[ifcopenshell.entity_instance] = []
    exempt: list[ifcopenshell.entity_instance] = []
    for element in scope.of_class(*coverage.required_classes):
        if mats.selection(element)[0] is not None or _assembly_material(scope, mats, element):
            continue
        children = scope.index.children(element)
        if any(mats.selection(c)[0] is not None or is_construction(c, coverage) for c in children):
            continue
        (bare if is_construction(element, coverage) else exempt).append(element)
    return bare, exempt


def bare_record(
    scope: BuildingScope, element: ifcopenshell.entity_instance, volume: float | None, source: str, geometry: bool
) -> ElementRecord:
    """A construction element without material: its class, name and volume (or why the volume is unknown)."""
    if volume is not None:
        where = "computed from geometry" if source == "geometry" else source
    elif not geometry:
        where = (
            "unknown: the element has no NetVolume / GrossVolume quantity "
            "(and no material declares CN_GreenBuilding: geometry skipped)"
        )
    else:
        where = "unknown: the element has no NetVolume / GrossVolume quantity and no measurable geometry"
    return scope.record(element, {"volume_m3": None if volume is None else round(volume, 6)}, {"volume_m3": where})


def gap_facts(bare: list[ElementRecord], exempt: list[ifcopenshell.entity_instance]) -> dict[str, Fact]:
    """Count and volume of the construction elements without material; exempt classes only warned about."""
    ids = [r.global_id for r in bare]
    note = "no IfcRelAssociatesMaterial on the element, its type or its assembly"
    warnings = []
    if exempt:
        classes = ", ".join(sorted({e.is_a() for e in exempt}))
        shown = ", ".join(e.GlobalId for e in exempt[:10])
        warnings.append(
            f"{len(exempt)} elements without material not counted ({classes}: not known to be construction): {shown}"
        )
    evidence = [Evidence(method="attribute", source=note, global_ids=ids[:GID_CAP], count=len(ids))]
    volumes = [(r.global_id, r.values.get("volume_m3")) for r in bare]
    known = [float(v) for _, v in volumes if isinstance(v, (int, float))]
    unknown = [gid for gid, v in volumes if not isinstance(v, (int, float))]
    missing = (
        f"volume (NetVolume / GrossVolume or geometry) of {len(unknown)} elements without material: "
        + ", ".join(unknown[:10])
        if unknown
        else None
    )
    return {
        "elements_without_material": Fact(value=len(bare), evidence=evidence, warnings=warnings),
        "volume_without_material": Fact(
            value=round(float(sum(known)), 6) if known or not unknown else None,
            unit="m3",
            evidence=evidence if known else [],
            missing=missing,
            bound="lower" if known and unknown else "exact",
        ),
    }
