"""The one table writer: CSV streamed row by row, XLSX streamed from a file, formulas
escaped, numbers kept as numbers, file names that survive any language."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from core.exports import table_response


def rows_written(log: list[int], count: int):
    for number in range(count):
        log.append(number)
        yield [number, Decimal("1.50"), "=HYPERLINK(1)"]


def test_a_csv_is_written_as_it_is_sent_not_before():
    log: list[int] = []
    response = table_response(
        name="sessions", header=["n", "gmv", "note"], rows=rows_written(log, 3), file_format="csv"
    )
    assert response.streaming
    assert log == []  # nothing read before the response is sent
    chunks = iter(response.streaming_content)
    next(chunks)  # the header
    next(chunks)
    assert log == [0]  # one row read for one row sent


def test_csv_and_xlsx_keep_numbers_and_escape_formulas():
    header = ["n", "gmv", "note"]
    text = b"".join(
        table_response(
            name="t", header=header, rows=rows_written([], 2), file_format="csv"
        ).streaming_content
    ).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        header,
        ["0", "1.50", "'=HYPERLINK(1)"],
        ["1", "1.50", "'=HYPERLINK(1)"],
    ]
    xlsx = table_response(name="t", header=header, rows=rows_written([], 2), file_format="xlsx")
    assert xlsx.streaming
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).worksheets[0]
    assert list(sheet.iter_rows(values_only=True))[1] == (0, 1.5, "'=HYPERLINK(1)")


def test_a_file_name_in_vietnamese_or_chinese_is_given_to_the_browser():
    response = table_response(name="hợp-tác-xã-咖啡", header=["n"], rows=[], file_format="csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''h%E1%BB%A3p" in disposition
