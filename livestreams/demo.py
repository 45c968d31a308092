"""Demo rooms, hosts and sessions on every channel: last month's, held, and the next weeks'.

Five demo weeks: weeks 0 to 2 are the first three weeks of last month (every past session
is there, so that a month of the dashboards holds the seeds' figures whole: orders/demo.py),
weeks 3 and 4 the two weeks after this one (scheduled). Past sessions have ended, with air
times and figures. It holds weekly series, the Gia Lai KOL session (16 products, at most 5
minutes each on air), two megalives, buyer meetings and a training. Everything goes through
the services, so the demo obeys the clash rules; running it again finds what exists and
changes nothing.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from catalog.models import Channel, Currency, Platform, Product, Zone
from cooperatives.models import Cooperative
from core.demo import demo_user

from . import services
from .models import (
    Host,
    HostHandle,
    MeetingBooking,
    Room,
    Session,
    SessionHost,
    SessionMetrics,
    SessionSeries,
)

ROOMS = (
    ("excellent-products-studio", "F2-LIVE-A", "Excellent products studio", Room.Kind.STUDIO, 12),
    (
        "helps-farmers-studio",
        "F2-LIVE-B",
        "Supply-and-marketing helps farmers studio",
        Room.Kind.STUDIO,
        10,
    ),
    ("meeting-room", "F3-MEET", "Negotiation room", Room.Kind.MEETING, 20),
    # Trainings are held in a training room (livestreams/room_kinds.py), on the same floor.
    ("training-room", "F3-MEET", "Training room", Room.Kind.TRAINING, 30),
    # The Gia Lai base's rooms (catalog/demo.py: its zones).
    ("gialai-studio", "GL1-LIVE", "Gia Lai OCOP studio", Room.Kind.STUDIO, 10),
    ("gialai-meeting-room", "GL2-MEET", "Gia Lai meeting room", Room.Kind.MEETING, 16),
    ("gialai-training-room", "GL2-MEET", "Gia Lai training room", Room.Kind.TRAINING, 40),
)

# display name, kind, followers, (platform, handle), demo user, cooperative slug
HOSTS = (
    ("Dawa Tsering", Host.Kind.BUREAU, 12000, (Platform.DOUYIN, "dawa_lasa"), None, None),
    (
        "Lan Anh (KOL)",
        Host.Kind.KOL,
        850000,
        (Platform.TIKTOK_SHOP, "lananh.review"),
        "host.kol",
        None,
    ),
    ("Deputy Director Nguyễn Văn An", Host.Kind.OFFICIAL, None, None, None, None),
    (
        "Nguyễn Thị Hoa",
        Host.Kind.COOPERATIVE_REP,
        3200,
        (Platform.TIKTOK_SHOP, "hoa.chuse"),
        None,
        "chu-se-coffee",
    ),
)

LHASA = zoneinfo.ZoneInfo("Asia/Shanghai")
GIA_LAI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
KOL_SESSION_PRODUCTS = 16


def seed() -> str:
    for slug, zone_code, name, kind, capacity in ROOMS:
        Room.objects.update_or_create(
            slug=slug,
            defaults={
                "zone": Zone.objects.get(code=zone_code),
                "name": name,
                "kind": kind,
                "capacity": capacity,
            },
        )
    for display_name, kind, followers, handle, username, cooperative_slug in HOSTS:
        host, _ = Host.objects.update_or_create(
            display_name=display_name,
            defaults={
                "kind": kind,
                "follower_count": followers,
                "user": demo_user(username) if username else None,
                "cooperative": Cooperative.objects.get(slug=cooperative_slug)
                if cooperative_slug
                else None,
            },
        )
        if handle:
            HostHandle.objects.update_or_create(
                platform=handle[0], handle=handle[1], defaults={"host": host}
            )
    sessions = _seed_month()
    return f"{len(ROOMS)} rooms, {len(HOSTS)} hosts, {sessions} sessions"


# Demo weeks before this one are last month's first three; the later ones follow this week.
PAST_WEEKS = 3


class _Month:
    """The demo weeks and the rows the sessions are made of."""

    def __init__(self) -> None:
        today = timezone.localdate()
        self.monday = today - datetime.timedelta(days=today.weekday())
        last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        # Last month's first Monday (the 7th at the latest): three weeks from it end by the
        # 27th, so every past session is last month's, and final (orders/demo.py).
        self.first_monday = last_month + datetime.timedelta(days=-last_month.weekday() % 7)
        self.now = timezone.now()
        self.rooms = {room.slug: room for room in Room.objects.all()}
        self.hosts = {host.display_name: host for host in Host.objects.all()}
        self.lhasa_channel = Channel.objects.get(slug="lhasa-douyin")
        self.gialai_channel = Channel.objects.get(slug="gialai-tiktok")
        self.megalive_channel = Channel.objects.get(slug="gialai-megalive")
        approved = Product.objects.filter(status=Product.Status.APPROVED).order_by("slug")
        self.lhasa_products = list(approved.filter(currency=Currency.CNY))
        self.gialai_products = list(approved.filter(currency=Currency.VND))

    def day(self, week: int, weekday: int) -> datetime.date:
        """Demo week ``week`` (0 to 4), day ``weekday`` (Monday 0)."""
        if week < PAST_WEEKS:
            return self.first_monday + datetime.timedelta(weeks=week, days=weekday)
        return self.monday + datetime.timedelta(weeks=week - PAST_WEEKS + 1, days=weekday)

    @staticmethod
    def at(day: datetime.date, hour: int, minute: int, zone) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def _seed_month() -> int:
    month = _Month()
    if not month.lhasa_products or not month.gialai_products:
        return 0
    dawa = month.hosts["Dawa Tsering"]
    kol = month.hosts["Lan Anh (KOL)"]
    official = month.hosts["Deputy Director Nguyễn Văn An"]
    hoa = month.hosts["Nguyễn Thị Hoa"]
    studio_a = month.rooms["excellent-products-studio"]
    gialai_studio = month.rooms["gialai-studio"]
    training_room = month.rooms["gialai-training-room"]

    # Weekly series: Lhasa's Saturday evening live and Gia Lai's Wednesday OCOP live.
    _series(
        month,
        title="Lhasa Excellent Products: Saturday live",
        room=studio_a,
        channel=month.lhasa_channel,
        weekday=5,
        start=datetime.time(20, 0),
        end=datetime.time(22, 0),
        zone="Asia/Shanghai",
        hosts=[(dawa, SessionHost.Role.HOST)],
        products=month.lhasa_products[:12],
    )
    _series(
        month,
        title="Gia Lai OCOP: Wednesday live",
        room=gialai_studio,
        channel=month.gialai_channel,
        weekday=2,
        start=datetime.time(19, 0),
        end=datetime.time(20, 30),
        zone="Asia/Ho_Chi_Minh",
        hosts=[(hoa, SessionHost.Role.HOST)],
        products=month.gialai_products,
    )

    # Regular Lhasa afternoons, Tuesday and Thursday, ten products each, rotating.
    for week in range(5):
        for weekday in (1, 3):
            day = month.day(week, weekday)
            offset = (week * 2 + weekday) % len(month.lhasa_products)
            rotation = (month.lhasa_products * 2)[offset : offset + 10]
            _one_off(
                month,
                title=f"Highland goods afternoon ({day:%d %b})",
                room=studio_a,
                channel=month.lhasa_channel,
                start=month.at(day, 15, 0, LHASA),
                end=month.at(day, 16, 30, LHASA),
                hosts=[(dawa, SessionHost.Role.HOST)],
                products=rotation,
                minutes=5,
            )

    # The KOL session of Gia Lai: up to 16 products, at most 5 minutes each.
    kol_day = month.day(1, 4)
    kol_products = month.gialai_products[:KOL_SESSION_PRODUCTS]
    _one_off(
        month,
        title=f"Lan Anh streams Gia Lai OCOP: {len(kol_products)} products",
        room=gialai_studio,
        channel=month.gialai_channel,
        start=month.at(kol_day, 20, 0, GIA_LAI),
        end=month.at(kol_day, 21, 30, GIA_LAI),
        hosts=[(kol, SessionHost.Role.KOL), (hoa, SessionHost.Role.CO_HOST)],
        products=kol_products,
        minutes=5,
        figures={
            "views": 29000,
            "unique_viewers": 21400,
            "peak_concurrent_viewers": 3100,
            "likes": 1_250_000,
            "comments": 112_000,
            "shares": 38_000,
            "new_followers": 5400,
            "product_clicks": 8700,
            "average_watch_seconds": 146,
        },
    )
    # Two megalives with the young entrepreneurs' association, one past, one to come.
    for index, week in enumerate((1, 3), start=1):
        day = month.day(week, 6)
        _one_off(
            month,
            title=f"Gia Lai megalive #{index} with the young entrepreneurs' association",
            kind=Session.Kind.MEGALIVE,
            room=gialai_studio,
            channel=month.megalive_channel,
            start=month.at(day, 19, 0, GIA_LAI),
            end=month.at(day, 22, 0, GIA_LAI),
            hosts=[
                (kol, SessionHost.Role.KOL),
                (official, SessionHost.Role.GUEST_OFFICIAL),
                (hoa, SessionHost.Role.CO_HOST),
            ],
            products=month.gialai_products,
            minutes=5,
            figures={"views": 184000, "likes": 2_100_000, "comments": 96_000, "shares": 41_000},
        )
    # A rehearsal, kept out of all statistics.
    rehearsal_day = month.day(2, 4)
    _one_off(
        month,
        title="Rehearsal: new lighting in studio A",
        room=studio_a,
        channel=month.lhasa_channel,
        start=month.at(rehearsal_day, 10, 0, LHASA),
        end=month.at(rehearsal_day, 11, 0, LHASA),
        hosts=[(dawa, SessionHost.Role.HOST)],
        products=month.lhasa_products[:3],
        minutes=5,
        is_rehearsal=True,
    )

    # Buyer meetings in each base's meeting room and a training in Gia Lai's training room:
    # same calendar, same clash rules.
    _meeting(
        month,
        title="Saigon Co.op sourcing: coffee and pepper",
        room="gialai-meeting-room",
        start=month.at(month.day(0, 1), 9, 30, GIA_LAI),
        buyer="Saigon Co.op",
        cooperatives=["chu-se-coffee", "ia-grai-pepper"],
        outcome=MeetingBooking.Outcome.AGREEMENT,
        value=Decimal("250000000"),
        currency=Currency.VND,
        hosts=[(official, SessionHost.Role.GUEST_OFFICIAL)],
    )
    _meeting(
        month,
        title="Jiangsu aid office buyers: yak products",
        room="meeting-room",
        start=month.at(month.day(1, 0), 10, 0, LHASA),
        buyer="Jiangsu Aid Office Procurement Centre",
        cooperatives=["damxung-yak", "taktse-dairy"],
        outcome=MeetingBooking.Outcome.FOLLOW_UP,
        hosts=[(dawa, SessionHost.Role.HOST)],
    )
    _meeting(
        month,
        title="Bach Hoa Xanh: OCOP shelf",
        room="gialai-meeting-room",
        start=month.at(month.day(3, 1), 9, 30, GIA_LAI),
        buyer="Bach Hoa Xanh",
        cooperatives=["chu-se-coffee"],
        outcome=MeetingBooking.Outcome.PENDING,
        hosts=[],
    )
    _training(month, room=training_room, host=hoa)

    # Past sessions that were scheduled (series occurrences) went live and ended.
    for session in Session.objects.filter(
        status=Session.Status.SCHEDULED, scheduled_end__lt=month.now
    ):
        services.start_session(session=session, at=session.scheduled_start)
        services.end_session(session=session, at=session.scheduled_end)
    # Upcoming live sales are watched in the channel's live room (the public schedule's and the
    # QR page's "Watch" links); rehearsals are not public and get none.
    for channel in (month.lhasa_channel, month.gialai_channel, month.megalive_channel):
        Session.objects.filter(
            channel=channel,
            status=Session.Status.SCHEDULED,
            is_rehearsal=False,
            kind__in=[Session.Kind.REGULAR, Session.Kind.MEGALIVE],
            live_room_url="",
        ).update(live_room_url=_live_room_url(channel))
    return Session.objects.filter(
        scheduled_start__gte=month.at(month.first_monday, 0, 0, GIA_LAI)
    ).count()


def _live_room_url(channel: Channel) -> str:
    if channel.platform == Platform.DOUYIN:
        return f"https://live.douyin.com/{channel.shop_id.lower()}"
    return f"https://www.tiktok.com/@{channel.handle}/live"


def _series(month, *, title, room, channel, weekday, start, end, zone, hosts, products):
    """The show's weekly run of last month, and its run of the weeks after this one."""
    for first, weeks in (
        (month.day(0, 0), PAST_WEEKS),
        (month.day(PAST_WEEKS, 0), 5 - PAST_WEEKS),
    ):
        if SessionSeries.objects.filter(title=title, first_date=first).exists():
            continue
        result = services.create_weekly_series(
            title=title,
            room=room,
            channel=channel,
            weekday=weekday,
            start_time=start,
            end_time=end,
            time_zone=zone,
            first_date=first,
            until_date=first + datetime.timedelta(weeks=weeks, days=-1),
            hosts=hosts,
            skip_clashes=True,
        )
        for session in result.sessions:
            services.set_lineup(session=session, items=_planned(products[:12], minutes=5))


