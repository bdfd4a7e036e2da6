"""Thermal envelope and ultra-low-energy indicators (GB/T 51350-2019) of one building.

Per envelope class (walls, roofs, floors, windows, doors) one ElementRecord per element with its area,
its declared U-value, or the thermal resistance of its material layers (Σ d/λ) when no U is declared.
Surface resistances Rsi/Rse are ruleset parameters, so the metric turns layers into U, not this module.
Placeholder U-values (0, or > PLAUSIBLE_U_MAX as in real exports: 26.15) count as missing. Building
indicators (N50, heat recovery, renewable share, saving rate, heating demand) come from CN_GreenBuilding
or, for heat recovery, from IfcAirToAirHeatRecovery psets.
"""

from __future__ import annotations

from collections import defaultdict
from weakref import WeakKeyDictionary

import ifcopenshell
import ifcopenshell.util.element as ifc_element

from checker.model.envelope_geo import ORIENTATIONS, true_north_deg, wall_orientations
from checker.model.facts import ElementRecord, Evidence, Fact, Scalar
from checker.model.index import ModelIndex
from checker.model.scope import GID_CAP, BuildingScope, as_bool, predefined_type, prop_evidence

PLAUSIBLE_U_MAX = 10.0  # W/(m²·K): no real envelope element is worse; exporters write 26.15 as a default
CLASSES = ("walls", "roofs", "floors", "floors_unheated", "windows", "doors")
U_PSETS = {
    "IfcWall": ("Pset_WallCommon",),
    "IfcRoof": ("Pset_RoofCommon",),
    "IfcSlab": ("Pset_SlabCommon", "Pset_RoofCommon"),
    "IfcWindow": ("Pset_WindowCommon",),
    "IfcDoor": ("Pset_DoorCommon",),
}
TARGET_WORDS = (
    ("nearly_zero", ("nearly", "nzeb", "近零")),
    ("ultra_low", ("ultra", "超低", "passive", "被动")),
    ("zero", ("zero", "零能耗", "zeb")),
)
INDICATORS = {  # fact -> (CN_GreenBuilding property, unit, is a ratio)
    "airtightness_n50": ("AirtightnessN50", "1/h", False),
    "renewable_utilisation": ("RenewableEnergyUtilisation", "1", True),
    "energy_saving_rate": ("EnergySavingRate", "1", True),
    "heating_demand": ("HeatingDemand", "kWh/(m2.a)", False),
}
_FILE_CACHE: WeakKeyDictionary[ModelIndex, dict[str, object]] = WeakKeyDictionary()


def envelope_facts(scope: BuildingScope) -> tuple[dict[str, Fact], dict[str, list[ElementRecord]]]:
    facts = {"energy_target": energy_target(scope)}  # the scope flags (rural, admin office area) are in building.py
    for fact, (prop, unit, ratio) in INDICATORS.items():
        facts[fact] = _indicator(scope, prop, unit, ratio)
    elements = _envelope_records(scope)
    unheated = [r.global_id for r in elements["envelope_floors_unheated"]]
    facts["floors_unheated_count"] = Fact(
        value=len(unheated),
        evidence=[
            Evidence(
                method="property",
                source="IfcSlab FLOOR with CN_GreenBuilding.AboveUnheatedSpace = true",
                global_ids=unheated[:GID_CAP],
                count=len(unheated),
            )
        ],
    )
    facts.update(_wwr_facts(elements["envelope_walls"], elements["envelope_windows"]))
    hr_facts, units = heat_recovery(scope)
    facts.update(hr_facts)
    elements["heat_recovery_units"] = units
    return facts, elements


# --- building declarations -----------------------------------------------------------------------------------
def parse_energy_target(raw: Scalar) -> str | None:
    """ultra_low / nearly_zero / zero from English or Chinese spellings (近零 checked before 零能耗)."""
    text = str(raw).strip().lower().replace("-", " ").replace("_", " ")
    for level, words in TARGET_WORDS:
        if any(word in text for word in words):
            return level
    return None


