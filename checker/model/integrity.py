"""Schema breaks every extractor would trip over, refused once before extraction in one line naming the entity.

Evidence, reports and the element index name every object by its GlobalId. A file whose IfcRoot entity has no
GlobalId string (a damaged file, or a record whose attributes were shifted) would otherwise fail deep inside an
extractor as an internal error; it is refused like any other file that cannot be trusted.
"""

from __future__ import annotations

from checker.errors import ModelLoadError
from checker.model.loader import LoadedModel


def require_global_ids(loaded: LoadedModel) -> None:
    """Raise ModelLoadError naming the first IfcRoot entity whose GlobalId is missing or not a string."""
    for entity in loaded.file.by_type("IfcRoot"):
        try:
            global_id = entity.GlobalId
        except (AttributeError, RuntimeError, TypeError, ValueError):
            global_id = None
        if not isinstance(global_id, str) or not global_id:
            raise ModelLoadError(
                str(loaded.path), f"#{entity.id()} {entity.is_a()} has no GlobalId string (the file breaks the schema)"
            )
