"""Uploaded exports hold buyers' data: kept privately, served to staff only, then deleted."""

import csv
import datetime as dt
import io
import os
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.conf.urls.static import static
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import Http404
from django.shortcuts import resolve_url
from django.test import RequestFactory, override_settings
from django.utils import timezone

from catalog.models import Currency, Platform
from orders import services, tasks
from orders.models import ImportBatch
from tests.catalog.factories import ChannelFactory
from tests.conftest import client_for
from tests.schedules import migrated_schedule

from .conftest import export_path

pytestmark = pytest.mark.django_db

ORDERS = "tiktok_orders_gialai.csv"
EARLY_ORDERS = "tiktok_orders_gialai_early.csv"
SHOPEE = "Order.all.20250520_20250521.xlsx"
TIKTOK_PERSONAL = ("Buyer Username", "Recipient", "Phone #", "Detail Address", "Buyer Message")
SHOPEE_PERSONAL = ("Người Mua", "Tên Người nhận", "Số điện thoại", "Địa chỉ nhận hàng")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- The buyer data of an export, read with csv / openpyxl alone (not the importers) -------


def tiktok_personal_data(content: bytes) -> set[str]:
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return {
        nfc(value)
        for row in rows
        for column in TIKTOK_PERSONAL
        if len(value := (row.get(column) or "").strip()) > 3
    }


def shopee_personal_data(content: bytes) -> set[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [nfc(str(cell)) for cell in next(rows)]
    positions = [header.index(column) for column in SHOPEE_PERSONAL]
    return {
        nfc(str(row[i]).strip())
        for row in rows
        for i in positions
        if row[i] is not None and len(str(row[i]).strip()) > 3
    }


# The fixtures hold the masked values the seller centres give (``b*****1``). Real exports are
# not always masked (Shopee gives buyers' usernames in full), and a masked value is a weak
# probe; these variants give every row its own plain, unmistakable buyer data.
def plain_buyer(number: int) -> dict[str, str]:
    return {
        "username": f"hlin.gialai.{number:03d}",
        "name": f"Rơ Mah Hlin {number:03d}",
        "phone": f"09123{number:05d}",
        "address": f"{number} Hẻm Lê Lợi, Phường Hoa Lư {number:03d}",
        "message": f"Gọi trước khi giao {number:03d}",
    }


def tiktok_with_plain_buyers(content: bytes) -> bytes:
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
    writer.writeheader()
    for number, row in enumerate(reader, start=1):
        buyer = plain_buyer(number)
        row.update(
            {
                "Buyer Username": buyer["username"],
                "Recipient": buyer["name"],
                "Phone #": buyer["phone"],
                "Detail Address": buyer["address"],
                "Buyer Message": buyer["message"],
            }
        )
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def shopee_with_plain_buyers(content: bytes) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    header = [nfc(str(cell.value)) for cell in sheet[1]]
    keys = dict(zip(SHOPEE_PERSONAL, ("username", "name", "phone", "address"), strict=True))
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=1):
        buyer = plain_buyer(number)
        for column, key in keys.items():
            row[header.index(column)].value = buyer[key]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def unchanged(content: bytes) -> bytes:
    return content


# --- Helpers and fixtures ------------------------------------------------------------------


def stored_path(batch: ImportBatch) -> Path:
    return Path(batch.file.path)


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def finished(batch: ImportBatch, *, days: int) -> ImportBatch:
    """The batch as if it had finished ``days`` ago: time passes without a clock library."""
    ImportBatch.objects.filter(pk=batch.pk).update(finished_at=days_ago(days))
    batch.refresh_from_db()
    return batch


@pytest.fixture
def shopee_channel(db):
    return ChannelFactory(
        platform=Platform.SHOPEE, slug="gialai-shopee", currency=Currency.VND,
        time_zone="Asia/Ho_Chi_Minh",
    )  # fmt: skip


@pytest.fixture
def own_var_dir(tmp_path, settings, monkeypatch) -> Path:
    """A VAR_DIR of the test's own (media, private files, locks), as on a machine of its own.

    The purge also deletes files no batch names: in the shared ``var/test`` those would be the
    uploads of another test run going on in the same checkout, and the scan for buyer data
    would find them there.
    """
    var = tmp_path / "var"
    settings.VAR_DIR = var
    settings.MEDIA_ROOT = var / "media"
    settings.PRIVATE_ROOT = var / "private"
    imports = {**settings.STORAGES["imports"], "OPTIONS": {"location": var / "private" / "imports"}}
    settings.STORAGES = {**settings.STORAGES, "imports": imports}
    # The file field took its storage when the model class was made: give it the new one.
    monkeypatch.setattr(ImportBatch._meta.get_field("file"), "storage", storages["imports"])
    return var


