"""Orders follow what staff record about a session after the import: a session scheduled
late, its actual times, its cancellation."""

import datetime as dt

import pytest

from livestreams import services as sessions
from livestreams.models import Session
from orders.models import Order, SessionSales
from tests.livestreams.factories import SessionFactory

from .conftest import GIA_LAI, read_rows

pytestmark = pytest.mark.django_db

LATER = "tiktok_orders_gialai.csv"


def placed_local(row: dict) -> dt.datetime:
    return dt.datetime.strptime(row["Created Time"], "%d/%m/%Y %H:%M:%S").replace(tzinfo=GIA_LAI)


def test_a_session_scheduled_after_the_import_gets_its_orders(
    importer, tiktok_channel, django_capture_on_commit_callbacks
):
    importer(tiktok_channel, LATER)
    assert not Order.objects.filter(session__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        live = SessionFactory(
            channel=tiktok_channel,
            scheduled_start=dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI),
            scheduled_end=dt.datetime(2025, 5, 20, 21, 0, tzinfo=GIA_LAI),
        )
    orders = {r["Order ID"] for r in read_rows(LATER)}
    assert set(Order.objects.filter(session=live).values_list("external_id", flat=True)) == orders
    assert SessionSales.objects.get(session=live).orders == len(orders)


def test_recording_the_actual_end_drops_the_orders_placed_after_it_and_its_grace(
    importer, tiktok_channel, django_capture_on_commit_callbacks
):
    live = SessionFactory(
        channel=tiktok_channel,
        status=Session.Status.SCHEDULED,
        scheduled_start=dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 21, 0, tzinfo=GIA_LAI),
    )
    importer(tiktok_channel, LATER)
    actual_end = dt.datetime(2025, 5, 20, 19, 30, tzinfo=GIA_LAI)
    with django_capture_on_commit_callbacks(execute=True):
        sessions.start_session(session=live, at=live.scheduled_start)
        sessions.end_session(session=live, at=actual_end)
    rows = read_rows(LATER)
    cutoff = actual_end + dt.timedelta(minutes=tiktok_channel.grace_minutes)
    inside = {r["Order ID"] for r in rows if placed_local(r) < cutoff}
    assert set(Order.objects.filter(session=live).values_list("external_id", flat=True)) == inside
    assert 0 < len(inside) < len({r["Order ID"] for r in rows})
    assert SessionSales.objects.get(session=live).orders == len(inside)


def test_cancelling_a_session_releases_its_orders_and_its_figures_follow(
    importer, tiktok_channel, megalive, django_capture_on_commit_callbacks
):
    Session.objects.filter(pk=megalive.pk).update(status=Session.Status.SCHEDULED)
    megalive.refresh_from_db()
    importer(tiktok_channel, LATER)
    assert SessionSales.objects.get(session=megalive).orders > 0
    with django_capture_on_commit_callbacks(execute=True):
        sessions.cancel_session(session=megalive)
    assert not Order.objects.filter(session=megalive).exists()
    assert SessionSales.objects.get(session=megalive).orders == 0


def test_deleting_a_session_gives_its_orders_to_the_session_left_in_the_window(
    importer, tiktok_channel, django_capture_on_commit_callbacks
):
    start = dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI)
    first = SessionFactory(
        channel=tiktok_channel, scheduled_start=start, scheduled_end=start + dt.timedelta(hours=2)
    )
    second = SessionFactory(
        channel=tiktok_channel, scheduled_start=start, scheduled_end=start + dt.timedelta(hours=2)
    )
    importer(tiktok_channel, LATER)
    orders = {r["Order ID"] for r in read_rows(LATER)}
    # Two sessions share the window: every order is ambiguous and counted in neither.
    assert Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS).count() == len(orders)
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    kept = set(Order.objects.filter(session=first).values_list("external_id", flat=True))
    assert kept == orders
    assert SessionSales.objects.get(session=first).orders == len(orders)


def test_deleting_a_session_leaves_no_order_attributed_to_nothing(
    importer, tiktok_channel, megalive, admin_user, django_capture_on_commit_callbacks
):
    importer(tiktok_channel, LATER)
    attributed = Order.objects.filter(session=megalive)
    assert attributed.exists()
    chosen = attributed.first()
    Order.objects.filter(pk=chosen.pk).update(
        attribution=Order.Attribution.MANUAL, attributed_by=admin_user
    )
    with django_capture_on_commit_callbacks(execute=True):
        megalive.delete()
    # No other session holds them: they are unattributed, not "window" without a session.
    assert (
        not Order.objects.filter(session__isnull=True)
        .exclude(attribution=Order.Attribution.NONE)
        .exists()
    )
    assert Order.objects.get(pk=chosen.pk).attributed_by is None
