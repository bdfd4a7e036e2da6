"""One building's slice of a model, with the helpers every extractor shares."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import ifcopenshell

from checker.model.config import ExtractionConfig
from checker.model.facts import ElementRecord, Evidence, Fact, Scalar
from checker.model.geometry import Shapes
from checker.model.index import ModelIndex, PropValue
from checker.model.keywords import keyword_spans

CUSTOM_PSET = "CN_GreenBuilding"

GID_CAP = 100_000  # evidence lists are complete in JSON; human reports collapse them


@dataclass
class BuildingScope:
    """The building, its storeys and elements, the file index and the ruleset's extraction tables."""

    index: ModelIndex
    building: ifcopenshell.entity_instance
    elements: list[ifcopenshell.entity_instance]
    config: ExtractionConfig
    _measured: dict[tuple[str, int], float] = field(default_factory=dict)
    _by_class: dict[tuple[str, ...], list[ifcopenshell.entity_instance]] = field(default_factory=dict)
    geometry_skipped: dict[str, int] = field(default_factory=dict)
    shapes: Shapes = field(init=False)
    # Per-building results other modules compute once (storey levels, roof levels), keyed by their module.
    memo: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.shapes = Shapes(self.index.file)

    @cached_property
    def _class_names(self) -> list[str]:
        """Each element's class name, read once (the elements are fixed when the scope is made)."""
        return [e.is_a() for e in self.elements]

    @property
    def storeys(self) -> list[ifcopenshell.entity_instance]:
        return self.of_class("IfcBuildingStorey")

    def of_class(self, *classes: str) -> list[ifcopenshell.entity_instance]:
        """The building's elements of these classes (subtypes included), in file order; each query is answered
        once, from each element's class name read once and the schema's subtype tree (no is_a call per element)."""
        if classes not in self._by_class:
            names = self._class_names
            wanted = {n for n in set(names) if any(self.index.class_is(n, c) for c in classes)}
            self._by_class[classes] = [e for e, n in zip(self.elements, names, strict=True) if n in wanted]
        return list(self._by_class[classes])  # a copy: callers extend their result

    def custom(self, element: ifcopenshell.entity_instance, prop: str) -> PropValue | None:
        return self.index.value(element, CUSTOM_PSET, prop)

    def name(self, entity: ifcopenshell.entity_instance | None) -> str | None:
        """An entity's Name as the report shows it (stripped \\X2\\ escapes decoded, counted once per file)."""
        return self.index.names.name(entity)

    def text(self, raw: object) -> str | None:
        """Another text the report shows (LongName, ObjectType, a material's Name), repaired the same way."""
        return self.index.names.text(raw)

    def label(self, entity: ifcopenshell.entity_instance) -> str:
        """The repaired Name, or the GlobalId when there is none."""
        return self.index.names.label(entity)

    def record(
        self, element: ifcopenshell.entity_instance, values: dict[str, Scalar], sources: dict[str, str]
    ) -> ElementRecord:
        storey = self.index.storey_of(element)
        element_type = self.index.type_of(element)
        return ElementRecord(
            global_id=element.GlobalId,
            ifc_class=element.is_a(),
            name=self.name(element),
            type_name=self.name(element_type),
            storey=self.name(storey),
            values=values,
            sources=sources,
        )

    def footprints(self, elements: Sequence[ifcopenshell.entity_instance]) -> dict[int, float]:
        """Horizontal projected areas (m²) from geometry."""
        return self.measure("footprint", elements)

    @property
    def geometry_blocked(self) -> str | None:
        """Why no geometry can be measured in this file, or None.

        The geometry engine reads coordinates in metres when a file declares no length unit, so a millimetre
        file would give areas a million times too large: without a resolved length unit nothing is measured.
        """
        if self.index.units.for_type("LENGTHUNIT").factor is None:
            return "the file declares no length unit (IfcUnitAssignment), so geometry cannot be measured"
        return None

    def measure(self, kind: str, elements: Sequence[ifcopenshell.entity_instance]) -> dict[int, float]:
        """Geometry measure (a key of geometry.MEASURES) per element id, computed at most once, from meshes each
        element gets at most once (`shapes`).

        Bounded by `config.geometry_element_limit` per building: tessellating thousands of elements can
        take minutes, so past the limit the elements are left unmeasured (their facts become unknown,
        saying why) instead of silently slowing every check. Nothing is measured without a length unit.
        """
        todo = self.geometry_budget(kind, elements)
        if todo:
            computed = self.shapes.measure(kind, todo)
            for element in todo:
                self._measured[(kind, element.id())] = computed.get(element.id(), float("nan"))
        return {e.id(): a for e in elements if (a := self._measured.get((kind, e.id()), math.nan)) == a}

    def geometry_budget(
        self, kind: str, elements: Sequence[ifcopenshell.entity_instance]
    ) -> list[ifcopenshell.entity_instance]:
        """The elements not yet measured for `kind` that `config.geometry_element_limit` still allows; they are
        reserved (counted against the limit), the others are counted as skipped. None without a length unit."""
        if self.geometry_blocked is not None:
            return []
        todo = [e for e in elements if (kind, e.id()) not in self._measured]
        limit = self.config.geometry_element_limit
        if todo and limit >= 0:
            done = len({key[1] for key in self._measured})
            allowed = max(0, limit - done)
            if len(todo) > allowed:
                self.geometry_skipped[kind] = self.geometry_skipped.get(kind, 0) + len(todo) - allowed
                for element in todo[allowed:]:
                    self._measured[(kind, element.id())] = float("nan")
                todo = todo[:allowed]
        for element in todo:
            self._measured[(kind, element.id())] = float("nan")
        return todo


