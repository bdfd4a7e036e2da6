"""Areas and volumes computed from geometry, only for the elements whose quantity sets are missing.

Each element is tessellated at most once per building (`Shapes`): the ifcopenshell.geom iterator (bulk, multi-core,
as the ifcopenshell docs recommend for more than a handful of elements) runs in the element's local coordinates and
the placement is kept, so one mesh answers every measure: a wall's side area along its own Y axis (local), a slab's
footprint, a top elevation or a volume (world). Geometry comes out in metres whatever the file's units, so no unit
scale is applied again here. Boolean clippings are ignored for speed (see _tessellate); the facts built on these
figures say "computed from geometry".
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import ifcopenshell

from checker.model.integrity import has_regular_global_id

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mesh:
    """One element's triangulated body in metres: vertices in its local coordinates, triangles, placement."""

    local: np.ndarray  # (n, 3) float64
    faces: np.ndarray  # (m, 3) int32
    matrix: np.ndarray  # (4, 4) local -> world

    @cached_property
    def world(self) -> np.ndarray:
        world: np.ndarray = self.local @ self.matrix[:3, :3].T + self.matrix[:3, 3]
        return world


def _tessellate(
    model: ifcopenshell.file, elements: Sequence[ifcopenshell.entity_instance]
) -> Iterator[tuple[int, Mesh]]:
    """(element id, mesh) for each element whose body can be built, in one pass of the geometry iterator."""
    with_body = [e for e in elements if getattr(e, "Representation", None) is not None and has_regular_global_id(e)]
    if not with_body:
        return
    import ifcopenshell.geom
    import numpy as np

    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", False)
    # Boolean clippings (beam end cuts, notches) cost 50x the tessellation time on real exports and
    # change an area or volume by a few percent; openings (IfcOpeningElement) are still cut.
    settings.set("disable-boolean-result", True)
    try:
        iterator = ifcopenshell.geom.iterator(settings, model, min(2, multiprocessing.cpu_count()), include=with_body)
        if not iterator.initialize():
            return
        while True:
            shape = iterator.get()
            geometry = shape.geometry
            mesh = Mesh(
                local=np.frombuffer(geometry.verts_buffer, "d").reshape(-1, 3).copy(),
                faces=np.frombuffer(geometry.faces_buffer, "i").reshape(-1, 3).copy(),
                matrix=np.asarray(shape.transformation.matrix, dtype=float).reshape(4, 4).T,
            )
            yield int(shape.id), mesh
            if not iterator.next():
                break
    except (RuntimeError, ValueError) as exc:  # a broken representation must not stop the check
        log.debug("geometry iterator failed: %s", exc)


@dataclass
class Shapes:
    """The meshes of one building's elements, each built once whatever measures are asked of it later."""

    model: ifcopenshell.file
    _meshes: dict[int, Mesh | None] = field(default_factory=dict)

    def meshes(self, elements: Sequence[ifcopenshell.entity_instance]) -> dict[int, Mesh]:
        """The mesh of each element that has one; only elements never asked before reach the iterator."""
        todo = [e for e in elements if e.id() not in self._meshes]
        if todo:
            self._meshes.update((element.id(), None) for element in todo)
            self._meshes.update(_tessellate(self.model, todo))
        found = {e.id(): self._meshes.get(e.id()) for e in elements}
        return {element_id: mesh for element_id, mesh in found.items() if mesh is not None}

    def measure(self, kind: str, elements: Sequence[ifcopenshell.entity_instance]) -> dict[int, float]:
        """MEASURES[kind] per element id; a shape that cannot be built or measured, or measures 0, is left out."""
        measure = MEASURES[kind]
        results: dict[int, float] = {}
        for element_id, mesh in self.meshes(elements).items():
            try:
                value = float(measure(mesh))
            except Exception as exc:  # noqa: BLE001 - shapely/numpy errors on degenerate meshes (e.g. GEOSException)
                log.debug("cannot measure %s: %s", element_id, exc)
                continue
            if value == value and value > 0:
                results[element_id] = value
        return results


def _unit_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    import numpy as np

    normals = np.cross(vertices[faces[:, 1]] - vertices[faces[:, 0]], vertices[faces[:, 2]] - vertices[faces[:, 0]])
    with np.errstate(invalid="ignore", divide="ignore"):
        unit: np.ndarray = normals / np.linalg.norm(normals, axis=1)[:, np.newaxis]
    return unit


