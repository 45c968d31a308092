from decimal import Decimal

from rest_framework import serializers

MONEY_FIELDS = frozenset({"gross_gmv", "net_gmv", "refunded_amount", "gmv_per_session"})


def _plain(value):
    """Money as strings with two decimals (exact), ratios as strings, dates in ISO."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _figures(row: dict) -> dict:
    result = {}
    for key, value in row.items():
        if key == "conversion":
            result[key] = None if value is None else f"{value:.6f}"
        elif key == "change":
            result[key] = {
                name: None if change is None else f"{change:.2f}" for name, change in value.items()
            }
        elif isinstance(value, dict):
            result[key] = _figures(value)
        else:
            result[key] = _plain(value)
    return result


class OverviewSerializer(serializers.Serializer):
    """Read-only: the overview selector's figures, every amount beside its currency."""

    def to_representation(self, instance: dict) -> dict:
        return {
            "period": {"start": _plain(instance["period"].start),
                       "end": _plain(instance["period"].end)},
            "previous_period": {"start": _plain(instance["previous_period"].start),
                                "end": _plain(instance["previous_period"].end)},
            "kpis": [_figures(entry) for entry in instance["kpis"]],
            "trend": [
                {"currency": series["currency"],
                 "points": [_figures(point) for point in series["points"]]}
                for series in instance["trend"]
            ],
            **{
                name: {currency: [_figures(row) for row in rows]
                       for currency, rows in instance[name].items()}
                for name in ("top_products", "top_cooperatives", "top_hosts", "top_channels")
            },
            "upcoming": [
                {"id": session.pk, "title": session.title,
                 "scheduled_start": session.scheduled_start.isoformat(),
                 "room": session.room.name,
                 "channel": session.channel.name if session.channel else None}
                for session in instance["upcoming"]
            ],
        }  # fmt: skip