def energy_target(scope: BuildingScope) -> Fact:
    value = scope.custom(scope.building, "EnergyTarget")
    if value is None or not str(value.raw or "").strip():
        ev = Evidence(
            method="default",
            source="CN_GreenBuilding.EnergyTarget not declared",
            global_ids=[scope.building.GlobalId],
            count=1,
        )
        return Fact(value="none", evidence=[ev])
    level = parse_energy_target(value.raw)
    if level is None:
        return Fact(
            value=None,
            missing=(
                f"CN_GreenBuilding.EnergyTarget '{value.raw}' is not ultra-low / nearly-zero / zero "
                "(超低能耗 / 近零能耗 / 零能耗)"
            ),
        )
    return Fact(value=level, evidence=[prop_evidence(value, [scope.building])])


def as_ratio(raw: float) -> tuple[float, list[str]]:
    """A 0..1 ratio; values in (1, 100] are read as percent with a warning."""
    if 1.0 < raw <= 100.0:
        return raw / 100.0, [f"value {raw:g} read as a percentage ({raw / 100:g})"]
    return raw, []


def _indicator(scope: BuildingScope, prop: str, unit: str, ratio: bool) -> Fact:
    value = scope.custom(scope.building, prop)
    if value is None or isinstance(value.raw, bool) or not isinstance(value.raw, (int, float)):
        return Fact(value=None, unit=unit, missing=f"CN_GreenBuilding.{prop} (number) on the IfcBuilding")
    number, warnings = as_ratio(float(value.raw)) if ratio else (float(value.raw), [])
    return Fact(value=number, unit=unit, evidence=[prop_evidence(value, [scope.building])], warnings=warnings)


# --- envelope elements ---------------------------------------------------------------------------------------
def _file_maps(index: ModelIndex) -> dict[str, object]:
    """Once per file: window/door -> host wall, material -> thermal conductivity PropValue-like tuple."""
    cached = _FILE_CACHE.get(index)
    if cached is not None:
        return cached
    model = index.file
    voided = {
        rel.RelatedOpeningElement.id(): rel.RelatingBuildingElement
        for rel in model.by_type("IfcRelVoidsElement")
        if rel.RelatingBuildingElement is not None
    }
    hosts = {}
    for rel in model.by_type("IfcRelFillsElement"):
        host = voided.get(rel.RelatingOpeningElement.id()) if rel.RelatingOpeningElement is not None else None
        if host is not None and rel.RelatedBuildingElement is not None:
            hosts[rel.RelatedBuildingElement.id()] = host
    maps: dict[str, object] = {"hosts": hosts, "conductivity": _conductivities(index), "north": true_north_deg(model)}
    _FILE_CACHE[index] = maps
    return maps


def _conductivities(index: ModelIndex) -> dict[int, tuple[float | None, str]]:
    """Material id -> (λ in W/(m·K) or None if its unit is unresolved, source)."""
    found: dict[int, tuple[float | None, str]] = {}
    model = index.file
    if model.schema == "IFC2X3":
        for props in model.by_type("IfcThermalMaterialProperties"):
            if props.ThermalConductivity is not None and props.Material is not None:
                scale = index.units.for_measure("IfcThermalConductivityMeasure").factor
                found[props.Material.id()] = (
                    None if scale is None else float(props.ThermalConductivity) * scale,
                    "IfcThermalMaterialProperties.ThermalConductivity",
                )
        return found
    for props in model.by_type("IfcMaterialProperties"):
        if props.Name != "Pset_MaterialThermal" or props.Material is None:
            continue
        for prop in props.Properties or ():
            if (
                prop.Name == "ThermalConductivity"
                and prop.is_a("IfcPropertySingleValue")
                and prop.NominalValue is not None
            ):
                scale = index.units.for_measure(prop.NominalValue.is_a(), prop.Unit).factor
                found[props.Material.id()] = (
                    None if scale is None else float(prop.NominalValue.wrappedValue) * scale,
                    "Pset_MaterialThermal.ThermalConductivity",
                )
    return found


def _is_external(scope: BuildingScope, element: ifcopenshell.entity_instance, psets: tuple[str, ...]) -> bool | None:
    value = scope.index.value(element, psets, "IsExternal")
    return None if value is None else as_bool(value.raw)


