"""Tables people download and open in spreadsheets: one writer for every CSV and XLSX.

Both are streamed. A CSV goes out row by row as it is written, so a long table (a year of
sessions, a file's row errors) never sits whole in memory. An XLSX is a zip that can only
be finished at the end, so it is written to a temporary file (kept in memory while small)
and streamed from there. Text a spreadsheet would run as a formula (a leading =, +, -, @...)
is escaped in both (RELIABILITY.md S14).
"""

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs text starting with these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
# An XLSX smaller than this stays in memory while it is written; a larger one goes to disk.
XLSX_IN_MEMORY = 8 * 1024 * 1024

Cell = str | int | float | Decimal | dt.date | None


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would take for a formula gets a leading apostrophe.

    Numbers stay numbers: only strings are touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: object) -> object:
    """Numbers and dates stay as they are; everything else is text, escaped. A moment with a
    time zone (which spreadsheets cannot hold) is written in ISO 8601, its offset kept."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.isoformat()
    if value is None or isinstance(value, int | float | Decimal | dt.date):
        return value
    return safe_cell(str(value))


class _Line:
    """What csv.writer writes to: hands back each line instead of keeping it."""

    def write(self, text: str) -> str:
        return text


def _csv_lines(header: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    writer = csv.writer(_Line())
    # A byte-order mark so that spreadsheet programs read the UTF-8 (Vietnamese, Chinese).
    yield "\ufeff" + writer.writerow([safe_cell(str(title)) for title in header])
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def table_response(
    *,
    name: str,
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    file_format: str,
) -> StreamingHttpResponse:
    """A download of the table: `name.csv` or `name.xlsx` (FORMATS); numbers stay numbers."""
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append([safe_cell(str(title)) for title in header])
        for row in rows:
            sheet.append([_cell(value) for value in row])
        spool = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY)  # noqa: SIM115
        workbook.save(spool)
        spool.seek(0)
        # FileResponse closes the file once it is sent.
        return FileResponse(
            spool, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE
        )
    response = StreamingHttpResponse(
        _csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.csv")
    return response
