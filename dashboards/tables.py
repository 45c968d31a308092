"""The dashboards' tables as downloads: for each page, its tables by name, each a header and
rows built from what the page's selector already returned (no query of their own)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from catalog.models import Platform
from cooperatives.models import Cooperative

from .money import from_cents
from .selectors import CAPACITY_DIMENSIONS, PROGRAMME_DIMENSIONS
from .templatetags.dashboards import buyers_text

PLATFORMS = dict(Platform.choices)


@dataclass
class Table:
    header: list[str]
    rows: Iterable[Sequence]


def buyers_cell(count, partial: bool):
    """A number when every order named its buyer, else the words a page shows."""
    if count is not None and not partial:
        return count
    return buyers_text(count, partial)


# --- Programme ------------------------------------------------------------------------------


def programme_tables(rollup: dict) -> dict[str, Callable[[], Table]]:
    def groups(dimension: str) -> Table:
        return Table(
            [_("Group"), _("Currency"), _("Gross GMV"), _("Net GMV"), _("Units"), _("Products")],
            (
                [
                    entry["label"],
                    entry["currency"],
                    entry["gross_gmv"],
                    entry["net_gmv"],
                    entry["unit_count"],
                    entry["products"],
                ]
                for entry in rollup[dimension]
            ),
        )

    def capacity(dimension: str) -> Table:
        return Table(
            [
                _("Group"),
                _("Products with a monthly capacity"),
                _("Units sold"),
                _("Capacity over the period"),
                _("Share of capacity sold"),
            ],
            (
                [
                    entry["label"],
                    entry["products"],
                    entry["units_sold"],
                    entry["capacity"],
                    entry["share"],
                ]
                for entry in rollup["capacity"][dimension]
            ),
        )

    def plan() -> Table:
        return Table(
            [
                _("Month"),
                _("Programme"),
                _("Group"),
                _("Currency"),
                _("Target gross GMV"),
                _("Gross GMV"),
                _("GMV achieved"),
                _("Target units"),
                _("Units"),
                _("Units achieved"),
            ],
            (
                [
                    entry["month"],
                    entry["dimension_label"],
                    entry["label"],
                    entry["currency"],
                    entry["target_gmv"],
                    entry["actual_gmv"],
                    entry["gmv_achieved"],
                    entry["target_units"],
                    entry["actual_units"],
                    entry["units_achieved"],
                ]
                for entry in rollup["plan"]
            ),
        )

    tables: dict[str, Callable[[], Table]] = {
        dimension: (lambda dimension=dimension: groups(dimension))
        for dimension in PROGRAMME_DIMENSIONS
    }
    for dimension in CAPACITY_DIMENSIONS:
        tables[f"capacity-{dimension}"] = lambda dimension=dimension: capacity(dimension)
    tables["plan"] = plan
    return tables


def target_tables(targets) -> dict[str, Callable[[], Table]]:
    def listed() -> Table:
        return Table(
            [
                _("Month"),
                _("Programme"),
                _("Group"),
                _("Currency"),
                _("Target gross GMV"),
                _("Target units"),
                _("Note"),
            ],
            (
                [
                    target.month,
                    target.get_dimension_display(),
                    target.group_label,
                    target.currency,
                    target.target_gmv,
                    target.target_units,
                    target.note,
                ]
                for target in targets
            ),
        )

    return {"targets": listed}


# --- Overview and monthly report ------------------------------------------------------------

KPI_ROWS = (
    ("gross_gmv", _lazy("Gross GMV")),
    ("net_gmv", _lazy("Net GMV")),
    ("refunded_amount", _lazy("Refunded")),
    ("orders", _lazy("Orders")),
    ("cancelled_orders", _lazy("Cancelled orders")),
    ("units", _lazy("Units")),
    ("buyers", _lazy("Buyers")),
    ("sessions", _lazy("Sessions held")),
    ("gmv_per_session", _lazy("Average GMV per session")),
    ("views", _lazy("Views")),
    ("conversion", _lazy("Conversion (orders / views)")),
)


def _kpi_cell(figures: dict, name: str):
    if name == "buyers":
        return buyers_cell(figures["buyers"], figures["buyers_partial"])
    return figures[name]


def kpi_table(kpis: list[dict]) -> Table:
    """Each currency's KPIs now and before, one figure a row; the change in per cent."""
    return Table(
        [_("Currency"), _("Figure"), _("This period"), _("Period before"), _("Change (%)")],
        (
            [
                entry["currency"],
                str(title),
                _kpi_cell(entry["current"], name),
                _kpi_cell(entry["previous"], name),
                entry["change"].get(name),
            ]
            for entry in kpis
            for name, title in KPI_ROWS
        ),
    )


