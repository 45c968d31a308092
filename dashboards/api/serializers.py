from decimal import Decimal

from rest_framework import serializers

from ..models import ProgrammeTarget

MONEY_FIELDS = frozenset({"gross_gmv", "net_gmv", "refunded_amount", "gmv_per_session"})


def _plain(value):
    """Money as strings with two decimals (exact), ratios as strings, dates in ISO."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def figures_data(row: dict) -> dict:
    result = {}
    for key, value in row.items():
        if key == "conversion" or key.endswith("_rate"):
            result[key] = None if value is None else f"{value:.6f}"
        elif key == "change":
            result[key] = {
                name: None if change is None else f"{change:.2f}" for name, change in value.items()
            }
        elif isinstance(value, dict):
            result[key] = figures_data(value)
        else:
            result[key] = _plain(value)
    return result


class OverviewSerializer(serializers.Serializer):
    """Read-only: the overview selector's figures, every amount beside its currency."""

    def to_representation(self, instance: dict) -> dict:
        return {
            "period": {
                "start": _plain(instance["period"].start),
                "end": _plain(instance["period"].end),
            },
            "previous_period": {
                "start": _plain(instance["previous_period"].start),
                "end": _plain(instance["previous_period"].end),
            },
            "kpis": [figures_data(entry) for entry in instance["kpis"]],
            "trend": [
                {
                    "currency": series["currency"],
                    "points": [figures_data(point) for point in series["points"]],
                }
                for series in instance["trend"]
            ],
            **{
                name: {
                    currency: [figures_data(row) for row in rows]
                    for currency, rows in instance[name].items()
                }
                for name in ("top_products", "top_cooperatives", "top_hosts", "top_channels")
            },
            # All the channels' orders of the period, and the parts from sessions, ambiguous
            # and not from a session (amounts in each channel's currency).
            "channel_sales": [
                {
                    "channel": row["channel"],
                    "currency": row["currency"],
                    **{
                        part: figures_data(row[part])
                        for part in ("all", "sessions", "ambiguous", "unattributed")
                    },
                    "live_share": None if row["live_share"] is None else f"{row['live_share']:.6f}",
                }
                for row in instance["channel_sales"]
            ],
            "upcoming": [
                {
                    "id": session.pk,
                    "title": session.title,
                    "scheduled_start": session.scheduled_start.isoformat(),
                    "room": session.room.name,
                    "channel": session.channel.name if session.channel else None,
                }
                for session in instance["upcoming"]
            ],
            "meetings_training": meetings_training_data(instance["meetings_training"]),
        }


def meetings_training_data(numbers: dict) -> dict:
    """Meetings, agreements (their value per currency, never added across currencies) and
    people trained by cooperative and district."""
    return {
        "meetings": numbers["meetings"],
        "agreements": numbers["agreements"],
        "agreement_values": [figures_data(entry) for entry in numbers["agreement_values"]],
        "trainings": numbers["trainings"],
        "people_trained": numbers["people_trained"],
        "trained_by_cooperative": numbers["trained_by_cooperative"],
        "trained_by_district": numbers["trained_by_district"],
    }


def session_row_data(row: dict) -> dict:
    session = row["session"]
    return {
        "id": session.pk,
        "title": session.title,
        "starts_at": session.starts_at.isoformat(),
        "kind": session.kind,
        "platform": session.channel.platform,
        "channel": session.channel.name,
        "room": session.room.name,
        "hosts": [host.display_name for host in session.hosts.all()],
        "currency": row["currency"],
        "gross_gmv": _plain(row["gross_gmv"]),
        "net_gmv": _plain(row["net_gmv"]),
        "orders": row["orders"],
        "units": row["units"],
        # null: unknown (no order's export named its buyer); partial: a lower bound.
        "buyers": row["buyers"],
        "buyers_partial": row["buyers_partial"],
        "orders_without_buyer": row["orders_without_buyer"],
        "views": row["views"],
        "conversion": None if row["conversion"] is None else f"{row['conversion']:.6f}",
        "gpm": _plain(row["gpm"]),
        "is_final": row["is_final"],
        "final_at": _plain(row["final_at"]),
        "changed_after_final_at": _plain(row["changed_after_final_at"]),
    }


