"""Attribution of orders to live sessions, by the rules of DESIGN.md ("Attribution of an order").

(1) explicit: the export names the session's live id, or the order came through LIVE content
    of a creator who hosts exactly one session live at that time;
(2) manual: staff chose (never undone by a re-import or a re-run);
(3) window: the order was created inside exactly one session window [start, end + grace) on
    its channel, among sessions that are neither cancelled nor rehearsals;
(4) ambiguous: inside two or more windows: flagged, counted in no session;
(5) none.
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from django.db import transaction
from django.db.models import QuerySet

from catalog.models import Channel
from core.types import AnyUser
from livestreams.models import HostHandle, LineupItem, Session, SessionHost

from .. import tasks
from ..models import Order, OrderLine
from .sales import announce_orders_changed, announce_spans, recompute_session_sales
from .slots import reslot_session_lines, slot_window

if TYPE_CHECKING:
    from django.contrib.auth.models import User

BATCH = 5000

# What the rules decide for an order: its attribution, its session (or None) and, when
# ambiguous, the sessions it could belong to.
Decision = tuple[Order.Attribution, int | None, list[int]]


@dataclass(frozen=True)
class Window:
    session_id: int
    start: dt.datetime
    end: dt.datetime  # exclusive: end (actual, else scheduled) + the channel's grace
    live_id: str
    host_ids: frozenset[int]


@dataclass
class AttributionResult:
    attributed: int = 0
    ambiguous: int = 0
    session_ids: set[int] = field(default_factory=set)
    # The placement times of the orders whose attribution changed.
    first_changed: dt.datetime | None = None
    last_changed: dt.datetime | None = None

    def changed_at(self, moment: dt.datetime) -> None:
        if self.first_changed is None or moment < self.first_changed:
            self.first_changed = moment
        if self.last_changed is None or moment > self.last_changed:
            self.last_changed = moment


class ChannelWindows:
    """The channel's eligible sessions, sorted, for fast lookup of the windows around a time."""

    def __init__(self, channel: Channel) -> None:
        grace = dt.timedelta(minutes=channel.grace_minutes)
        sessions = (
            Session.objects.filter(channel=channel, is_rehearsal=False)
            .exclude(status=Session.Status.CANCELLED)
            .only(
                "pk",
                "scheduled_start",
                "scheduled_end",
                "actual_start",
                "actual_end",
                "platform_live_id",
            )
        )
        hosts: dict[int, set[int]] = {}
        for session_id, host_id in SessionHost.objects.filter(session__channel=channel).values_list(
            "session_id", "host_id"
        ):
            hosts.setdefault(session_id, set()).add(host_id)
        self.windows = sorted(
            (
                Window(
                    session_id=session.pk,
                    start=session.starts_at,
                    end=session.ends_at + grace,
                    live_id=session.platform_live_id,
                    host_ids=frozenset(hosts.get(session.pk, ())),
                )
                for session in sessions
            ),
            key=lambda window: window.start,
        )
        self.starts = [window.start for window in self.windows]
        self.longest = max((w.end - w.start for w in self.windows), default=dt.timedelta(0))
        self.by_live_id: dict[str, list[int]] = {}
        for window in self.windows:
            if window.live_id:
                self.by_live_id.setdefault(window.live_id, []).append(window.session_id)
        # Line-up slots are looked for only in sessions whose products were marked on air.
        self.sessions_with_air_times = set(
            LineupItem.objects.filter(
                session__channel=channel, on_air_started_at__isnull=False
            ).values_list("session_id", flat=True)
        )
        self.host_by_handle = {
            handle.lower(): host_id
            for handle, host_id in HostHandle.objects.filter(platform=channel.platform).values_list(
                "handle", "host_id"
            )
        }

    def containing(self, moment: dt.datetime) -> list[Window]:
        # Windows are sorted by start; only those starting within `longest` before the moment
        # can contain it.
        right = bisect.bisect_right(self.starts, moment)
        left = bisect.bisect_left(self.starts, moment - self.longest)
        return [w for w in self.windows[left:right] if w.start <= moment < w.end]

    def decide(
        self, *, placed_at: dt.datetime, live_room_id: str, creator_handle: str, content_type: str
    ) -> Decision:
        """Return (attribution, session id or None, candidate session ids)."""
        if live_room_id and len(self.by_live_id.get(live_room_id, ())) == 1:
            return Order.Attribution.EXPLICIT, self.by_live_id[live_room_id][0], []
        around = self.containing(placed_at)
        if content_type == "live" and creator_handle:
            host_id = self.host_by_handle.get(creator_handle.lstrip("@").lower())
            if host_id is not None:
                hosted = [w for w in around if host_id in w.host_ids]
                if len(hosted) == 1:
                    return Order.Attribution.EXPLICIT, hosted[0].session_id, []
        if len(around) == 1:
            return Order.Attribution.WINDOW, around[0].session_id, []
        if len(around) > 1:
            return Order.Attribution.AMBIGUOUS, None, sorted(w.session_id for w in around)
        return Order.Attribution.NONE, None, []