# --- Where the file is kept, and who may read it -------------------------------------------


def test_the_private_folder_is_neither_in_nor_around_the_media_and_static_folders():
    private = Path(settings.PRIVATE_ROOT).resolve()
    for public in (Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()):
        assert not private.is_relative_to(public)
        assert not public.is_relative_to(private)
    assert Path(storages["imports"].location).is_relative_to(private)


def test_an_upload_is_stored_outside_the_media_folder_and_not_served_there(
    importer, tiktok_channel, anonymous
):
    batch = importer(tiktok_channel, ORDERS)

    path = stored_path(batch)
    assert path.is_file()
    assert path.read_bytes() == export_path(ORDERS).read_bytes()
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert not list(Path(settings.MEDIA_ROOT).rglob(path.name))
    # The media view the development server mounts with DEBUG (commerce_base/urls.py), and
    # the old place of uploads (imports/ in the media folder), do not find the file.
    with override_settings(DEBUG=True):
        (media_view,) = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    for name in (batch.file.name, f"imports/{batch.file.name}"):
        url = f"/{settings.MEDIA_URL.lstrip('/')}{name}"
        match = media_view.resolve(url.lstrip("/"))
        with pytest.raises(Http404):
            match.func(RequestFactory().get(url), *match.args, **match.kwargs)
        assert anonymous.get(url).status_code == 404


