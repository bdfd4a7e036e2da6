"""One ElementRecord per envelope element: area, declared U or the thermal resistance of its material layers,
glazing SHGC, facade orientation, and how sure the model is that it is exterior (envelope_classes.py).

Surface resistances Rsi/Rse are ruleset parameters, so the metric turns layers into U, not this module. A declared U
outside the ruleset's plausible range (`[extraction.plausibility]`: exporters write 0 or 26.15 as placeholders, a
kW figure reads 0.0008) counts as missing, with a note saying what looks wrong.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import ifcopenshell
import ifcopenshell.util.element as ifc_element

from checker.model.envelope_classes import CANDIDATE, CLASSES, Member, classify
from checker.model.envelope_geo import true_north_deg, wall_orientations
from checker.model.facts import ElementRecord, Scalar
from checker.model.geometry import CurtainPlane, curtain_wall_planes
from checker.model.index import ModelIndex
from checker.model.plausibility import u_value_problem
from checker.model.scope import BuildingScope

U_PSETS = {
    "IfcCurtainWall": ("Pset_CurtainWallCommon",),
    "IfcWall": ("Pset_WallCommon",),
    "IfcRoof": ("Pset_RoofCommon",),
    "IfcSlab": ("Pset_SlabCommon", "Pset_RoofCommon"),
    "IfcWindow": ("Pset_WindowCommon",),
    "IfcDoor": ("Pset_DoorCommon",),
}
SIDE_QTOS = {"IfcWall": "Qto_WallBaseQuantities", "IfcCurtainWall": "Qto_CurtainWallQuantities"}
OPAQUE = ("walls", "roofs", "floors", "floors_unheated")
_CONDUCTIVITY: WeakKeyDictionary[ModelIndex, dict[int, tuple[float | None, str]]] = WeakKeyDictionary()


def conductivities(index: ModelIndex) -> dict[int, tuple[float | None, str]]:
    """Material id -> (λ in W/(m·K), None if its unit is unresolved; source), read once per file."""
    cached = _CONDUCTIVITY.get(index)
    if cached is not None:
        return cached
    found: dict[int, tuple[float | None, str]] = {}
    model = index.file
    if model.schema == "IFC2X3":
        scale = index.units.for_measure("IfcThermalConductivityMeasure").factor
        for props in model.by_type("IfcThermalMaterialProperties"):
            if props.ThermalConductivity is not None and props.Material is not None:
                value = None if scale is None else float(props.ThermalConductivity) * scale
                found[props.Material.id()] = (value, "IfcThermalMaterialProperties.ThermalConductivity")
    else:
        for props in model.by_type("IfcMaterialProperties"):
            if props.Name != "Pset_MaterialThermal" or props.Material is None:
                continue
            for prop in props.Properties or ():
                if prop.Name == "ThermalConductivity" and prop.is_a("IfcPropertySingleValue") and prop.NominalValue:
                    factor = index.units.for_measure(prop.NominalValue.is_a(), prop.Unit).factor
                    value = None if factor is None else float(prop.NominalValue.wrappedValue) * factor
                    found[props.Material.id()] = (value, "Pset_MaterialThermal.ThermalConductivity")
    _CONDUCTIVITY[index] = found
    return found


def _u_psets(element: ifcopenshell.entity_instance) -> tuple[str, ...]:
    return next((p for cls, p in U_PSETS.items() if element.is_a(cls)), ())


def declared_u(
    scope: BuildingScope, element: ifcopenshell.entity_instance, parent: ifcopenshell.entity_instance | None = None
) -> tuple[float | None, str, str | None]:
    """(U in SI, source, note). An implausible value or an unresolved unit gives (None, source, why)."""
    for holder in (element, parent) if parent is not None else (element,):
        value = scope.index.value(holder, _u_psets(holder), "ThermalTransmittance")
        if value is None or isinstance(value.raw, bool) or not isinstance(value.raw, (int, float)):
            continue
        if value.si is None:
            return (
                None,
                value.source,
                f"{value.source} = {value.raw:g} but its unit cannot be resolved ({value.unit_note})",
            )
        problem = u_value_problem(value.si, scope.config.plausibility)
        if problem is not None:
            return None, value.source, f"{value.source} = {problem}: ignored"
        source = (
            value.source
            + (" (from type)" if value.from_type else "")
            + ("" if holder is element else " (from the IfcRoof)")
        )
        return value.si, source, value.unit_note
    return None, "missing", None


def layer_resistance(scope: BuildingScope, element: ifcopenshell.entity_instance) -> tuple[float | None, str | None]:
    """(Σ d/λ in m²·K/W, why not) from the element's material layer set."""
    try:
        material = ifc_element.get_material(element, should_skip_usage=True)
    except (AttributeError, RuntimeError, TypeError):
        material = None
    if material is None or not material.is_a("IfcMaterialLayerSet"):
        return None, "no material layer set"
    scale = scope.index.units.for_type("LENGTHUNIT").factor
    if scale is None:
        return None, "layer thickness: the file declares no length unit"
    conductivity = conductivities(scope.index)
    total, lacking = 0.0, []
    for layer in material.MaterialLayers or ():
        mat = layer.Material
        found = conductivity.get(mat.id()) if mat is not None else None
        if found is None or found[0] is None or found[0] <= 0 or not layer.LayerThickness:
            lacking.append(scope.name(mat) or "unnamed layer")
            continue
        total += float(layer.LayerThickness) * scale / found[0]
    if lacking:
        return None, f"no usable Pset_MaterialThermal.ThermalConductivity for layer(s) {', '.join(lacking)}"
    return (total, None) if material.MaterialLayers else (None, "empty layer set")


