"""Deterministic generator of the ultra_low_energy sample models (see README.md, rows "ule").

    .venv/bin/python sample_models/generate_ule.py [OUTPUT_DIR]

Each sample is one storey 10 m (x) x 8 m (y) x 3 m box: four exterior walls drawn counter-clockwise
(local X along the wall, so outward is local -Y), a ROOF slab, a BASESLAB, windows 1.5 m x 1.5 m filling
openings in the walls, one door in the north wall. Figures are SI here; _ifcbuild converts to file units.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ifcopenshell.api.feature
import ifcopenshell.api.geometry
import ifcopenshell.api.material
import ifcopenshell.api.pset
import numpy as np

try:
    from . import _ifcbuild as ib
except ImportError:  # run as a script, or loaded by path from a test
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _ifcbuild as ib

LX, LY, H, T = 10.0, 8.0, 3.0, 0.3  # m
WIN = 1.5  # m, square windows
DOOR = (1.0, 2.0)  # m
# name, origin, local X direction, length: counter-clockwise, so the outward side is local -Y.
WALLS = (
    ("S", (0.0, 0.0), (1.0, 0.0), LX),
    ("E", (LX, 0.0), (0.0, 1.0), LY),
    ("N", (LX, LY), (-1.0, 0.0), LX),
    ("W", (0.0, LY), (0.0, -1.0), LY),
)
Layers = tuple[tuple[str, float, float], ...]  # (material, thickness m, λ W/(m·K))
WALL_LAYERS: Layers = (("Concrete C30", 0.20, 1.74), ("EPS insulation", 0.20, 0.039))
ROOF_LAYERS: Layers = (("Concrete C30", 0.15, 1.74), ("XPS insulation", 0.25, 0.030))
FLOOR_LAYERS: Layers = (("Concrete C30", 0.20, 1.74), ("XPS insulation", 0.15, 0.030))


@dataclass(frozen=True)
class Spec:
    """One ULE sample: building data, U per class (None = not declared), layers, windows per wall."""

    sample: str
    name: str
    occupancy: str
    green: dict[str, Any]
    u: dict[str, float | None]  # walls, roof, floor, window, door
    window_u: tuple[float, ...] = ()  # per window in order, overrides u["window"]
    shgc: float | None = 0.5
    layers: dict[str, Layers] = field(default_factory=dict)  # walls / roof / floor
    windows: dict[str, int] = field(default_factory=lambda: {"S": 4, "E": 1, "N": 1, "W": 1})
    heat_recovery: dict[str, Any] | None = None  # {"type": "SENSIBLE", "SensibleEffectiveness": 0.8}
    millimetres: bool = False


def _place(
    m: ib.Model, product: ib.Entity, origin: tuple[float, float, float], x_dir: tuple[float, float] = (1.0, 0.0)
) -> None:
    matrix = np.eye(4)
    matrix[:3, 0] = (x_dir[0], x_dir[1], 0.0)
    matrix[:3, 1] = (-x_dir[1], x_dir[0], 0.0)
    matrix[:3, 3] = origin
    placement = ifcopenshell.api.geometry.edit_object_placement(m.file, product=product, matrix=matrix, is_si=True)
    rel = placement.RelativePlacement
    rel.Location.Coordinates = tuple(round(c, 6) + 0.0 for c in rel.Location.Coordinates)
    for attr in ("Axis", "RefDirection"):
        direction = getattr(rel, attr)
        if direction is not None:
            direction.DirectionRatios = tuple(round(c, 6) + 0.0 for c in direction.DirectionRatios)


def _body(m: ib.Model, product: ib.Entity, dx: float, dy: float, dz: float) -> None:
    """Rectangle dx x dy (SI) extruded dz, in the product's local coordinates. The api takes SI and writes file
    units (dividing by the scale here made the millimetre sample's bodies 1000 times too large)."""
    outline = [(0.0, 0.0), (dx, 0.0), (dx, dy), (0.0, dy), (0.0, 0.0)]
    rep = ifcopenshell.api.geometry.add_slab_representation(m.file, m.body, depth=dz, polyline=outline)
    ifcopenshell.api.geometry.assign_representation(m.file, product=product, representation=rep)


def _layers(m: ib.Model, product: ib.Entity, name: str, layers: Layers, materials: dict[str, ib.Entity]) -> None:
    layer_set = ifcopenshell.api.material.add_material_set(m.file, name=name, set_type="IfcMaterialLayerSet")
    for mat_name, thickness, conductivity in layers:
        if mat_name not in materials:
            material = ifcopenshell.api.material.add_material(m.file, name=mat_name)
            pset = ifcopenshell.api.pset.add_pset(m.file, product=material, name="Pset_MaterialThermal")
            ifcopenshell.api.pset.edit_pset(
                m.file,
                pset=pset,
                properties={"ThermalConductivity": m.file.createIfcThermalConductivityMeasure(conductivity)},
            )
            materials[mat_name] = material
        layer = ifcopenshell.api.material.add_layer(m.file, layer_set=layer_set, material=materials[mat_name])
        ifcopenshell.api.material.edit_layer(m.file, layer=layer, attributes={"LayerThickness": thickness / m.scale})
    ifcopenshell.api.material.assign_material(
        m.file, products=[product], type="IfcMaterialLayerSet", material=layer_set
    )


def _common(m: ib.Model, product: ib.Entity, pset: str, u: float | None, extra: dict[str, Any] | None = None) -> None:
    values: dict[str, Any] = {"IsExternal": True, **(extra or {})}
    if u is not None:
        values["ThermalTransmittance"] = m.file.createIfcThermalTransmittanceMeasure(u)
    ib.add_pset(m, product, pset, values)


def _opening(
    m: ib.Model, wall: ib.Entity, storey: ib.Entity, filler: ib.Entity, width: float, height: float, qto: str
) -> None:
    opening = ib.add_element(m, "IfcOpeningElement", f"Opening for {filler.Name}", storey)
    ifcopenshell.api.feature.add_feature(m.file, feature=opening, element=wall)
    ifcopenshell.api.feature.add_filling(m.file, opening=opening, element=filler)
    filler.OverallWidth, filler.OverallHeight = width / m.scale, height / m.scale
    ib.add_area_qto(m, filler, qto, {"Area": width * height})


def build(spec: Spec) -> ib.Model:
    m = ib.new_model("IFC4", f"{spec.sample}.ifc", f"greencheck sample: {spec.sample}", spec.millimetres)
    site = ib.add_spatial(m, "IfcSite", "Site", m.project)
    building = ib.add_spatial(m, "IfcBuilding", spec.name, site)
    ib.add_pset(m, building, "Pset_BuildingCommon", {"OccupancyType": spec.occupancy})
    ib.add_pset(m, building, "CN_GreenBuilding", spec.green)
    storey = ib.add_spatial(m, "IfcBuildingStorey", "L1", building)
    materials: dict[str, ib.Entity] = {}
    window_n = 0
    for side, (ox, oy), x_dir, length in WALLS:
        wall = ib.add_element(m, "IfcWall", f"Wall {side}", storey, predefined_type="STANDARD")
        _body(m, wall, length, T, H)
        _place(m, wall, (ox, oy, 0.0), x_dir)
        _common(m, wall, "Pset_WallCommon", spec.u.get("walls"))
        if "walls" in spec.layers:
            _layers(m, wall, "Exterior wall", spec.layers["walls"], materials)
        count = spec.windows.get(side, 0)
        openings = count * WIN * WIN + (DOOR[0] * DOOR[1] if side == "N" else 0.0)
        ib.add_area_qto(
            m, wall, "Qto_WallBaseQuantities", {"GrossSideArea": length * H, "NetSideArea": length * H - openings}
        )
        for _ in range(count):
            window_n += 1
            window = ib.add_element(m, "IfcWindow", f"Window {side}{window_n:02d}", storey, predefined_type="WINDOW")
            _place(m, window, (ox, oy, 0.9), x_dir)
            u = spec.window_u[window_n - 1] if spec.window_u else spec.u.get("window")
            _common(m, window, "Pset_WindowCommon", u)
            # passive-house windows: GB/T 7106 class 8 (GB/T 50378 Table 3.2.8 T6 asks the energy code's 6 / 7)
            m.late_psets.append((window, "CN_GreenBuilding", {"AirtightnessClass": 8}))
            if spec.shgc is not None:
                ib.add_pset(
                    m,
                    window,
                    "Pset_DoorWindowGlazingType",
                    {"SolarHeatGainTransmittance": m.file.createIfcNormalisedRatioMeasure(spec.shgc)},
                )
            _opening(m, wall, storey, window, WIN, WIN, "Qto_WindowBaseQuantities")
        if side == "N":
            door = ib.add_element(m, "IfcDoor", "Entrance door", storey, predefined_type="DOOR")
            _place(m, door, (ox, oy, 0.0), x_dir)
            _common(m, door, "Pset_DoorCommon", spec.u.get("door"))
            _opening(m, wall, storey, door, *DOOR, "Qto_DoorBaseQuantities")
    for kind, z, pset in (("ROOF", H, "roof"), ("BASESLAB", -0.35, "floor")):
        slab = ib.add_element(m, "IfcSlab", f"{kind.title()} slab", storey, predefined_type=kind)
        _body(m, slab, LX, LY, 0.35)
        _place(m, slab, (0.0, 0.0, z))
        _common(m, slab, "Pset_SlabCommon", spec.u.get(pset))
        if pset in spec.layers:
            _layers(m, slab, f"{pset} build-up", spec.layers[pset], materials)
        ib.add_area_qto(m, slab, "Qto_SlabBaseQuantities", {"GrossArea": LX * LY})
    if spec.heat_recovery is not None:
        unit = ib.add_element(
            m, "IfcAirToAirHeatRecovery", "MVHR unit", storey, predefined_type="FIXEDPLATECOUNTERFLOWEXCHANGER"
        )
        hr = dict(spec.heat_recovery)
        ib.add_pset(m, unit, "Pset_AirToAirHeatRecoveryTypeCommon", {"HeatTransferType": hr.pop("type")})
        ib.add_pset(
            m,
            unit,
            "Pset_AirToAirHeatRecoveryPHistory",
            {k: m.file.createIfcNormalisedRatioMeasure(v) for k, v in hr.items()},
        )
    ib.finalize(m, spec.sample)
    return m


RES_GREEN = {
    "ConstructionType": "New",
    "GovernmentInvested": False,
    "TargetStarLevel": 2,
    "AirtightnessN50": 0.5,
    "HeatingDemand": 18.0,
    "RenewableEnergyUtilisation": 0.05,
}
SPECS = (
    Spec(
        "pass-ule-residential-passive",
        "Passive House Tongzhou",
        "住宅",
        {**RES_GREEN, "EnergyTarget": "超低能耗"},
        {"walls": 0.15, "roof": 0.12, "floor": 0.25, "window": 0.9, "door": 1.0},
        heat_recovery={"type": "SENSIBLE", "SensibleEffectiveness": 0.80},
    ),
    Spec(
        "fail-ule-public-windows",
        "Admin Office Annex",
        "Office",
        {
            "ConstructionType": "New",
            "GovernmentInvested": True,
            "TargetStarLevel": 3,
            "EnergyTarget": "nearly-zero",
            "InAdministrativeOfficeArea": True,
            "AirtightnessN50": 0.8,
            "EnergySavingRate": 0.62,
            "RenewableEnergyUtilisation": 0.12,
        },
        {"walls": 0.25, "roof": 0.25, "floor": 0.35, "door": 1.5},
        window_u=(1.8, 1.8, 1.4, 1.8, 1.6, 1.4, 1.4),
        shgc=0.42,
        heat_recovery={"type": "LATENT", "TotalEffectiveness": 0.72},
    ),
    Spec(
        "pass-ule-material-layers",
        "Rural House Xiji",
        "农宅",
        # A rural house built to the ULE standard declares its target (BJ-ULE-RURAL); without it, GB/T 51350 rules
        # would not apply (issue 8, case 11) and this sample would no longer exercise U from material layers.
        {
            **RES_GREEN,
            "Rural": True,
            "EnergyTarget": "超低能耗",
            "HeatRecoverySensibleEfficiency": 0.78,
            "HeatingDemand": 19.0,
        },
        {"walls": None, "roof": None, "floor": None, "window": 1.0, "door": 1.2},
        layers={"walls": WALL_LAYERS, "roof": ROOF_LAYERS, "floor": FLOOR_LAYERS},
    ),
    Spec(
        "pass-ule-residential-millimetres",
        "Passive House Tongzhou (mm)",
        "住宅",
        {**RES_GREEN, "EnergyTarget": "ultra-low"},
        {"walls": None, "roof": 0.12, "floor": 0.25, "window": 0.9, "door": 1.0},
        layers={"walls": WALL_LAYERS},
        heat_recovery={"type": "SENSIBLE", "SensibleEffectiveness": 0.80},
        millimetres=True,
    ),
    Spec(
        "unknown-ule-missing-thermal",
        "Unlabelled Block",
        "住宅",
        {**RES_GREEN, "EnergyTarget": "ultra_low"},
        {"walls": None, "roof": 26.15, "floor": 0.0, "window": None, "door": None},
        shgc=None,
    ),
)


def main(out_dir: str | Path | None = None) -> list[Path]:
    """Write every ULE sample into out_dir (default: this folder) and return the paths written."""
    return ib.write_samples(
        {f"{spec.sample}.ifc": (lambda spec=spec: build(spec)) for spec in SPECS},
        out_dir,
        Path(__file__).resolve().parent,
    )


if __name__ == "__main__":
    ib.cli_main(main)
