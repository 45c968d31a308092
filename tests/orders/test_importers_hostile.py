"""Hostile and broken uploads are refused before any row is read, quickly, with a reason.

RELIABILITY.md S13: zip bombs, many members, nested archives, macros, XML entities, binary
junk, NUL bytes, huge fields, oversized files: each refused in under a second.
"""

import io
import random
import time
import zipfile
from pathlib import Path

import pytest

from devtools.exportgen import ExportConfig, write_export
from orders.importers import ImportRefused, open_export

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
VIETNAM = "Asia/Ho_Chi_Minh"


@pytest.fixture(scope="module")
def workbook_bytes(tmp_path_factory) -> bytes:
    """A small valid TikTok XLSX export to damage in different ways."""
    path = tmp_path_factory.mktemp("hostile") / "orders.xlsx"
    write_export(path, ExportConfig(platform="tiktok", rows=20, seed=2))
    return path.read_bytes()


def rebuild(original: bytes, *, replace=None, add=(), drop=()) -> bytes:
    """Return a copy of a workbook with members replaced, added or dropped."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in drop:
                continue
            data = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data)
        for name, data in add:
            target.writestr(name, data)
    return out.getvalue()


def refusal_of(data: bytes, **options) -> ImportRefused:
    """Open ``data``; it must be refused in under a second. Return the refusal."""
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as caught:
        open_export(data, time_zone=VIETNAM, **options)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"refused after {elapsed:.2f} s"
    assert caught.value.reason.endswith(".")
    return caught.value


def test_the_untouched_workbook_is_accepted(workbook_bytes):
    with open_export(workbook_bytes, time_zone=VIETNAM) as export:
        assert export.format == "tiktok_orders"


def test_zip_bomb_is_refused_from_the_central_directory(workbook_bytes):
    # 60 MB of repeated rows compress to about 60 KB, like the 0.38 MB file that expanded to
    # 130 MB and kept openpyxl busy 46 s before its first row.
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>0</t></is></c></row>'
    sheet = b'<?xml version="1.0"?><worksheet><sheetData>' + row * 1_000_000
    bomb = rebuild(workbook_bytes, replace={"xl/worksheets/sheet1.xml": sheet})
    assert len(bomb) < 1_000_000
    refusal = refusal_of(bomb)
    assert "zip bomb" in refusal.reason


def test_workbook_with_thousands_of_members_is_refused(workbook_bytes):
    many = rebuild(workbook_bytes, add=[(f"xl/media/part{i}.xml", b"<a/>") for i in range(3000)])
    assert "parts" in refusal_of(many).reason


def test_nested_archive_is_refused(workbook_bytes):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("payload.txt", "x")
    by_name = rebuild(workbook_bytes, add=[("xl/embeddings/oleObject1.zip", inner.getvalue())])
    assert "another archive" in refusal_of(by_name).reason
    by_content = rebuild(workbook_bytes, add=[("xl/media/image1.png", inner.getvalue())])
    assert "another archive" in refusal_of(by_content).reason


def test_macro_enabled_workbooks_are_refused(workbook_bytes):
    with_vba = rebuild(workbook_bytes, add=[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"0" * 64)])
    assert "macros" in refusal_of(with_vba).reason
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        types = archive.read("[Content_Types].xml")
    macro_types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert macro_types != types
    declared = rebuild(workbook_bytes, replace={"[Content_Types].xml": macro_types})
    assert "macro-enabled" in refusal_of(declared).reason
    excel4 = rebuild(workbook_bytes, add=[("xl/macrosheets/sheet1.xml", b"<xm/>")])
    assert "macros" in refusal_of(excel4).reason


def test_xml_entity_declarations_are_refused(workbook_bytes):
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    refusal = refusal_of(rebuild(workbook_bytes, replace={"xl/worksheets/sheet1.xml": xxe}))
    assert "DTD" in refusal.reason
    # A DTD pushed past the first bytes by a long comment is refused all the same.
    hidden = xxe.replace(b"?>", b"?><!--" + b"x" * 10_000 + b"-->", 1)
    refusal = refusal_of(rebuild(workbook_bytes, replace={"xl/worksheets/sheet1.xml": hidden}))
    assert "DTD" in refusal.reason


def test_damaged_and_foreign_zips_are_refused(workbook_bytes):
    assert "damaged" in refusal_of(workbook_bytes[: len(workbook_bytes) // 2]).reason
    document = io.BytesIO()
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
    assert "not an Excel workbook" in refusal_of(document.getvalue()).reason


def test_binary_junk_is_refused():
    junk = random.Random(7).randbytes(200_000)
    assert "binary" in refusal_of(junk).reason or "NUL" in refusal_of(junk).reason


def test_control_characters_without_nul_are_refused():
    junk = bytes(random.Random(3).choice(b"\x01\x02\x03\x04abc,\n") for _ in range(50_000))
    assert "binary" in refusal_of(junk).reason


def test_nul_bytes_are_refused_wherever_they_are():
    text = (EXPORTS / "tiktok_orders_gialai.csv").read_bytes()
    middle = len(text) * 3 // 4
    refusal = refusal_of(text[:middle] + b"\x00" + text[middle:])
    assert "NUL" in refusal.reason
    assert f"{middle:,}" in refusal.reason


def test_a_ten_megabyte_field_is_refused():
    header = (EXPORTS / "tiktok_orders_gialai.csv").read_bytes().split(b"\n", 2)
    huge = header[0] + b"\n" + b"576011000000000250\t," + b"A" * 10_000_000 + b"\n"
    assert "longer than" in refusal_of(huge).reason


def test_an_oversized_file_is_refused_before_reading_it():
    data = (EXPORTS / "tiktok_orders_gialai.csv").read_bytes()
    refusal = refusal_of(data, max_bytes=10_000)
    assert "larger than" in refusal.reason


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "xls"),
        (b"%PDF-1.7\n" + b"x" * 100, "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"x" * 100, "PNG"),
        (b"\x1f\x8b\x08\x00" + b"x" * 100, "gzip"),
    ],
)
def test_other_file_types_are_named_in_the_refusal(data, words):
    assert words in refusal_of(data).reason


def test_a_csv_renamed_xlsx_and_an_xlsx_renamed_csv_are_read_by_content(tmp_path, workbook_bytes):
    renamed_workbook = tmp_path / "orders.csv"
    renamed_workbook.write_bytes(workbook_bytes)
    renamed_text = tmp_path / "orders.xlsx"
    renamed_text.write_bytes((EXPORTS / "tiktok_orders_gialai.csv").read_bytes())
    with open_export(renamed_workbook, time_zone=VIETNAM) as export:
        assert export.kind == "xlsx"
    with open_export(renamed_text, time_zone=VIETNAM) as export:
        assert export.kind == "csv"


def test_a_lying_sheet_dimension_neither_cuts_nor_pads_rows(workbook_bytes):
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    start = sheet.index(b"<sheetData")
    for dimension in (b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>'):
        lying = sheet[:start] + dimension + sheet[start:]
        data = rebuild(workbook_bytes, replace={"xl/worksheets/sheet1.xml": lying})
        started = time.perf_counter()
        with open_export(data, time_zone=VIETNAM) as export:
            items = list(export.iter_items())
        assert time.perf_counter() - started < 2
        assert len(items) >= 20