def session_page_data(page: dict) -> dict:
    fact = page["fact"]
    return {
        **session_row_data(page),
        "cancelled_orders": fact.cancelled_orders if fact else 0,
        "refunded_amount": _plain(Decimal(fact.refunded_cents) / 100) if fact else "0.00",
        # Asked for, not granted yet: apart from refunds and not taken off net GMV; null
        # before the session's first roll-up.
        "returns_pending": _plain(page["returns_pending"]),
        # Orders whose export status no table knows: counted like orders not cancelled until
        # staff say what the status means.
        "unknown_status_orders": page["unknown_status_orders"],
        "unmatched_lines": page["unmatched_lines"],
        "ambiguous_orders": page["ambiguous_orders"],
        "time_zone": page["time_zone"],
        "bins": [
            {
                "start": point["start"].isoformat(),
                "orders": point["orders"],
                "gross_gmv": _plain(point["gross_gmv"]),
            }
            for point in page["bins"]
        ],
        "lineup": [
            {
                "position": row["item"].position,
                "product": row["item"].product.name,
                "product_id": row["item"].product_id,
                "planned_minutes": row["planned_minutes"],
                "actual_minutes": _plain(row["actual_minutes"]),
                # The product's sales in the whole session.
                "units": row["units"],
                "orders": row["orders"],
                "gross_gmv": _plain(row["gross_gmv"]),
                # Inside its on-air slot, and outside it (the rest of the live and its
                # grace); null until the session is rolled up with this line-up.
                "on_air": figures_data(row["on_air"]) if row["on_air"] else None,
                "outside": figures_data(row["outside"]) if row["outside"] else None,
                "share_of_units_on_air": None
                if row["share_on_air"] is None
                else f"{row['share_on_air']:.6f}",
                # Sold in its slot per minute on air.
                "units_per_minute": _plain(row["units_per_minute"]),
                "gross_gmv_per_minute": _plain(row["gmv_per_minute"]),
            }
            for row in page["lineup"]
        ],
        "cooperatives": [figures_data(row) for row in page["cooperatives"]],
        "reported_comparison": [figures_data(row) for row in page["comparison"]],
        "changes_after_final": [
            {
                "recorded_at": _plain(change["recorded_at"]),
                "final_at": _plain(change["final_at"]),
                "last_import_at": _plain(change["last_import_at"]),
                "figures": [figures_data(figure) for figure in change["figures"]],
            }
            for change in page["changes_after_final"]
        ],
    }


def cooperative_sales_data(cooperative, sales: dict) -> dict:
    return {
        "cooperative": {"id": cooperative.pk, "name": cooperative.name},
        **{
            name: [figures_data(row) for row in sales[name]]
            for name in ("totals", "months", "products", "sessions")
        },
    }


class ProgrammeTargetSerializer(serializers.ModelSerializer):
    """A monthly target; `value` names the group (district, platform code, OCOP stars),
    `category` the category for a category programme. Validated by the model on save."""

    group_label = serializers.CharField(read_only=True)

    class Meta:
        model = ProgrammeTarget
        fields = [
            "id",
            "dimension",
            "value",
            "category",
            "group_label",
            "month",
            "currency",
            "target_gmv",
            "target_units",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        # The model checks its constraints (uniqueness per group, month and currency
        # included) in the service, with messages of its own.
        validators = []


class ReportedTotalsSerializer(serializers.Serializer):
    """The totals the platform reports for a session; null is "not reported", never zero."""

    session = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(read_only=True)
    orders = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    units = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    gross_gmv = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=Decimal(0), allow_null=True, required=False
    )
    entered_at = serializers.DateTimeField(read_only=True, allow_null=True)
