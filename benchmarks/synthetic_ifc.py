"""STEP text for benchmarks/synthetic.py: entities numbered as written, IfcRoot GlobalIds from a counter, property
and quantity sets with one IfcRelDefinesByProperties each (as Revit writes them), placements and extruded boxes.
What the office holds, and where, is in synthetic.py."""

from __future__ import annotations

import string
import uuid
from collections import Counter
from dataclasses import dataclass, field

import ifcopenshell.guid

NAMESPACE = uuid.UUID("6f1c2a52-3b8e-4d36-9a51-13c0de5e6b13")
# The measure type of each property written; other numbers are IFCREAL, texts IFCLABEL.
MEASURES = {
    "ThermalTransmittance": "IFCTHERMALTRANSMITTANCEMEASURE",
    "ThermalConductivity": "IFCTHERMALCONDUCTIVITYMEASURE",
    "RoofExclusionArea": "IFCAREAMEASURE",
    "PeakPower": "IFCPOWERMEASURE",
    "PVFirstYearDegradation": "IFCPOSITIVERATIOMEASURE",
    "PVAnnualDegradation": "IFCPOSITIVERATIOMEASURE",
    "ExteriorWallIntegratedRatio": "IFCRATIOMEASURE",
    "DryFloorRatio": "IFCRATIOMEASURE",
    "SolarHeatGainTransmittance": "IFCNORMALISEDRATIOMEASURE",
    "Span": "IFCPOSITIVELENGTHMEASURE",
    "Reference": "IFCIDENTIFIER",
}
Props = dict[str, object]
IFC64 = string.digits + string.ascii_uppercase + string.ascii_lowercase + "_$"  # ifcopenshell.guid's alphabet
PAIRS = [a + b for a in IFC64 for b in IFC64]


def real(value: float) -> str:
    """A STEP real: '8400.', '-150.', '0.35'."""
    return f"{value:.6f}".rstrip("0")


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value(key: str, value: object) -> str:
    if isinstance(value, bool):
        return f"IFCBOOLEAN({'.T.' if value else '.F.'})"
    if isinstance(value, int):
        return f"IFCINTEGER({value})"
    if isinstance(value, str):
        return f"{MEASURES.get(key, 'IFCLABEL')}({quoted(value)})"
    return f"{MEASURES.get(key, 'IFCREAL')}({real(float(value))})"  # type: ignore[arg-type]


def ref_list(refs: list[str]) -> str:
    return f"({','.join(refs)})"


@dataclass
class Step:
    """STEP lines under construction; `add` returns the new instance's reference."""

    seed: str
    first: int = 1  # the first entity's number (plan() sizes tiny models numbered like a big one)
    lines: list[str] = field(default_factory=list)
    roots: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    prefix: str = ""

    def __post_init__(self) -> None:
        self.prefix = ifcopenshell.guid.compress(uuid.UUID(int=self.seed_bits).hex)[:14]

    @property
    def seed_bits(self) -> int:
        """The top 80 bits of every GlobalId's UUID; the low 48 bits count."""
        return uuid.uuid5(NAMESPACE, self.seed).int >> 48 << 48

    def add(self, entity: str, args: str) -> str:
        ref = f"#{len(self.lines) + self.first}"
        self.lines.append(f"{ref}={entity}({args});")
        self.classes[entity] += 1
        return ref

    def guid(self) -> str:
        """compress(UUID(int=seed_bits | n)) for the n-th root, written from a table: ifcopenshell.guid.compress
        takes 3 µs a call, 5 s of a 160 MB model's 1.5 M GlobalIds."""
        self.roots += 1
        n = self.roots
        return f"'{self.prefix}{PAIRS[n >> 36 & 4095]}{PAIRS[n >> 24 & 4095]}{PAIRS[n >> 12 & 4095]}{PAIRS[n & 4095]}'"


