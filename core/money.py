"""Amounts as people read them in their language: one place for every page that shows money.

Babel formats them from the Unicode CLDR data: the symbol and where it goes, the grouping and
decimal marks, and the digits each currency has (VND none, CNY two). `1.800.000 ₫` in
Vietnamese, `¥12,826.04` in Chinese, `₫1,800,000` and `CN¥12,826.04` in English. Some locales
put a non-breaking space (U+00A0) between the number and the symbol, so that a line never breaks
inside an amount.
"""

from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import format_currency
from django.utils.translation import get_language

# Interface language (settings.LANGUAGES) -> the CLDR locale its amounts are written in: the
# country where the language's visitors pay in their own currency.
LOCALES = {"en": "en", "vi": "vi_VN", "zh-hans": "zh_Hans_CN"}
DEFAULT_LOCALE = "en"
# What an unknown amount shows (a figure not reported yet, not a zero).
MISSING = "—"


@cache
def _locale(language: str) -> Locale:
    name = LOCALES.get(language.lower()) or LOCALES.get(language.lower().split("-", 1)[0])
    return Locale.parse(name or DEFAULT_LOCALE)


def format_money(
    amount: Decimal | int | float | str | None, currency: str, *, language: str | None = None
) -> str:
    """`amount` in `currency`, written for `language` (the active one when not given)."""
    if amount is None:
        return MISSING
    if isinstance(amount, float):
        # Through its shortest text, so 0.1 stays 0.1 and not 0.1000000000000000055...
        amount = repr(amount)
    return format_currency(
        Decimal(amount), currency, locale=_locale(language or get_language() or DEFAULT_LOCALE)
    )