def attribute_orders(
    *,
    channel: Channel,
    order_ids: Iterable[int] | None = None,
    windows: ChannelWindows | None = None,
) -> AttributionResult:
    """(Re)attribute the given orders of a channel (all of them when None); manual choices stay.

    ``windows`` are the channel's session windows when the caller has them already (an
    import). Returns the counts and every session whose figures may have changed (old and new).
    """
    windows = windows or ChannelWindows(channel)
    result = AttributionResult()
    orders = Order.objects.filter(channel=channel)
    if order_ids is not None:
        ids = sorted(set(order_ids))
        pieces: list[list[int] | None] = [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]
    else:
        pieces = [None]
    for piece in pieces:
        scope = orders if piece is None else orders.filter(pk__in=piece)
        with transaction.atomic():
            _attribute(scope, windows, result)
    if result.first_changed is not None and result.last_changed is not None:
        announce_spans(
            [{"channel_id": channel.pk, "first": result.first_changed, "last": result.last_changed}]
        )
    return result


def _attribute(orders: QuerySet[Order], windows: ChannelWindows, result: AttributionResult) -> None:
    changed: list[Order] = []
    for order in orders.only(
        "pk",
        "placed_at",
        "live_room_id",
        "creator_handle",
        "content_type",
        "attribution",
        "session_id",
        "candidate_session_ids",
    ):
        if order.attribution == Order.Attribution.MANUAL:
            if order.session_id:
                result.attributed += 1
            continue
        attribution, session_id, candidates = windows.decide(
            placed_at=order.placed_at,
            live_room_id=order.live_room_id,
            creator_handle=order.creator_handle,
            content_type=order.content_type,
        )
        if session_id:
            result.attributed += 1
            result.session_ids.add(session_id)
        if attribution == Order.Attribution.AMBIGUOUS:
            result.ambiguous += 1
        if (order.attribution, order.session_id, order.candidate_session_ids) != (
            attribution,
            session_id,
            candidates,
        ):
            if order.session_id:
                result.session_ids.add(order.session_id)
            order.attribution = attribution
            order.session_id = session_id
            order.candidate_session_ids = candidates
            changed.append(order)
            result.changed_at(order.placed_at)
    # Orders share few outcomes (one per session, plus none and each ambiguous set): one
    # UPDATE per outcome is set-based, where bulk_update would build a CASE per row.
    outcomes: dict[tuple[str, int | None, tuple[int, ...]], list[int]] = defaultdict(list)
    for order in changed:
        key = (order.attribution, order.session_id, tuple(order.candidate_session_ids))
        outcomes[key].append(order.pk)
    for (outcome, outcome_session_id, outcome_candidates), ids in outcomes.items():
        for start in range(0, len(ids), BATCH):
            Order.objects.filter(pk__in=ids[start : start + BATCH]).update(
                attribution=outcome,
                session_id=outcome_session_id,
                candidate_session_ids=list(outcome_candidates),
            )
    assign_lineup_slots(order_ids=[order.pk for order in changed])


def assign_lineup_slots(*, order_ids: list[int]) -> None:
    """Give each line the line-up slot it sold in: its product on air in the order's session
    when the order was created (``slots.slot_window``; no grace after a slot)."""
    if not order_ids:
        return
    lines = list(
        OrderLine.objects.filter(order_id__in=order_ids).values(
            "pk",
            "product_id",
            "lineup_item_id",
            "order__session_id",
            "order__placed_at",
        )
    )
    session_ids = {line["order__session_id"] for line in lines if line["order__session_id"]}
    slots: dict[tuple[int, int], list[LineupItem]] = {}
    for item in LineupItem.objects.filter(
        session_id__in=session_ids, on_air_started_at__isnull=False
    ).select_related("session"):
        slots.setdefault((item.session_id, item.product_id), []).append(item)
    updates: dict[int | None, list[int]] = defaultdict(list)
    for line in lines:
        slot_id = None
        for item in slots.get((line["order__session_id"], line["product_id"]), ()):
            window = slot_window(item, item.session.ends_at)
            if window is not None and window[0] <= line["order__placed_at"] < window[1]:
                slot_id = item.pk
                break
        if slot_id != line["lineup_item_id"]:
            updates[slot_id].append(line["pk"])
    for slot_id, ids in updates.items():
        for start in range(0, len(ids), BATCH):
            OrderLine.objects.filter(pk__in=ids[start : start + BATCH]).update(
                lineup_item_id=slot_id
            )


