"""Every dashboard table downloads as CSV or XLSX; text a spreadsheet would run as a formula
(leading =, +, -, @ ...) is escaped by core.exports.safe_cell in both."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from core.exports import safe_cell

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    """Numbers and dates stay as they are; everything else is text, escaped. A moment with a
    time zone (which spreadsheets cannot hold) is written in ISO 8601, its offset kept."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.isoformat()
    if value is None or isinstance(value, int | float | Decimal | dt.date):
        return value
    return safe_cell(str(value))


def _cells(row: Sequence) -> list:
    return [_cell(value) for value in row]


def table_response(
    *, name: str, header: Sequence[str], rows: Iterable[Sequence], file_format: str
) -> HttpResponse:
    """A download of the table: `name.csv` or `name.xlsx`; numbers stay numbers."""
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append([safe_cell(str(title)) for title in header])
        for row in rows:
            sheet.append(_cells(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([safe_cell(str(title)) for title in header])
        for row in rows:
            writer.writerow(_cells(row))
        # A byte-order mark so that spreadsheet programs read the UTF-8 (Vietnamese, Chinese).
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