def trend_table(trend: list[dict]) -> Table:
    return Table(
        [_("Currency"), _("Day"), _("Gross GMV"), _("Net GMV"), _("Orders")],
        (
            [
                series["currency"],
                point["day"],
                point["gross_gmv"],
                point["net_gmv"],
                point["orders"],
            ]
            for series in trend
            for point in series["points"]
        ),
    )


def _ranked(ranking: dict[str, list[dict]]):
    for currency, rows in ranking.items():
        for position, row in enumerate(rows, start=1):
            yield currency, position, row


def ranking_tables(figures: dict) -> dict[str, Callable[[], Table]]:
    """The four rankings of the overview (and of the monthly report)."""

    def products() -> Table:
        return Table(
            [
                _("Currency"),
                _("Rank"),
                _("Product"),
                _("Cooperative"),
                _("Gross GMV"),
                _("Net GMV"),
                _("Units"),
            ],
            (
                [
                    currency,
                    position,
                    row["product__name"],
                    row["cooperative__name"],
                    row["gross_gmv"],
                    row["net_gmv"],
                    row["unit_count"],
                ]
                for currency, position, row in _ranked(figures["top_products"])
            ),
        )

    def cooperatives() -> Table:
        return Table(
            [_("Currency"), _("Rank"), _("Cooperative"), _("Gross GMV"), _("Net GMV"), _("Units")],
            (
                [
                    currency,
                    position,
                    row["cooperative__name"],
                    row["gross_gmv"],
                    row["net_gmv"],
                    row["unit_count"],
                ]
                for currency, position, row in _ranked(figures["top_cooperatives"])
            ),
        )

    def hosts() -> Table:
        return Table(
            [_("Currency"), _("Rank"), _("Host"), _("Sessions"), _("Gross GMV"), _("Net GMV")],
            (
                [
                    currency,
                    position,
                    row["host__display_name"],
                    row["sessions"],
                    row["gross_gmv"],
                    row["net_gmv"],
                ]
                for currency, position, row in _ranked(figures["top_hosts"])
            ),
        )

    def channels() -> Table:
        return Table(
            [
                _("Currency"),
                _("Rank"),
                _("Channel"),
                _("Platform"),
                _("Sessions"),
                _("Orders"),
                _("Gross GMV"),
                _("Net GMV"),
            ],
            (
                [
                    currency,
                    position,
                    row["channel__name"],
                    str(PLATFORMS.get(row["platform"], row["platform"])),
                    row["sessions"],
                    row["order_count"],
                    row["gross_gmv"],
                    row["net_gmv"],
                ]
                for currency, position, row in _ranked(figures["top_channels"])
            ),
        )

    return {
        "top_products": products,
        "top_cooperatives": cooperatives,
        "top_hosts": hosts,
        "top_channels": channels,
    }


def meetings_training_tables(figures: dict) -> dict[str, Callable[[], Table]]:
    """The period's meetings and agreements (one row per figure, the agreements' value per
    currency), and the people trained by cooperative and by district."""
    numbers = figures["meetings_training"]

    def meetings() -> Table:
        rows: list[Sequence] = [
            [_("Meetings"), numbers["meetings"], ""],
            [_("Agreements"), numbers["agreements"], ""],
        ]
        rows += [
            [_("Value of agreements"), entry["value"], entry["currency"]]
            for entry in numbers["agreement_values"]
        ]
        rows += [
            [_("Trainings"), numbers["trainings"], ""],
            [_("People trained"), numbers["people_trained"], ""],
        ]
        return Table([_("Figure"), _("Value"), _("Currency")], rows)

    def trained_by_cooperative() -> Table:
        return Table(
            [_("Cooperative"), _("District"), _("People trained")],
            (
                [entry["cooperative"], entry["district"], entry["people"]]
                for entry in numbers["trained_by_cooperative"]
            ),
        )

    def trained_by_district() -> Table:
        return Table(
            [_("District"), _("People trained"), _("Cooperatives")],
            (
                [entry["district"], entry["people"], entry["cooperatives"]]
                for entry in numbers["trained_by_district"]
            ),
        )

    return {
        "meetings": meetings,
        "trained_by_cooperative": trained_by_cooperative,
        "trained_by_district": trained_by_district,
    }


