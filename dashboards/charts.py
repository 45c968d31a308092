"""Chart specifications handed to static/js/dashboards.js through `json_script`.

Numbers go to the chart as plain floats (they only draw it); the exact figures are in the
table printed beside each chart.
"""

from django.utils.translation import gettext as _


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


def session_bins_chart(page: dict) -> dict:
    """Orders per five-minute bin, with each line-up product's time on air as a band on a
    second axis of the same time line (labels in the channel's time zone)."""
    bins = page["bins"]
    index = {point["start"]: position for position, point in enumerate(bins)}
    datasets = [
        {
            "label": _("Orders"),
            "type": "bar",
            "data": [point["orders"] for point in bins],
        }
    ]
    for slot in page["slots"]:
        first, last = index.get(slot["start"]), index.get(slot["end"])
        if first is None or last is None:
            continue
        datasets.append(
            {
                "label": slot["label"],
                "type": "line",
                "axis": "y2",
                "fill": True,
                "data": [1 if first <= position <= last else None for position in range(len(bins))],
            }
        )
    return {
        "id": "session-bins",
        "spec": {
            "type": "bar",
            "title": _("Orders every five minutes (%(zone)s), with products on air")
            % {"zone": page["time_zone"]},
            "labels": [point["label"] for point in bins],
            "datasets": datasets,
            "secondAxis": bool(page["slots"]),
        },
    }
