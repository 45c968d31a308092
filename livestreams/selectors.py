"""Reads of the live-sessions app: permission-scoped, with their related rows, ordered."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from catalog.models import Base, Channel
from cooperatives.models import Cooperative
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, OFFICIAL, role_names
from core.selectors import signed_in_user
from core.types import AnyUser

from .models import (
    Host,
    LineupItem,
    MeetingBooking,
    Room,
    Session,
    SessionHost,
    TrainingAttendance,
    setup_buffer,
)


def _session_scope(user: AnyUser) -> Q | None:
    """The sessions a user may read, as a filter; None means all of them."""
    roles = role_names(user)
    if roles & {BUREAU_STAFF, OFFICIAL}:
        return None
    scope = Q(pk__in=[])
    signed_in = signed_in_user(user)
    if signed_in is None:
        # Signed out: no roles, no session.
        return scope
    if HOST in roles:
        scope |= Q(pk__in=SessionHost.objects.filter(host__user=signed_in).values("session_id"))
    if COOPERATIVE_MEMBER in roles:
        # Sessions featuring their products, meetings involving their cooperative and trainings
        # their members attend; subqueries, so that a session is listed once.
        scope |= Q(
            pk__in=LineupItem.objects.filter(
                product__cooperative__memberships__user=signed_in
            ).values("session_id")
        )
        scope |= Q(
            pk__in=MeetingBooking.objects.filter(cooperatives__memberships__user=signed_in).values(
                "session_id"
            )
        )
        scope |= Q(attendances__cooperative__memberships__user=signed_in)
    return scope


def lineup_cooperatives_visible_to(user: AnyUser) -> frozenset[int] | None:
    """Whose line-up products (promo prices, allocated stock) a user may see; None: all.

    Staff, officials and hosts see whole line-ups; a cooperative member sees the sessions
    featuring their products, but only their own cooperative's rows of the line-up.
    """
    roles = role_names(user)
    if roles & {BUREAU_STAFF, OFFICIAL, HOST}:
        return None
    signed_in = signed_in_user(user)
    if signed_in is None:
        return frozenset()
    return frozenset(
        Cooperative.objects.filter(memberships__user=signed_in).values_list("pk", flat=True)
    )


def sessions_visible_to(user: AnyUser) -> QuerySet[Session]:
    """Staff and officials read every session; hosts their own; members those of their goods."""
    sessions = Session.objects.all()
    if not user.is_authenticated:
        return sessions.none()
    scope = _session_scope(user)
    if scope is None:
        return sessions
    # Drafts are the bureau's working copies: hosts and producers see what is scheduled.
    return sessions.filter(pk__in=Session.objects.filter(scope).values("pk")).exclude(
        status=Session.Status.DRAFT
    )


def with_listing_relations(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """What a list or calendar shows of each session, fetched in a fixed number of queries."""
    return sessions.select_related("room", "room__zone", "channel").prefetch_related(
        Prefetch(
            "session_hosts",
            queryset=SessionHost.objects.select_related("host").order_by(
                "role", "host__display_name"
            ),
        )
    )


@dataclass(frozen=True)
class SessionFilters:
    starts_after: datetime.datetime | None = None
    starts_before: datetime.datetime | None = None
    room: Room | None = None
    host: Host | None = None
    channel: Channel | None = None
    status: str | None = None
    kind: str | None = None
    # One base's sessions: in its rooms or on its channels.
    base_id: int | None = None


def filter_sessions(sessions: QuerySet[Session], filters: SessionFilters) -> QuerySet[Session]:
    if filters.starts_after is not None:
        sessions = sessions.filter(scheduled_end__gt=filters.starts_after)
    if filters.starts_before is not None:
        sessions = sessions.filter(scheduled_start__lt=filters.starts_before)
    if filters.room is not None:
        sessions = sessions.filter(room=filters.room)
    if filters.host is not None:
        sessions = sessions.filter(pk__in=filters.host.session_hosts.values("session_id"))
    if filters.channel is not None:
        sessions = sessions.filter(channel=filters.channel)
    if filters.status:
        sessions = sessions.filter(status=filters.status)
    if filters.kind:
        sessions = sessions.filter(kind=filters.kind)
    if filters.base_id is not None:
        sessions = sessions.filter(
            Q(room__zone__base_id=filters.base_id) | Q(channel__base_id=filters.base_id)
        )
    return sessions


def session_list(user: AnyUser, filters: SessionFilters | None = None) -> QuerySet[Session]:
    sessions = sessions_visible_to(user)
    if filters is not None:
        sessions = filter_sessions(sessions, filters)
    return with_listing_relations(sessions).order_by("scheduled_start", "pk")


def week_sessions(
    user: AnyUser, *, week_start: datetime.datetime, filters: SessionFilters | None = None
) -> list[Session]:
    """The sessions of the seven days from `week_start` (an aware local midnight)."""
    base = filters or SessionFilters()
    window = SessionFilters(
        starts_after=week_start,
        starts_before=week_start + datetime.timedelta(days=7),
        room=base.room,
        host=base.host,
        channel=base.channel,
        status=base.status,
        kind=base.kind,
        base_id=base.base_id,
    )
    return list(session_list(user, window))


def session_detail(user: AnyUser, session_id: int) -> Session:
    """One session with hosts, line-up (and products), metrics and meeting; Http404-friendly."""
    return (
        with_listing_relations(sessions_visible_to(user))
        .select_related("metrics", "meeting", "series")
        .prefetch_related(
            Prefetch(
                "lineup",
                queryset=LineupItem.objects.select_related(
                    "product", "product__cooperative"
                ).order_by("position"),
            ),
            "meeting__cooperatives",
            Prefetch(
                "attendances",
                queryset=TrainingAttendance.objects.select_related("cooperative"),
            ),
        )
        .get(pk=session_id)
    )


@dataclass(frozen=True)
class PlannedSlot:
    item: LineupItem
    planned_start: datetime.datetime
    planned_end: datetime.datetime
    offset_minutes: int


def planned_timeline(session: Session, items: Iterable[LineupItem]) -> list[PlannedSlot]:
    """Line-up items one after another from the session's scheduled start."""
    slots = []
    offset = 0
    for item in items:
        start = session.scheduled_start + datetime.timedelta(minutes=offset)
        slots.append(
            PlannedSlot(
                item=item,
                planned_start=start,
                planned_end=start + datetime.timedelta(minutes=item.planned_minutes),
                offset_minutes=offset,
            )
        )
        offset += item.planned_minutes
    return slots


