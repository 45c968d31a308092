"""In a real browser on a phone: the session's order chart draws each product's time on air as
a shaded, numbered band behind the bars, and the line-up table of per-slot figures scrolls in
its own box."""

import datetime as dt

import pytest

from livestreams.models import Session
from orders.services import recompute_session_sales
from tests.dashboards.conftest import generated_sales  # noqa: F401  (the sales world)
from tests.livestreams.factories import LineupItemFactory

from .support import PHONE_WIDTH, needs_chromium, sign_in
from .test_accessibility import axe_page, axe_violations, describe  # noqa: F401  (fixture)

pytestmark = [pytest.mark.integration, needs_chromium]

BANDS = """() => {
  const canvas = document.querySelector("canvas[data-chart='session-bins-data']");
  const chart = window.Chart && window.Chart.getChart(canvas);
  const spec = JSON.parse(document.getElementById("session-bins-data").textContent);
  if (!chart) { return null; }
  // The canvas's opacity in the middle of the last band (no order then: no bar) and just
  // after it (no band), a third of the way down the plot.
  const area = chart.chartArea;
  const scale = chart.scales.x;
  const step = scale.getPixelForValue(1) - scale.getPixelForValue(0);
  const band = spec.bands[spec.bands.length - 1];
  const ratio = canvas.width / canvas.getBoundingClientRect().width;
  const y = Math.round((area.top + (area.bottom - area.top) * 0.37) * ratio);
  const alphaAt = (value) => canvas.getContext("2d").getImageData(
    Math.round((scale.getPixelForValue(0) + value * step) * ratio), y, 1, 1).data[3];
  return {
    drawn: chart.$onAirBandsDrawn,
    bands: spec.bands.length,
    inBand: alphaAt((band.from + band.to) / 2),
    afterBand: alphaAt(band.to + 2.3),
  };
}"""


@pytest.fixture
def kol_session(transactional_db, generated_sales):  # noqa: F811
    """A session of 16 products, each on air five minutes, rolled up with its line-up."""
    generated_sales(sessions=1, orders_per_session=30)
    session = Session.objects.get()
    for position in range(1, 17):
        on_air = session.scheduled_start + dt.timedelta(minutes=5 * position)
        LineupItemFactory(
            session=session, position=position, planned_minutes=5,
            on_air_started_at=on_air, on_air_ended_at=on_air + dt.timedelta(minutes=5),
        )  # fmt: skip
    recompute_session_sales(session_ids=[session.pk])
    return session


def test_the_order_chart_shades_each_product_on_air_on_a_phone(
    live_server, official, kol_session, browser_page
):
    session = kol_session
    page = browser_page
    sign_in(page, live_server, "official")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/dashboards/sessions/{session.pk}/")
    page.wait_for_load_state("load")

    result = page.evaluate(BANDS)
    assert result is not None, "the chart is not drawn"
    assert result["drawn"] == result["bands"] == 16
    # The band is painted; beside it, where nothing is drawn, the canvas is transparent.
    assert result["inBand"] > 0 and result["afterBand"] == 0
    assert errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    # The line-up's 16 products, each with its share sold on air.
    assert page.locator("#lineup tbody tr").count() == 16


def test_the_per_slot_line_up_and_its_bands_pass_axe(
    live_server,
    official,
    kol_session,
    axe_page,  # noqa: F811
):
    sign_in(axe_page, live_server, "official")
    axe_page.goto(f"{live_server.url}/dashboards/sessions/{kol_session.pk}/")
    axe_page.wait_for_load_state("load")
    # The chart's table alternative, bands included, is checked open.
    axe_page.locator("figure.chart-figure summary").first.click()
    violations = axe_violations(axe_page)
    assert not violations, describe(violations)