def classify(scope: BuildingScope) -> dict[str, list[ifcopenshell.entity_instance]]:
    """Exterior envelope elements per class; windows/doors also count when their host wall is exterior."""
    hosts: dict[int, ifcopenshell.entity_instance] = _file_maps(scope.index)["hosts"]  # type: ignore[assignment]
    walls = [w for w in scope.of_class("IfcWall") if _is_external(scope, w, ("Pset_WallCommon",))]
    wall_ids = {w.id() for w in walls}
    roofs: list[ifcopenshell.entity_instance] = []
    under_roof: set[int] = set()
    for roof in scope.of_class("IfcRoof"):
        parts = [p for p in scope.index.children(roof) if p.is_a("IfcSlab")]
        under_roof.update(p.id() for p in parts)
        roofs.extend(parts or [roof])
    floors, floors_unheated = [], []
    for slab in scope.of_class("IfcSlab"):
        kind = predefined_type(slab)
        if kind == "ROOF" and slab.id() not in under_roof:
            roofs.append(slab)
        elif kind == "BASESLAB" or (kind == "FLOOR" and _is_external(scope, slab, ("Pset_SlabCommon",))):
            floors.append(slab)
        elif kind == "FLOOR" and _flag_on(scope, slab, "AboveUnheatedSpace"):
            floors_unheated.append(slab)

    def opening(cls: str, pset: str) -> list[ifcopenshell.entity_instance]:
        out = []
        for element in scope.of_class(cls):
            flag = _is_external(scope, element, (pset,))
            host = hosts.get(element.id())
            if flag or (flag is None and host is not None and host.id() in wall_ids):
                out.append(element)
        return out

    return {
        "walls": walls,
        "roofs": roofs,
        "floors": floors,
        "floors_unheated": floors_unheated,
        "windows": opening("IfcWindow", "Pset_WindowCommon"),
        "doors": opening("IfcDoor", "Pset_DoorCommon"),
    }


def _flag_on(scope: BuildingScope, element: ifcopenshell.entity_instance, prop: str) -> bool:
    """A CN_GreenBuilding yes/no on the element (or its type); absent means no."""
    value = scope.custom(element, prop)
    return value is not None and as_bool(value.raw) is True


def _u_psets(element: ifcopenshell.entity_instance) -> tuple[str, ...]:
    return next((p for cls, p in U_PSETS.items() if element.is_a(cls)), ())


def declared_u(
    scope: BuildingScope, element: ifcopenshell.entity_instance, parent: ifcopenshell.entity_instance | None = None
) -> tuple[float | None, str, str | None]:
    """(U in SI, source, note). A placeholder or an unresolved unit gives (None, source, why)."""
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
        if value.si <= 0 or value.si > PLAUSIBLE_U_MAX:
            return (
                None,
                value.source,
                f"{value.source} = {value.si:g} is a placeholder (0 or > {PLAUSIBLE_U_MAX:g}): ignored",
            )
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
    conductivity: dict[int, tuple[float | None, str]] = _file_maps(scope.index)["conductivity"]  # type: ignore[assignment]
    total, lacking = 0.0, []
    for layer in material.MaterialLayers or ():
        mat = layer.Material
        found = conductivity.get(mat.id()) if mat is not None else None
        if found is None or found[0] is None or found[0] <= 0 or not layer.LayerThickness:
            lacking.append(getattr(mat, "Name", None) or "unnamed layer")
            continue
        total += float(layer.LayerThickness) * scale / found[0]
    if lacking:
        return None, f"no usable Pset_MaterialThermal.ThermalConductivity for layer(s) {', '.join(lacking)}"
    return (total, None) if material.MaterialLayers else (None, "empty layer set")


