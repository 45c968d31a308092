"""Parsing of single cell values found in platform exports: money, ids, counts, times, text.

Every parser accepts what a CSV reader gives (``str``) and what openpyxl gives for a cell
(``None``, ``int``, ``float``, ``Decimal``, ``datetime``, ``str``) and raises ``ValueError`` with
a short English reason when the value cannot be read. The common shapes are tested first with
plain string operations, because these functions run once per cell on files of millions of rows.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import TypeAlias
from zoneinfo import ZoneInfo

__all__ = [
    "EMPTY_MARKERS",
    "Cell",
    "MAX_TEXT_LENGTH",
    "clean_text",
    "currency_from_symbol",
    "header_key",
    "nfc",
    "parse_amount",
    "parse_count",
    "parse_datetime",
    "parse_id",
    "parse_local_datetime",
    "parse_money",
    "to_utc",
]

UTC = dt.UTC

# What one cell of an export holds: text from a CSV reader; from openpyxl also a number, a
# time, a duration or nothing (None). bool cells are ints. Every parser below accepts any of them.
Cell: TypeAlias = (
    str | int | float | Decimal | dt.datetime | dt.date | dt.time | dt.timedelta | None
)

# Values that platforms write for "nothing here": Douyin uses "-", the TikTok affiliate
# export "--", and spreadsheets left by staff sometimes hold "N/A".
EMPTY_MARKERS = frozenset({"", "-", "--", "—", "–", "N/A", "n/a", "NA", "null", "NULL", "None"})

# Excel refuses longer cells, so a longer value is a damaged or hostile file, not a product name.
MAX_TEXT_LENGTH = 32_767

# Currency markers that appear in money cells, mapped to ISO 4217 codes. "$" alone is left
# out on purpose: it is used by several currencies and says nothing reliable.
_CURRENCY_TOKENS = {
    "₫": "VND",
    "đ": "VND",
    "vnd": "VND",
    "vnđ": "VND",
    "¥": "CNY",
    "￥": "CNY",
    "元": "CNY",
    "cny": "CNY",
    "rmb": "CNY",
    "$": "",
    "us$": "USD",
    "usd": "USD",
    "r$": "BRL",
    "brl": "BRL",
    "₱": "PHP",
    "php": "PHP",
    "rm": "MYR",
    "myr": "MYR",
    "s$": "SGD",
    "sgd": "SGD",
    "rp": "IDR",
    "idr": "IDR",
    "฿": "THB",
    "thb": "THB",
    "€": "EUR",
    "eur": "EUR",
}
# Currencies whose amounts never have a minor unit: "1.800" in dong is one thousand eight hundred.
_ZERO_DECIMAL_CURRENCIES = frozenset({"VND", "IDR", "JPY", "KRW"})
_GROUPING_CHARACTERS = " \u00a0\u202f\u2009'’_"
_MINUS_SIGNS = "-\u2212"
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Floats represent every integer exactly only up to 2**53; a longer id stored as a number has
# already been rounded by the spreadsheet that wrote it.
_FLOAT_EXACT_LIMIT = 2**53


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC form (exports mix precomposed and decomposed accents)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text)


def header_key(header: object) -> str:
    """Return the comparison key of a header: NFC, trimmed, single-spaced, case-folded."""
    return " ".join(nfc(str(header or "")).replace("\ufeff", "").split()).casefold()


def _unwrap(text: str) -> str:
    """Remove the wrappers that stop spreadsheets from reformatting a cell.

    ``="0123"`` is Excel's formula form of a literal and a leading apostrophe marks text; both
    are written by exports and by people who opened the file before uploading it.
    """
    if text[0] == "=" and len(text) >= 3 and text[1] == '"' and text[-1] == '"':
        return text[2:-1].strip()
    if text[0] == "'":
        return text[1:].strip()
    return text


def clean_text(value: Cell) -> str:
    """Return a cell as trimmed NFC text, with the platforms' empty markers as ``""``."""
    if value is None:
        return ""
    if type(value) is not str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    text = value.strip()
    if text in EMPTY_MARKERS:
        return ""
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"text longer than {MAX_TEXT_LENGTH:,} characters")
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text)


def parse_id(value: Cell) -> str:
    """Return a platform identifier as text, exactly as the platform wrote it.

    Exports protect ids from spreadsheets with a tab, ``="..."`` or an apostrophe; all are
    removed. An id that a spreadsheet already turned into a floating-point number has lost its
    last digits and is refused rather than imported under a wrong value.
    """
    if type(value) is str:
        text = value.strip()
        if not text or text in EMPTY_MARKERS:
            return ""
        if text.isalnum() and text.isascii():
            return text
        text = _unwrap(text)
        if len(text) > 200:
            raise ValueError("identifier longer than 200 characters")
        if text.endswith(".0") and text[:-2].isdigit():
            return text[:-2]
        upper = text.upper()
        if "E+" in upper and upper.replace("E+", "", 1).replace(".", "", 1).isdigit():
            raise ValueError(
                "the identifier was turned into a number by a spreadsheet and lost digits; "
                "upload the file as exported, without saving it from a spreadsheet"
            )
        return nfc(text)
    if value is None:
        return ""
    if type(value) is int:
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _FLOAT_EXACT_LIMIT:
            return str(int(value))
        raise ValueError(
            "the identifier is stored as a number and lost digits; upload the file as "
            "exported, without saving it from a spreadsheet"
        )
    if isinstance(value, Decimal):
        return format(value, "f")
    return clean_text(value)


