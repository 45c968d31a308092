"""`{{ product.price|money:product.currency }}`: an amount in the visitor's language."""

from django import template

from core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    return format_money(amount, currency)
