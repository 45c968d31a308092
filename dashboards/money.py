"""Amounts kept in hundredths of a currency unit, and back."""

from decimal import Decimal

HUNDRED = Decimal(100)


def to_cents(amount: Decimal | None) -> int:
    if amount is None:
        return 0
    return int((amount * HUNDRED).to_integral_value())


def from_cents(cents: int | None) -> Decimal:
    return (Decimal(cents or 0) / HUNDRED).quantize(Decimal("0.01"))
