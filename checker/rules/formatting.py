"""Human formatting of measured values, shared by messages and reports.

Every function here is total: NaN, ±inf, -0.0, 1e300 and integers beyond the float range all give a text, never an
exception (a report that cannot be written is worse than a figure shown as "not a finite number"). Rounding runs on
Decimal in a private context wide enough for any float, so no figure raises decimal.InvalidOperation.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

UNIT_SYMBOLS = {
    "m2": "m²",
    "m3": "m³",
    "W/(m2.K)": "W/(m²·K)",
    "1/h": "h⁻¹",
    "1": "",
    "star": "★",
    "panels": "",
    "units": "",
    "windows": "",
    "points": "pts",
    "kg": "kg",
    "a": "a",
    "fraction": "",
    "known": "",
    "yes": "",
}
# Units written as words, per language, where a symbol would be English in a Chinese text ("pts") or hide a plural.
UNIT_WORDS = {
    "en": {
        "points": ("point", "points"),
        "level": ("level", "levels"),
        "items": ("data item", "data items"),
        "windows": ("window", "windows"),
    },
    "zh": {"points": ("分", "分"), "level": ("级", "级"), "items": ("项数据", "项数据"), "windows": ("樘", "樘")},
}
# A difference of two percentages is in percentage points, never in percent.
PERCENTAGE_POINTS = {"en": "pp", "zh": "个百分点"}
# How a requirement 'the model's figure minus the declared one >= 0' and a presence check read.
DECLARED_WORDS = {
    "en": {
        "required": "at least as declared",
        "same": "as declared",
        "less": "{d} less than declared",
        "more": "{d} more than declared",
    },
    "zh": {"required": "不低于申报值", "same": "与申报一致", "less": "比申报少 {d}", "more": "比申报多 {d}"},
}
# The unit of a presence check: 1 means "the value is known", a placeholder, not a figure to show.
KNOWN = "known"
# The unit of a dimensionless coefficient shown as a decimal fraction (SHGC 0.42), unlike '1' shown in %.
FRACTION = "fraction"
KNOWN_WORDS = {"en": "a known value", "zh": "有确定取值"}
# The unit of a yes/no check (1 yes, 0 no): a declaration that must take an expected value.
YES = "yes"
YES_WORDS = {"en": ("no", "yes"), "zh": ("否", "是")}
# From this magnitude on a figure is shown as 1.23e+26: thirty digits of an absurd area help nobody read it.
SCIENTIFIC_FROM = Decimal(10) ** 15
SCIENTIFIC_DIGITS = 3
INFINITY, MINUS_INFINITY = "∞", "-∞"
NOT_A_NUMBER = "NaN"
NOT_FINITE_WORDS = {"en": "not a finite number", "zh": "非有限数值"}
# Enough digits for any float written out in full (1.8e308 has 309) plus the decimal places asked for.
_WIDE = Context(prec=400, rounding=ROUND_HALF_UP, Emax=999_999, Emin=-999_999)


def finite_float(value: object) -> float | None:
    """The value as a finite float; None for NaN, ±inf, an integer beyond the float range, a bool or a non-number.

    Example:
        >>> finite_float(2), finite_float(float("inf")), finite_float(10**400), finite_float(True)
        (2.0, None, None, None)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def is_non_finite(value: object) -> bool:
    """A number that has no finite float value (NaN, ±inf, or an integer too large for a float)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and finite_float(value) is None


def _decimal(value: float | int) -> Decimal:
    """The exact decimal of a float's shortest repr (so 56.25 rounds to 56.3) or of an int of any size."""
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _special(value: Decimal) -> str | None:
    if value.is_nan():
        return NOT_A_NUMBER
    if value.is_infinite():
        return MINUS_INFINITY if value < 0 else INFINITY
    return None


