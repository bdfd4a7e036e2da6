"""Every formatter is total (issue 9, numbers): NaN, ±inf, -0.0, 1e300 and integers beyond the float range give a
text, never an exception (an area of 1e26 made decimal raise InvalidOperation and no report was written)."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.report.charts import bar_chart
from checker.rules.formatting import (
    exact_text,
    finite_float,
    format_number,
    format_value,
    is_non_finite,
    number_text,
    percent_text,
)

UNITS = [None, "1", "m2", "m", "m3", "W", "kW", "star", "W/(m2.K)", "1/h", "kg", "panels"]
HUGE = 10**400
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-HUGE, max_value=HUGE))


@given(NUMBERS, st.sampled_from(UNITS))
def test_format_value_is_total(value: float | int, unit: str | None) -> None:
    text = format_value(value, unit)
    assert text and len(text) < 40  # never 300 digits
    if is_non_finite(value) and isinstance(value, float):
        assert ("NaN" if math.isnan(value) else "∞") in text


@given(NUMBERS, st.one_of(st.none(), st.integers(min_value=0, max_value=6)))
def test_number_and_percent_texts_are_total(value: float | int, places: int | None) -> None:
    for text in (number_text(value, places), percent_text(value), format_number(value), exact_text(value)):
        assert text and len(text) < 40
    assert exact_text(value, percent=True)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14))
def test_ordinary_figures_keep_their_digits(value: float) -> None:
    text = number_text(value, 2)
    assert abs(Decimal(text.replace(",", "")) - Decimal(repr(value))) <= Decimal("0.005")


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1e26, "m2", "1e+26 m²"),
        (float("inf"), "1", "∞ %"),
        (float("-inf"), "m2", "-∞ m²"),
        (float("nan"), "m2", "NaN m²"),
        (-0.0, "m2", "0 m²"),
        (10**400, "m2", "1e+400 m²"),
        (1e300, "W", "1e+297 kW"),
        (1e307, "1", "1e+309 %"),
        (0.5625, "1", "56.3 %"),
        (21600.0, "m2", "21,600 m²"),
        (3.0, "star", "3★"),
    ],
)
def test_absurd_figures_are_shown_as_such(value: float | int, unit: str, shown: str) -> None:
    assert format_value(value, unit) == shown


def test_number_text_examples() -> None:
    assert number_text(float("nan")) == "NaN"
    assert number_text(float("inf"), 1) == "∞"
    assert number_text(-0.0, 2) == "0.00"
    assert number_text(1e300) == "1e+300"
    assert number_text(10**30) == "1e+30"
    assert number_text(123456789) == "123,456,789"
    assert percent_text(1e307) == "1e+309"
    assert exact_text(0.49999, percent=True) == "49.999"


def test_finite_float_refuses_what_cannot_be_compared() -> None:
    assert [finite_float(v) for v in (2, 1.5, float("nan"), float("-inf"), 10**400, True, "3")] == [
        2.0,
        1.5,
        None,
        None,
        None,
        None,
        None,
    ]


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "label": st.text(max_size=5),
                "value": NUMBERS,
                "threshold": st.one_of(st.none(), NUMBERS),
                "unit": st.sampled_from(["1", "m2", "W"]),
            }
        ),
        min_size=1,
        max_size=3,
    )
)
def test_bar_charts_are_total(bars: list[dict[str, object]]) -> None:
    """A chart bar of NaN, ±inf or 1e300 (value or threshold) gives finite SVG coordinates, never an exception."""
    svg = str(bar_chart(bars, "en"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    for number in re.findall(r' (?:width|x1|x2|x)="([^"]+)"', svg):
        assert math.isfinite(float(number)), number


def test_a_nan_bar_is_shown_as_such() -> None:
    svg = str(bar_chart([{"label": "coverage", "value": float("nan"), "threshold": 0.5, "unit": "1"}], "en"))
    assert "NaN %" in svg
