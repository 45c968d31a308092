"""Helpers for files people open in spreadsheets."""

# A spreadsheet runs text starting with these as a formula (RELIABILITY.md S14).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value):
    """Text that a spreadsheet would take for a formula gets a leading apostrophe.

    Numbers stay numbers: only strings are touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
