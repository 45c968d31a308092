"""Money and ratios as the dashboards show them: each amount with its own currency."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    """`1.800.000 ₫` in Vietnamese, `¥12,826.04` in Chinese (core.money, with Babel)."""
    return format_money(amount, currency)


@register.filter
def percent(ratio) -> str:
    """A ratio (0.0123) as a percentage (1.23 %)."""
    if ratio is None:
        return "—"
    return f"{number_format(Decimal(ratio) * 100, 2)} %"


@register.filter
def change(value) -> str:
    """A change already in per cent, signed: +12.5 %, −3.0 %."""
    if value is None:
        return "—"
    sign = "+" if value >= 0 else "−"
    return f"{sign}{number_format(abs(Decimal(value)), 1)} %"


@register.filter
def cents_money(cents, currency: str) -> str:
    """An amount kept in hundredths, shown like `money`."""
    if cents is None:
        return "—"
    return money(Decimal(cents) / 100, currency)


def buyers_text(count, partial: bool = False) -> str:
    """Buyers as the exports tell them: `unknown` when no order named its buyer (Douyin,
    Lazada), `at least N` when only some did, else the number."""
    if count is None:
        return str(_("unknown"))
    if partial:
        return str(_("at least %(count)s") % {"count": number_format(count, force_grouping=True)})
    return number_format(count, force_grouping=True)


@register.simple_tag
def buyers(count, partial=False) -> str:
    return buyers_text(count, partial)
