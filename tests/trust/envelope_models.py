"""Envelope test models built the way authoring tools export them, on top of conftest.TinyModel (SI arguments).

A one-storey box LX x LY x H at the origin: walls drawn counter-clockwise with local X along the wall (so they face
along local ±Y), windows filling openings, curtain walls either as an ArchiCAD-like IFC4 element with a body and
Qto_CurtainWallQuantities, or as a Revit-like IFC2X3 aggregate of IfcPlate / IfcMember parts placed at the origin
with no rotation and no quantities. Loaded by path from the test modules (tests/ is no package).
"""

from __future__ import annotations

from typing import Any

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.feature
import ifcopenshell.api.geometry
import ifcopenshell.api.root
import ifcopenshell.api.type

LX, LY, H, T = 20.0, 10.0, 4.0, 0.3  # m
SIDES = {  # side -> (wall origin, local X direction, length)
    "S": ((0.0, 0.0), (1.0, 0.0), LX),
    "E": ((LX, 0.0), (0.0, 1.0), LY),
    "N": ((LX, LY), (-1.0, 0.0), LX),
    "W": ((0.0, LY), (0.0, -1.0), LY),
}
ULE_PUBLIC = {  # CN_GreenBuilding of an ultra-low-energy public office meeting every non-envelope figure
    "ConstructionType": "New",
    "GovernmentInvested": True,
    "TargetStarLevel": 3,
    "EnergyTarget": "超低能耗",
    "AirtightnessN50": 0.6,
    "EnergySavingRate": 0.55,
    "RenewableEnergyUtilisation": 0.05,
    "HeatRecoverySensibleEfficiency": 0.8,
}


def office(make_model: Any, schema: str = "IFC4", green: dict[str, Any] | None = None) -> Any:
    """An office building in ULE scope (EnergyTarget 超低能耗) with one storey at 0 m."""
    model = make_model(schema=schema, length_unit="MILLIMETRE" if schema == "IFC4" else "METRE")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    model.pset(model.building, "CN_GreenBuilding", dict(ULE_PUBLIC if green is None else green))
    return model


def _body(model: Any, product: ifcopenshell.entity_instance, dx: float, dy: float, dz: float) -> None:
    """Rectangle dx x dy extruded dz in the product's own coordinates (the api takes SI and writes file units)."""
    outline = [(0.0, 0.0), (dx, 0.0), (dx, dy), (0.0, dy), (0.0, 0.0)]
    rep = ifcopenshell.api.geometry.add_slab_representation(model.file, model.m.body, depth=dz, polyline=outline)
    ifcopenshell.api.geometry.assign_representation(model.file, product=product, representation=rep)


def _common(
    model: Any, product: ifcopenshell.entity_instance, pset: str, external: bool | None, u: float | None
) -> None:
    values: dict[str, Any] = {}
    if external is not None:
        values["IsExternal"] = external
    if u is not None:
        values["ThermalTransmittance"] = model.file.create_entity("IfcThermalTransmittanceMeasure", u)
    if values:
        model.pset(product, pset, values)


def wall(
    model: Any,
    side: str,
    u: float | None,
    external: bool | None = True,
    qto: bool = True,
    name: str | None = None,
    offset: float = 0.0,
    length: float | None = None,
) -> ifcopenshell.entity_instance:
    """A wall on one side of the box (offset inwards, e.g. an interior wall parallel to it), with its body."""
    (ox, oy), (dx, dy), full = SIDES[side]
    length = full if length is None else length
    element = model.element(
        "IfcWallStandardCase" if model.file.schema == "IFC2X3" else "IfcWall", name or f"Wall {side}"
    )
    _body(model, element, length, T, H)
    nx, ny = -dy, dx  # local +Y points inwards for a counter-clockwise wall
    model.ib.place(model.m, element, ox + nx * offset, oy + ny * offset, 0.0, (dx, dy))
    _common(model, element, "Pset_WallCommon", external, u)
    if qto:
        model.qto(element, "Qto_WallBaseQuantities", {"GrossSideArea": length * H, "NetSideArea": length * H})
    return element


def window(
    model: Any,
    host: ifcopenshell.entity_instance,
    u: float | None,
    external: bool | None = True,
    shgc: float | None = 0.5,
    size: tuple[float, float] = (1.5, 1.5),
) -> ifcopenshell.entity_instance:
    """A window filling an opening of `host`, with Qto_WindowBaseQuantities.Area and its glazing SHGC."""
    element = model.element("IfcWindow", f"Window in {host.Name}")
    opening = model.element("IfcOpeningElement", f"Opening for {element.Name}")
    ifcopenshell.api.feature.add_feature(model.file, feature=opening, element=host)
    ifcopenshell.api.feature.add_filling(model.file, opening=opening, element=element)
    element.OverallWidth, element.OverallHeight = size[0] / model.m.scale, size[1] / model.m.scale
    model.qto(element, "Qto_WindowBaseQuantities", {"Area": size[0] * size[1]})
    _common(model, element, "Pset_WindowCommon", external, u)
    if shgc is not None:
        ratio = model.file.create_entity("IfcNormalisedRatioMeasure", shgc)
        model.pset(element, "Pset_DoorWindowGlazingType", {"SolarHeatGainTransmittance": ratio})
    return element