def _side_qto(element: ifcopenshell.entity_instance) -> tuple[str, str]:
    """The element's side-area quantity set, and IFC2X3's plain 'BaseQuantities'."""
    name = next((q for cls, q in SIDE_QTOS.items() if element.is_a(cls)), "Qto_WallBaseQuantities")
    return name, "BaseQuantities"


def _area(
    scope: BuildingScope, element: ifcopenshell.entity_instance, measured: dict[int, float]
) -> tuple[float | None, str]:
    """Area from quantity sets, else OverallWidth x OverallHeight, else the measure computed from geometry."""
    if element.is_a("IfcWall") or element.is_a("IfcCurtainWall"):
        candidates = [(_side_qto(element), "NetSideArea"), (_side_qto(element), "GrossSideArea")]
    elif element.is_a("IfcWindow") or element.is_a("IfcDoor"):
        candidates = [((f"Qto_{element.is_a()[3:]}BaseQuantities", "BaseQuantities"), "Area")]
    elif element.is_a("IfcRoof"):
        candidates = [(("Qto_RoofBaseQuantities", "BaseQuantities"), p) for p in ("NetArea", "GrossArea")]
    else:
        candidates = [(("Qto_SlabBaseQuantities", "BaseQuantities"), p) for p in ("NetArea", "GrossArea")]
    for psets, prop in candidates:
        value = scope.index.value(element, psets, prop)
        if value is not None and value.si is not None:
            return value.si, value.source
    width, height = getattr(element, "OverallWidth", None), getattr(element, "OverallHeight", None)
    scale = scope.index.units.for_type("LENGTHUNIT").factor
    if width and height and scale is not None:
        return float(width) * float(height) * scale * scale, "OverallWidth x OverallHeight"
    if element.id() in measured:
        return measured[element.id()], f"computed from geometry ({_measure_kind(element)})"
    return None, "missing"


def _measure_kind(element: ifcopenshell.entity_instance) -> str:
    if element.is_a("IfcCurtainWall"):
        return "elevation of the curtain wall and its parts"
    return "side area" if element.is_a("IfcWall") else "footprint"


def _curtain_planes(scope: BuildingScope, curtain_walls: list[ifcopenshell.entity_instance]) -> dict[int, CurtainPlane]:
    """Plane and area of each curtain wall from its geometry, within the per-building geometry limit (the curtain
    wall and each of its parts with a body count as one element)."""
    members = {
        cw.id(): [e for e in (cw, *scope.index.children(cw)) if getattr(e, "Representation", None) is not None]
        for cw in curtain_walls
    }
    shaped = [cw for cw in curtain_walls if members[cw.id()]]
    allowed = {e.id() for e in scope.geometry_budget("curtain_plane", [e for cw in shaped for e in members[cw.id()]])}
    ready = [cw for cw in shaped if all(e.id() in allowed for e in members[cw.id()])]
    return curtain_wall_planes(scope.shapes, ready) if ready else {}


def _measures(
    scope: BuildingScope, groups: dict[str, list[Member]]
) -> tuple[dict[int, float], dict[int, CurtainPlane]]:
    """Geometry only where quantity sets lack it: wall side areas, slab footprints, curtain-wall planes."""
    no_qto = [m.element for m in groups["walls"] + groups["windows"] if _area(scope, m.element, {})[0] is None]
    walls = [e for e in no_qto if e.is_a("IfcWall")]
    measured = scope.measure("side_area", walls) if walls else {}
    slabs = [m.element for cls in ("roofs", "floors", "floors_unheated") for m in groups[cls]]
    measured.update(scope.footprints([s for s in slabs if _area(scope, s, {})[0] is None]))
    # every curtain wall, quantities or not: its placement may not say which way it faces
    curtain = [m.element for m in groups["walls"] + groups["windows"] if m.element.is_a("IfcCurtainWall")]
    planes = _curtain_planes(scope, curtain)
    measured.update({cw: plane.area_m2 for cw, plane in planes.items()})
    return measured, planes