def side_area(mesh: Mesh) -> float:
    """One-side area (m²) seen along the element's local Y axis (a wall's face; openings cut): the area of the
    triangles facing +Y, as ifcopenshell.util.shape.get_side_area(axis="Y") counts it."""
    import numpy as np

    vertices, faces = mesh.local, mesh.faces
    chosen = faces[_unit_normals(vertices, faces)[:, 1] > 0.01]
    crossed = np.cross(vertices[chosen[:, 1]] - vertices[chosen[:, 0]], vertices[chosen[:, 2]] - vertices[chosen[:, 0]])
    return float(np.linalg.norm(crossed, axis=1).sum() / 2)


def footprint(mesh: Mesh) -> float:
    """Horizontal projected area (m²): the union of the upward-facing triangles seen from above, as
    ifcopenshell.util.shape.get_footprint_area computes it (vectorised: it loops over vertices in Python)."""
    import numpy as np
    import shapely

    vertices, faces = mesh.world, mesh.faces
    up = faces[_unit_normals(vertices, faces)[:, 2] > 0.01]
    if not len(up):
        return 0.0
    plan = np.stack([vertices[:, 1], -vertices[:, 0]], axis=1)  # ifcopenshell's basis for the Z axis
    return float(shapely.union_all(shapely.polygons(plan[up])).area)


def volume(mesh: Mesh) -> float:
    """Enclosed volume (m³; openings already cut) by signed tetrahedra, as ifcopenshell.util.shape.get_volume
    (world coordinates, like it, so an open mesh gives the same figure)."""
    import numpy as np

    vertices = mesh.world
    a, b, c = (vertices[mesh.faces[:, i]] for i in range(3))
    return float(abs(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0))


def top(mesh: Mesh) -> float:
    """Highest point (m, world z); a top at or below the world origin is left out (not > 0)."""
    return float(mesh.world[:, 2].max())


def vertical_span(mesh: Mesh) -> float:
    """Height (m) from the lowest to the highest point: tells a pitched roof from a flat one."""
    z = mesh.world[:, 2]
    return float(z.max() - z.min())


MEASURES: dict[str, Callable[[Mesh], float]] = {
    "footprint": footprint,
    "volume": volume,
    "side_area": side_area,
    "top": top,
    "vertical_span": vertical_span,
}


def _parts(element: ifcopenshell.entity_instance) -> list[ifcopenshell.entity_instance]:
    """Direct parts (IfcRelAggregates) through the inverse attribute: a lookup, not a file scan."""
    return [part for rel in getattr(element, "IsDecomposedBy", None) or () for part in rel.RelatedObjects or ()]


@dataclass(frozen=True)
class CurtainPlane:
    """A curtain wall seen from outside: elevation area (m²), plan centre and horizontal normal (metres, world)."""

    area_m2: float
    centre_xy: tuple[float, float]
    normal_xy: tuple[float, float]


def curtain_wall_planes(
    shapes: Shapes, curtain_walls: Sequence[ifcopenshell.entity_instance]
) -> dict[int, CurtainPlane]:
    """Plane and elevation area of each curtain wall from the geometry of its own body and of its parts (panels,
    mullions, doors): real exports (Revit) model a curtain wall as an aggregate of IfcPlate / IfcMember parts with
    no body of its own, and some place it at the origin with no rotation, so the placement cannot say which way it
    faces. The plane is the vertical plane through the principal horizontal direction of all vertices; the area is
    the union of the convex outlines of the members projected on it (a curved wall is measured on its chord)."""
    import numpy as np
    import shapely

    owner: dict[int, int] = {}
    members: list[ifcopenshell.entity_instance] = []
    for wall in curtain_walls:
        for member in (wall, *_parts(wall)):
            owner[member.id()] = wall.id()
            members.append(member)
    vertices: dict[int, list[Any]] = {}
    for member_id, mesh in shapes.meshes(members).items():
        if len(mesh.world) >= 3:
            vertices.setdefault(owner[member_id], []).append(mesh.world)
    planes: dict[int, CurtainPlane] = {}
    for wall_id, groups in vertices.items():
        stacked = np.vstack(groups)
        centre = stacked[:, :2].mean(axis=0)
        eigenvalues, eigenvectors = np.linalg.eigh(np.cov((stacked[:, :2] - centre).T))
        along = eigenvectors[:, int(np.argmax(eigenvalues))]
        outlines = [
            shapely.MultiPoint(np.stack([points[:, :2] @ along, points[:, 2]], axis=1)).convex_hull for points in groups
        ]
        area = float(shapely.unary_union(outlines).area)
        if area > 0:
            normal = (-float(along[1]), float(along[0]))
            planes[wall_id] = CurtainPlane(round(area, 6), (float(centre[0]), float(centre[1])), normal)
    return planes