def _planned(products, *, minutes: int) -> list[services.PlannedItem]:
    return [
        services.PlannedItem(
            product=product,
            planned_minutes=minutes,
            promo_price=(product.price * Decimal("0.9")).quantize(
                Decimal("1") if product.currency == Currency.VND else Decimal("0.01")
            ),
            allocated_stock=50,
            talking_points=f"{product.name}: origin {product.origin_district}, "
            f"{product.net_weight_grams or '-'} g.",
        )
        for product in products
    ]


def _one_off(
    month,
    *,
    title,
    room,
    channel,
    start,
    end,
    hosts,
    products,
    minutes,
    kind=Session.Kind.REGULAR,
    figures=None,
    is_rehearsal=False,
):
    if Session.objects.filter(title=title, scheduled_start=start).exists():
        return
    try:
        session = services.schedule_session(
            title=title,
            kind=kind,
            room=room,
            channel=channel,
            scheduled_start=start,
            scheduled_end=end,
            hosts=hosts,
            is_rehearsal=is_rehearsal,
        )
    except services.SessionClash:
        return  # Something staff booked by hand already holds the slot.
    services.set_lineup(session=session, items=_planned(products, minutes=minutes))
    if end >= month.now:
        return
    services.start_session(session=session, at=start)
    on_air = start + datetime.timedelta(minutes=2)
    for item in session.lineup.order_by("position"):
        # On air for its planned minutes at most, then 20 seconds to bring the next one in.
        services.mark_on_air(item=item, at=on_air)
        services.mark_off_air(
            item=item, at=on_air + datetime.timedelta(minutes=item.planned_minutes)
        )
        on_air += datetime.timedelta(minutes=item.planned_minutes, seconds=20)
    services.end_session(session=session, at=min(end, on_air))
    if figures:
        services.record_session_metrics(
            session=session,
            entered_by=None,
            views_basis=SessionMetrics.ViewsBasis.PER_VISIT,
            precision=SessionMetrics.Precision.FINAL,
            **figures,
        )


