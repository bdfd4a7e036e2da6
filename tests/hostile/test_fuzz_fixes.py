"""What the fuzz crashers fixed in facts extraction now yield (inputs in fuzz_regressions/, see its README.md).

Each of these once ended in 'internal error: ...' or a numpy warning on stderr; now the damaged datum is unknown
(the rest of the model is still checked) or the file is refused in one line naming the broken entity.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import ifcopenshell
import pytest

from checker.api import check_file, facts_for_file
from checker.console import printable
from checker.errors import ModelLoadError
from checker.model.placements import find_placement_cycle, local_placement
from checker.report import render
from checker.rules.loader import load_ruleset

CASES = Path(__file__).with_name("fuzz_regressions")
SAMPLE = Path(__file__).resolve().parents[2] / "sample_models" / "unknown-missing-data.ifc"


def test_a_zero_direction_leaves_the_placement_unknown_without_a_numpy_warning() -> None:
    broken = ifcopenshell.open(str(CASES / "zero-direction-placement.ifc"))
    good = ifcopenshell.open(str(SAMPLE))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the RuntimeWarning 'invalid value encountered in divide' would raise here
        assert local_placement(broken.by_id(42)) is None  # storey L2: its axis (0, 0, 0)
        facts = facts_for_file(CASES / "zero-direction-placement.ifc", load_ruleset())
    matrix = local_placement(good.by_id(42))
    assert matrix is not None and matrix[2][3] == pytest.approx(3.0)
    # the storeys' Elevation attributes (0, 3, 6 m) still give the height, a lower bound as in the intact sample
    height = facts.buildings[0].facts["building_height"]
    assert (height.value, height.bound) == (6.0, "lower")


def test_an_axis_placement_that_is_a_local_placement_is_unknown() -> None:
    model = ifcopenshell.open(str(CASES / "axis-placement-is-a-local-placement.ifc"))
    assert local_placement(model.by_id(34)) is None  # #34 RelativePlacement is #27, an IfcLocalPlacement
    facts = facts_for_file(CASES / "axis-placement-is-a-local-placement.ifc", load_ruleset())
    height = facts.buildings[0].facts["building_height"]
    assert (height.value, height.bound) == (6.0, "lower")


def test_a_placement_loop_is_not_swallowed() -> None:
    """A loop must reach the caller: the geometry engine would crash on it later (issue 9, isolation)."""
    model = ifcopenshell.open(str(CASES / "placement-self-loop.ifc"))
    with pytest.raises(RecursionError):
        local_placement(model.by_id(27))


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("globalid-is-a-reference.ifc", "#35 IfcSlab has no GlobalId string (the file breaks the schema)"),
        ("building-without-globalid.ifc", "#21 IfcBuilding has no GlobalId string (the file breaks the schema)"),
    ],
)
def test_an_entity_without_a_globalid_string_refuses_the_file_naming_it(case: str, message: str) -> None:
    with pytest.raises(ModelLoadError) as info:
        facts_for_file(CASES / case, load_ruleset())
    assert info.value.reason == message


def test_a_string_in_a_quantity_list_leaves_that_storeys_area_unknown() -> None:
    """ifcopenshell keeps only the string of ('GrossFloorArea', #48): L1's area is lost, L2's 6,200 m² a lower bound."""
    facts = facts_for_file(CASES / "quantity-list-holds-a-string.ifc", load_ruleset())
    gfa = facts.buildings[0].facts["above_ground_gfa"]
    assert (gfa.value, gfa.bound) == (6200.0, "lower")
    assert gfa.missing is not None and gfa.missing.startswith("floor area of storeys L1 ")
    assert gfa.evidence[0].global_ids == ["2CjrQSQ7HTsAsIWSQKNJop"]


def test_a_units_in_context_of_another_type_reads_as_no_units_declared() -> None:
    """IfcProject.UnitsInContext pointing to its representation context: no units, so lengths are unknown."""
    facts = facts_for_file(CASES / "units-in-context-is-a-context.ifc", load_ruleset())
    assert facts.model.warnings == ["the file declares no units (IfcUnitAssignment): unit-bearing figures are unknown"]
    assert facts.model.length_unit is None
    assert facts.buildings[0].facts["building_height"].value is None


def test_a_property_definition_that_is_a_string_is_skipped() -> None:
    """#37 relates '#36' (a string) instead of the building's quantity set: its Height is missing, nothing else."""
    facts = facts_for_file(CASES / "property-definition-is-a-string.ifc", load_ruleset()).buildings[0].facts
    assert facts["building_height"].value is None
    assert (facts["above_ground_gfa"].value, facts["above_ground_gfa"].bound) == (12400.0, "exact")
    assert facts["use_category"].value == "public"


def test_a_quantity_unit_that_is_a_number_leaves_that_quantity_unknown() -> None:
    """L1's GrossFloorArea carries Unit = 5: it cannot be converted, so L2's 6,200 m² is a lower bound."""
    gfa = facts_for_file(CASES / "quantity-unit-is-a-number.ifc", load_ruleset()).buildings[0].facts["above_ground_gfa"]
    assert (gfa.value, gfa.bound) == (6200.0, "lower")
    assert gfa.missing is not None and gfa.missing.startswith("floor area of storeys L1 ")


def test_an_aggregation_whose_parent_is_a_string_is_skipped() -> None:
    """#29 aggregates the storeys under '#21' (a string): the building has no storeys, its elements are unplaced."""
    facts = facts_for_file(CASES / "aggregate-parent-is-a-string.ifc", load_ruleset())
    assert facts.model.warnings == [
        "4 elements are not placed in the building's spatial structure; attributed to its only building"
    ]
    gfa = facts.buildings[0].facts["above_ground_gfa"]
    assert (gfa.value, gfa.missing) == (None, "an IfcBuildingStorey in the building (there is none)")


def test_a_placement_relative_to_a_number_is_no_cycle() -> None:
    """#27's PlacementRelTo is 5.: no parent (as if $), so no cycle; the check runs (heights from Elevation)."""
    model = ifcopenshell.open(str(CASES / "placement-relative-to-a-number.ifc"))
    assert find_placement_cycle(model) is None
    height = facts_for_file(CASES / "placement-relative-to-a-number.ifc", load_ruleset()).buildings[0].facts
    assert (height["building_height"].value, height["building_height"].bound) == (6.0, "lower")


def test_a_globalid_written_as_a_logical_keeps_its_element_out_of_geometry() -> None:
    """`.U.` as a stair flight's GlobalId reads as 'UNKNOWN'; handed to ifcopenshell's 2-thread geometry iterator the
    element made it wait forever (the check sat idle until --timeout). Now it is kept out, with a warning."""
    case = CASES / "globalid-is-an-enumeration-hangs.ifc"
    facts = facts_for_file(case, load_ruleset())
    assert (
        "1 entities have a GlobalId that is not a 22-character IFC id (e.g. #179 IfcStairFlight 'UNKNOWN'): the file "
        "breaks the schema, and their geometry is not computed" in facts.model.warnings
    )
    assert [b.name for b in facts.buildings] == ["Depot Control Building"]


def test_a_byte_that_decodes_as_nothing_is_shown_visibly_in_reports_and_on_the_console(tmp_path: Path) -> None:
    """A raw 0x9B inside an enumeration reaches ifcopenshell's log as a lone surrogate; the HTML report failed to
    encode it ('internal error: UnicodeEncodeError'). Reports and the console now show it as the text \\udc9b."""
    run = check_file(CASES / "invalid-utf8-in-enumeration.ifc", load_ruleset())
    parser = next(w for w in run.model.warnings if w.startswith("the IFC parser reported"))
    assert "An enumeration literal '\udc9bQUARE_METRE' is not valid for type 'IfcSIUnitName'" in parser
    assert "[error]" not in parser and not re.search(r"\d{4}-\d\d-\d\d \d\d:", parser)  # no log tags, no time
    assert b"\\udc9bQUARE_METRE" in render(run, "html", "en")
    assert b"\\udc9bQUARE_METRE" in render(run, "json", "en")
    assert printable("a\udc9bb") == "a\\udc9bb"
