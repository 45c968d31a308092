"""What every browser test shares: where Chromium is, the mark that needs it, signing in."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
PHONE_WIDTH = 390

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium (apt-get install chromium); .ci/run installs it",
)


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