def currency_from_symbol(token: str) -> str | None:
    """Return the ISO code for a currency symbol or code found in a money cell, if known."""
    code = _CURRENCY_TOKENS.get(token.strip().casefold())
    return code or None


def parse_money(value: Cell, *, minor_units: int | None = None) -> Decimal | None:
    """Return an amount as ``Decimal``; ``None`` for an empty cell or an empty marker.

    Reads plain numbers (``245000``, ``'390000.00``), grouped numbers in either convention
    (``1.800.000 ₫``, ``₫1,800,000``), decimal commas (``12,50``, ``BRL 35,91``), currency
    symbols and codes, and negative amounts (``-22500.00``, ``(5.00)``). ``minor_units=0``
    says the currency has no minor unit, so ``1.800`` is read as one thousand eight hundred.
    """
    return parse_amount(value, minor_units=minor_units)[0]


def parse_amount(
    value: Cell, *, minor_units: int | None = None
) -> tuple[Decimal | None, str | None]:
    """Return ``(amount, currency code or None)`` for a money cell; see ``parse_money``."""
    if type(value) is str:
        # The fast path covers almost every cell of a real export.
        text = value.strip()
        if text.isdigit() and text.isascii():
            return Decimal(text), None
        return _parse_money_text(text, minor_units)
    if value is None:
        return None, None
    if type(value) is int:
        return Decimal(value), None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a finite amount")
        return Decimal(repr(value)), None
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("not a finite amount")
        return value, None
    raise ValueError("not an amount")


def _parse_money_text(text: str, minor_units: int | None) -> tuple[Decimal | None, str | None]:
    if not text or text in EMPTY_MARKERS:
        return None, None
    text = _unwrap(text)
    if not text or text in EMPTY_MARKERS:
        return None, None
    negative = False
    if text[0] == "(" and text[-1] == ")":
        negative, text = True, text[1:-1].strip()
    # Split into a currency prefix, the number, and a currency suffix; anything else in
    # between (letters inside digits, two numbers) is not an amount.
    start = 0
    while start < len(text) and not (text[start].isdigit() or text[start] in ".,"):
        start += 1
    end = len(text)
    while end > start and not text[end - 1].isdigit():
        end -= 1
    prefix, number, suffix = text[:start].strip(), text[start:end], text[end:].strip()
    if not number:
        raise ValueError("not an amount")
    for sign in _MINUS_SIGNS:
        if prefix.endswith(sign):
            negative, prefix = True, prefix[:-1].strip()
        if suffix.startswith(sign) and not suffix[1:].strip():
            negative, suffix = True, ""
        if prefix.startswith(sign):
            negative, prefix = True, prefix[1:].strip()
    if prefix.startswith("+"):
        prefix = prefix[1:].strip()
    currency = None
    for token in (prefix, suffix):
        if token:
            if token.casefold() not in _CURRENCY_TOKENS:
                raise ValueError("not an amount")
            currency = _CURRENCY_TOKENS[token.casefold()] or currency
    for character in _GROUPING_CHARACTERS:
        if character in number:
            number = number.replace(character, "")
    if not number.replace(".", "").replace(",", "").isdigit():
        raise ValueError("not an amount")
    if minor_units is None and currency in _ZERO_DECIMAL_CURRENCIES:
        minor_units = 0
    number = _resolve_separators(number, minor_units)
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise ValueError("not an amount") from None
    return (-amount if negative else amount), currency


def _resolve_separators(number: str, minor_units: int | None) -> str:
    """Turn a number with grouping and decimal separators into ``Decimal`` syntax."""
    dots, commas = number.count("."), number.count(",")
    if dots and commas:
        # Both appear: the last one is the decimal separator, the other groups thousands.
        decimal_mark = "." if number.rfind(".") > number.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        if number.count(decimal_mark) > 1:
            raise ValueError("not an amount")
        return number.replace(group_mark, "").replace(decimal_mark, ".")
    if not dots and not commas:
        return number
    mark = "." if dots else ","
    if dots + commas > 1:
        return number.replace(mark, "")
    whole, _, fraction = number.partition(mark)
    # "1,800" groups thousands; "1.800" does so only in a currency without a minor unit.
    if len(fraction) == 3 and whole not in ("", "0") and (mark == "," or minor_units == 0):
        return whole + fraction
    return (whole or "0") + "." + fraction