def overview_tables(figures: dict) -> dict[str, Callable[[], Table]]:
    def upcoming() -> Table:
        return Table(
            [_("Starts"), _("Session"), _("Room"), _("Channel"), _("Hosts")],
            (
                [
                    session.scheduled_start,
                    session.title,
                    session.room.name,
                    session.channel.name if session.channel else "",
                    ", ".join(host.display_name for host in session.hosts.all()),
                ]
                for session in figures["upcoming"]
            ),
        )

    def channels() -> Table:
        parts = ("all", "sessions", "ambiguous", "unattributed")
        return Table(
            [
                _("Channel"),
                _("Currency"),
                *(
                    f"{label}: {figure}"
                    for label in (
                        _("All orders"),
                        _("From sessions"),
                        _("Ambiguous"),
                        _("Not from a session"),
                    )
                    for figure in (_("Orders"), _("Gross GMV"), _("Net GMV"))
                ),
                _("Share of gross GMV from sessions"),
            ],
            (
                [
                    row["channel"],
                    row["currency"],
                    *(
                        row[part][key]
                        for part in parts
                        for key in ("orders", "gross_gmv", "net_gmv")
                    ),
                    row["live_share"],
                ]
                for row in figures["channel_sales"]
            ),
        )

    return {
        "kpis": lambda: kpi_table(figures["kpis"]),
        "trend": lambda: trend_table(figures["trend"]),
        "channels": channels,
        **ranking_tables(figures),
        "upcoming": upcoming,
        **meetings_training_tables(figures),
    }


def monthly_report_tables(figures: dict) -> dict[str, Callable[[], Table]]:
    return {
        "kpis": lambda: kpi_table(figures["kpis"]),
        **ranking_tables(figures),
        **meetings_training_tables(figures),
    }


# --- A session's page -----------------------------------------------------------------------