def property_fact(
    value: PropValue | None, element: ifcopenshell.entity_instance, missing: str, unit: str | None = None
) -> Fact:
    """A fact read from one property, or an unknown fact naming what is missing."""
    if value is None:
        return Fact(value=None, unit=unit, missing=missing)
    shown = value.si if value.si is not None else value.raw
    note = "from the element's type" if value.from_type else value.unit_note
    return Fact(value=shown, unit=unit, evidence=[prop_evidence(value, [element], note)])


def prop_evidence(
    value: PropValue, elements: Iterable[ifcopenshell.entity_instance], note: str | None = None
) -> Evidence:
    ids = [e.GlobalId for e in elements]
    return Evidence(
        method="quantity" if value.measure and "Qto" in value.source else "property",
        source=value.source,
        global_ids=ids[:GID_CAP],
        count=len(ids),
        note=note,
    )


def source_evidence(source: str, ids: list[str]) -> Evidence:
    """Evidence of a sum over elements that share one source: 'geometry', or the quantity set they were read from."""
    if source == "geometry":
        label = f"computed from geometry of {len(ids)} elements"
        return Evidence(method="geometry", source=label, global_ids=ids[:GID_CAP], count=len(ids))
    return Evidence(method="quantity", source=source, global_ids=ids[:GID_CAP], count=len(ids))


def keyword_matches(text: str, keywords: Sequence[str]) -> bool:
    """Match Latin keywords at the start of a word ('house' not in 'warehouse', 'photovoltaic' in
    'nbl_PhotovoltaicModules'); short ones (<= 3 letters) as whole words ('PV' not in 'PVC');
    CJK keywords anywhere ('光伏' in '光伏组件'). The rule itself lives in checker.model.keywords."""
    return bool(keyword_spans(text, keywords))


def as_bool(raw: Scalar) -> bool | None:
    """IfcBoolean / IfcLogical / label spellings of yes and no; None when it says neither."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower() if raw is not None else ""
    if text in {"true", "yes", "y", "1", ".t.", "是", "t"}:
        return True
    if text in {"false", "no", "n", "0", ".f.", "否", "f"}:
        return False
    return None


def extreme_of_records(
    records: Sequence[ElementRecord],
    key: str,
    pick: Callable[..., ElementRecord],
    unit: str,
    lacking: tuple[str, str, str],
    digits: int | None = None,
    warnings: list[str] | None = None,
) -> Fact:
    """The least (pick=min) or greatest (max) value `key` of non-empty `records`, with its source and every record
    as evidence; unknown while any record lacks it, naming them: lacking = (what, noun, where to declare it)."""
    without = [r.global_id for r in records if r.values.get(key) is None]
    if without:
        what, noun, where = lacking
        missing = f"{what} of {len(without)} {noun} ({', '.join(without[:10])}): {where}"
        return Fact(value=None, unit=unit, missing=missing, warnings=warnings or [])
    chosen = pick(records, key=lambda r: float(r.values[key]))
    value = float(chosen.values[key])  # type: ignore[arg-type]  # a number: records lacking it returned above
    ids = [r.global_id for r in records]
    evidence = Evidence(
        method="property",
        source=chosen.sources[key],
        global_ids=ids[:GID_CAP],
        count=len(ids),
        note=f"{'shortest' if pick is min else 'largest'}: {chosen.global_id}",
    )
    return Fact(
        value=value if digits is None else round(value, digits), unit=unit, evidence=[evidence], warnings=warnings or []
    )
