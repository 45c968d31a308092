"""Session list, calendar, detail and metrics pages: who sees what, and their query budgets."""

import datetime

import pytest
from django.utils import timezone

from livestreams.models import Session, SessionMetrics
from tests.catalog.factories import ChannelFactory, ProductFactory
from tests.conftest import client_for
from tests.livestreams.factories import (
    HostFactory,
    LineupItemFactory,
    RoomFactory,
    SessionFactory,
    SessionHostFactory,
)


def this_week(hours: int) -> datetime.datetime:
    """A time in the current local week (Monday midnight + hours), so the calendar shows it."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time())) + (
        datetime.timedelta(hours=hours)
    )


def make_sessions(count: int, *, cooperative=None, host=None, first_hour: int = 8):
    sessions = []
    for index in range(count):
        session = SessionFactory(
            scheduled_start=this_week(first_hour + 3 * index),
            scheduled_end=this_week(first_hour + 3 * index + 2),
        )
        SessionHostFactory(session=session, host=host or HostFactory())
        SessionHostFactory(session=session, role="co_host")
        if cooperative is not None:
            LineupItemFactory(session=session, product__cooperative=cooperative)
        sessions.append(session)
    return sessions


@pytest.fixture
def host_profile(host_user):
    return HostFactory(display_name="Lan Anh (KOL)", user=host_user)


@pytest.fixture
def host_client(host_user):
    return client_for(host_user)


# --- query budgets -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 6])
def test_the_calendar_page_has_a_fixed_query_budget(staff_client, django_assert_num_queries, count):
    make_sessions(count)
    # 1 django session, 2 user, 3 the user's groups (roles), 4 this week's sessions with
    # room, zone and channel, 5 their hosts, 6 the host profile of the user, 7-9 the filter
    # choices (rooms, hosts, channels), 10 the bases.
    with django_assert_num_queries(10):
        response = staff_client.get("/calendar/")
    assert response.status_code == 200
    shown = {session.pk for day in response.context["days"] for session in day["sessions"]}
    assert len(shown) == count


@pytest.mark.parametrize("count", [1, 6])
def test_the_session_list_has_a_fixed_query_budget(staff_client, django_assert_num_queries, count):
    make_sessions(count, first_hour=24 * 7 + 8)  # next week: upcoming whatever today is
    # 1 django session, 2 user, 3 groups, 4 count for the pager, 5 host profile, 6-8 filter
    # choices (rooms, hosts, channels), 9 the page of sessions with room, zone and channel,
    # 10 their hosts, 11 the bases.
    with django_assert_num_queries(11):
        response = staff_client.get("/sessions/")
    assert response.status_code == 200
    assert len(response.context["sessions"]) == count


@pytest.mark.parametrize("count", [1, 6])
def test_the_session_api_list_has_a_fixed_query_budget(
    staff_client, django_assert_num_queries, cooperative, count
):
    make_sessions(count, cooperative=cooperative)
    # 1 django session, 2 user, 3 groups, 4 count, 5 sessions with room, zone and channel,
    # 6 hosts, 7 line-up with products.
    with django_assert_num_queries(7):
        response = staff_client.get("/api/v1/sessions/")
    assert response.json()["count"] == count


# --- who sees what -------------------------------------------------------------------------


def test_a_cooperative_member_sees_only_sessions_featuring_their_products(
    coop_client, other_coop_client, cooperative, other_cooperative
):
    ours = make_sessions(1, cooperative=cooperative, first_hour=24 * 7)[0]
    theirs = make_sessions(1, cooperative=other_cooperative, first_hour=24 * 7 + 5)[0]
    listed = coop_client.get("/sessions/").context["sessions"]
    assert [session.pk for session in listed] == [ours.pk]
    assert coop_client.get(f"/sessions/{theirs.pk}/").status_code == 404
    assert coop_client.get(f"/sessions/{theirs.pk}/run-sheet/").status_code == 404
    assert coop_client.get(f"/sessions/{ours.pk}/").status_code == 200
    assert [s.pk for s in other_coop_client.get("/sessions/").context["sessions"]] == [theirs.pk]


def test_a_host_sees_their_own_schedule_only(host_client, host_profile):
    mine = make_sessions(2, host=host_profile, first_hour=24 * 7)
    make_sessions(1, first_hour=24 * 7 + 10)
    response = host_client.get("/sessions/")
    assert [session.pk for session in response.context["sessions"]] == [s.pk for s in mine]
    assert "My schedule" in response.content.decode()
    assert host_client.get(f"/sessions/{mine[0].pk}/run-sheet/").status_code == 200
    others = Session.objects.exclude(pk__in=[s.pk for s in mine]).get()
    assert host_client.get(f"/sessions/{others.pk}/run-sheet/").status_code == 404
    calendar = host_client.get("/calendar/").content.decode()
    assert f"/calendar/hosts/{host_profile.feed_token}.ics" in calendar


def test_an_official_sees_every_session_and_no_control_buttons(official_client):
    sessions = make_sessions(2, first_hour=24 * 7)
    assert len(official_client.get("/sessions/").context["sessions"]) == 2
    detail = official_client.get(f"/sessions/{sessions[0].pk}/").content.decode()
    assert "Live control" not in detail


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    session = SessionFactory()
    for url in ("/sessions/", "/calendar/", f"/sessions/{session.pk}/"):
        assert client.get(url).status_code == 302


def test_the_calendar_filters_by_room_host_and_channel(staff_client):
    room, channel, host = RoomFactory(), ChannelFactory(), HostFactory()
    in_room = SessionFactory(room=room, scheduled_start=this_week(8), scheduled_end=this_week(9))
    on_channel = SessionFactory(
        channel=channel, scheduled_start=this_week(10), scheduled_end=this_week(11)
    )
    with_host = SessionFactory(scheduled_start=this_week(12), scheduled_end=this_week(13))
    SessionHostFactory(session=with_host, host=host)

    def shown(query):
        days = staff_client.get(f"/calendar/?{query}").context["days"]
        return {session.pk for day in days for session in day["sessions"]}

    assert shown(f"room={room.slug}") == {in_room.pk}
    assert shown(f"channel={channel.slug}") == {on_channel.pk}
    assert shown(f"host={host.pk}") == {with_host.pk}
    next_week = (this_week(0) + datetime.timedelta(days=7)).date().isoformat()
    assert shown(f"week={next_week}") == set()
    room_page = staff_client.get(f"/calendar/?room={room.slug}").content.decode()
    assert f"/calendar/rooms/{room.feed_token}.ics" in room_page


def test_meetings_and_trainings_share_the_calendar(staff_client):
    SessionFactory(kind=Session.Kind.MEETING, title="Buyer meeting", scheduled_start=this_week(30))
    SessionFactory(
        kind=Session.Kind.TRAINING, title="Selling online", scheduled_start=this_week(50)
    )
    content = staff_client.get("/calendar/").content.decode()
    assert "Buyer meeting" in content and "Selling online" in content


# --- metrics -------------------------------------------------------------------------------


def test_a_host_enters_the_figures_after_their_session(host_client, host_profile):
    session = make_sessions(1, host=host_profile)[0]
    Session.objects.filter(pk=session.pk).update(status=Session.Status.ENDED)
    response = host_client.post(
        f"/sessions/{session.pk}/metrics/",
        {
            "views": "29000",
            "views_basis": "per_visit",
            "likes": "1400000",
            "precision": "provisional",
        },
    )
    assert response.status_code == 302
    metrics = SessionMetrics.objects.get(session=session)
    assert (metrics.views, metrics.likes, metrics.unique_viewers) == (29000, 1400000, None)
    assert metrics.views_basis == "per_visit"
    assert metrics.entered_by.username == "host.kol"


def test_figures_wait_until_the_session_has_gone_live(staff_client):
    session = make_sessions(1)[0]
    response = staff_client.post(
        f"/sessions/{session.pk}/metrics/",
        {"views": "10", "views_basis": "unknown", "precision": "provisional"},
    )
    assert response.status_code == 200
    assert "once the session has gone live" in response.content.decode()


def test_a_cooperative_member_cannot_enter_figures(coop_client, cooperative):
    session = make_sessions(1, cooperative=cooperative)[0]
    assert coop_client.get(f"/sessions/{session.pk}/metrics/").status_code == 404


def test_the_detail_page_shows_line_up_hosts_and_figures(staff_client):
    session = make_sessions(1)[0]
    Session.objects.filter(pk=session.pk).update(status=Session.Status.ENDED)
    LineupItemFactory(session=session, product=ProductFactory(name="Kbang forest honey"))
    SessionMetrics.objects.create(session=session, views=29000, likes=1400000)
    content = staff_client.get(f"/sessions/{session.pk}/").content.decode()
    assert "Kbang forest honey" in content and "29000" in content
    assert "Live control" in content


def test_a_cooperative_sees_only_its_own_rows_of_a_shared_line_up(
    coop_client, cooperative, other_cooperative
):
    session = make_sessions(1, first_hour=24 * 7)[0]
    LineupItemFactory(
        session=session,
        position=1,
        product=ProductFactory(name="Ia Grai black pepper", cooperative=other_cooperative),
    )
    LineupItemFactory(
        session=session,
        position=2,
        product=ProductFactory(name="Chu Se Robusta", cooperative=cooperative),
    )
    for url in (f"/sessions/{session.pk}/", f"/sessions/{session.pk}/run-sheet/"):
        content = coop_client.get(url).content.decode()
        assert "Chu Se Robusta" in content, url
        assert "Ia Grai black pepper" not in content, url
    # Planned times still count the other cooperative's minutes before ours.
    run_sheet = coop_client.get(f"/sessions/{session.pk}/run-sheet/")
    (slot,) = run_sheet.context["timeline"]
    assert slot.offset_minutes == 5
    rows = coop_client.get(f"/api/v1/sessions/{session.pk}/").json()["lineup"]
    assert [row["product_name"] for row in rows] == ["Chu Se Robusta"]


def test_a_channel_calendar_reads_in_the_channel_time_zone(staff_client):
    lhasa = ChannelFactory(slug="lhasa-douyin", time_zone="Asia/Shanghai")
    SessionFactory(channel=lhasa, scheduled_start=this_week(20), scheduled_end=this_week(21))
    content = staff_client.get("/calendar/?channel=lhasa-douyin").content.decode()
    assert "Asia/Shanghai" in content
    assert "21:00–22:00" in content  # 20:00 in Hanoi is 21:00 in Lhasa


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
def test_a_week_at_the_calendar_s_ends_shows_this_week_instead_of_failing(staff_client, week):
    response = staff_client.get("/calendar/", {"week": week})
    assert response.status_code == 200
    today = timezone.localdate()
    assert response.context["week_start"] == today - datetime.timedelta(days=today.weekday())
