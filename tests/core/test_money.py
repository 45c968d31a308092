"""Amounts written as each interface language writes them (core.money, with Babel).

The strings are exactly what a visitor's browser receives: Vietnamese puts a non-breaking space
(U+00A0) between the number and the symbol, written NBSP below.
"""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core.money import format_money
from tests.catalog.factories import ProductFactory

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "amount", "currency", "text"),
    [
        ("vi", Decimal("1800000"), "VND", f"1.800.000{NBSP}₫"),
        ("zh-hans", Decimal("12826.04"), "CNY", "¥12,826.04"),
        ("en", Decimal("1800000"), "VND", "₫1,800,000"),
        ("en", Decimal("12826.04"), "CNY", "CN¥12,826.04"),
        ("vi", Decimal("12826.04"), "CNY", f"12.826,04{NBSP}CN¥"),
        ("zh-hans", Decimal("1800000"), "VND", "₫1,800,000"),
        # Each currency keeps its own digits: none for the dong, two for the yuan.
        ("vi", Decimal("1800000.00"), "VND", f"1.800.000{NBSP}₫"),
        ("zh-hans", Decimal("12"), "CNY", "¥12.00"),
        ("en", 1800000, "VND", "₫1,800,000"),
        ("en", 0.1, "CNY", "CN¥0.10"),
    ],
)
def test_an_amount_is_written_as_its_language_writes_it(language, amount, currency, text):
    assert format_money(amount, currency, language=language) == text
    with translation.override(language):
        assert format_money(amount, currency) == text


def test_an_unknown_amount_is_a_dash_not_a_zero():
    assert format_money(None, "VND") == "—"


def test_a_regional_or_unknown_language_falls_back_sensibly():
    assert format_money(Decimal("1800000"), "VND", language="vi-vn") == f"1.800.000{NBSP}₫"
    assert format_money(Decimal("12826.04"), "CNY", language="fr") == "CN¥12,826.04"


def test_the_template_filter_uses_the_active_language():
    template = Template("{% load money %}{{ amount|money:currency }}")
    with translation.override("zh-hans"):
        assert template.render(Context({"amount": Decimal("12826.04"), "currency": "CNY"})) == (
            "¥12,826.04"
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "price", "currency", "text"),
    [
        ("vi", Decimal("1800000"), "VND", f"1.800.000{NBSP}₫"),
        ("zh-hans", Decimal("12826.04"), "CNY", "¥12,826.04"),
        ("en", Decimal("1800000"), "VND", "₫1,800,000"),
    ],
)
def test_the_showcase_shows_prices_in_the_visitors_language(
    anonymous, cooperative, language, price, currency, text
):
    product = ProductFactory(cooperative=cooperative, price=price, currency=currency)
    for url in (reverse("catalog:showcase"), product.get_absolute_url()):
        html = anonymous.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert text in html
