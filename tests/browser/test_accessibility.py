"""In a real browser on a phone-sized screen: the main pages pass axe-core's WCAG 2 A and AA
rules (contrast, labels, table headers, landmarks...), and the phone menu opens and closes
from the keyboard.

axe-core is a vendored test asset (assets/README.md); it is injected into each page, never
served by the application.
"""

from pathlib import Path

import pytest

from livestreams.models import Session
from tests.catalog.factories import CertificationFactory, ProductFactory
from tests.dashboards.conftest import generated_sales  # noqa: F401  (the sales world)

from .support import needs_chromium, sign_in

pytestmark = [pytest.mark.integration, needs_chromium]

AXE = Path(__file__).parent / "assets" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa"]

JUNE = "start=2025-06-01&end=2025-06-30"

# Pages and who opens them; {session}, {cooperative} and {product} are filled in per world.
PUBLIC_PAGES = [
    "/",
    "/showcase/",
    "/showcase/products/{product}/",
    "/schedule/",
    "/schedule/week/",
    "/accounts/login/",
]
SIGNED_IN_PAGES = [
    "/",
    f"/dashboards/?{JUNE}",
    f"/dashboards/sessions/?{JUNE}",
    "/dashboards/sessions/{session}/",
    "/sessions/",
    "/sessions/{session}/",
    "/products/",
    "/cooperatives/",
    "/cooperatives/{cooperative}/",
    "/imports/",
]


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is shown, with the phone menu open so it is checked too."""
    toggle = page.locator("button.nav-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """(tags) => axe.run(document, { runOnly: { type: "tag", values: tags } })
            .then((results) => results.violations.map((violation) => ({
              id: violation.id,
              impact: violation.impact,
              help: violation.help,
              targets: violation.nodes.map((node) => node.target.join(" ")),
              summaries: violation.nodes.map((node) => node.failureSummary),
            })))""",
        WCAG_TAGS,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for target, summary in zip(violation["targets"], violation["summaries"], strict=True):
            lines.append(f"    {target}: {' '.join(summary.split())}")
    return "\n".join(lines)


@pytest.fixture
def axe_page(browser_page, tmp_path):
    """A phone-sized page of the same browser that lets axe-core in.

    `add_script_tag(path=...)` inlines the file, and the site's Content-Security-Policy
    (script-src 'self') rightly refuses inline scripts; this page alone bypasses the policy.
    The menu test below keeps `browser_page`, with the policy, so the site's own scripts are
    still proved to run under it.
    """
    context = browser_page.context.browser.new_context(
        viewport=browser_page.viewport_size, bypass_csp=True
    )
    page = context.new_page()
    try:
        yield page
    finally:
        page.screenshot(path=str(tmp_path / "axe-last.png"), full_page=True)
        context.close()


@pytest.fixture
def world(transactional_db, generated_sales):  # noqa: F811
    generated_sales(sessions=3)
    product = ProductFactory(name="Chu Se robusta", slug="chu-se-robusta")
    CertificationFactory(cooperative=product.cooperative, product=product, stars=4)
    session = Session.objects.order_by("scheduled_start").first()
    return {"session": session.pk, "cooperative": product.cooperative.pk, "product": product.slug}


def check_pages(page, live_server, paths: list[str], world: dict) -> None:
    failures = []
    for path in paths:
        page.goto(live_server.url + path.format(**world))
        page.wait_for_load_state("load")
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}:\n{describe(violations)}")
    assert not failures, "axe-core found WCAG 2 A/AA violations:\n" + "\n".join(failures)


def test_the_public_pages_pass_axe(live_server, world, axe_page):
    check_pages(axe_page, live_server, PUBLIC_PAGES, world)


def test_the_signed_in_pages_pass_axe(live_server, world, bureau_staff, axe_page):
    page = axe_page
    sign_in(page, live_server, "bureau.staff")
    check_pages(page, live_server, SIGNED_IN_PAGES, world)


def test_the_phone_menu_opens_and_closes_from_the_keyboard(
    live_server, transactional_db, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}/")
    toggle = page.locator("button.nav-toggle")
    menu = page.locator("#" + toggle.get_attribute("aria-controls"))
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    sign_in_link = menu.get_by_role("link", name="Sign in")
    assert sign_in_link.is_visible()

    # Into the menu and out again with Escape: it closes and the focus is back on its button.
    sign_in_link.focus()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")

    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