def _meeting(
    month, *, title, room, start, buyer, cooperatives, outcome, hosts, value=None, currency=""
):
    if Session.objects.filter(title=title, scheduled_start=start).exists():
        return
    try:
        services.book_meeting(
            title=title,
            room=month.rooms[room],
            scheduled_start=start,
            scheduled_end=start + datetime.timedelta(minutes=90),
            buyer_organisation=buyer,
            cooperatives=Cooperative.objects.filter(slug__in=cooperatives),
            hosts=hosts,
            outcome=outcome,
            agreement_value=value,
            agreement_currency=currency,
        )
    except services.SessionClash:
        return


def _training(month, *, room, host):
    title = "Selling online: TikTok Shop basics for cooperatives"
    start = month.at(month.day(2, 3), 14, 0, GIA_LAI)
    if Session.objects.filter(title=title, scheduled_start=start).exists():
        return
    try:
        session = services.schedule_session(
            title=title,
            kind=Session.Kind.TRAINING,
            room=room,
            scheduled_start=start,
            scheduled_end=start + datetime.timedelta(hours=2, minutes=30),
            hosts=[(host, SessionHost.Role.HOST)],
        )
    except services.SessionClash:
        return
    attendees = (
        ("chu-se-coffee", "Nguyễn Thị Hoa", "coop.coffee"),
        ("chu-se-coffee", "Trần Văn Bình", None),
        ("ia-grai-pepper", "Rơ Châm Hyun", None),
        ("ia-grai-pepper", "Siu H'Lan", None),
    )
    came = start < month.now
    for slug, name, username in attendees:
        services.record_attendance(
            session=session,
            cooperative=Cooperative.objects.get(slug=slug),
            attendee_name=name,
            attended=came and name != "Siu H'Lan",
            user=demo_user(username) if username else None,
        )
