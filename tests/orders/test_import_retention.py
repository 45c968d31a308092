"""Uploaded exports hold buyers' data: kept privately, served to staff only, then deleted."""

import csv
import datetime as dt
import io
import os
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from catalog.models import Currency, Platform
from orders import services, tasks
from orders.models import ImportBatch
from tests.catalog.factories import ChannelFactory
from tests.conftest import client_for

from .conftest import export_path

pytestmark = pytest.mark.django_db

ORDERS = "tiktok_orders_gialai.csv"
SHOPEE = "Order.all.20250520_20250521.xlsx"
TIKTOK_PERSONAL = ("Buyer Username", "Recipient", "Phone #", "Detail Address", "Buyer Message")
SHOPEE_PERSONAL = ("Người Mua", "Tên Người nhận", "Số điện thoại", "Địa chỉ nhận hàng")


def private_root() -> Path:
    return Path(settings.PRIVATE_ROOT)


def stored_path(batch: ImportBatch) -> Path:
    return Path(batch.file.path)


def tiktok_personal_data() -> set[str]:
    with export_path(ORDERS).open(encoding="utf-8-sig", newline="") as handle:
        return {
            value.strip()
            for row in csv.DictReader(handle)
            for column in TIKTOK_PERSONAL
            if len(value := (row.get(column) or "").strip()) > 3
        }