def _orientations(
    scope: BuildingScope, groups: dict[str, list[Member]], planes: dict[int, CurtainPlane]
) -> dict[int, tuple[str, float]]:
    """Facing of walls and curtain walls: curtain walls by their geometry's plane where it was measured (exports
    place some at the origin without rotation), everything else by its placement."""
    facades = [
        m.element
        for m in groups["walls"] + groups["windows"]
        if m.element.is_a("IfcWall") or m.element.is_a("IfcCurtainWall")
    ]
    scale = scope.index.units.for_type("LENGTHUNIT").factor or 1.0
    axes = {cw: ((p.centre_xy[0] / scale, p.centre_xy[1] / scale), p.normal_xy) for cw, p in planes.items()}
    sure = {m.element.id() for m in groups["walls"] + groups["windows"] if m.exterior != CANDIDATE}
    return wall_orientations(
        facades, scope.index.per_file("true_north", lambda: true_north_deg(scope.index.file)), axes, sure
    )


def airtightness(scope: BuildingScope, element: ifcopenshell.entity_instance) -> tuple[int | None, str]:
    """CN_GreenBuilding.AirtightnessClass (GB/T 7106 class 1..8, curtain walls GB/T 15227) on element or type."""
    found = scope.custom(element, "AirtightnessClass")
    if found is None:
        return None, "missing"
    raw = found.raw
    if isinstance(raw, str) and raw.strip().removesuffix("级").strip().isdigit():  # an IfcLabel '6' or '6级'
        raw = int(raw.strip().removesuffix("级"))
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != int(raw) or not 1 <= raw <= 8:
        return None, f"missing: {raw!r} is no airtightness class 1..8 ({found.source})"
    return int(raw), found.source


def envelope_records(scope: BuildingScope) -> dict[str, list[ElementRecord]]:
    """`envelope_<class>` -> one record per element of the class."""
    groups = classify(scope)
    measured, planes = _measures(scope, groups)
    facing = _orientations(scope, groups, planes)
    return {f"envelope_{cls}": [_record(scope, cls, m, measured, facing) for m in groups[cls]] for cls in CLASSES}


def _record(
    scope: BuildingScope, cls: str, member: Member, measured: dict[int, float], facing: dict[int, tuple[str, float]]
) -> ElementRecord:
    element = member.element
    area, area_src = _area(scope, element, measured)
    parent = scope.index.parent(element) if cls == "roofs" and element.is_a("IfcSlab") else None
    u, u_src, note = declared_u(scope, element, parent if parent is not None and parent.is_a("IfcRoof") else None)
    values: dict[str, Scalar] = {
        "area_m2": None if area is None else round(area, 6),
        "u_declared": u,
        "exterior": member.exterior,
    }
    sources = {"area_m2": area_src, "u_declared": u_src, "exterior": member.why}
    if u is None and cls in OPAQUE:
        r_layers, why = layer_resistance(scope, element)
        values["r_layers"] = None if r_layers is None else round(r_layers, 6)
        sources["r_layers"] = (
            "computed from material layers (Σ thickness / Pset_MaterialThermal.ThermalConductivity)"
            if r_layers is not None
            else (why or "missing")
        )
    if cls == "windows":
        shgc = scope.index.value(element, "Pset_DoorWindowGlazingType", "SolarHeatGainTransmittance")
        values["shgc_glazing"] = shgc.si if shgc is not None else None
        sources["shgc_glazing"] = f"{shgc.source} (glazing's value, not the whole window)" if shgc else "missing"
        values["airtightness_class"], sources["airtightness_class"] = airtightness(scope, element)
    facade = element if element.id() in facing else member.host
    if facade is not None and facade.id() in facing:
        values["orientation"], values["bearing_deg"] = facing[facade.id()]
        how = "plane of its geometry" if facade.id() in measured and facade.is_a("IfcCurtainWall") else "placement"
        sources["orientation"] = f"outward normal of the {how}" + (
            "" if facade is element else f" of host {facade.is_a()} {facade.GlobalId}"
        )
    if member.host is not None:
        values["host"] = member.host.GlobalId
        values["host_class"] = member.host.is_a()
    if element.is_a("IfcWall") or element.is_a("IfcCurtainWall"):
        gross = scope.index.value(element, _side_qto(element), "GrossSideArea")
        values["gross_area_m2"] = gross.si if gross is not None else None
    if u is None and note is None and values.get("r_layers") is None:
        note = f"no {' / '.join(_u_psets(element))}.ThermalTransmittance on the element or its type"
    if note:
        values["note"] = note
    return scope.record(element, values, sources)
