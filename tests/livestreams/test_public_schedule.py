"""The base's public schedule: upcoming live sales for anyone, signed in or not, as a list, a
week and an iCalendar feed; only scheduled or live sales, never drafts, cancelled or ended
sessions, rehearsals, trainings or buyer meetings."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from catalog.models import Currency, Platform
from livestreams.models import Session
from tests.catalog.factories import BaseFactory, ChannelFactory
from tests.livestreams.factories import SessionFactory, SessionHostFactory

SCHEDULE = reverse("livestreams:public-schedule")
WEEK = reverse("livestreams:public-week")
FEED = reverse("livestreams:public-feed")
HO_CHI_MINH = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TIKTOK_LIVE = "https://www.tiktok.com/@gialai.ocop/live"
DOUYIN_LIVE = "https://live.douyin.com/428764021753"


def next_monday_at(hour: int, *, weeks: int = 1, days: int = 0) -> datetime.datetime:
    """A moment in a coming week, in Ho Chi Minh City time (the site's zone in tests)."""
    today = timezone.localdate(timezone=HO_CHI_MINH)
    monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=weeks)
    return datetime.datetime.combine(
        monday + datetime.timedelta(days=days), datetime.time(hour), tzinfo=HO_CHI_MINH
    )


@pytest.fixture
def tiktok(db):
    return ChannelFactory(platform=Platform.TIKTOK_SHOP, name="Gia Lai OCOP", slug="gialai-tiktok")


@pytest.fixture
def douyin(db):
    return ChannelFactory(
        platform=Platform.DOUYIN,
        name="Lhasa Excellent Products",
        slug="lhasa-douyin",
        currency=Currency.CNY,
        time_zone="Asia/Shanghai",
    )


@pytest.fixture
def world(tiktok, douyin):
    """One session of each kind the public must or must not see, all next week."""
    start = next_monday_at(19)
    shown = {
        "scheduled": SessionFactory(
            title="Coffee harvest live",
            channel=tiktok,
            scheduled_start=start,
            scheduled_end=start + datetime.timedelta(hours=2),
            live_room_url=TIKTOK_LIVE,
        ),
        "megalive": SessionFactory(
            title="Highland barley megalive",
            kind=Session.Kind.MEGALIVE,
            channel=douyin,
            scheduled_start=start + datetime.timedelta(days=2),
            scheduled_end=start + datetime.timedelta(days=2, hours=3),
        ),
        "on air": SessionFactory(
            title="Pepper on air now",
            channel=tiktok,
            status=Session.Status.LIVE,
            scheduled_start=timezone.now() - datetime.timedelta(minutes=30),
            scheduled_end=timezone.now() + datetime.timedelta(minutes=90),
        ),
    }
    hidden = {
        "draft": SessionFactory(
            title="Draft yak meat", status=Session.Status.DRAFT, scheduled_start=start
        ),
        "cancelled": SessionFactory(
            title="Cancelled honey", status=Session.Status.CANCELLED, scheduled_start=start
        ),
        "rehearsal": SessionFactory(
            title="Rehearsal tea", is_rehearsal=True, scheduled_start=start
        ),
        "training": SessionFactory(
            title="Training farmers", kind=Session.Kind.TRAINING, scheduled_start=start
        ),
        "meeting": SessionFactory(
            title="Buyer meeting", kind=Session.Kind.MEETING, scheduled_start=start
        ),
        "past": SessionFactory(
            title="Last month's live",
            scheduled_start=timezone.now() - datetime.timedelta(days=30),
            scheduled_end=timezone.now() - datetime.timedelta(days=30, hours=-2),
        ),
        "ended": SessionFactory(
            title="Ended today",
            status=Session.Status.ENDED,
            scheduled_start=timezone.now() + datetime.timedelta(hours=1),
        ),
    }
    return shown, hidden


# --- The list ----------------------------------------------------------------------------


def test_anonymous_visitors_see_upcoming_public_live_sales_only(anonymous, world):
    shown, hidden = world
    response = anonymous.get(SCHEDULE)
    assert response.status_code == 200
    page = response.content.decode()
    for session in shown.values():
        assert session.title in page
    for session in hidden.values():
        assert session.title not in page


def test_a_session_shows_its_time_channel_platform_and_watch_link(anonymous, world):
    shown, _hidden = world
    page = anonymous.get(SCHEDULE).content.decode()
    coffee = shown["scheduled"]
    # 19:00-21:00 in the site's zone (Ho Chi Minh City).
    assert "19:00–21:00" in page
    assert "TikTok Shop · Gia Lai OCOP" in page
    assert f'href="{TIKTOK_LIVE}"' in page
    assert "Watch on TikTok Shop" in page
    assert coffee.title in page
    # The megalive has no live-room address yet: no watch link for it.
    assert page.count("ls-watch") == 1
    assert "On air now" in page


