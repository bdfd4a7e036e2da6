"""Object placements of a broken file, read without letting it crash the check or leak numpy warnings.

ifcopenshell.util.placement asserts the entity types it meets (AssertionError on a mistyped attribute) and divides
by each axis' length (a zero or non-finite direction prints a numpy RuntimeWarning on stderr and yields NaN).
Either way the placement says nothing: callers get None and treat the figure as unknown. A placement that points to
itself or loops (RecursionError) is not swallowed: the geometry engine would crash on it later, so the file must be
refused as a whole (issue 9, isolation and cycle detection).
"""

from __future__ import annotations

import ifcopenshell
import ifcopenshell.util.placement as ifc_placement
import numpy as np
import numpy.typing as npt


def local_placement(placement: ifcopenshell.entity_instance) -> npt.NDArray[np.float64] | None:
    """The 4x4 placement matrix in project coordinates (file units), or None when it cannot be known."""
    try:
        with np.errstate(all="ignore"):
            matrix = np.asarray(ifc_placement.get_local_placement(placement), dtype=np.float64)
    except RecursionError:
        raise
    except (AssertionError, AttributeError, TypeError, ValueError, IndexError, RuntimeError):
        return None
    return matrix if matrix.shape == (4, 4) and bool(np.isfinite(matrix).all()) else None
