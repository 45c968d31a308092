"""The import batch's admin page shows the ranges its workers share, read-only, in few queries."""

import datetime

import pytest
from django.urls import reverse

from orders.models import ImportBatch, ImportRange
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

RANGE_ROWS = 400
BATCH_PAGE_QUERIES = 7
HEARTBEAT = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def superuser_staff(bureau_staff):
    bureau_staff.is_staff = bureau_staff.is_superuser = True
    bureau_staff.save()
    return bureau_staff


@pytest.fixture
def running_batch(tiktok_channel):
    return ImportBatch.objects.create(
        channel=tiktok_channel,
        original_name="megalive.csv",
        sha256="0" * 64,
        status=ImportBatch.Status.RUNNING,
    )


def add_ranges(batch: ImportBatch, count: int) -> list[ImportRange]:
    """`count` more ranges after the batch's last, each claimed by its own worker and halfway."""
    first = batch.ranges.count()
    ranges = []
    for position in range(first, first + count):
        start_row = 2 + position * RANGE_ROWS
        ranges.append(
            ImportRange.objects.create(
                batch=batch,
                position=position,
                start_row=start_row,
                end_row=start_row + RANGE_ROWS - 1,
                rows_done=start_row + RANGE_ROWS // 2,
                status=ImportRange.Status.RUNNING,
                worker=f"celery@import-worker-{position}",
                attempts=1,
                heartbeat_at=HEARTBEAT,
            )
        )
    return ranges


def change_url(batch: ImportBatch) -> str:
    return reverse("admin:orders_importbatch_change", args=[batch.pk])


def test_the_batch_page_shows_each_range_with_its_worker_and_rows(superuser_staff, running_batch):
    first, second = add_ranges(running_batch, 2)

    response = client_for(superuser_staff).get(change_url(running_batch))

    assert response.status_code == 200
    page = response.content.decode()
    for part in (first, second):
        assert part.worker in page
        for row in (part.start_row, part.end_row, part.rows_done):
            assert f"<p>{row}</p>" in page
    assert page.index(first.worker) < page.index(second.worker)
    assert 'name="ranges-TOTAL_FORMS"' in page  # the inline is there, not some other table


def test_the_ranges_can_be_neither_added_changed_nor_deleted_from_the_admin(
    superuser_staff, running_batch
):
    add_ranges(running_batch, 2)

    response = client_for(superuser_staff).get(change_url(running_batch))

    (ranges,) = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.opts.model is ImportRange
    ]
    assert (ranges.has_add_permission, ranges.has_change_permission) == (False, False)
    assert ranges.has_delete_permission is False
    assert 'name="ranges-0-worker"' not in response.content.decode()  # no input to edit


def test_the_batch_page_makes_as_many_queries_for_six_ranges_as_for_two(
    superuser_staff, running_batch, django_assert_num_queries
):
    staff = client_for(superuser_staff)
    add_ranges(running_batch, 2)
    # A first visit fills the process-wide content type cache, which the change form reads.
    staff.get(change_url(running_batch))

    # session; user; the user's role names; the batch; its channel (shown read-only); the
    # ranges; the row errors.
    with django_assert_num_queries(BATCH_PAGE_QUERIES):
        assert staff.get(change_url(running_batch)).status_code == 200
    add_ranges(running_batch, 4)
    with django_assert_num_queries(BATCH_PAGE_QUERIES):
        response = staff.get(change_url(running_batch))
    assert response.content.decode().count("celery@import-worker-") == 6