def _overlapping(
    scheduled_start: datetime.datetime,
    scheduled_end: datetime.datetime,
    exclude_session_id: int | None,
) -> QuerySet[Session]:
    # The buffer as set now, on both sides, and the span stored on older rows (which carries
    # the buffer of when they were saved): forms refuse whatever the database would, and more.
    buffer = setup_buffer()
    sessions = Session.objects.exclude(status=Session.Status.CANCELLED).filter(
        Q(scheduled_end__gt=scheduled_start - buffer) | Q(occupied_until__gt=scheduled_start),
        scheduled_start__lt=scheduled_end + buffer,
    )
    if exclude_session_id is not None:
        sessions = sessions.exclude(pk=exclude_session_id)
    return sessions


def room_clashes(
    *,
    room_id: int,
    scheduled_start: datetime.datetime,
    scheduled_end: datetime.datetime,
    exclude_session_id: int | None = None,
) -> QuerySet[Session]:
    """Non-cancelled sessions holding the room during the span (setup buffer included)."""
    return (
        _overlapping(scheduled_start, scheduled_end, exclude_session_id)
        .filter(room_id=room_id)
        .select_related("room")
        .order_by("scheduled_start")
    )


def host_clashes(
    *,
    host_ids: Iterable[int],
    scheduled_start: datetime.datetime,
    scheduled_end: datetime.datetime,
    exclude_session_id: int | None = None,
) -> QuerySet[SessionHost]:
    """Places of these hosts in non-cancelled sessions overlapping the span."""
    sessions = _overlapping(scheduled_start, scheduled_end, exclude_session_id)
    return (
        SessionHost.objects.filter(host_id__in=list(host_ids), session__in=sessions)
        .select_related("host", "session")
        .order_by("session__scheduled_start", "host__display_name")
    )


def sessions_for_feed(*, room: Room | None = None, host: Host | None = None) -> QuerySet[Session]:
    """Sessions for a calendar feed: from 60 days ago on, cancelled ones included (as such)."""
    since = timezone.now() - datetime.timedelta(days=60)
    sessions = Session.objects.filter(scheduled_end__gte=since)
    if room is not None:
        sessions = sessions.filter(room=room)
    if host is not None:
        sessions = sessions.filter(pk__in=host.session_hosts.values("session_id"))
    return with_listing_relations(sessions).order_by("scheduled_start", "pk")


def rooms() -> QuerySet[Room]:
    return Room.objects.select_related("zone").order_by("zone__floor", "name")


def hosts_visible_to(user: AnyUser) -> QuerySet[Host]:
    """Every signed-in role may see who hosts; contact details are the serializer's business."""
    if not user.is_authenticated:
        return Host.objects.none()
    return Host.objects.prefetch_related("handles").order_by("display_name")


