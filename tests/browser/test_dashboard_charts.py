"""In a real browser on a phone-sized screen: the dashboards' charts are drawn by the bundled
Chart.js from the page's own figures, fit the screen, and give the same numbers as a table."""

import pytest

from livestreams.models import Session
from tests.dashboards.conftest import generated_sales  # noqa: F401  (the sales world)

from .support import PHONE_WIDTH, needs_chromium, sign_in

pytestmark = [pytest.mark.integration, needs_chromium]

JUNE = "start=2025-06-01&end=2025-06-30"

# For each chart on the page: is Chart.js drawing it, how many points it draws, how wide it is.
CHARTS = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = window.Chart && window.Chart.getChart(canvas);
  const spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
  return {
    drawn: Boolean(chart),
    points: chart ? chart.data.labels.length : 0,
    specPoints: spec.labels.length,
    width: canvas.getBoundingClientRect().width,
    height: canvas.getBoundingClientRect().height,
    tableRows: canvas.closest("figure").querySelectorAll("details table tbody tr").length,
  };
})"""


@pytest.mark.parametrize(
    "path",
    [f"/dashboards/?{JUNE}", f"/dashboards/hosts/?{JUNE}", "/dashboards/sessions/{session}/"],
)
def test_each_chart_is_drawn_within_a_phones_width_with_its_figures_as_a_table(
    path,
    live_server,
    transactional_db,
    official,
    generated_sales,  # noqa: F811
    browser_page,
):
    generated_sales(sessions=3)
    session = Session.objects.order_by("scheduled_start").first()
    page = browser_page
    sign_in(page, live_server, "official")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + path.format(session=session.pk))
    page.wait_for_load_state("load")

    charts = page.evaluate(CHARTS)
    assert charts, "the page draws no chart"
    for chart in charts:
        assert chart["drawn"], chart
        assert chart["points"] == chart["specPoints"] > 0
        assert 0 < chart["width"] <= PHONE_WIDTH and chart["height"] > 0
        assert chart["tableRows"] > 0
    assert errors == []
    # Nothing makes the page wider than the phone; wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

    # The figures behind the first chart are one tap away, as a table.
    figure = page.locator("figure.chart-figure").first
    figure.locator("summary").click()
    assert figure.locator("details table tbody tr").first.is_visible()