def _scientific(value: Decimal, digits: int = SCIENTIFIC_DIGITS) -> str:
    """'1.5e+26': `digits` significant digits, trailing zeros of the mantissa cut."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{exponent}"


def decimal_text(value: Decimal, places: int | None = None) -> str:
    """Thousands separators; half-up rounding to `places`, else 3 decimals below 10 and 2 above, trailing zeros cut;
    -0 shown as 0; from 1e15 on scientific notation; NaN and ±inf as NaN / ∞ / -∞."""
    special = _special(value)
    if special is not None:
        return special
    if abs(value) >= SCIENTIFIC_FROM:
        return _scientific(value)
    digits = places if places is not None else (3 if abs(value) < 10 else 2)
    with localcontext(_WIDE):
        rounded = value.quantize(Decimal(1).scaleb(-digits))
    text = f"{rounded:,.{digits}f}"
    if places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def number_text(value: float | int, places: int | None = None) -> str:
    """The HTML report's numbers: exact integers with separators, other figures through decimal_text.

    Example:
        >>> number_text(12345.678), number_text(56.25, places=1), number_text(-0.0), number_text(1e26)
        ('12,345.68', '56.3', '0', '1e+26')
    """
    if isinstance(value, int) and not isinstance(value, bool) and places is None:
        return f"{value:,}" if abs(value) < SCIENTIFIC_FROM else _scientific(Decimal(value))
    return decimal_text(_decimal(value), places)


def percent_text(ratio: float | int, places: int = 1) -> str:
    """A ratio as a percentage figure (0.5625 -> '56.3'), scaled in Decimal so that 1e307 cannot overflow to ∞."""
    value = _decimal(ratio)
    with localcontext(_WIDE):
        scaled = value * 100 if value.is_finite() else value
    return decimal_text(scaled, places)


def exact_text(value: float | int, percent: bool = False) -> str:
    """Ten significant digits, not rounded for show (an override of 50 % to 49.999 % must not read '50 % → 50 %');
    `percent` scales a ratio by 100 first, in Decimal where a float would overflow.

    Example:
        >>> exact_text(0.49999, percent=True), exact_text(1e307, percent=True), exact_text(float("nan"))
        ('49.999', '1e+309', 'NaN')
    """
    number = finite_float(value * 100 if percent else value)
    if number is not None:
        return f"{number:.10g}"
    exact = _decimal(value)
    if not exact.is_finite():
        return decimal_text(exact)
    with localcontext(_WIDE):
        return _scientific(exact * 100 if percent else exact, digits=10)


def format_number(value: float | int, digits: int = 1) -> str:
    """Engine style: integers with separators, `digits` decimals from 1 up, 3 significant digits below 1."""
    if is_non_finite(value):
        return decimal_text(_decimal(value))
    number = float(value)
    if abs(number) >= float(SCIENTIFIC_FROM):
        return _scientific(_decimal(value))
    if number == 0:
        return "0"
    if number.is_integer() and abs(number) >= 1:
        return f"{int(number):,}"
    return f"{number:,.{digits}f}" if abs(number) >= 1 else f"{number:.{max(digits, 3)}g}"


def _fixed(value: float | int, places: int) -> str:
    """f"{value:,.Nf}" for ordinary figures, scientific notation from 1e15 on (no 300-digit numbers)."""
    if abs(value) >= SCIENTIFIC_FROM:
        return _scientific(_decimal(value))
    text = f"{value:,.{places}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def format_value(value: object, unit: str | None) -> str:
    """56.25 % for ratios, 21,600 m² for areas, 360 kW for powers, 3★ for star levels; ∞ / NaN where no digits fit."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if unit == "1":
        return f"{percent_text(value)} %"
    symbol = UNIT_SYMBOLS.get(unit or "", unit or "")
    if is_non_finite(value):
        return f"{format_number(value)} {symbol}".strip()
    if unit == "W":
        return f"{_fixed(value / 1000, 1)} kW" if abs(value) >= 1000 else f"{_fixed(value, 0)} W"
    if unit == "star":
        return f"{format_number(value)}★" if float(value).is_integer() else f"{value}★"
    text = format_number(value, 2 if unit in ("W/(m2.K)", "1/h") else 1)
    return f"{text} {symbol}".strip()


def unit_word(value: float | int, unit: str, lang: str) -> str | None:
    """'points' / '分', 'level' / 'levels' / '级': the unit as a word of the language, None for symbol units."""
    words = UNIT_WORDS.get(lang, UNIT_WORDS["en"]).get(unit)
    if words is None:
        return None
    return words[0] if abs(float(value)) == 1 else words[1]


def value_text(value: object, unit: str | None, lang: str = "en") -> str:
    """format_value in a language: points and levels as words ('84.8 points', '84.8 分'), the rest as symbols."""
    if unit and not is_non_finite(value) and isinstance(value, (int, float)) and not isinstance(value, bool):
        if unit == YES:
            return YES_WORDS.get(lang, YES_WORDS["en"])[1 if value else 0]
        word = unit_word(value, unit, lang)
        if word is not None:
            return f"{format_number(value)} {word}"
    return format_value(value, unit)


def difference_text(amount: float | int, unit: str | None, lang: str = "en") -> str:
    """The size of a difference, never signed (the words around it carry the direction): '18.8 pp' for ratios,
    '1★', '12 points', '2 levels', '0.03' for a fraction."""
    size = abs(amount)
    if unit == "1":
        return f"{percent_text(size)} {PERCENTAGE_POINTS.get(lang, 'pp')}"
    return value_text(size, unit, lang)


def against_declared(op: str | None, threshold: object) -> bool:
    """A requirement '>= 0' is put on a figure that is the model's value minus the declared one (star level, energy
    level, 7.2.18 points): it reads 'at least as declared', never '≥ 0★'."""
    return op in (">=", ">") and finite_float(threshold) == 0.0


def declared_difference_text(value: float | int, unit: str | None, lang: str = "en") -> str:
    """'as declared', '1★ less than declared', '12 points more than declared': the sign carried by the words."""
    words = DECLARED_WORDS.get(lang, DECLARED_WORDS["en"])
    if value == 0:
        return words["same"]
    return words["less" if value < 0 else "more"].format(d=difference_text(value, unit, lang))


def requirement_text(op: str, threshold: float | int, unit: str | None, symbol: str, lang: str = "en") -> str:
    """'≥ 50.0 %'; 'at least as declared' for a difference against a declaration; 'a known value' for a presence
    check (unit 'known'), whose threshold 1 is a placeholder rather than a figure."""
    if unit == KNOWN:
        return KNOWN_WORDS.get(lang, KNOWN_WORDS["en"])
    if unit == YES:
        return YES_WORDS.get(lang, YES_WORDS["en"])[1]
    if against_declared(op, threshold):
        return DECLARED_WORDS.get(lang, DECLARED_WORDS["en"])["required"]
    return f"{symbol} {value_text(threshold, unit, lang)}"