def test_staff_download_the_uploaded_file_and_nobody_else_can(
    importer, tiktok_channel, bureau_staff, official, coop_member, other_coop_member, host_user,
    anonymous,
):  # fmt: skip
    batch = importer(tiktok_channel, ORDERS, user=bureau_staff)
    url = f"/imports/{batch.pk}/file/"

    response = client_for(bureau_staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == export_path(ORDERS).read_bytes()
    assert response["Content-Disposition"] == f'attachment; filename="{ORDERS}"'
    assert response["Cache-Control"] == "private, no-store"
    for user in (official, coop_member, other_coop_member, host_user):
        assert client_for(user).get(url).status_code == 404, user
    refused = anonymous.get(url)
    assert refused.status_code == 302
    assert refused["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={url}"


def test_the_import_page_links_to_the_download_and_the_admin_shows_no_media_address(
    importer, tiktok_channel, bureau_staff
):
    bureau_staff.is_staff = bureau_staff.is_superuser = True
    bureau_staff.save()
    batch = importer(tiktok_channel, ORDERS)
    staff = client_for(bureau_staff)

    page = staff.get(f"/imports/{batch.pk}/").content.decode()
    assert f'href="/imports/{batch.pk}/file/"' in page
    admin_page = staff.get(f"/admin/orders/importbatch/{batch.pk}/change/").content.decode()
    assert f'href="/imports/{batch.pk}/file/"' in admin_page
    assert batch.file.name not in admin_page
    api = staff.get(f"/api/v1/imports/{batch.pk}/").json()
    assert batch.file.name not in str(api)
    assert api["file_purged_at"] is None


def test_a_file_gone_from_the_disk_is_not_found_rather_than_an_error(
    importer, tiktok_channel, bureau_staff
):
    batch = importer(tiktok_channel, ORDERS)
    stored_path(batch).unlink()

    assert client_for(bureau_staff).get(f"/imports/{batch.pk}/file/").status_code == 404


# --- The purge -----------------------------------------------------------------------------


def test_the_purge_deletes_files_past_retention_and_keeps_younger_and_failed_ones(
    own_var_dir, importer, tiktok_channel, shopee_channel, settings
):
    settings.IMPORT_RETENTION_DAYS = 7
    old = finished(importer(tiktok_channel, ORDERS), days=8)
    young = finished(importer(tiktok_channel, EARLY_ORDERS), days=6)
    refused = finished(importer(shopee_channel, "tiktok_orders.xlsx"), days=30)
    assert refused.status == ImportBatch.Status.REFUSED
    failed = importer(tiktok_channel, "tiktok_orders.xlsx")
    ImportBatch.objects.filter(pk=failed.pk).update(
        status=ImportBatch.Status.FAILED, finished_at=days_ago(30)
    )
    old_path, young_path, refused_path, failed_path = map(
        stored_path, (old, young, refused, failed)
    )

    result = services.purge_import_files()

    assert (result.batches, result.orphans) == (1, 0)
    assert not old_path.exists()
    assert young_path.exists() and refused_path.exists() and failed_path.exists()
    old.refresh_from_db()
    assert old.file.name == ""
    assert old.file_purged_at is not None
    assert not ImportBatch.objects.exclude(pk=old.pk).filter(file_purged_at__isnull=False).exists()
    # Run twice: nothing more to do, and the first purge's time stays.
    purged_at = old.file_purged_at
    assert services.purge_import_files().batches == 0
    old.refresh_from_db()
    assert old.file_purged_at == purged_at
    # Staff purge failed and refused batches explicitly, whatever their age.
    assert services.purge_import_files(batch_ids=[failed.pk, refused.pk]).batches == 2
    assert not failed_path.exists() and not refused_path.exists()
    assert young_path.exists()
    assert services.purge_import_files(batch_ids=[failed.pk, refused.pk]).batches == 0


def test_a_duplicate_sharing_the_file_is_purged_with_it_and_the_page_says_so(
    own_var_dir, importer, tiktok_channel, bureau_staff
):
    first = finished(importer(tiktok_channel, ORDERS), days=10)
    duplicate = finished(importer(tiktok_channel, ORDERS), days=9)
    assert duplicate.status == ImportBatch.Status.DUPLICATE
    assert duplicate.file.name == first.file.name
    path = stored_path(first)

    assert services.purge_import_files().batches == 2

    assert not path.exists()
    assert not ImportBatch.objects.exclude(file="").exists()
    assert ImportBatch.objects.filter(file_purged_at__isnull=True).count() == 0
    staff = client_for(bureau_staff)
    for batch in (first, duplicate):
        page = staff.get(f"/imports/{batch.pk}/").content.decode()
        assert "was deleted on" in page
        assert f"/imports/{batch.pk}/file/" not in page
        assert staff.get(f"/imports/{batch.pk}/file/").status_code == 404


def test_a_file_is_kept_while_a_younger_duplicate_still_names_it(
    own_var_dir, importer, tiktok_channel
):
    first = finished(importer(tiktok_channel, ORDERS), days=10)
    duplicate = finished(importer(tiktok_channel, ORDERS), days=1)
    assert duplicate.file.name == first.file.name

    assert services.purge_import_files().batches == 0
    assert stored_path(first).exists()

    finished(duplicate, days=8)
    assert services.purge_import_files().batches == 2
    assert not stored_path(first).exists()


@pytest.mark.parametrize("status", [ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING])
def test_a_file_still_needed_by_a_waiting_or_running_batch_is_kept(
    own_var_dir, tiktok_channel, importer, status
):
    done = finished(importer(tiktok_channel, ORDERS), days=10)
    needing = ImportBatch.objects.create(
        channel=tiktok_channel, file=done.file.name, original_name="again.csv", sha256="x",
        status=status,
    )  # fmt: skip

    assert services.purge_import_files().batches == 0
    assert services.purge_import_files(batch_ids=[done.pk, needing.pk]).batches == 0
    assert stored_path(done).exists()
    needing.refresh_from_db()
    assert needing.file.name == done.file.name and needing.file_purged_at is None


def test_the_command_purges_past_retention_or_the_batches_named(
    own_var_dir, importer, tiktok_channel, shopee_channel
):
    older = finished(importer(tiktok_channel, ORDERS), days=3)
    failed = importer(shopee_channel, SHOPEE)
    ImportBatch.objects.filter(pk=failed.pk).update(status=ImportBatch.Status.FAILED)
    refused = importer(shopee_channel, "tiktok_orders.xlsx")
    kept = importer(tiktok_channel, EARLY_ORDERS)
    older_path, failed_path, refused_path, kept_path = map(
        stored_path, (older, failed, refused, kept)
    )

    out = io.StringIO()
    call_command("purge_import_files", "--older-than-days", "2", stdout=out)
    assert "Deleted the files of 1 import batch(es)" in out.getvalue()
    assert not older_path.exists()
    assert failed_path.exists() and refused_path.exists() and kept_path.exists()

    out = io.StringIO()
    call_command("purge_import_files", "--batch", failed.pk, "--batch", refused.pk, stdout=out)
    assert "Deleted the files of 2 import batch(es)" in out.getvalue()
    assert not failed_path.exists() and not refused_path.exists()
    assert kept_path.exists()
    assert set(
        ImportBatch.objects.filter(file_purged_at__isnull=False).values_list("pk", flat=True)
    ) == {older.pk, failed.pk, refused.pk}

    out = io.StringIO()
    call_command("purge_import_files", stdout=out)  # again: nothing left past retention
    assert "Deleted the files of 0 import batch(es) and 0 file(s)" in out.getvalue()
    assert kept_path.exists()
    with pytest.raises(CommandError):
        call_command("purge_import_files", "--older-than-days", "-1")


def test_the_nightly_task_purges_like_the_service(own_var_dir, importer, tiktok_channel):
    old = finished(importer(tiktok_channel, ORDERS), days=settings.IMPORT_RETENTION_DAYS + 1)
    young = importer(tiktok_channel, EARLY_ORDERS)
    old_path, young_path = stored_path(old), stored_path(young)

    tasks.purge_import_files_task.delay()

    assert not old_path.exists()
    assert young_path.exists()
    old.refresh_from_db()
    assert old.file.name == "" and old.file_purged_at is not None


def test_the_purge_is_scheduled_nightly_in_beat():
    task = migrated_schedule(
        "orders.migrations.0008_private_import_files", "orders.tasks.purge_import_files_task"
    )
    assert task.enabled and task.crontab is not None


def test_an_upload_whose_batch_was_never_recorded_is_deleted_as_an_orphan(
    own_var_dir, tiktok_channel
):
    storage = ImportBatch._meta.get_field("file").storage
    name = storage.save("2025/05/orphan.csv", io.BytesIO(b"Recipient\nsomeone\n"))
    path = Path(storage.path(name))
    assert path.is_relative_to(own_var_dir)
    assert services.purge_import_files().orphans == 0  # too young: maybe still uploading

    old = (timezone.now() - dt.timedelta(hours=2)).timestamp()
    os.utime(path, (old, old))
    assert services.purge_import_files(batch_ids=[]).orphans == 0  # only the batches named
    assert path.exists()
    assert services.purge_import_files().orphans == 1
    assert not path.exists()


# --- After the purge, no buyer data anywhere -----------------------------------------------


def text_of_every_table() -> str:
    """Every row of every table of the database (not only the models'), as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(" ".join(str(value) for value in row) for row in cursor.fetchall())
    return nfc("\n".join(chunks))


def text_of_file(path: Path) -> str:
    chunks = [path.read_bytes().decode("utf-8", errors="ignore")]
    if zipfile.is_zipfile(path):  # an XLSX keeps its text compressed
        with zipfile.ZipFile(path) as archive:
            chunks.extend(
                archive.read(member).decode("utf-8", errors="ignore")
                for member in archive.namelist()
            )
    return nfc("\n".join(chunks))


def text_of_files_under(folder: Path) -> str:
    return "\n".join(text_of_file(path) for path in folder.rglob("*") if path.is_file())


def database_files() -> list[Path]:
    """The test database's own files on SQLite: its raw pages, journal and write-ahead log.

    Read raw, they also show rows written and deleted since (free pages), which SQL does not;
    the test that reads them commits its rows, else they would sit in SQLite's page cache.
    """
    if connection.vendor != "sqlite":
        return []
    name = Path(connection.settings_dict["NAME"])
    candidates = [name, *(name.with_name(name.name + suffix) for suffix in ("-wal", "-journal"))]
    return [path for path in candidates if path.is_file()]


# Transactional: the import commits, as in production, so its rows reach the database file.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("name", "variant", "personal_data", "channel_fixture"),
    [
        (ORDERS, unchanged, tiktok_personal_data, "tiktok_channel"),
        (ORDERS, tiktok_with_plain_buyers, tiktok_personal_data, "tiktok_channel"),
        (SHOPEE, unchanged, shopee_personal_data, "shopee_channel"),
        (SHOPEE, shopee_with_plain_buyers, shopee_personal_data, "shopee_channel"),
    ],
    ids=["tiktok-csv", "tiktok-csv-plain-buyers", "shopee-xlsx", "shopee-xlsx-plain-buyers"],
)
def test_after_import_and_purge_no_buyer_data_is_left_anywhere(
    own_var_dir,
    request,
    importer,
    name: str,
    variant: Callable[[bytes], bytes],
    personal_data: Callable[[bytes], set[str]],
    channel_fixture: str,
):
    content = variant(export_path(name).read_bytes())
    secrets = personal_data(content)
    assert len(secrets) > 10
    channel = request.getfixturevalue(channel_fixture)
    batch = importer(channel, name, content=content)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert batch.orders_created > 0
    # The probe works: before the purge the stored file holds the buyers' data.
    in_the_file = text_of_file(stored_path(batch))
    assert all(secret in in_the_file for secret in secrets)

    # Time passes beyond retention; the nightly purge runs.
    later = timezone.now() + dt.timedelta(days=settings.IMPORT_RETENTION_DAYS + 1)
    assert services.purge_import_files(now=later).batches == 1

    places = {
        "database": text_of_every_table(),
        "VAR_DIR (media, private files, locks)": text_of_files_under(own_var_dir),
        "MEDIA_ROOT": text_of_files_under(Path(settings.MEDIA_ROOT)),
        **{f"database file {path.name}": text_of_file(path) for path in database_files()},
    }
    if broker := getattr(settings, "CELERY_BROKER_DIR", None):
        places["Celery broker folder"] = text_of_files_under(Path(broker))
    leaks = {
        place: sorted(secret for secret in secrets if secret in text)[:5]
        for place, text in places.items()
    }
    assert not any(leaks.values()), leaks
