"""Import of the platforms' live analytics exports into the sessions' metrics (#13)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from catalog.models import Currency, Platform
from livestreams.models import Session, SessionMetrics
from livestreams.services.analytics import (
    AnalyticsFileRefused,
    ColumnsNeeded,
    import_live_analytics,
)
from livestreams.services.analytics_files import Layout, parse_count, parse_seconds
from tests.catalog.factories import ChannelFactory
from tests.livestreams.factories import SessionFactory

from .analytics_files import (
    DOUYIN_HEADER,
    csv_file,
    douyin_row,
    douyin_workbook,
    tiktok_row,
    tiktok_workbook,
)

pytestmark = pytest.mark.django_db
GIA_LAI = ZoneInfo("Asia/Ho_Chi_Minh")
LHASA = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def tiktok_channel(db):
    return ChannelFactory(platform=Platform.TIKTOK_SHOP, time_zone="Asia/Ho_Chi_Minh")


@pytest.fixture
def douyin_channel(db):
    return ChannelFactory(
        platform=Platform.DOUYIN, currency=Currency.CNY, time_zone="Asia/Shanghai"
    )


def ended(channel, start: dt.datetime, *, actual_start=None, **kwargs) -> Session:
    return SessionFactory(
        channel=channel,
        scheduled_start=start,
        scheduled_end=start + dt.timedelta(hours=2),
        actual_start=actual_start,
        actual_end=(actual_start + dt.timedelta(hours=2)) if actual_start else None,
        status=kwargs.pop("status", Session.Status.ENDED),
        **kwargs,
    )


# --- values as the platforms write them


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("1.2万", 12_000),
        ("3.5万", 35_000),
        ("12,345", 12_345),
        ("12.345", 12_345),  # Vietnamese thousands
        ("1.234.567", 1_234_567),
        ("1.4M", 1_400_000),
        ("2,5K", 2_500),
        (" 812 ", 812),
        (812.4, 812),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_counts_are_read_in_their_local_forms(text, count):
    assert parse_count(text) == count


def test_a_rate_or_a_word_is_not_a_count():
    for text in ("3.4%", "many", "-5"):
        with pytest.raises(ValueError):
            parse_count(text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1m 23s", 83), ("00:01:23", 83), ("1:05", 65), ("1分5秒", 65), ("83", 83), ("1h", 3600)],
)
def test_durations_are_read_in_seconds(text, seconds):
    assert parse_seconds(text) == seconds


# --- TikTok LIVE analytics


def test_a_tiktok_workbook_fills_each_sessions_metrics(tiktok_channel, bureau_staff):
    first = ended(tiktok_channel, dt.datetime(2025, 10, 16, 19, 0, tzinfo=GIA_LAI))
    second = ended(tiktok_channel, dt.datetime(2025, 10, 18, 19, 0, tzinfo=GIA_LAI))
    content = tiktok_workbook(
        tiktok_row("2025-10-16 19:04:12"),
        tiktok_row(
            "18/10/2025 18:10:00", Viewers="1.234", Views="2.1万", Likes="", Comments="3,4K"
        ),
    )
    result = import_live_analytics(channel=tiktok_channel, content=content, entered_by=bureau_staff)
    assert result.layout == Layout.TIKTOK_LIVE
    assert [row.session for row in result.imported] == [first, second]
    assert result.reported == []
    metrics = SessionMetrics.objects.get(session=first)
    assert (metrics.views, metrics.unique_viewers) == (29_000, 12_345)
    assert (metrics.average_concurrent_viewers, metrics.peak_concurrent_viewers) == (812, 2_301)
    assert (metrics.likes, metrics.comments, metrics.shares) == (1_400_000, 5_210, 1_020)
    assert (metrics.new_followers, metrics.product_clicks) == (640, 3_456)
    assert metrics.average_watch_seconds == 83
    assert metrics.source == SessionMetrics.Source.IMPORTED
    assert metrics.views_basis == SessionMetrics.ViewsBasis.PER_VISIT
    assert metrics.entered_by == bureau_staff
    other = SessionMetrics.objects.get(session=second)
    assert (other.views, other.unique_viewers, other.comments, other.likes) == (
        21_000,
        1_234,
        3_400,
        None,
    )


def test_the_launch_time_is_read_in_the_channels_time_zone(tiktok_channel, bureau_staff):
    # 19:00 in Gia Lai is 12:00 UTC; read as UTC the row would be seven hours away.
    session = ended(tiktok_channel, dt.datetime(2025, 10, 16, 12, 0, tzinfo=dt.UTC))
    result = import_live_analytics(
        channel=tiktok_channel,
        content=tiktok_workbook(tiktok_row("2025-10-16 19:30")),
        entered_by=bureau_staff,
    )
    assert [row.session for row in result.imported] == [session]


def test_the_actual_start_counts_before_the_scheduled_one(tiktok_channel, bureau_staff):
    late = ended(
        tiktok_channel,
        dt.datetime(2025, 10, 16, 17, 0, tzinfo=GIA_LAI),
        actual_start=dt.datetime(2025, 10, 16, 19, 0, tzinfo=GIA_LAI),
    )
    ended(tiktok_channel, dt.datetime(2025, 10, 16, 21, 45, tzinfo=GIA_LAI))
    result = import_live_analytics(
        channel=tiktok_channel,
        content=tiktok_workbook(tiktok_row("2025-10-16 19:40")),
        entered_by=bureau_staff,
    )
    assert [row.session for row in result.imported] == [late]


def test_unmatched_ambiguous_and_unreadable_rows_are_reported_with_their_reason(
    tiktok_channel, bureau_staff
):
    ended(tiktok_channel, dt.datetime(2025, 10, 16, 18, 0, tzinfo=GIA_LAI), title="Early")
    ended(tiktok_channel, dt.datetime(2025, 10, 16, 20, 0, tzinfo=GIA_LAI), title="Late")
    other_channel = ChannelFactory()
    ended(other_channel, dt.datetime(2025, 10, 20, 19, 0, tzinfo=GIA_LAI))
    scheduled = ended(
        tiktok_channel,
        dt.datetime(2025, 10, 25, 19, 0, tzinfo=GIA_LAI),
        status=Session.Status.SCHEDULED,
    )
    result = import_live_analytics(
        channel=tiktok_channel,
        content=tiktok_workbook(
            tiktok_row("2025-10-16 19:00"),  # an hour from both
            tiktok_row("2025-10-20 19:00"),  # only another channel's session then
            tiktok_row("2025-10-16 23:00", Views="lots"),
            tiktok_row("2025-10-25 19:00"),
        ),
        entered_by=bureau_staff,
    )
    assert result.imported == []
    reported = {row.number: row for row in result.reported}
    assert set(reported) == {4, 5, 6, 7}
    assert reported[4].outcome == "ambiguous" and "Early" in reported[4].reason
    assert reported[5].outcome == "unmatched" and "within 2 hours" in reported[5].reason
    assert reported[6].outcome == "invalid" and "lots" in reported[6].reason
    assert reported[7].outcome == "unmatched" and reported[7].session == scheduled
    assert not SessionMetrics.objects.exists()


def test_two_rows_for_one_session_leave_it_to_the_nearer(tiktok_channel, bureau_staff):
    session = ended(tiktok_channel, dt.datetime(2025, 10, 16, 19, 0, tzinfo=GIA_LAI))
    result = import_live_analytics(
        channel=tiktok_channel,
        content=tiktok_workbook(
            tiktok_row("2025-10-16 20:30", Views="1"), tiktok_row("2025-10-16 19:05")
        ),
        entered_by=bureau_staff,
    )
    assert [row.number for row in result.imported] == [5]
    (reported,) = result.reported
    assert reported.number == 4 and reported.outcome == "ambiguous"
    assert SessionMetrics.objects.get(session=session).views == 29_000


def test_an_empty_cell_never_erases_a_figure_entered_by_hand(tiktok_channel, bureau_staff):
    session = ended(tiktok_channel, dt.datetime(2025, 10, 16, 19, 0, tzinfo=GIA_LAI))
    SessionMetrics.objects.create(
        session=session, likes=1_500, shares=7, views=100, source=SessionMetrics.Source.MANUAL
    )
    import_live_analytics(
        channel=tiktok_channel,
        content=tiktok_workbook(tiktok_row("2025-10-16 19:00", Likes="", Shares="--")),
        entered_by=bureau_staff,
    )
    metrics = SessionMetrics.objects.get(session=session)
    assert (metrics.likes, metrics.shares) == (1_500, 7)  # kept
    assert metrics.views == 29_000  # replaced by the imported value
    assert metrics.source == SessionMetrics.Source.IMPORTED


def test_cancelled_sessions_and_rehearsals_are_never_matched(tiktok_channel, bureau_staff):
    start = dt.datetime(2025, 10, 16, 19, 0, tzinfo=GIA_LAI)
    ended(tiktok_channel, start, status=Session.Status.CANCELLED)
    ended(tiktok_channel, start + dt.timedelta(minutes=10), is_rehearsal=True)
    real = ended(tiktok_channel, start + dt.timedelta(minutes=90))
    result = import_live_analytics(
        channel=tiktok_channel,
        content=tiktok_workbook(tiktok_row("2025-10-16 19:00")),
        entered_by=bureau_staff,
    )
    assert [row.session for row in result.imported] == [real]


# --- Douyin live review


def test_a_douyin_review_workbook_reads_wan_counts(douyin_channel, bureau_staff):
    session = ended(douyin_channel, dt.datetime(2025, 9, 19, 19, 0, tzinfo=LHASA))
    result = import_live_analytics(
        channel=douyin_channel,
        content=douyin_workbook(douyin_row(dt.datetime(2025, 9, 19, 19, 2))),
        entered_by=bureau_staff,
    )
    assert result.layout == Layout.DOUYIN_REVIEW
    assert [row.session for row in result.imported] == [session]
    metrics = SessionMetrics.objects.get(session=session)
    assert (metrics.views, metrics.unique_viewers, metrics.likes) == (12_000, 4_000, 35_000)
    assert (metrics.average_concurrent_viewers, metrics.peak_concurrent_viewers) == (210, 1_203)
    assert (metrics.product_clicks, metrics.average_watch_seconds) == (1_021, 65)


def test_a_douyin_workbook_without_a_known_launch_column_asks_for_the_columns(
    douyin_channel, bureau_staff
):
    header = ["场次开始" if name == "开播时间" else name for name in DOUYIN_HEADER]
    content = douyin_workbook(douyin_row("2025-09-19 19:02"), header=header)
    with pytest.raises(ColumnsNeeded) as asked:
        import_live_analytics(channel=douyin_channel, content=content, entered_by=bureau_staff)
    assert "场次开始" in asked.value.headers
    assert asked.value.guess["views"] == "观看次数"
    session = ended(douyin_channel, dt.datetime(2025, 9, 19, 19, 0, tzinfo=LHASA))
    result = import_live_analytics(
        channel=douyin_channel,
        content=content,
        entered_by=bureau_staff,
        columns={**asked.value.guess, "launched_at": "场次开始"},
    )
    assert result.layout == Layout.MAPPED
    assert SessionMetrics.objects.get(session=session).views == 12_000


# --- a CSV whose columns staff name


def test_a_csv_of_any_layout_is_read_with_the_columns_staff_choose(douyin_channel, bureau_staff):
    session = ended(douyin_channel, dt.datetime(2025, 9, 19, 19, 0, tzinfo=LHASA))
    content = csv_file(
        ["场次", "时间", "播放", "人数", "点赞"],
        ["拉萨优品", "2025/09/19 19:05", "1.2万", "4,000", "3.4%"],
    )
    with pytest.raises(ColumnsNeeded) as asked:
        import_live_analytics(channel=douyin_channel, content=content, entered_by=bureau_staff)
    assert asked.value.headers == ["场次", "时间", "播放", "人数", "点赞"]
    result = import_live_analytics(
        channel=douyin_channel,
        content=content,
        entered_by=bureau_staff,
        columns={"launched_at": "时间", "views": "播放", "unique_viewers": "人数"},
    )
    assert [row.session for row in result.imported] == [session]
    metrics = SessionMetrics.objects.get(session=session)
    assert (metrics.views, metrics.unique_viewers, metrics.likes) == (12_000, 4_000, None)
    # Views counted how, the file does not say.
    assert metrics.views_basis == SessionMetrics.ViewsBasis.UNKNOWN


def test_what_is_no_table_is_refused_at_once(tiktok_channel, bureau_staff):
    for content in (b"\xd0\xcf\x11\xe0old excel", b"PK\x03\x04broken zip", b"a\x00b"):
        with pytest.raises(AnalyticsFileRefused):
            import_live_analytics(channel=tiktok_channel, content=content, entered_by=bureau_staff)