class IfcWriter:
    """Writes the owner history, units (millimetres; m² and m³ for quantities, as Revit), the Body context and
    the IfcProject on creation; the methods add entities and remember what `finish` must relate."""

    def __init__(self, step: Step) -> None:
        self.s = step
        self.counters: Counter[str] = Counter()
        self.typed: dict[str, list[str]] = {}  # type -> occurrences
        self.materials: dict[str, list[str]] = {}  # material, layer set or usage -> what it is associated with
        self._context()

    def root(self, entity: str, args: str) -> str:
        """An IfcRoot: its GlobalId and the owner history come first."""
        return self.s.add(entity, f"{self.s.guid()},{self.oh},{args}")

    def _context(self) -> None:
        s = self.s
        org = s.add("IFCORGANIZATION", "$,'greencheck',$,$,$")
        user = s.add("IFCPERSONANDORGANIZATION", f"{s.add('IFCPERSON', '$,$,$,$,$,$,$,$')},{org},$")
        app = s.add("IFCAPPLICATION", f"{org},'0.1','greencheck synthetic office (Revit-like)','greencheck-synthetic'")
        self.oh = s.add("IFCOWNERHISTORY", f"{user},{app},$,.NOCHANGE.,$,$,$,1704067200")
        # Revit also declares THERMALTRANSMITTANCEUNIT as kg·s⁻³·K⁻¹; greencheck (5af64d6) scales that by 1000 (the
        # kilogram read as 1000 grams) and drops every U-value as implausible, so the model leaves it out (SI).
        units = [
            s.add("IFCSIUNIT", f"*,{unit}")
            for unit in (
                ".LENGTHUNIT.,.MILLI.,.METRE.",
                ".AREAUNIT.,$,.SQUARE_METRE.",
                ".VOLUMEUNIT.,$,.CUBIC_METRE.",
                ".PLANEANGLEUNIT.,$,.RADIAN.",
                ".POWERUNIT.,$,.WATT.",
                ".MASSUNIT.,.KILO.,.GRAM.",
                ".TIMEUNIT.,$,.SECOND.",
                ".THERMODYNAMICTEMPERATUREUNIT.,$,.KELVIN.",
            )
        ]
        self.dz, self.dx, self.dy = (s.add("IFCDIRECTION", d) for d in ("(0.,0.,1.)", "(1.,0.,0.)", "(0.,1.,0.)"))
        self.ident = s.add("IFCAXIS2PLACEMENT3D", f"{s.add('IFCCARTESIANPOINT', '(0.,0.,0.)')},$,$")
        ctx = s.add("IFCGEOMETRICREPRESENTATIONCONTEXT", f"$,'Model',3,1.E-05,{self.ident},$")
        self.body = s.add("IFCGEOMETRICREPRESENTATIONSUBCONTEXT", f"'Body','Model',*,*,*,*,{ctx},$,.MODEL_VIEW.,$")
        units_ref = s.add("IFCUNITASSIGNMENT", ref_list(units))
        self.project = self.root("IFCPROJECT", f"'Sub-center Office Block',$,$,$,$,({ctx}),{units_ref}")

    def material(self, name: str, category: str, conductivity: float) -> str:
        mat = self.s.add("IFCMATERIAL", f"{quoted(name)},$,{quoted(category)}")
        prop = self.s.add(
            "IFCPROPERTYSINGLEVALUE", f"'ThermalConductivity',$,{_value('ThermalConductivity', conductivity)},$"
        )
        self.s.add("IFCMATERIALPROPERTIES", f"'Pset_MaterialThermal',$,({prop}),{mat}")
        return mat

    def type(self, entity: str, name: str, predefined: str, psets: dict[str, Props]) -> str:
        sets = ref_list([self._pset_entity(pset, props) for pset, props in psets.items()]) if psets else "$"
        ref = self.root(entity, f"{quoted(name)},$,$,{sets},$,$,$,{predefined}")
        self.typed[ref] = []
        return ref

    def layers(self, layers: list[tuple[str, float]], name: str, wall_type: str) -> str:
        """A layer set associated with the wall type, and the usage its occurrences share."""
        refs = [self.s.add("IFCMATERIALLAYER", f"{mat},{real(t)},.F.,$,$,$,$") for mat, t in layers]
        layer_set = self.s.add("IFCMATERIALLAYERSET", f"{ref_list(refs)},{quoted(name)},$")
        self.materials[layer_set] = [wall_type]
        offset = -sum(t for _, t in layers) / 2
        usage = self.s.add("IFCMATERIALLAYERSETUSAGE", f"{layer_set},.AXIS2.,.POSITIVE.,{real(offset)},$")
        self.materials[usage] = []
        return usage

    def _pset_entity(self, name: str, props: Props) -> str:
        refs = [self.s.add("IFCPROPERTYSINGLEVALUE", f"{quoted(k)},$,{_value(k, v)},$") for k, v in props.items()]
        return self.root("IFCPROPERTYSET", f"{quoted(name)},$,{ref_list(refs)}")

    def pset(self, product: str, name: str, **props: object) -> None:
        self.root("IFCRELDEFINESBYPROPERTIES", f"$,$,({product}),{self._pset_entity(name, props)}")

    def qto(self, product: str, name: str, **quantities: float) -> None:
        """A base-quantity set: lengths in mm, areas in m², volumes in m³ (the file's units)."""
        refs = []
        for key, value in quantities.items():
            kind = "AREA" if "Area" in key else "VOLUME" if "Volume" in key else "LENGTH"
            refs.append(self.s.add(f"IFCQUANTITY{kind}", f"{quoted(key)},$,$,{real(value)},$"))
        qto = self.root("IFCELEMENTQUANTITY", f"{quoted(name)},$,'BaseQuantities',{ref_list(refs)}")
        self.root("IFCRELDEFINESBYPROPERTIES", f"$,$,({product}),{qto}")

    def with_quantities(self, kind: str) -> bool:
        """Every second element of each kind carries its base quantities; the others need geometry."""
        self.counters[kind] += 1
        return self.counters[kind] % 2 == 1

    def placement(self, parent: str, x: float, y: float, z: float, axis: str = "$", ref: str = "$") -> str:
        point = self.s.add("IFCCARTESIANPOINT", f"({real(x)},{real(y)},{real(z)})")
        return self.s.add("IFCLOCALPLACEMENT", f"{parent},{self.s.add('IFCAXIS2PLACEMENT3D', f'{point},{axis},{ref}')}")

    def box(self, cx: float, cy: float, xdim: float, ydim: float, depth: float) -> str:
        """Body: a rectangle centred on (cx, cy) of the local XY plane, extruded along local Z."""
        s = self.s
        centre = s.add("IFCAXIS2PLACEMENT2D", f"{s.add('IFCCARTESIANPOINT', f'({real(cx)},{real(cy)})')},$")
        profile = s.add("IFCRECTANGLEPROFILEDEF", f".AREA.,$,{centre},{real(xdim)},{real(ydim)}")
        solid = s.add("IFCEXTRUDEDAREASOLID", f"{profile},{self.ident},{self.dz},{real(depth)}")
        rep = s.add("IFCSHAPEREPRESENTATION", f"{self.body},'Body','SweptSolid',({solid})")
        return s.add("IFCPRODUCTDEFINITIONSHAPE", f"$,$,({rep})")

    def product(self, entity: str, name: str, place: str, shape: str, tail: str, typ: str | None, tag: str = "") -> str:
        """An occurrence named as Revit does (Family:Type:id) with Revit's 'Other' set; `tail` follows the Tag."""
        self.counters[entity] += 1
        n = self.counters[entity]
        ref = self.root(
            entity, f"{quoted(f'{name}:{n}')},$,{quoted(name)},{place},{shape},{tag or quoted(str(n))},{tail}"
        )
        if typ is not None:
            self.typed[typ].append(ref)
        self.pset(ref, "Other", Category=entity[3:].title(), **{"Family and Type": name})
        return ref