def _area(
    scope: BuildingScope, element: ifcopenshell.entity_instance, side: dict[int, float], prints: dict[int, float]
) -> tuple[float | None, str]:
    index = scope.index
    if element.is_a("IfcWall"):
        candidates = [
            (("Qto_WallBaseQuantities", "BaseQuantities"), "NetSideArea"),
            (("Qto_WallBaseQuantities", "BaseQuantities"), "GrossSideArea"),
        ]
    elif element.is_a("IfcWindow") or element.is_a("IfcDoor"):
        candidates = [((f"Qto_{element.is_a()[3:]}BaseQuantities", "BaseQuantities"), "Area")]
    elif element.is_a("IfcRoof"):
        candidates = [(("Qto_RoofBaseQuantities", "BaseQuantities"), p) for p in ("NetArea", "GrossArea")]
    else:
        candidates = [(("Qto_SlabBaseQuantities", "BaseQuantities"), p) for p in ("NetArea", "GrossArea")]
    for psets, prop in candidates:
        value = index.value(element, psets, prop)
        if value is not None and value.si is not None:
            return value.si, value.source
    width, height = getattr(element, "OverallWidth", None), getattr(element, "OverallHeight", None)
    scale = index.units.for_type("LENGTHUNIT").factor
    if width and height and scale is not None:
        return float(width) * float(height) * scale * scale, "OverallWidth x OverallHeight"
    if element.id() in side:
        return side[element.id()], "computed from geometry (side area)"
    if element.id() in prints:
        return prints[element.id()], "computed from geometry (footprint)"
    return None, "missing"


def _envelope_records(scope: BuildingScope) -> dict[str, list[ElementRecord]]:
    groups = classify(scope)
    maps = _file_maps(scope.index)
    hosts: dict[int, ifcopenshell.entity_instance] = maps["hosts"]  # type: ignore[assignment]
    orient = wall_orientations(groups["walls"], float(maps["north"]))  # type: ignore[arg-type]
    need_side = [
        w
        for w in groups["walls"]
        if scope.index.value(w, ("Qto_WallBaseQuantities", "BaseQuantities"), "NetSideArea") is None
    ]
    side = scope.measure("side_area", need_side) if need_side else {}
    slabs = groups["roofs"] + groups["floors"] + groups["floors_unheated"]
    prints = scope.footprints([s for s in slabs if _area(scope, s, {}, {})[0] is None])
    out: dict[str, list[ElementRecord]] = {}
    for cls in CLASSES:
        records = []
        for element in groups[cls]:
            area, area_src = _area(scope, element, side, prints)
            parent = scope.index.parent(element) if cls == "roofs" and element.is_a("IfcSlab") else None
            u, u_src, note = declared_u(
                scope, element, parent if parent is not None and parent.is_a("IfcRoof") else None
            )
            values: dict[str, Scalar] = {"area_m2": None if area is None else round(area, 6), "u_declared": u}
            sources = {"area_m2": area_src, "u_declared": u_src}
            notes = [note] if note else []
            if u is None and cls in ("walls", "roofs", "floors", "floors_unheated"):
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
                sources["shgc_glazing"] = (
                    f"{shgc.source} (glazing's value, not the whole window)" if shgc is not None else "missing"
                )
            wall = element if cls == "walls" else hosts.get(element.id())
            if wall is not None and wall.id() in orient:
                values["orientation"], values["bearing_deg"] = orient[wall.id()]
                sources["orientation"] = "outward local Y of the wall placement" + (
                    "" if wall is element else f" of host wall {wall.GlobalId}"
                )
            if wall is not None and wall is not element:
                values["host_wall"] = wall.GlobalId
            if cls == "walls":
                gross = scope.index.value(element, ("Qto_WallBaseQuantities", "BaseQuantities"), "GrossSideArea")
                values["gross_area_m2"] = gross.si if gross is not None else None
            if notes:
                values["note"] = "; ".join(notes)
            records.append(scope.record(element, values, sources))
        out[f"envelope_{cls}"] = records
    return out


