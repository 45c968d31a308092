"""The house rules the linters do not check themselves.

An import inside a function hides a dependency from the reader and from import-linter's
picture of the layers; the only ones allowed say, in a comment on the line or just above it,
which cycle or cost they avoid, or that the app registry must be loaded first (AppConfig.ready).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    "commerce_base", "core", "cooperatives", "catalog", "livestreams", "orders", "dashboards",
    "devtools",
)  # fmt: skip
REASON = re.compile(r"#.*\b(cycle|cost|registry)\b", re.IGNORECASE)


def sources() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def block_of(lines: list[str], node: ast.stmt) -> list[str]:
    """The import's lines and, above it, the run of imports, comments and blank lines it ends:
    one comment may give the reason for a block of imports."""
    first = node.lineno - 1
    while first > 0 and re.match(r"\s*(#|from |import |\)|$)", lines[first - 1]):
        first -= 1
    return lines[first : node.end_lineno]


def hidden_imports(source: str) -> list[int]:
    """Line numbers of imports inside a function that give no reason."""
    lines = source.splitlines()
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if (
                in_function
                and isinstance(child, ast.Import | ast.ImportFrom)
                and not any(REASON.search(line) for line in block_of(lines, child))
            ):
                found.append(child.lineno)
            visit(child, inside)

    visit(ast.parse(source), False)
    return found


def test_the_check_finds_an_import_hidden_in_a_function_and_accepts_one_with_a_reason():
    source = (
        "def ready():\n"
        "    # Imported in ready(): the models need the app registry.\n"
        "    from . import receivers\n"
        "\n"
        "def view():\n"
        "    from .models import Order\n"
        "\n"
        "def load():\n"
        "    # Imported here: an app registry is needed first.\n"
        "    from . import signals\n"
        "\n"
        "    from .models import Order\n"
        "    value = 1\n"
        "    from .tasks import run\n"
        "\n"
        "def export():\n"
        "    import openpyxl  # imported here: CSV exports never pay its import cost\n"
    )
    assert hidden_imports(source) == [6, 14]


def test_the_apps_are_all_checked():
    checked = {path.relative_to(ROOT).parts[0] for path in sources()}
    assert checked == set(PACKAGES)


@pytest.mark.parametrize("path", sources(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_import_hides_inside_a_function_without_a_reason(path):
    assert hidden_imports(path.read_text(encoding="utf-8")) == []