def session_tables(page: dict) -> dict[str, Callable[[], Table]]:
    currency = page["currency"]

    def figures() -> Table:
        fact = page["fact"]
        rows = [
            (_("Gross GMV"), page["gross_gmv"]),
            (_("Net GMV"), page["net_gmv"]),
            (_("Refunded"), from_cents(fact.refunded_cents) if fact else None),
            # Apart from refunds: asked for, not granted, not taken off net GMV.
            (_("Returns pending"), page["returns_pending"]),
            (_("Orders"), page["orders"]),
            (_("Cancelled orders"), fact.cancelled_orders if fact else 0),
            (_("Units"), page["units"]),
            (_("Buyers"), buyers_cell(page["buyers"], page["buyers_partial"])),
            (_("Orders without a buyer id"), page["orders_without_buyer"]),
            (_("Views"), page["views"]),
            (_("Conversion (orders / views)"), page["conversion"]),
            (_("GPM (GMV per 1,000 views)"), page["gpm"]),
            (_("Unmatched lines"), page["unmatched_lines"]),
            (_("Ambiguous orders"), page["ambiguous_orders"]),
            (_("Orders with an unknown status"), page["unknown_status_orders"]),
        ]
        return Table(
            [_("Figure"), _("Value"), _("Currency")],
            ([str(title), value, currency] for title, value in rows),
        )

    def bins() -> Table:
        return Table(
            [_("From"), _("Orders"), _("Gross GMV"), _("Currency")],
            (
                [point["start"], point["orders"], point["gross_gmv"], currency]
                for point in page["bins"]
            ),
        )

    def lineup() -> Table:
        def part(row: dict, name: str) -> list:
            figures = row[name]
            if figures is None:  # Not rolled up with this line-up yet: unknown, not zero.
                return [None, None, None, None]
            return [figures["orders"], figures["units"], figures["gross_gmv"], figures["net_gmv"]]

        return Table(
            [
                _("Position"),
                _("Product"),
                _("Planned minutes"),
                _("Minutes on air"),
                _("Orders on air"),
                _("Units on air"),
                _("Gross GMV on air"),
                _("Net GMV on air"),
                _("Orders outside the slot"),
                _("Units outside the slot"),
                _("Gross GMV outside the slot"),
                _("Net GMV outside the slot"),
                _("Currency"),
                _("Share of its units sold on air"),
                _("Units per minute on air"),
                _("Gross GMV per minute on air"),
            ],
            (
                [
                    row["item"].position,
                    row["item"].product.name,
                    row["planned_minutes"],
                    row["actual_minutes"],
                    *part(row, "on_air"),
                    *part(row, "outside"),
                    currency,
                    row["share_on_air"],
                    row["units_per_minute"],
                    row["gmv_per_minute"],
                ]
                for row in page["lineup"]
            ),
        )

    def products() -> Table:
        return Table(
            [
                _("Product"),
                _("Cooperative"),
                _("Orders"),
                _("Units"),
                _("Gross GMV"),
                _("Net GMV"),
                _("Currency"),
            ],
            (
                [
                    row["product__name"] or _("Not matched yet"),
                    row["cooperative__name"] or "",
                    row["orders"],
                    row["units"],
                    from_cents(row["gross_gmv_cents"]),
                    from_cents(row["net_gmv_cents"]),
                    currency,
                ]
                for row in page["products"]
            ),
        )

    def cooperatives() -> Table:
        return Table(
            [_("Cooperative"), _("Units"), _("Gross GMV"), _("Net GMV"), _("Currency")],
            (
                [
                    row["cooperative__name"],
                    row["unit_count"],
                    row["gross_gmv"],
                    row["net_gmv"],
                    currency,
                ]
                for row in page["cooperatives"]
            ),
        )

    def comparison() -> Table:
        return Table(
            [
                _("Figure"),
                _("Imported"),
                _("Reported by the platform"),
                _("Difference"),
                _("Difference (%)"),
            ],
            (
                [
                    str(COMPARED.get(entry["name"], entry["name"])),
                    entry["imported"],
                    entry["reported"],
                    entry["difference"],
                    entry["percent"],
                ]
                for entry in page["comparison"]
            ),
        )

    def changes() -> Table:
        return Table(
            [
                _("Changed on"),
                _("Final since"),
                _("Figure"),
                _("Before"),
                _("After"),
                _("Currency"),
            ],
            (
                [
                    change["recorded_at"],
                    change["final_at"],
                    str(CHANGED.get(figure["name"], figure["name"])),
                    *(
                        buyers_cell(figure[side], False)
                        if figure["name"] == "buyers"
                        else figure[side]
                        for side in ("before", "after")
                    ),
                    currency,
                ]
                for change in page["changes_after_final"]
                for figure in change["figures"]
            ),
        )

    return {
        "figures": figures,
        "changes": changes,
        "bins": bins,
        "lineup": lineup,
        "products": products,
        "cooperatives": cooperatives,
        "comparison": comparison,
    }


COMPARED = {"orders": _lazy("Orders"), "units": _lazy("Units"), "gross_gmv": _lazy("Gross GMV")}


# --- Cooperatives ---------------------------------------------------------------------------


def cooperative_list_tables(rows: list[dict]) -> dict[str, Callable[[], Table]]:
    kinds = dict(Cooperative.Kind.choices)

    def listed() -> Table:
        return Table(
            [
                _("Cooperative"),
                _("Kind"),
                _("District"),
                _("Province"),
                _("Currency"),
                _("Gross GMV"),
                _("Net GMV"),
                _("Units"),
                _("Sessions"),
                _("Products"),
            ],
            (
                [
                    row["name"],
                    str(kinds.get(row["kind"], row["kind"])),
                    row["district"],
                    row["province"],
                    row["currency"],
                    row["gross_gmv"],
                    row["net_gmv"],
                    row["unit_count"],
                    row["sessions"],
                    row["products"],
                ]
                for row in rows
            ),
        )

    return {"cooperatives": listed}


CHANGED = {
    **COMPARED,
    "net_gmv": _lazy("Net GMV"),
    "refunded_amount": _lazy("Refunded"),
    "cancelled_orders": _lazy("Cancelled orders"),
    "buyers": _lazy("Buyers"),
}