def curtain_wall_ifc4(
    model: Any,
    side: str,
    u: float | None,
    external: bool | None = True,
    shgc_on_type: float | None = None,
    transparent: bool | None = None,
    length: float = 10.0,
) -> ifcopenshell.entity_instance:
    """ArchiCAD-like: an IfcCurtainWall with a body on the facade line and Qto_CurtainWallQuantities."""
    (ox, oy), (dx, dy), _ = SIDES[side]
    element = model.element("IfcCurtainWall", f"Curtain wall {side}")
    _body(model, element, length, 0.2, H)
    model.ib.place(model.m, element, ox, oy, 0.0, (dx, dy))
    _common(model, element, "Pset_CurtainWallCommon", external, u)
    model.qto(element, "Qto_CurtainWallQuantities", {"GrossSideArea": length * H, "NetSideArea": length * H})
    if transparent is not None:
        model.pset(element, "CN_GreenBuilding", {"IsTransparent": transparent})
    if shgc_on_type is not None:
        cw_type = ifcopenshell.api.root.create_entity(model.file, ifc_class="IfcCurtainWallType", name="Glazed CW")
        ratio = model.file.create_entity("IfcNormalisedRatioMeasure", shgc_on_type)
        model.pset(cw_type, "Pset_DoorWindowGlazingType", {"SolarHeatGainTransmittance": ratio})
        ifcopenshell.api.type.assign_type(model.file, related_objects=[element], relating_type=cw_type)
    return element


def curtain_wall_revit(
    model: Any, start: tuple[float, float], end: tuple[float, float], external: bool | None = True
) -> ifcopenshell.entity_instance:
    """Revit-like IFC2X3 storefront: an IfcCurtainWall at the origin with no rotation, no body and no quantities,
    aggregating 1 m glass IfcPlate panels and IfcMember mullions placed in world coordinates along start -> end.
    Revit writes Pset_PlateCommon.ThermalTransmittance 6.7069 on each panel, never a U on the curtain wall."""
    element = model.element("IfcCurtainWall", "幕墙:店面:341756")
    model.ib.place(model.m, element, 0.0, 0.0, 0.0)
    if external is not None:
        model.pset(element, "Pset_CurtainWallCommon", {"IsExternal": external, "Reference": "店面"})
    (x0, y0), (x1, y1) = start, end
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    parts = []
    for n in range(int(round(length))):
        plate = ifcopenshell.api.root.create_entity(model.file, ifc_class="IfcPlate", name=f"系统嵌板:玻璃:{n}")
        _body(model, plate, 1.0, 0.02, H)
        model.ib.place(model.m, plate, x0 + ux * n, y0 + uy * n, 0.0, (ux, uy))
        model.pset(plate, "Pset_PlateCommon", {"IsExternal": False, "ThermalTransmittance": 6.7069})
        parts.append(plate)
    for n in range(int(round(length)) + 1):
        mullion = ifcopenshell.api.root.create_entity(model.file, ifc_class="IfcMember", name=f"矩形竖梃:{n}")
        _body(model, mullion, 0.05, 0.1, H)
        model.ib.place(model.m, mullion, x0 + ux * n - ux * 0.025, y0 + uy * n - uy * 0.025, 0.0, (ux, uy))
        parts.append(mullion)
    ifcopenshell.api.aggregate.assign_object(model.file, products=parts, relating_object=element)
    return element


def roof(model: Any, u: float | None) -> ifcopenshell.entity_instance:
    """A ROOF slab over the box, with Qto_SlabBaseQuantities and Pset_SlabCommon.ThermalTransmittance."""
    slab = model.element("IfcSlab", "Roof slab", predefined_type="ROOF")
    model.qto(slab, "Qto_SlabBaseQuantities", {"GrossArea": LX * LY})
    _common(model, slab, "Pset_SlabCommon", True, u)
    return slab


def base_slab(model: Any, u: float | None) -> ifcopenshell.entity_instance:
    """A BASESLAB (ground floor) under the box."""
    slab = model.element("IfcSlab", "Ground slab", predefined_type="BASESLAB")
    model.qto(slab, "Qto_SlabBaseQuantities", {"GrossArea": LX * LY})
    _common(model, slab, "Pset_SlabCommon", None, u)
    return slab


def results(run: Any) -> dict[str, Any]:
    """rule id -> RuleResult of the only building."""
    (building,) = run.buildings
    return {r.rule_id: r for r in building.results}