def channels() -> QuerySet[Channel]:
    return Channel.objects.select_related("owner_cooperative").order_by("platform", "name")


def meetings_visible_to(user: AnyUser) -> QuerySet[MeetingBooking]:
    return (
        MeetingBooking.objects.filter(session__in=sessions_visible_to(user))
        .select_related("session", "session__room", "session__room__zone")
        .prefetch_related("cooperatives")
        .order_by("session__scheduled_start", "pk")
    )


def host_profile(user: AnyUser) -> Host | None:
    signed_in = signed_in_user(user)
    if signed_in is None:
        return None
    return Host.objects.filter(user=signed_in).first()


# What the public window shows: live sales (not trainings or buyer meetings, which are the
# bureau's and the cooperatives' business) that are announced or on air. Drafts, cancelled
# and ended sessions and rehearsals never show.
PUBLIC_STATUSES = (Session.Status.SCHEDULED, Session.Status.LIVE)
PUBLIC_KINDS = (Session.Kind.REGULAR, Session.Kind.MEGALIVE)


def public_sessions() -> QuerySet[Session]:
    """Every session the public may see, signed in or not (the public schedule, its feed, the
    product pages)."""
    return Session.objects.filter(
        status__in=PUBLIC_STATUSES, kind__in=PUBLIC_KINDS, is_rehearsal=False
    )


def public_schedule(
    *,
    starts_after: datetime.datetime,
    starts_before: datetime.datetime | None = None,
    base: Base | None = None,
) -> QuerySet[Session]:
    """Public sessions not over by `starts_after` (and starting before `starts_before`; of
    one base: in its rooms or on its channels), with their channel, soonest first: one query."""
    sessions = public_sessions().filter(scheduled_end__gt=starts_after)
    if base is not None:
        sessions = sessions.filter(Q(room__zone__base=base) | Q(channel__base=base))
    if starts_before is not None:
        sessions = sessions.filter(scheduled_start__lt=starts_before)
    return sessions.select_related("channel").order_by("scheduled_start", "pk")


def public_time_zones() -> list[str]:
    """The time zones of the channels public sessions are streamed on, for the schedule's
    choice of zone; one query."""
    return sorted(
        set(
            Channel.objects.filter(sessions__in=public_sessions())
            .values_list("time_zone", flat=True)
            .distinct()
        )
    )


def next_session_for_product(product_id: int, *, watchable: bool = False) -> Session | None:
    """The next public live session featuring a product; with `watchable`, the next one that
    has a live-room address to watch it at."""
    sessions = public_sessions().filter(
        lineup__product_id=product_id, scheduled_end__gt=timezone.now()
    )
    if watchable:
        sessions = sessions.exclude(live_room_url="")
    return sessions.select_related("channel", "room").order_by("scheduled_start", "pk").first()


# --- Trainings ------------------------------------------------------------------------------


def attendances_visible_to(user: AnyUser) -> QuerySet[TrainingAttendance]:
    """Staff and officials read every sign-up; a cooperative member their cooperatives' own."""
    attendances = TrainingAttendance.objects.select_related(
        "session", "session__room", "cooperative"
    ).order_by("session__scheduled_start", "session_id", "cooperative__name", "attendee_name")
    roles = role_names(user)
    if roles & {BUREAU_STAFF, OFFICIAL}:
        return attendances
    signed_in = signed_in_user(user)
    if COOPERATIVE_MEMBER in roles and signed_in is not None:
        return attendances.filter(cooperative__memberships__user=signed_in)
    return attendances.none()


def open_trainings() -> QuerySet[Session]:
    """Scheduled trainings that have not started, soonest first, with their seats taken."""
    return (
        Session.objects.filter(
            kind=Session.Kind.TRAINING,
            status=Session.Status.SCHEDULED,
            scheduled_start__gt=timezone.now(),
        )
        .select_related("room", "room__zone")
        .annotate(signed_up=Count("attendances"))
        .order_by("scheduled_start", "pk")
    )


def training_session(session_id: int) -> Session:
    """A training (any status but draft) with its room; Session.DoesNotExist otherwise."""
    return (
        Session.objects.filter(kind=Session.Kind.TRAINING)
        .exclude(status=Session.Status.DRAFT)
        .select_related("room", "room__zone")
        .get(pk=session_id)
    )


def training_sign_ups(session: Session, user: AnyUser) -> QuerySet[TrainingAttendance]:
    """The sign-ups of one training the user may see (their cooperatives' for a member)."""
    return attendances_visible_to(user).filter(session=session)