def parse_count(value: Cell) -> int:
    """Return a quantity as a non-negative ``int``; an empty cell counts as 0."""
    if type(value) is str:
        text = value.strip()
        if text.isdigit() and text.isascii():
            return int(text)
        if not text or text in EMPTY_MARKERS:
            return 0
        amount = parse_money(text)
        if amount is None:
            return 0
    elif value is None:
        return 0
    elif type(value) is int:
        amount = Decimal(value)
    else:
        amount = parse_money(value)
        if amount is None:
            return 0
    if amount != amount.to_integral_value():
        raise ValueError("not a whole number")
    if amount < 0:
        raise ValueError("negative quantity")
    if amount > 10_000_000:
        raise ValueError("quantity too large")
    return int(amount)


def _time_of_day(text: str) -> tuple[int, int, int, int]:
    """Parse ``H:MM``, ``HH:MM:SS`` or ``HH:MM:SS.ffffff`` into (hour, minute, second, µs)."""
    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise ValueError("not a time of day")
    seconds = parts[2] if len(parts) == 3 else "0"
    second_text, _, fraction = seconds.partition(".")
    microsecond = int((fraction + "000000")[:6]) if fraction else 0
    return int(parts[0]), int(parts[1]), int(second_text), microsecond


def parse_local_datetime(value: Cell, *, month_first: bool = False) -> dt.datetime | None:
    """Return the wall-clock time written in a cell (naive, or aware if the cell says its zone).

    Reads ``DD/MM/YYYY HH:MM:SS`` (TikTok), ``MM/DD/YYYY h:mm:ss AM/PM`` (US shops),
    ``YYYY-MM-DD HH:MM(:SS)`` (Douyin, Shopee), ``04 Jul 2022 11:46`` (Lazada), ISO 8601, plain
    dates, Excel date cells and Excel serial numbers. A slashed date is read day first unless it
    carries AM/PM, its first number cannot be a day, or ``month_first`` is set.
    """
    if type(value) is str:
        text = value.strip()
        if not text or text in EMPTY_MARKERS:
            return None
        if len(text) == 19 and text[2] == "/" and text[5] == "/" and not month_first:
            # TikTok's DD/MM/YYYY HH:MM:SS, by far the most common shape: reordered for the
            # C-level ISO parser, which also validates it.
            try:
                return dt.datetime.fromisoformat(f"{text[6:10]}-{text[3:5]}-{text[:2]}{text[10:]}")
            except ValueError:
                pass
        elif len(text) in (16, 19) and text[4] == "-" and text[7] == "-" and text[10] in " T":
            try:
                return dt.datetime.fromisoformat(text)
            except ValueError:
                pass
        return _parse_datetime_text(_unwrap(text), month_first)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell whose number format was lost: an Excel serial day count.
        if not 1 <= value < 2_958_466:
            raise ValueError("not a date")
        return _EXCEL_EPOCH + dt.timedelta(days=float(value))
    raise ValueError("not a date")


def _parse_datetime_text(text: str, month_first: bool) -> dt.datetime:
    if not text:
        raise ValueError("not a date")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return parsed
    tokens = text.replace(",", " ").split()
    meridiem = ""
    if tokens and tokens[-1].upper() in ("AM", "PM", "SA", "CH"):
        # SA/CH are the Vietnamese abbreviations (sáng, chiều).
        meridiem = {"AM": "AM", "SA": "AM"}.get(tokens.pop().upper(), "PM")
    try:
        if len(tokens) >= 3 and tokens[1].isalpha():
            # "04 Jul 2022 11:46" (Lazada).
            day, month, year = int(tokens[0]), _MONTHS[tokens[1].casefold()], int(tokens[2])
            rest = tokens[3:]
        else:
            date_text, rest = tokens[0], tokens[1:]
            separator = next((c for c in "/-." if c in date_text), "")
            if not separator:
                raise ValueError("not a date")
            first, second, third = (int(part) for part in date_text.split(separator))
            if len(date_text.split(separator)[0]) == 4:
                year, month, day = first, second, third
            else:
                year = third
                if meridiem or month_first or second > 12:
                    month, day = first, second
                else:
                    day, month = first, second
                if month > 12 and day <= 12:
                    day, month = month, day
        hour = minute = second_value = microsecond = 0
        if rest:
            if len(rest) != 1:
                raise ValueError("not a date")
            hour, minute, second_value, microsecond = _time_of_day(rest[0])
        if meridiem:
            if not 1 <= hour <= 12:
                raise ValueError("not a valid 12-hour time")
            hour = hour % 12 + (12 if meridiem == "PM" else 0)
        if year < 100:
            year += 2000
        return dt.datetime(year, month, day, hour, minute, second_value, microsecond)
    except (KeyError, ValueError, IndexError):
        raise ValueError("not a recognised date and time") from None


def to_utc(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Return ``moment`` in UTC; a naive time is read as wall-clock time in ``zone``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def parse_datetime(value: Cell, zone: ZoneInfo, *, month_first: bool = False) -> dt.datetime | None:
    """Return a cell's time as an aware UTC ``datetime``; naive times are read in ``zone``."""
    moment = parse_local_datetime(value, month_first=month_first)
    if moment is None:
        return None
    return to_utc(moment, zone)
