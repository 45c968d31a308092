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
