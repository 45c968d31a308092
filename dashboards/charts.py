"""Chart specifications handed to static/js/dashboards.js through `json_script`.

Numbers go to the chart as plain floats (they only draw it); the exact figures are in the
table printed beside each chart.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .figures import BIN_MINUTES
from .templatetags.dashboards import money, percent


def trend_charts(trend: list[dict]) -> list[dict]:
    """One line chart per currency: amounts of two currencies never share an axis."""
    charts = []
    for series in trend:
        currency = series["currency"]
        points = series["points"]
        charts.append(
            {
                "id": f"trend-{currency.lower()}",
                "currency": currency,
                "points": points,
                "spec": {
                    "type": "line",
                    "title": _("Daily GMV (%(currency)s)") % {"currency": currency},
                    "labels": [point["day"].isoformat() for point in points],
                    "datasets": [
                        {
                            "label": _("Gross GMV"),
                            "data": [float(point["gross_gmv"]) for point in points],
                        },
                        {
                            "label": _("Net GMV"),
                            "data": [float(point["net_gmv"]) for point in points],
                        },
                    ],
                },
            }
        )
    return charts


def channel_sales_charts(rows: list[dict]) -> list[dict]:
    """Per currency, each channel's gross GMV as one bar split into its parts: from sessions,
    ambiguous, not from a session (horizontal, so channel names stay readable on a phone)."""
    charts = []
    for currency in sorted({row["currency"] for row in rows}):
        same = [row for row in rows if row["currency"] == currency]
        charts.append(
            {
                "id": f"channels-{currency.lower()}",
                "spec": {
                    "type": "bar",
                    "indexAxis": "y",
                    "stacked": True,
                    "title": _("What each channel sold (%(currency)s, gross GMV)")
                    % {"currency": currency},
                    "labels": [row["channel"] for row in same],
                    "datasets": [
                        {"label": label, "data": [float(row[part]["gross_gmv"]) for row in same]}
                        for part, label in (
                            ("sessions", _("From sessions")),
                            ("ambiguous", _("Ambiguous")),
                            ("unattributed", _("Not from a session")),
                        )
                    ],
                },
            }
        )
    return charts


def session_bins_chart(page: dict) -> dict:
    """Orders per five-minute bin, with each line-up product's time on air drawn behind the
    bars as a band labelled with its position in the line-up (and its name where it fits), by
    the small plugin in static/js/dashboards.js (labels in the channel's time zone).

    A band's edges are in bins from the first bin's middle: a bin spans [i - 0.5, i + 0.5),
    so a product on air from 19:12 to 19:17 covers 19:10's bin from its 40 % on."""
    bins = page["bins"]
    bin_seconds = BIN_MINUTES * 60
    bands = []
    if bins:
        first = bins[0]["start"]
        for slot in page["slots"]:
            bands.append(
                {
                    "label": str(slot["position"]),
                    "name": slot["label"],
                    "from": (slot["on_air_from"] - first).total_seconds() / bin_seconds - 0.5,
                    "to": (slot["on_air_until"] - first).total_seconds() / bin_seconds - 0.5,
                }
            )
    return {
        "id": "session-bins",
        "spec": {
            "type": "bar",
            "title": _("Orders every five minutes (%(zone)s), with products on air")
            % {"zone": page["time_zone"]},
            "labels": [point["label"] for point in bins],
            "datasets": [
                {
                    "label": _("Orders"),
                    "type": "bar",
                    "data": [point["orders"] for point in bins],
                }
            ],
            "bands": bands,
        },
    }


def _table(header: list[str], rows: list[list[str]]) -> dict:
    return {"header": [str(title) for title in header], "rows": rows}


def _dataset(label, rows: list[dict], key: str) -> dict:
    """A dataset of the rows' amounts (floats draw the chart; the table has the exact ones)."""
    return {"label": label, "data": [float(row[key] or 0) for row in rows]}


def _by_currency(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["currency"], []).append(row)
    return dict(sorted(grouped.items()))


def host_charts(hosts: list[dict], *, limit: int = 15) -> list[dict]:
    """Per currency, the hosts' gross GMV and GMV per hour on air, best first, as horizontal
    bars (names stay readable on a phone)."""
    charts = []
    for currency, rows in _by_currency(hosts).items():
        rows = rows[:limit]
        charts.append(
            {
                "id": f"hosts-{currency.lower()}",
                "data_id": f"hosts-{currency.lower()}-data",
                "spec": {
                    "type": "bar",
                    "indexAxis": "y",
                    "title": _("Gross GMV per host (%(currency)s)") % {"currency": currency},
                    "labels": [row["name"] for row in rows],
                    "datasets": [
                        _dataset(_("Gross GMV"), rows, "gross_gmv"),
                        _dataset(_("GMV per hour on air"), rows, "gmv_per_hour"),
                    ],
                },
                "table": _table(
                    [_("Host"), _("Gross GMV"), _("GMV per hour on air"), _("Sessions")],
                    [
                        [
                            row["name"],
                            money(row["gross_gmv"], currency),
                            money(row["gmv_per_hour"], currency),
                            str(row["sessions"]),
                        ]
                        for row in rows
                    ],
                ),
            }
        )
    return charts


def cooperative_charts(months: list[dict]) -> list[dict]:
    """Per currency, what the cooperative sold each month (gross and net), oldest first."""
    charts = []
    for currency, rows in _by_currency(months).items():
        rows = sorted(rows, key=lambda row: row["month"])
        labels = [date_format(row["month"], "YEAR_MONTH_FORMAT") for row in rows]
        charts.append(
            {
                "id": f"cooperative-months-{currency.lower()}",
                "data_id": f"cooperative-months-{currency.lower()}-data",
                "spec": {
                    "type": "bar",
                    "title": _("Sales per month (%(currency)s)") % {"currency": currency},
                    "labels": labels,
                    "datasets": [
                        _dataset(_("Gross GMV"), rows, "gross_gmv"),
                        _dataset(_("Net GMV"), rows, "net_gmv"),
                    ],
                },
                "table": _table(
                    [_("Month"), _("Gross GMV"), _("Net GMV"), _("Units")],
                    [
                        [
                            label,
                            money(row["gross_gmv"], currency),
                            money(row["net_gmv"], currency),
                            str(row["unit_count"]),
                        ]
                        for label, row in zip(labels, rows, strict=True)
                    ],
                ),
            }
        )
    return charts


def programme_charts(rollup: dict, *, limit: int = 15) -> list[dict]:
    """Per currency: gross GMV by district of origin, and each month's GMV target against its
    actual, as horizontal bars."""
    charts = []
    for currency, rows in _by_currency(rollup["district"]).items():
        rows = rows[:limit]
        charts.append(
            {
                "id": f"programme-district-{currency.lower()}",
                "data_id": f"programme-district-{currency.lower()}-data",
                "spec": {
                    "type": "bar",
                    "indexAxis": "y",
                    "title": _("Gross GMV by district of origin (%(currency)s)")
                    % {"currency": currency},
                    "labels": [row["label"] for row in rows],
                    "datasets": [
                        _dataset(_("Gross GMV"), rows, "gross_gmv"),
                    ],
                },
                "table": _table(
                    [_("District of origin"), _("Gross GMV"), _("Units")],
                    [
                        [row["label"], money(row["gross_gmv"], currency), str(row["unit_count"])]
                        for row in rows
                    ],
                ),
            }
        )
    with_gmv = [entry for entry in rollup["plan"] if entry["target_gmv"] is not None]
    for currency, rows in _by_currency(with_gmv).items():
        labels = [
            f"{date_format(row['month'], 'YEAR_MONTH_FORMAT')} · {row['label']}" for row in rows
        ]
        charts.append(
            {
                "id": f"programme-plan-{currency.lower()}",
                "data_id": f"programme-plan-{currency.lower()}-data",
                "spec": {
                    "type": "bar",
                    "indexAxis": "y",
                    "title": _("Target and actual gross GMV (%(currency)s)")
                    % {"currency": currency},
                    "labels": labels,
                    "datasets": [
                        _dataset(_("Target gross GMV"), rows, "target_gmv"),
                        _dataset(_("Gross GMV"), rows, "actual_gmv"),
                    ],
                },
                "table": _table(
                    [_("Target"), _("Target gross GMV"), _("Gross GMV"), _("GMV achieved")],
                    [
                        [
                            label,
                            money(row["target_gmv"], currency),
                            money(row["actual_gmv"], currency),
                            percent(row["gmv_achieved"]),
                        ]
                        for label, row in zip(labels, rows, strict=True)
                    ],
                ),
            }
        )
    return charts
