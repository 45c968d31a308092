"""The accessibility promises that need no browser: every data table has a caption and every
header cell a scope, in the templates and in rendered pages; the phone menu is a real button
that says whether the menu is open; no page carries an inline script (the CSP forbids them).

tests/browser/test_accessibility.py runs axe-core over the same pages in Chromium.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.catalog.factories import ProductFactory
from tests.conftest import client_for
from tests.dashboards.conftest import generated_sales  # noqa: F401  (the sales world)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SCOPES = {"col", "row", "colgroup", "rowgroup"}


class Markup(HTMLParser):
    """Collects the tables (does each start with a caption? the scope of each th), the buttons
    and the scripts of one page."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.open_tables: list[dict] = []
        self.buttons: list[dict] = []
        self.scripts: list[dict] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "table":
            table = {"attrs": attributes, "first_child": None, "caption": None, "th_scopes": []}
            self.tables.append(table)
            self.open_tables.append(table)
        elif self.open_tables:
            table = self.open_tables[-1]
            if table["first_child"] is None:
                table["first_child"] = tag
            if tag == "caption":
                table["caption"] = ""
            elif tag == "th":
                table["th_scopes"].append(attributes.get("scope"))
        if tag == "button":
            self.buttons.append(attributes)
        elif tag == "script":
            self.scripts.append(attributes)

    def handle_endtag(self, tag):
        if tag == "table" and self.open_tables:
            self.open_tables.pop()

    def handle_data(self, data):
        if self.open_tables and self.open_tables[-1]["caption"] == "":
            self.open_tables[-1]["caption"] = data.strip() or ""


def parse(response) -> Markup:
    assert response.status_code == 200, response.status_code
    markup = Markup()
    markup.feed(response.content.decode())
    return markup


def assert_tables_are_labelled(markup: Markup, path: str) -> None:
    assert markup.tables, f"{path} shows no table"
    for table in markup.tables:
        assert table["first_child"] == "caption", f"{path}: a table without a caption: {table}"
        assert table["caption"], f"{path}: a table with an empty caption: {table}"
        assert table["th_scopes"], f"{path}: a table without header cells: {table}"
        assert set(table["th_scopes"]) <= SCOPES, f"{path}: a th without scope: {table}"


def assert_menu_button(markup: Markup) -> None:
    toggles = [button for button in markup.buttons if "aria-controls" in button]
    assert len(toggles) == 1, markup.buttons
    toggle = toggles[0]
    assert toggle.get("type") == "button"
    assert toggle.get("aria-expanded") in {"true", "false"}
    assert toggle["aria-controls"] in markup.ids  # it names the menu it opens


def assert_no_inline_script(markup: Markup) -> None:
    # A json_script block is data, not code; anything else must come from a file.
    code = [script for script in markup.scripts if script.get("type") != "application/json"]
    assert all(script.get("src") for script in code), markup.scripts
    assert any(script["src"].endswith("/js/menu.js") for script in code)


@pytest.fixture
def sales(generated_sales):  # noqa: F811
    generated_sales(sessions=3)
    ProductFactory(name="Chu Se robusta")


@pytest.mark.parametrize(
    "path",
    [
        "/products/",
        "/cooperatives/",
        "/sessions/",
        "/imports/",
        "/dashboards/?start=2025-06-01&end=2025-06-30",
        "/dashboards/sessions/?start=2025-06-01&end=2025-06-30",
    ],
)
def test_every_table_of_a_list_page_has_a_caption_and_scoped_headers(path, sales, bureau_staff):
    markup = parse(client_for(bureau_staff).get(path))
    assert_tables_are_labelled(markup, path)
    assert_menu_button(markup)
    assert_no_inline_script(markup)


def test_the_menu_is_a_button_for_visitors_too(client, db):
    markup = parse(client.get("/"))
    assert_menu_button(markup)
    assert_no_inline_script(markup)
    # The old CSS checkbox is gone: the menu answers to a real button only.
    assert 'type="checkbox" id="nav-toggle"' not in client.get("/").content.decode()


# The same promise over every template, rendered or not (includes too): a `<table ...>` opens
# on its `<caption>`, and every `<th` says its scope.
TABLE = re.compile(r"<table\b[^>]*>")
TH = re.compile(r"<th\b[^>]*>")


@pytest.mark.parametrize(
    "template",
    sorted(path for path in TEMPLATES.rglob("*.html") if TH.search(path.read_text())),
    ids=lambda path: str(path.relative_to(TEMPLATES)),
)
def test_every_table_in_the_templates_has_a_caption_and_scoped_headers(template):
    text = template.read_text()
    for match in TABLE.finditer(text):
        assert re.match(r"\s*<caption\b", text[match.end() :]), (
            f"{template}: {match.group(0)} does not open on a <caption>"
        )
    for match in TH.finditer(text):
        assert "scope=" in match.group(0), f"{template}: {match.group(0)} has no scope"