def test_a_session_on_a_channel_in_another_zone_also_shows_its_local_time(anonymous, world):
    page = anonymous.get(SCHEDULE).content.decode()
    # The Lhasa megalive at 19:00 in Ho Chi Minh City is 20:00 where it is streamed.
    assert "20:00 where it is streamed (Asia/Shanghai)" in page


def test_the_visitor_chooses_the_zone_times_are_shown_in(anonymous, world):
    page = anonymous.get(SCHEDULE, {"tz": "Asia/Shanghai"}).content.decode()
    assert "20:00–22:00" in page
    assert "Asia/Shanghai (UTC+08:00)" in page
    # A zone that no channel uses is not offered, and falls back to the site's.
    page = anonymous.get(SCHEDULE, {"tz": "America/New_York"}).content.decode()
    assert "19:00–21:00" in page
    assert "America/New_York" not in page


def test_the_list_is_grouped_by_day_soonest_first(anonymous, world):
    shown, _hidden = world
    response = anonymous.get(SCHEDULE)
    titles = [session.title for day in response.context["days"] for session in day["sessions"]]
    assert titles == [
        shown["on air"].title,
        shown["scheduled"].title,
        shown["megalive"].title,
    ]
    dates = [day["date"] for day in response.context["days"]]
    assert dates == sorted(dates)
    assert len(dates) == 3


def test_with_nothing_announced_the_list_says_so(anonymous, db):
    SessionFactory(title="Just a draft", status=Session.Status.DRAFT)
    page = anonymous.get(SCHEDULE).content.decode()
    assert "No live sale is announced yet" in page
    assert "Just a draft" not in page


def test_the_schedule_links_to_the_week_and_the_feed(anonymous, world):
    page = anonymous.get(SCHEDULE).content.decode()
    assert f'href="{WEEK}"' in page
    assert f'href="{FEED}"' in page
    assert f"http://testserver{FEED}" in page


def test_signed_in_people_see_the_same_public_schedule(coop_client, staff_client, world):
    shown, hidden = world
    for client in (coop_client, staff_client):
        page = client.get(SCHEDULE).content.decode()
        assert shown["scheduled"].title in page
        assert hidden["draft"].title not in page


def test_the_public_navigation_offers_the_schedule(anonymous, db):
    page = anonymous.get(reverse("catalog:showcase")).content.decode()
    assert f'href="{SCHEDULE}"' in page
    assert "Live schedule" in page


@pytest.mark.parametrize("count", [1, 8])
def test_the_list_has_a_fixed_query_budget(anonymous, tiktok, django_assert_num_queries, count):
    for hour in range(count):
        SessionFactory(
            channel=tiktok,
            scheduled_start=next_monday_at(8 + hour),
            scheduled_end=next_monday_at(8 + hour) + datetime.timedelta(minutes=50),
        )
    # 1 the channels' time zones (the zone choice), 2 the count for the pager, 3 the page of
    # sessions with their channel.
    with django_assert_num_queries(3):
        response = anonymous.get(SCHEDULE)
    assert response.status_code == 200
    assert sum(len(day["sessions"]) for day in response.context["days"]) == count


# --- The week ----------------------------------------------------------------------------


def test_the_week_shows_seven_days_with_each_sale_on_its_day(anonymous, world):
    shown, hidden = world
    response = anonymous.get(WEEK, {"week": next_monday_at(0).date().isoformat()})
    assert response.status_code == 200
    days = response.context["days"]
    assert len(days) == 7
    assert [day["date"].weekday() for day in days] == list(range(7))
    assert [session.title for session in days[0]["sessions"]] == [shown["scheduled"].title]
    assert [session.title for session in days[2]["sessions"]] == [shown["megalive"].title]
    page = response.content.decode()
    assert page.count('class="ls-day') == 7
    for session in hidden.values():
        assert session.title not in page


def test_the_week_links_to_the_previous_and_next_week(anonymous, world):
    week_after = next_monday_at(0, weeks=2).date().isoformat()
    response = anonymous.get(WEEK, {"week": next_monday_at(0).date().isoformat()})
    page = response.content.decode()
    this_week = next_monday_at(0, weeks=0).date().isoformat()
    assert f"week={week_after}" in response.context["next_week_url"]
    assert f"week={this_week}" in response.context["previous_week_url"]
    assert 'rel="prev"' in page
    assert 'rel="next"' in page


def test_this_weeks_page_offers_no_previous_week_of_past_sales(anonymous, world):
    response = anonymous.get(WEEK)
    assert response.context["previous_week_url"] is None
    assert 'rel="prev"' not in response.content.decode()
    assert response.context["week_start"] == next_monday_at(0, weeks=0).date()


def test_the_week_keeps_the_chosen_zone_in_its_links(anonymous, world):
    response = anonymous.get(
        WEEK, {"week": next_monday_at(0).date().isoformat(), "tz": "Asia/Shanghai"}
    )
    assert "tz=Asia%2FShanghai" in response.context["next_week_url"]
    assert "20:00–22:00" in response.content.decode()