@transaction.atomic
def choose_session_for_order(*, order: Order, session: Session | None, chosen_by: AnyUser) -> Order:
    """Staff's choice: it wins over every rule and survives re-imports."""
    if session is not None and session.channel_id != order.channel_id:
        raise ValueError("The session is on another channel.")
    previous = order.session_id
    order.session = session
    order.attribution = Order.Attribution.MANUAL
    order.candidate_session_ids = []
    # Staff are signed in (the pages and the API require it): the user is a User row.
    order.attributed_by = cast("User", chosen_by)
    order.save(
        update_fields=[
            "session",
            "attribution",
            "candidate_session_ids",
            "attributed_by",
            "updated_at",
        ]
    )
    assign_lineup_slots(order_ids=[order.pk])
    announce_spans(
        [{"channel_id": order.channel_id, "first": order.placed_at, "last": order.placed_at}]
    )
    affected = sorted({pk for pk in (previous, order.session_id) if pk})
    if affected:
        transaction.on_commit(lambda: tasks.recompute_sales_task.delay(affected), robust=True)
    return order


def reattribute_around_session(*, session_id: int) -> set[int]:
    """Attribute again the orders a session's change may concern, then roll up again.

    Those are: the orders now inside its window on its channel, those attributed to it, those
    naming its live id, and ambiguous ones counting it as a candidate; its lines are then
    slotted again (its products' on-air times may have changed). Returns the sessions whose
    figures were recomputed.
    """
    session = Session.objects.select_related("channel").filter(pk=session_id).first()
    if session is None or session.channel is None:
        return set()
    channel = session.channel
    grace = dt.timedelta(minutes=channel.grace_minutes)
    orders = Order.objects.filter(channel=channel)
    ids = set(
        orders.filter(
            placed_at__gte=session.starts_at, placed_at__lt=session.ends_at + grace
        ).values_list("pk", flat=True)
    )
    ids |= set(Order.objects.filter(session_id=session_id).values_list("pk", flat=True))
    if session.platform_live_id:
        ids |= set(
            orders.filter(live_room_id=session.platform_live_id).values_list("pk", flat=True)
        )
    ids |= {
        pk
        for pk, candidates in orders.filter(attribution=Order.Attribution.AMBIGUOUS).values_list(
            "pk", "candidate_session_ids"
        )
        if session_id in candidates
    }
    affected = {session_id}
    if ids:
        affected |= attribute_orders(channel=channel, order_ids=ids).session_ids
    # Orders that stayed put are not slotted again above, yet the change (the admin's line-up
    # rows are saved with their session) may have moved an on-air time or its end.
    reslot_session_lines(session_id=session_id)
    recompute_session_sales(session_ids=affected)
    return affected


def reattribute_after_session_deleted(
    *, channel_id: int, session_id: int, chosen_order_ids: Iterable[int] = ()
) -> set[int]:
    """Attribute again the orders a deleted session leaves behind, then roll up again.

    Deleting a session detaches its orders (SET NULL) but leaves them marked as attributed,
    so they would count nowhere. Those the rules had given it (explicit or window, now with no
    session), the staff choices of it (``chosen_order_ids``, noted before the deletion: the
    chosen session is gone) and the ambiguous orders that counted it as a candidate are decided
    again by the rules. A staff choice wins until staff change it: every other manual order,
    "none of them" included, stands. Returns the sessions whose figures were recomputed.
    """
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return set()
    orders = Order.objects.filter(channel=channel)
    detached = orders.filter(
        session__isnull=True,
        attribution__in=[Order.Attribution.EXPLICIT, Order.Attribution.WINDOW],
    )
    # Still without a session: staff may have chosen again since the deletion.
    chosen = orders.filter(
        pk__in=list(chosen_order_ids),
        attribution=Order.Attribution.MANUAL,
        session__isnull=True,
    )
    ids = set(detached.values_list("pk", flat=True)) | set(chosen.values_list("pk", flat=True))
    ids |= {
        pk
        for pk, candidates in orders.filter(attribution=Order.Attribution.AMBIGUOUS).values_list(
            "pk", "candidate_session_ids"
        )
        if session_id in candidates
    }
    if not ids:
        return set()
    # They left the deleted session's part of the channel's sales, whatever the rules decide.
    announce_orders_changed(orders.filter(pk__in=ids))
    chosen.update(attribution=Order.Attribution.NONE, attributed_by=None)
    affected = attribute_orders(channel=channel, order_ids=ids).session_ids
    recompute_session_sales(session_ids=affected)
    return affected
