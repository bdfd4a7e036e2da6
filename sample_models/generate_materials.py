"""Deterministic generator of the green_materials / star_rating samples (figures worked out in README.md).

    .venv/bin/python sample_models/generate_materials.py [OUTPUT_DIR]

gm-pass-three-star-public.ifc  a three-star public office whose materials and declared scores support it
gm-fail-three-star-claim.ifc   the same building claiming three-star with mostly uncertified materials
gm-layer-takeoff-mm.ifc        millimetre file: layer-set quantities by thickness x area and by thickness share
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ifcopenshell.api.material as api_material
import ifcopenshell.api.pset as api_pset

try:
    from . import _ifcbuild as ib
except ImportError:  # run as a script, or loaded by path from a test
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _ifcbuild as ib


@dataclass(frozen=True)
class Mat:
    """One IfcMaterial with its Pset_MaterialCommon.MassDensity (kg/m³) and CN_GreenBuilding flags."""

    name: str
    kind: str
    category: str
    density: float
    certified: bool
    recyclable: bool = False
    reusable: bool = False
    waste_based: bool = False
    low_voc: bool | None = None  # CN_GreenBuilding.LowVOC, written only when declared


def add_material(m: ib.Model, spec: Mat) -> ib.Entity:
    material = api_material.add_material(m.file, name=spec.name, category=spec.kind)
    common = api_pset.add_pset(m.file, product=material, name="Pset_MaterialCommon")
    api_pset.edit_pset(m.file, pset=common, properties={"MassDensity": spec.density})
    green = api_pset.add_pset(m.file, product=material, name="CN_GreenBuilding")
    api_pset.edit_pset(
        m.file,
        pset=green,
        properties={
            "MaterialKind": spec.kind,
            "MaterialCategory": spec.category,
            "GreenCertified": spec.certified,
            "Recyclable": spec.recyclable,
            "Reusable": spec.reusable,
            "WasteBased": spec.waste_based,
            **({} if spec.low_voc is None else {"LowVOC": spec.low_voc}),
        },
    )
    return material


def add_qto(
    m: ib.Model,
    product: ib.Entity,
    name: str,
    areas: dict[str, float] | None = None,
    volumes: dict[str, float] | None = None,
) -> None:
    """A quantity set with areas (m²) and volumes (m³), written in the file's units."""
    qto = api_pset.add_qto(m.file, product=product, name=name)
    props: dict[str, Any] = {k: m.file.createIfcAreaMeasure(m.area(v)) for k, v in (areas or {}).items()}
    props.update({k: m.file.createIfcVolumeMeasure(v / m.scale**3) for k, v in (volumes or {}).items()})
    api_pset.edit_qto(m.file, qto=qto, properties=props)


def layer_set(m: ib.Model, name: str, layers: list[tuple[ib.Entity, float]]) -> ib.Entity:
    """A layer set; thickness in metres, written in the file's length unit."""
    lset = api_material.add_material_set(m.file, name=name, set_type="IfcMaterialLayerSet")
    for material, thickness in layers:
        layer = api_material.add_layer(m.file, layer_set=lset, material=material)
        api_material.edit_layer(m.file, layer=layer, attributes={"LayerThickness": thickness / m.scale})
    return lset