@pytest.mark.parametrize("week", ["not-a-date", "9999-12-31", "0001-01-01", "2400-02-29"])
def test_a_bad_or_far_away_week_falls_back_to_this_week(anonymous, world, week):
    response = anonymous.get(WEEK, {"week": week})
    assert response.status_code == 200
    assert response.context["week_start"] == next_monday_at(0, weeks=0).date()


def test_a_week_with_nothing_says_so_per_day(anonymous, db):
    page = anonymous.get(WEEK, {"week": next_monday_at(0, weeks=5).date().isoformat()})
    assert page.content.decode().count("No live sale.") == 7


def test_the_week_has_a_fixed_query_budget(anonymous, tiktok, django_assert_num_queries):
    for day in range(7):
        SessionFactory(
            channel=tiktok,
            scheduled_start=next_monday_at(10, days=day),
            scheduled_end=next_monday_at(11, days=day),
        )
    # 1 the channels' time zones, 2 the week's sessions with their channel.
    with django_assert_num_queries(2):
        response = anonymous.get(WEEK, {"week": next_monday_at(0).date().isoformat()})
    assert sum(len(day["sessions"]) for day in response.context["days"]) == 7


# --- Desktop and phone width -------------------------------------------------------------


@pytest.mark.parametrize("url", [SCHEDULE, WEEK])
def test_the_schedule_pages_are_built_for_phones_and_desks(anonymous, world, url):
    """One page for both: the viewport meta for a 390 px phone, the stylesheet whose week is
    one column on a phone and seven from 900 px, no fixed widths."""
    page = anonymous.get(url, {"week": next_monday_at(0).date().isoformat()}).content.decode()
    assert 'name="viewport" content="width=device-width' in page
    assert "css/livestreams.css" in page
    assert 'style="' not in page
    assert "<table" not in page


def test_the_week_stylesheet_is_one_column_on_a_phone_and_seven_on_a_desk():
    css = Path(finders.find("css/livestreams.css")).read_text(encoding="utf-8")
    assert re.search(r"\.ls-week \{[^}]*grid-template-columns: 1fr;", css)
    assert re.search(
        r"@media \(min-width: 900px\) \{ \.ls-week \{ grid-template-columns: repeat\(7,", css
    )
    assert ".ls-public-session" in css


# --- The feed ----------------------------------------------------------------------------


def test_anyone_subscribes_to_the_feed_of_upcoming_public_sales(anonymous, world):
    shown, hidden = world
    SessionHostFactory(session=shown["scheduled"])
    response = anonymous.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = {
        str(event["SUMMARY"]): event
        for event in Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert set(events) == {session.title for session in shown.values()}
    coffee = events[shown["scheduled"].title]
    assert coffee.decoded("DTSTART") == shown["scheduled"].scheduled_start
    assert str(coffee["URL"]) == TIKTOK_LIVE
    assert "Gia Lai OCOP" in str(coffee["LOCATION"])
    # The bureau's working details stay out of the public feed: rooms and hosts.
    body = response.content.decode()
    assert shown["scheduled"].room.name not in body
    assert shown["scheduled"].session_hosts.get().host.display_name not in body


def test_the_feed_answers_gets_only(anonymous, db):
    assert anonymous.post(FEED).status_code == 405


# --- One base's schedule and feed (#13: "the iCal feed of the base") ----------------------


def test_the_schedule_week_and_feed_of_one_base(anonymous, world, douyin):
    lhasa = BaseFactory(name="Lhasa base", slug="lhasa")
    douyin.base = lhasa
    douyin.save()

    page = anonymous.get("/schedule/", {"base": "lhasa"})
    assert page.status_code == 200
    titles = {session.title for day in page.context["days"] for session in day["sessions"]}
    assert titles == {"Highland barley megalive"}
    body = page.content.decode()
    assert "Upcoming live sales: Lhasa base" in body
    assert "live-sales.ics?base=lhasa" in body

    week = anonymous.get(
        "/schedule/week/", {"base": "lhasa", "week": next_monday_at(19).date().isoformat()}
    )
    week_titles = {s.title for day in week.context["days"] for s in day["sessions"]}
    assert week_titles == {"Highland barley megalive"}
    assert "base=lhasa" in week.context["next_week_url"]

    feed = Calendar.from_ical(anonymous.get("/schedule/live-sales.ics", {"base": "lhasa"}).content)
    events = [str(event["SUMMARY"]) for event in feed.walk("VEVENT")]
    assert events == ["Highland barley megalive"]
    assert str(feed["X-WR-CALNAME"]) == "Live sales: Lhasa base"
    everything = Calendar.from_ical(anonymous.get("/schedule/live-sales.ics").content)
    assert len(list(everything.walk("VEVENT"))) == 3

    assert anonymous.get("/schedule/", {"base": "nowhere"}).status_code == 404
