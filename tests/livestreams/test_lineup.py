"""Line-ups with time budgets, the run-sheet, and on-air marks from the studio tablet."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from livestreams import services
from livestreams.models import LineupItem, Session
from tests.catalog.factories import ProductFactory
from tests.livestreams.factories import (
    HostFactory,
    LineupItemFactory,
    SessionFactory,
    SessionHostFactory,
)

START = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def session(db):
    return SessionFactory(
        title="KOL 16 products",
        scheduled_start=START,
        scheduled_end=START + datetime.timedelta(minutes=80),
    )


def planned(products, minutes):
    return [services.PlannedItem(product=product, planned_minutes=minutes) for product in products]


def test_sixteen_products_at_five_minutes_fit_an_eighty_minute_session(session):
    products = ProductFactory.create_batch(16)
    warnings = services.set_lineup(session=session, items=planned(products, 5))
    assert warnings == []
    assert list(session.lineup.values_list("position", flat=True)) == list(range(1, 17))


def test_a_line_up_longer_than_the_session_is_refused(session):
    products = ProductFactory.create_batch(17)
    with pytest.raises(ValidationError, match="85 minutes but the session lasts 80 minutes"):
        services.set_lineup(session=session, items=planned(products, 5))
    assert not session.lineup.exists()


def test_a_product_over_the_cap_is_warned_about_not_refused(session, settings):
    settings.LINEUP_PRODUCT_CAP_MINUTES = 5
    honey = ProductFactory(name="Kbang forest honey")
    warnings = services.set_lineup(
        session=session, items=[services.PlannedItem(product=honey, planned_minutes=8)]
    )
    assert warnings == ["Kbang forest honey is planned for 8 minutes, over the 5-minute cap."]
    assert session.lineup.get().planned_minutes == 8


def test_reordering_a_line_up_keeps_recorded_air_times(session):
    first, second = ProductFactory.create_batch(2)
    services.set_lineup(session=session, items=planned([first, second], 5))
    item = session.lineup.get(product=first)
    LineupItem.objects.filter(pk=item.pk).update(on_air_started_at=START)
    services.set_lineup(session=session, items=planned([second, first], 5))
    moved = session.lineup.get(product=first)
    assert moved.position == 2
    assert moved.on_air_started_at == START


def test_on_air_marks_record_actual_times_and_close_the_previous_product(session):
    first, second = LineupItemFactory(session=session), LineupItemFactory(session=session)
    services.start_session(session=session)
    on = timezone.now() - datetime.timedelta(minutes=7)
    switch = timezone.now() - datetime.timedelta(minutes=2)
    assert services.mark_on_air(item=first, at=on)
    assert not services.mark_on_air(item=first, at=switch)  # a double tap changes nothing
    assert services.mark_on_air(item=second, at=switch)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.on_air_started_at, first.on_air_ended_at) == (on, switch)
    assert second.on_air_started_at == switch and second.on_air_ended_at is None
    services.end_session(session=session)
    second.refresh_from_db()
    assert second.on_air_ended_at is not None


def test_the_control_page_marks_products_on_and_off_air(staff_client, session):
    item = LineupItemFactory(session=session)
    url = f"/sessions/{session.pk}/control/"
    assert staff_client.get(url).status_code == 200
    staff_client.post(url, {"action": "start"})
    staff_client.post(url, {"action": "on_air", "item": item.pk})
    staff_client.post(url, {"action": "off_air", "item": item.pk})
    item.refresh_from_db()
    assert item.on_air_started_at is not None
    assert item.on_air_ended_at >= item.on_air_started_at
    response = staff_client.get(url)
    assert b"button-big" in response.content


def test_products_cannot_go_on_air_before_the_session_is_live(staff_client, session):
    item = LineupItemFactory(session=session)
    response = staff_client.post(
        f"/sessions/{session.pk}/control/", {"action": "on_air", "item": item.pk}, follow=True
    )
    assert "only while the session is live" in response.content.decode()
    item.refresh_from_db()
    assert item.on_air_started_at is None


def test_a_host_controls_their_own_session_but_not_others(host_user, session):
    from tests.conftest import client_for

    host = HostFactory(user=host_user)
    SessionHostFactory(session=session, host=host)
    other = SessionFactory(scheduled_start=START + datetime.timedelta(days=1))
    SessionHostFactory(session=other)
    client = client_for(host_user)
    assert client.get(f"/sessions/{session.pk}/control/").status_code == 200
    assert client.get(f"/sessions/{other.pk}/control/").status_code == 404


def test_officials_and_cooperative_members_cannot_use_the_control_page(official_client, session):
    assert official_client.get(f"/sessions/{session.pk}/control/").status_code == 404
    response = official_client.post(f"/sessions/{session.pk}/control/", {"action": "start"})
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_the_run_sheet_lists_planned_start_times_prices_and_talking_points(staff_client, session):
    host = HostFactory(display_name="Lan Anh (KOL)")
    SessionHostFactory(session=session, host=host, role="kol")
    coffee = ProductFactory(name="Chu Se Robusta", price=Decimal("165000"))
    pepper = ProductFactory(name="Ia Grai black pepper")
    LineupItemFactory(
        session=session,
        product=coffee,
        position=1,
        planned_minutes=5,
        promo_price=Decimal("149000"),
        talking_points="Honey-processed, OCOP 4 stars",
    )
    LineupItemFactory(session=session, product=pepper, position=2, planned_minutes=4)
    response = staff_client.get(f"/sessions/{session.pk}/run-sheet/")
    content = response.content.decode()
    assert response.status_code == 200
    # 12:00 UTC is 19:00 in Hanoi; the second product starts five minutes later.
    assert "19:00" in content and "19:05" in content
    assert "149000" in content and "Honey-processed, OCOP 4 stars" in content
    assert "Lan Anh (KOL)" in content and str(session.room) in content
    assert content.index("Chu Se Robusta") < content.index("Ia Grai black pepper")
    assert 'class="no-print' in content


def test_the_run_sheet_speaks_the_channel_time_zone(staff_client):
    from tests.catalog.factories import ChannelFactory

    lhasa = ChannelFactory(time_zone="Asia/Shanghai", currency="CNY")
    session = SessionFactory(
        channel=lhasa, scheduled_start=START, scheduled_end=START + datetime.timedelta(hours=1)
    )
    content = staff_client.get(f"/sessions/{session.pk}/run-sheet/").content.decode()
    assert "20:00" in content and "Asia/Shanghai" in content  # 12:00 UTC in Lhasa


@pytest.mark.parametrize("items", [1, 16])
def test_the_run_sheet_has_a_fixed_query_budget(
    staff_client, session, django_assert_num_queries, items
):
    for position in range(1, items + 1):
        LineupItemFactory(session=session, position=position, planned_minutes=5)
    SessionHostFactory(session=session)
    # 1 django session, 2 user, 3 groups, 4 the session with room, zone, channel, metrics,
    # meeting and series, 5 hosts, 6 line-up with products and cooperatives, 7 attendances.
    with django_assert_num_queries(7):
        response = staff_client.get(f"/sessions/{session.pk}/run-sheet/")
    assert response.status_code == 200
