"""A failed, refused or partly failed import tells its uploader, and the imports page shows it."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from orders.models import ImportBatch

from .conftest import export_path

pytestmark = pytest.mark.django_db

ORDERS = "tiktok_orders_gialai.csv"


def with_a_bad_quantity() -> bytes:
    rows = list(csv.reader(io.StringIO(export_path(ORDERS).read_text(encoding="utf-8-sig"))))
    rows[3][rows[0].index("Quantity")] = "two"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def uploader(bureau_staff):
    bureau_staff.email = "uploader@example.org"
    bureau_staff.save()
    return bureau_staff


def test_a_refused_file_tells_its_uploader_with_a_link_to_the_import(
    importer, tiktok_channel, uploader, settings
):
    settings.SITE_URL = "https://base.example.org"
    batch = importer(
        tiktok_channel, "notes.csv", content=b"Name,Email\nA,a@example.org\n", user=uploader
    )

    assert batch.status == ImportBatch.Status.REFUSED
    (message,) = mail.outbox
    assert message.to == ["uploader@example.org"]
    assert f"#{batch.pk}" in message.subject
    assert f"https://base.example.org/imports/{batch.pk}/" in message.body


def test_rows_with_errors_tell_the_uploader_and_a_clean_import_does_not(
    importer, tiktok_channel, uploader
):
    importer(tiktok_channel, ORDERS, user=uploader)
    assert mail.outbox == []

    partly = importer(tiktok_channel, ORDERS, content=with_a_bad_quantity(), user=uploader)

    assert partly.status == ImportBatch.Status.SUCCEEDED and partly.error_count == 1
    (message,) = mail.outbox
    assert "1 rows could not be read" in message.subject


def test_the_imports_page_shows_the_imports_that_need_a_look(
    importer, tiktok_channel, uploader, staff_client
):
    refused = importer(tiktok_channel, "notes.csv", content=b"Name\nA\n", user=uploader)
    importer(tiktok_channel, ORDERS, user=uploader)

    page = staff_client.get(reverse("orders:import-list"))

    assert page.context["failed"] == [refused]
    content = page.content.decode()
    assert "Imports that need a look" in content
    assert reverse("orders:import-detail", args=[refused.pk]) in content