def shopee_personal_data() -> set[str]:
    sheet = openpyxl.load_workbook(export_path(SHOPEE), read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [unicodedata.normalize("NFC", str(cell)) for cell in next(rows)]
    positions = [header.index(column) for column in SHOPEE_PERSONAL]
    return {
        str(row[i]).strip()
        for row in rows
        for i in positions
        if row[i] is not None and len(str(row[i]).strip()) > 3
    }


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def finished(batch: ImportBatch, *, days: int) -> ImportBatch:
    ImportBatch.objects.filter(pk=batch.pk).update(finished_at=days_ago(days))
    batch.refresh_from_db()
    return batch


@pytest.fixture
def shopee_channel(db):
    return ChannelFactory(
        platform=Platform.SHOPEE, slug="gialai-shopee", currency=Currency.VND,
        time_zone="Asia/Ho_Chi_Minh",
    )  # fmt: skip


def test_an_upload_is_stored_outside_the_media_folder_and_not_served_there(
    importer, tiktok_channel, client
):
    batch = importer(tiktok_channel, ORDERS)

    path = stored_path(batch)
    assert path.is_file()
    assert path.is_relative_to(private_root())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not list(Path(settings.MEDIA_ROOT).rglob(path.name))
    assert client.get(f"/{settings.MEDIA_URL}{batch.file.name}").status_code == 404
    assert client.get(f"/{settings.MEDIA_URL}imports/{batch.file.name}").status_code == 404


def test_staff_download_the_uploaded_file_and_nobody_else_can(
    importer, tiktok_channel, bureau_staff, official, coop_member, client
):
    batch = importer(tiktok_channel, ORDERS)
    url = f"/imports/{batch.pk}/file/"

    response = client_for(bureau_staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == export_path(ORDERS).read_bytes()
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    for user in (official, coop_member):
        assert client_for(user).get(url).status_code == 404
    assert client.get(url).status_code == 302  # to the sign-in page


def test_the_purge_deletes_files_past_retention_and_keeps_younger_and_failed_ones(
    importer, tiktok_channel, settings
):
    settings.IMPORT_RETENTION_DAYS = 7
    old = finished(importer(tiktok_channel, ORDERS), days=8)
    young = finished(importer(tiktok_channel, "tiktok_orders_gialai_early.csv"), days=2)
    failed = importer(tiktok_channel, "tiktok_orders.xlsx")
    ImportBatch.objects.filter(pk=failed.pk).update(
        status=ImportBatch.Status.FAILED, finished_at=days_ago(30)
    )
    old_path, young_path, failed_path = map(stored_path, (old, young, failed))

    result = services.purge_import_files()

    assert result.batches == 1
    assert not old_path.exists()
    assert young_path.exists() and failed_path.exists()
    old.refresh_from_db()
    assert (old.file.name, old.file_purged_at is not None) == ("", True)
    # Run twice: nothing more to do.
    assert services.purge_import_files().batches == 0
    # Staff purge a failed batch explicitly.
    assert services.purge_import_files(batch_ids=[failed.pk]).batches == 1
    assert not failed_path.exists()


def test_a_duplicate_sharing_the_file_is_purged_with_it_and_the_page_says_so(
    importer, tiktok_channel, bureau_staff
):
    first = finished(importer(tiktok_channel, ORDERS), days=10)
    duplicate = finished(importer(tiktok_channel, ORDERS), days=9)
    assert duplicate.status == ImportBatch.Status.DUPLICATE
    assert duplicate.file.name == first.file.name

    assert services.purge_import_files().batches == 2

    assert not ImportBatch.objects.exclude(file="").exists()
    page = client_for(bureau_staff).get(f"/imports/{first.pk}/")
    assert "was deleted on" in page.content.decode()
    assert client_for(bureau_staff).get(f"/imports/{first.pk}/file/").status_code == 404


def test_a_file_still_needed_by_a_queued_reimport_is_kept(tiktok_channel, importer):
    done = finished(importer(tiktok_channel, ORDERS), days=10)
    waiting = ImportBatch.objects.create(
        channel=tiktok_channel, file=done.file.name, original_name="again.csv", sha256="x"
    )

    assert services.purge_import_files().batches == 0
    assert stored_path(done).exists()
    waiting.delete()


def test_the_command_and_the_nightly_task_purge_like_the_service(importer, tiktok_channel):
    first = finished(importer(tiktok_channel, ORDERS), days=3)
    out = io.StringIO()
    call_command("purge_import_files", "--older-than-days", "2", stdout=out)
    assert "Deleted the files of 1 import batch(es)" in out.getvalue()
    assert not stored_path_exists(first)

    second = finished(importer(tiktok_channel, "tiktok_orders_gialai_early.csv"), days=30)
    tasks.purge_import_files_task.delay()
    second.refresh_from_db()
    assert second.file.name == "" and second.file_purged_at is not None


def stored_path_exists(batch: ImportBatch) -> bool:
    name = ImportBatch.objects.get(pk=batch.pk).file.name
    return bool(name) and (private_root() / "imports" / name).exists()


def test_the_purge_is_scheduled_nightly_in_beat():
    task = PeriodicTask.objects.get(task="orders.tasks.purge_import_files_task")
    assert task.enabled and task.crontab is not None


def test_an_upload_whose_batch_was_never_recorded_is_deleted_as_an_orphan(tiktok_channel):
    storage = ImportBatch._meta.get_field("file").storage
    name = storage.save("2025/05/orphan.csv", io.BytesIO(b"Recipient\nsomeone\n"))
    path = Path(storage.path(name))
    assert services.purge_import_files().orphans == 0  # too young: maybe still uploading

    old = (timezone.now() - dt.timedelta(hours=2)).timestamp()
    os.utime(path, (old, old))
    assert services.purge_import_files().orphans == 1
    assert not path.exists()


def text_of_every_table() -> str:
    """A dump of every row of every table of the project's models, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (names from the models)
            chunks.extend(" ".join(str(value) for value in row) for row in cursor.fetchall())
    return "\n".join(chunks)


def text_of_files_under(folder: Path) -> str:
    chunks = []
    for path in folder.rglob("*"):
        # The test database itself is checked through SQL above (its free pages hold
        # nothing we wrote: no personal data is ever written to it).
        if path.is_file() and not path.name.startswith("test_commerce_base_"):
            chunks.append(path.read_bytes().decode("utf-8", errors="ignore"))
            if zipfile.is_zipfile(path):  # an XLSX keeps its text compressed
                with zipfile.ZipFile(path) as archive:
                    chunks.extend(
                        unicodedata.normalize("NFC", archive.read(member).decode("utf-8", "ignore"))
                        for member in archive.namelist()
                    )
    return "\n".join(chunks)


@pytest.mark.parametrize(
    ("name", "personal_data", "channel_fixture"),
    [
        (ORDERS, tiktok_personal_data, "tiktok_channel"),
        (SHOPEE, shopee_personal_data, "shopee_channel"),
    ],
)
def test_after_import_and_purge_no_buyer_data_is_left_anywhere(
    request, importer, name, personal_data, channel_fixture
):
    secrets = personal_data()
    assert len(secrets) > 10
    channel = request.getfixturevalue(channel_fixture)
    batch = importer(channel, name)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert any(secret in text_of_files_under(private_root()) for secret in secrets)

    # Time passes beyond retention (and beyond the orphans' grace for files that earlier
    # tests left behind without a batch); the nightly purge runs.
    later = timezone.now() + dt.timedelta(days=settings.IMPORT_RETENTION_DAYS + 1)
    services.purge_import_files(now=later)

    stored = "\n".join(
        [
            text_of_every_table(),
            text_of_files_under(Path(settings.MEDIA_ROOT)),
            text_of_files_under(Path(settings.VAR_DIR)),
        ]
    )
    leaked = sorted(secret for secret in secrets if secret in stored)
    assert not leaked, leaked[:5]