def _wwr_facts(walls: list[ElementRecord], windows: list[ElementRecord]) -> dict[str, Fact]:
    """Window-to-wall ratio per orientation: Σ window area / Σ gross wall area of walls facing that way."""
    window_area: dict[str, float] = defaultdict(float)
    window_ids: dict[str, list[str]] = defaultdict(list)
    missing_window: dict[str, list[str]] = defaultdict(list)
    by_host: dict[str, float] = defaultdict(float)
    for win in windows:
        side = win.values.get("orientation")
        area = win.values.get("area_m2")
        if side is None:
            continue
        if area is None:
            missing_window[str(side)].append(win.global_id)
            continue
        window_area[str(side)] += float(area)
        window_ids[str(side)].append(win.global_id)
        by_host[str(win.values.get("host_wall"))] += float(area)
    facts: dict[str, Fact] = {}
    for side in ORIENTATIONS:
        facing = [w for w in walls if w.values.get("orientation") == side]
        if not facing:
            facts[f"wwr_{side}"] = Fact(value=None, unit="1", missing=f"no exterior wall facing {side}")
            continue
        gross, lacking = 0.0, []
        for wall in facing:
            g = wall.values.get("gross_area_m2")
            net = wall.values.get("area_m2")
            if g is not None:
                gross += float(g)
            elif net is not None:
                gross += float(net) + by_host.get(wall.global_id, 0.0)
            else:
                lacking.append(wall.global_id)
        if lacking or missing_window[side] or gross <= 0:
            ids = ", ".join((lacking + missing_window[side])[:10])
            facts[f"wwr_{side}"] = Fact(value=None, unit="1", missing=f"area of walls/windows facing {side} ({ids})")
            continue
        gids = [w.global_id for w in facing] + window_ids[side]
        ev = Evidence(
            method="derived",
            source=f"Σ window area / Σ gross wall area facing {side} (orientation from wall placement)",
            global_ids=gids[:GID_CAP],
            count=len(gids),
            note=f"{window_area[side]:.3f} m² / {gross:.3f} m²",
        )
        facts[f"wwr_{side}"] = Fact(value=round(window_area[side] / gross, 6), unit="1", evidence=[ev])
    return facts


# --- heat recovery -------------------------------------------------------------------------------------------
def heat_recovery(scope: BuildingScope) -> tuple[dict[str, Fact], list[ElementRecord]]:
    """Per IfcAirToAirHeatRecovery: HeatTransferType and Sensible/TotalEffectiveness (PHistory pset on the unit,
    its type or its IfcPerformanceHistory), else CN_GreenBuilding.HeatRecoverySensibleEfficiency / ...EnthalpyEfficiency
    on the unit or the building."""
    histories: dict[int, list[ifcopenshell.entity_instance]] = defaultdict(list)
    for rel in scope.index.file.by_type("IfcRelAssignsToControl"):
        if rel.RelatingControl is not None and rel.RelatingControl.is_a("IfcPerformanceHistory"):
            for obj in rel.RelatedObjects or ():
                histories[obj.id()].append(rel.RelatingControl)
    units = scope.of_class("IfcAirToAirHeatRecovery") if scope.index.file.schema != "IFC2X3" else []
    records = []
    for unit in units:
        values: dict[str, Scalar] = {}
        sources: dict[str, str] = {}
        kind = scope.index.value(unit, "Pset_AirToAirHeatRecoveryTypeCommon", "HeatTransferType")
        values["heat_transfer_type"] = str(kind.raw).upper() if kind is not None else None
        sources["heat_transfer_type"] = kind.source if kind is not None else "missing"
        for key, prop, custom in (
            ("sensible", "SensibleEffectiveness", "HeatRecoverySensibleEfficiency"),
            ("total", "TotalEffectiveness", "HeatRecoveryEnthalpyEfficiency"),
        ):
            found = None
            for holder in (unit, *histories.get(unit.id(), [])):
                found = found or scope.index.value(holder, "Pset_AirToAirHeatRecoveryPHistory", prop)
            found = found or scope.custom(unit, custom) or scope.custom(scope.building, custom)
            if found is not None and isinstance(found.raw, (int, float)) and not isinstance(found.raw, bool):
                values[key] = as_ratio(float(found.raw))[0]
                sources[key] = found.source
        records.append(scope.record(unit, values, sources))
    if not units:
        building_values: dict[str, Scalar] = {}
        building_sources: dict[str, str] = {}
        for key, custom in (
            ("sensible", "HeatRecoverySensibleEfficiency"),
            ("total", "HeatRecoveryEnthalpyEfficiency"),
        ):
            found = scope.custom(scope.building, custom)
            if found is not None and isinstance(found.raw, (int, float)) and not isinstance(found.raw, bool):
                building_values[key] = as_ratio(float(found.raw))[0]
                building_sources[key] = found.source
        if building_values:
            records.append(scope.record(scope.building, building_values, building_sources))
    count_ev = Evidence(
        method="attribute", source="IfcAirToAirHeatRecovery", global_ids=[u.GlobalId for u in units], count=len(units)
    )
    return {"heat_recovery_unit_count": Fact(value=len(units), evidence=[count_ev])}, records