def building(m: ib.Model, name: str, green: dict[str, Any]) -> ib.Entity:
    """Site > building > storey L1; returns the storey."""
    site = ib.add_spatial(m, "IfcSite", "Site", m.project)
    bldg = ib.add_spatial(m, "IfcBuilding", name, site)
    ib.add_pset(m, bldg, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    ib.add_pset(m, bldg, "CN_GreenBuilding", green)
    return ib.add_spatial(m, "IfcBuildingStorey", "L1", bldg)


# Materials of the office samples: (name, kind, category, density) -> certified in the pass / fail sample
OFFICE_MATS = [
    ("C30 ready-mixed concrete", "预拌混凝土", "structure_envelope", 2400.0, True, False, {}),
    ("C15 blinding concrete", "预拌混凝土", "structure_envelope", 2400.0, False, False, {}),
    ("EPS insulation", "保温材料", "structure_envelope", 30.0, True, False, {}),
    ("Q355 steel", "钢结构构件", "structure_envelope", 7850.0, True, False, {"recyclable": True}),
    ("Ready-mixed mortar", "预拌砂浆", "structure_envelope", 2000.0, True, True, {"waste_based": True}),
    ("Ceramic tile", "陶瓷", "decoration", 2300.0, True, False, {}),
    ("Gypsum board", "石膏制品", "decoration", 900.0, True, True, {"recyclable": True}),
    ("Timber veneer panel", "装饰板材", "decoration", 600.0, False, False, {"reusable": True, "low_voc": True}),
    ("PVC-U pipe", "管材管件", "mep", 1400.0, True, False, {}),
    ("Permeable paver", "透水铺装", "outdoor", 2200.0, True, False, {}),
]


def office(sample: str, passing: bool, scores: dict[str, Any]) -> ib.Model:
    """One-storey office; same quantities in both samples except the roof slab's material (declared only in the
    passing one); certification and declared scores differ."""
    m = ib.new_model("IFC4", f"{sample}.ifc", f"greencheck sample: {sample}")
    green = {
        "ConstructionType": "New",
        "GovernmentInvested": True,
        "TargetStarLevel": 3,
        "AssessmentStage": "final",
        "ControlItemsMet": True,
        "FullDecoration": True,
        **scores,
    }
    storey = building(m, "Green Office " + ("A" if passing else "B"), green)
    mats = {}
    for name, kind, category, density, cert_pass, cert_fail, extra in OFFICE_MATS:
        # the failing office's fly-ash mortar is plain mortar (BJ-GM-008: 0 points) and its veneer panel is declared
        # not low-VOC (BJ-GM-009 fail); the passing one: mortar 100 % of its class -> 3 points, panel low-VOC
        flags = {**extra, "waste_based": extra.get("waste_based", False) and passing}
        if "low_voc" in extra:
            flags["low_voc"] = extra["low_voc"] == passing
        mats[name] = add_material(m, Mat(name, kind, category, density, cert_pass if passing else cert_fail, **flags))
    wall = ib.add_element(m, "IfcWall", "External wall 10 x 3 m", storey)
    api_material.assign_material(
        m.file,
        products=[wall],
        type="IfcMaterialLayerSetUsage",
        material=layer_set(
            m, "Concrete 200 + EPS 100", [(mats["C30 ready-mixed concrete"], 0.2), (mats["EPS insulation"], 0.1)]
        ),
    )
    add_qto(m, wall, "Qto_WallBaseQuantities", areas={"NetSideArea": 30.0})
    # Envelope for GB/T 50378 Table 3.2.8 T1 against the GB 55015 cold-zone public baseline (wall 0.45, roof 0.35):
    # passing office 0.30 / 0.25 -> 33.3 % / 28.6 %; failing office 0.42 / 0.33 -> 6.7 % / 5.7 %
    # (three stars need 20 %).
    ib.add_pset(m, wall, "Pset_WallCommon", {"IsExternal": True, "ThermalTransmittance": 0.30 if passing else 0.42})
    # The passing office declares its roof's layers (1 mm steel deck + 100 mm EPS on 100 m²: 0.1 m³ + 10 m³); the
    # failing one exports the roof slab with no material and no volume, as Revit does for a slab without a
    # structural material: every share is then an upper bound (a fail still proven, a pass not).
    name = "Roof slab: steel deck + EPS" if passing else "Roof slab (no material assigned)"
    roof = ib.add_element(m, "IfcSlab", name, storey, predefined_type="ROOF")
    ib.add_pset(m, roof, "Pset_SlabCommon", {"IsExternal": True, "ThermalTransmittance": 0.25 if passing else 0.33})
    add_qto(m, roof, "Qto_SlabBaseQuantities", areas={"GrossArea": 100.0})
    if passing:
        roof_layers = [(mats["Q355 steel"], 0.001), (mats["EPS insulation"], 0.1)]
        api_material.assign_material(
            m.file,
            products=[roof],
            type="IfcMaterialLayerSetUsage",
            material=layer_set(m, "Steel deck 1 + EPS 100", roof_layers),
        )
    slab = ib.add_element(m, "IfcSlab", "Floor slab (geometry only)", storey, predefined_type="FLOOR")
    ib.add_box(m, slab, (0.0, 0.0, 0.0), (10.0, 10.0, 0.2))  # 20 m³
    api_material.assign_material(m.file, products=[slab], material=mats["C30 ready-mixed concrete"])
    footing = ib.add_element(m, "IfcFooting", "Blinding", storey, predefined_type="PAD_FOOTING")
    api_material.assign_material(m.file, products=[footing], material=mats["C15 blinding concrete"])
    add_qto(m, footing, "Qto_FootingBaseQuantities", volumes={"NetVolume": 4.0})
    column = ib.add_element(m, "IfcColumn", "Steel column", storey, predefined_type="COLUMN")
    pset = api_material.add_material_set(m.file, name="HEB steel", set_type="IfcMaterialProfileSet")
    profile = m.file.createIfcRectangleProfileDef("AREA", "400x300", None, 0.4, 0.3)
    api_material.add_profile(m.file, profile_set=pset, material=mats["Q355 steel"], profile=profile)
    api_material.assign_material(m.file, products=[column], material=pset)
    add_qto(m, column, "Qto_ColumnBaseQuantities", volumes={"NetVolume": 1.2})
    floor = ib.add_element(m, "IfcCovering", "Tiled floor finish", storey, predefined_type="FLOORING")
    ib.add_box(m, floor, (0.0, 0.0, 0.2), (10.0, 10.0, 0.01))  # 1.0 m³: 0.6 tile + 0.4 mortar
    cset = api_material.add_material_set(m.file, name="Tile on mortar", set_type="IfcMaterialConstituentSet")
    for material, fraction in ((mats["Ceramic tile"], 0.6), (mats["Ready-mixed mortar"], 0.4)):
        constituent = api_material.add_constituent(m.file, constituent_set=cset, material=material)
        api_material.edit_constituent(
            m.file, constituent=constituent, attributes={"Fraction": fraction}, material=material
        )
    api_material.assign_material(m.file, products=[floor], material=cset)
    for name, material, size, z in (
        ("Gypsum ceiling", "Gypsum board", (10.0, 10.0, 0.005), 3.0),
        ("Timber wall panel", "Timber veneer panel", (5.0, 10.0, 0.01), 1.0),
    ):
        covering = ib.add_element(
            m, "IfcCovering", name, storey, predefined_type="CEILING" if "ceiling" in name else "CLADDING"
        )
        ib.add_box(m, covering, (0.0, 0.0, z), size)  # 0.5 m³ each
        api_material.assign_material(m.file, products=[covering], material=mats[material])
    pipe = ib.add_element(m, "IfcPipeSegment", "Drain pipe", storey, predefined_type="RIGIDSEGMENT")
    ib.add_box(m, pipe, (0.0, 0.0, 2.5), (10.0, 0.05, 0.1))  # 0.05 m³
    api_material.assign_material(m.file, products=[pipe], material=mats["PVC-U pipe"])
    paving = ib.add_element(m, "IfcSlab", "Forecourt paving", storey, predefined_type="USERDEFINED")
    api_material.assign_material(m.file, products=[paving], material=mats["Permeable paver"])
    add_qto(m, paving, "Qto_SlabBaseQuantities", volumes={"NetVolume": 2.0})
    ib.finalize(m, sample)
    return m


PASS_SCORES = {
    "ScoreSafety": 80.0,
    "ScoreHealth": 80.0,
    "ScoreConvenience": 80.0,
    "ScoreResource": 170.0,
    "ScoreEnvironment": 80.0,
    "ScoreInnovation": 30.0,
    "ScoreGreenMaterials": 12.0,
}
FAIL_SCORES = {
    "ScoreSafety": 75.0,
    "ScoreHealth": 75.0,
    "ScoreConvenience": 70.0,
    "ScoreResource": 160.0,
    "ScoreEnvironment": 75.0,
    "ScoreInnovation": 5.0,
    "ScoreGreenMaterials": 12.0,
}


def pass_three_star() -> ib.Model:
    return office("gm-pass-three-star-public", True, PASS_SCORES)


def fail_three_star_claim() -> ib.Model:
    return office("gm-fail-three-star-claim", False, FAIL_SCORES)


def layer_takeoff_mm() -> ib.Model:
    """Millimetre file: wall A by thickness x NetSideArea; wall B (no area) by NetVolume shared by thickness."""
    sample = "gm-layer-takeoff-mm"
    m = ib.new_model("IFC4", f"{sample}.ifc", f"greencheck sample: {sample}", millimetres=True)
    storey = building(m, "Layer Test Block", {"ConstructionType": "New", "TargetStarLevel": 1})
    concrete = add_material(m, Mat("Concrete", "预拌混凝土", "structure_envelope", 2400.0, True))
    insulation = add_material(m, Mat("Mineral wool", "保温材料", "structure_envelope", 100.0, False))
    brick = add_material(m, Mat("Fly-ash brick", "砌体材料", "structure_envelope", 1800.0, True))
    plaster = add_material(m, Mat("Lime plaster", "预拌砂浆", "structure_envelope", 1600.0, True))
    wall_a = ib.add_element(m, "IfcWall", "Wall A 10 x 3 m", storey)
    api_material.assign_material(
        m.file,
        products=[wall_a],
        type="IfcMaterialLayerSetUsage",
        material=layer_set(m, "Concrete 200 + wool 100", [(concrete, 0.2), (insulation, 0.1)]),
    )
    add_qto(m, wall_a, "Qto_WallBaseQuantities", areas={"NetSideArea": 30.0})
    wall_b = ib.add_element(m, "IfcWall", "Wall B volume only", storey)
    api_material.assign_material(
        m.file,
        products=[wall_b],
        type="IfcMaterialLayerSetUsage",
        material=layer_set(m, "Brick 240 + plaster 60", [(brick, 0.24), (plaster, 0.06)]),
    )
    add_qto(m, wall_b, "Qto_WallBaseQuantities", volumes={"NetVolume": 9.0})
    ib.finalize(m, sample)
    return m


SAMPLES: dict[str, Callable[[], ib.Model]] = {
    "gm-pass-three-star-public.ifc": pass_three_star,
    "gm-fail-three-star-claim.ifc": fail_three_star_claim,
    "gm-layer-takeoff-mm.ifc": layer_takeoff_mm,
}


def main(out_dir: str | Path | None = None) -> list[Path]:
    """Write every sample into out_dir (default: this folder) and return the paths written."""
    return ib.write_samples(SAMPLES, out_dir, Path(__file__).resolve().parent)


if __name__ == "__main__":
    ib.cli_main(main)
