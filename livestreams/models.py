import datetime
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel, Currency, Platform, Product, Zone, validate_time_zone
from catalog.platform_urls import validate_platform_url
from cooperatives.models import Cooperative


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Room(models.Model):
    """A studio or meeting room inside a showroom zone."""

    class Kind(models.TextChoices):
        STUDIO = "studio", _("Live studio")
        MEETING = "meeting", _("Meeting room")
        TRAINING = "training", _("Training room")

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STUDIO)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"), null=True, blank=True)
    equipment = models.TextField(_("equipment"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="rooms/", blank=True)
    feed_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_feed_token, editable=False
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["zone__floor", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def floor(self) -> int:
        return self.zone.floor


class Host(models.Model):
    """Someone who appears on a live session: a KOL, bureau host, official or producer."""

    class Kind(models.TextChoices):
        KOL = "kol", _("KOL / influencer")
        BUREAU = "bureau", _("Bureau host")
        OFFICIAL = "official", _("Guest official")
        COOPERATIVE_REP = "cooperative_rep", _("Cooperative representative")

    display_name = models.CharField(_("display name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    follower_count = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="host_profile",
    )
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosts",
    )
    feed_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_feed_token, editable=False
    )

    class Meta:
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class HostHandle(models.Model):
    """A host's account name on a platform; exports name creators by these handles."""

    host = models.ForeignKey(
        Host, verbose_name=_("host"), on_delete=models.CASCADE, related_name="handles"
    )
    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=150)

    class Meta:
        verbose_name = _("platform handle")
        verbose_name_plural = _("platform handles")
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "handle"], name="%(app_label)s_%(class)s_unique_platform_handle"
            ),
        ]

    def __str__(self) -> str:
        return f"@{self.handle} ({self.get_platform_display()})"


def setup_buffer() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SESSION_SETUP_BUFFER_MINUTES)


def check_live_room_url(url: str, *, channel: Channel | None) -> None:
    """The live-room address is a public "Watch" link: https on the channel's platform's own
    site (any sales platform's while the session has no channel)."""
    try:
        validate_platform_url(url, platform=channel.platform if channel is not None else None)
    except ValidationError as error:
        raise ValidationError({"live_room_url": error.error_list}) from None


class Session(models.Model):
    """A scheduled live sale (or training or meeting) in a room, on a channel."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular live")
        MEGALIVE = "megalive", _("Megalive")
        TRAINING = "training", _("Training")
        MEETING = "meeting", _("Meeting")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="sessions"
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="sessions",
        null=True,
        blank=True,
    )
    scheduled_start = models.DateTimeField(_("scheduled start"))
    scheduled_end = models.DateTimeField(_("scheduled end"))
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    platform_live_id = models.CharField(_("platform live id"), max_length=64, blank=True)
    # Where a visitor watches the live (the showroom's QR page links to it); checked to be on
    # the channel's platform's own domains by the forms and the API.
    live_room_url = models.URLField(_("live room address"), max_length=500, blank=True)
    is_rehearsal = models.BooleanField(
        _("rehearsal"), default=False, help_text=_("Rehearsals are left out of all statistics.")
    )
    notes = models.TextField(_("notes"), blank=True)
    hosts = models.ManyToManyField(
        Host, through="SessionHost", related_name="sessions", verbose_name=_("hosts")
    )
    # The room and hosts are blocked over [scheduled_start, occupied_until): the scheduled end
    # plus the setup buffer, stored so that PostgreSQL can compare plain columns in its
    # exclusion constraints (see migration 0003).
    occupied_until = models.DateTimeField(_("room and hosts busy until"), editable=False)
    series = models.ForeignKey(
        "SessionSeries",
        verbose_name=_("recurring series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["scheduled_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(occupied_until__gte=F("scheduled_end")),
                name="%(app_label)s_%(class)s_occupied_until_after_end",
            ),
            models.CheckConstraint(
                condition=Q(scheduled_end__gt=F("scheduled_start")),
                name="%(app_label)s_%(class)s_scheduled_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gt=F("actual_start")),
                name="%(app_label)s_%(class)s_actual_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "scheduled_start"]),
            # Clash checks and the week calendar: sessions of a room around a time.
            models.Index(fields=["room", "scheduled_start"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Every path that stores times, forms or not, keeps the blocked span in step.
        if self.scheduled_end is not None:
            self.occupied_until = self.scheduled_end + setup_buffer()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "scheduled_end" in update_fields:
                kwargs["update_fields"] = {*update_fields, "occupied_until"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("livestreams:session-detail", args=[self.pk])

    def clean(self) -> None:
        check_live_room_url(self.live_room_url, channel=self.channel if self.channel_id else None)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def scheduled_minutes(self) -> int:
        return int((self.scheduled_end - self.scheduled_start).total_seconds() // 60)

    @property
    def starts_at(self):
        return self.actual_start or self.scheduled_start

    @property
    def ends_at(self):
        return self.actual_end or self.scheduled_end


class SessionSeries(models.Model):
    """A weekly pattern (e.g. every Saturday 19:00-21:00 until a date) that made sessions.

    The occurrences are ordinary sessions: each can be moved or cancelled on its own; the
    series only remembers where they came from.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Session.Kind.choices, default=Session.Kind.REGULAR
    )
    room = models.ForeignKey(
        "Room", verbose_name=_("room"), on_delete=models.PROTECT, related_name="series"
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="session_series",
        null=True,
        blank=True,
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Ho_Chi_Minh",
        validators=[validate_time_zone],
        help_text=_("The start and end times are read in this time zone."),
    )
    first_date = models.DateField(_("first date"))
    until_date = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recurring series")
        verbose_name_plural = _("recurring series")
        ordering = ["-first_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until_date__gte=F("first_date")),
                name="%(app_label)s_%(class)s_until_after_first_date",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="%(app_label)s_%(class)s_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class SessionHost(models.Model):
    class Role(models.TextChoices):
        HOST = "host", _("Host")
        CO_HOST = "co_host", _("Co-host")
        KOL = "kol", _("KOL")
        GUEST_OFFICIAL = "guest_official", _("Guest official")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="session_hosts"
    )
    host = models.ForeignKey(
        Host, verbose_name=_("host"), on_delete=models.PROTECT, related_name="session_hosts"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.HOST)
    # Copies of the session's blocked span and cancellation, so that PostgreSQL can exclude a
    # host from two overlapping sessions with a constraint on this one table. save() and the
    # services keep them in step; on PostgreSQL triggers do too (migration 0003).
    session_start = models.DateTimeField(_("session start"), editable=False)
    session_occupied_until = models.DateTimeField(_("session busy until"), editable=False)
    session_is_cancelled = models.BooleanField(
        _("session cancelled"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("session host")
        verbose_name_plural = _("session hosts")
        ordering = ["session", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "host"], name="%(app_label)s_%(class)s_unique_session_host"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host} ({self.get_role_display()})"

    def save(self, *args, **kwargs) -> None:
        session = self.session
        self.session_start = session.scheduled_start
        self.session_occupied_until = session.occupied_until
        self.session_is_cancelled = session.status == Session.Status.CANCELLED
        super().save(*args, **kwargs)


class LineupItem(models.Model):
    """A product in a session's line-up, with its time budget and, once live, its air times."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="lineup"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="lineup_items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes"))
    promo_price = models.DecimalField(
        _("promo price"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    allocated_stock = models.PositiveIntegerField(_("allocated stock"), null=True, blank=True)
    talking_points = models.TextField(_("talking points"), blank=True)
    on_air_started_at = models.DateTimeField(_("on air from"), null=True, blank=True)
    on_air_ended_at = models.DateTimeField(_("on air until"), null=True, blank=True)

    class Meta:
        verbose_name = _("line-up item")
        verbose_name_plural = _("line-up items")
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="%(app_label)s_%(class)s_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(planned_minutes__gt=0),
                name="%(app_label)s_%(class)s_planned_minutes_positive",
            ),
            models.CheckConstraint(
                condition=Q(on_air_ended_at__isnull=True)
                | Q(on_air_started_at__isnull=True)
                | Q(on_air_ended_at__gte=F("on_air_started_at")),
                name="%(app_label)s_%(class)s_on_air_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.product}"


class SessionMetrics(models.Model):
    """Audience figures of a session as the platform reports them, entered after the session."""

    class ViewsBasis(models.TextChoices):
        PER_VISIT = "per_visit", _("Counted per visit")
        PER_VIEWER = "per_viewer", _("Counted per viewer")
        UNKNOWN = "unknown", _("Not stated by the platform")

    class Precision(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional")
        FINAL = "final", _("Final")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        API = "api", _("Sent through the API")
        IMPORTED = "imported", _("Imported")

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="metrics"
    )
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)
    unique_viewers = models.PositiveIntegerField(_("unique viewers"), null=True, blank=True)
    peak_concurrent_viewers = models.PositiveIntegerField(
        _("peak concurrent viewers"), null=True, blank=True
    )
    likes = models.PositiveIntegerField(_("likes"), null=True, blank=True)
    comments = models.PositiveIntegerField(_("comments"), null=True, blank=True)
    shares = models.PositiveIntegerField(_("shares"), null=True, blank=True)
    new_followers = models.PositiveIntegerField(_("new followers"), null=True, blank=True)
    product_clicks = models.PositiveIntegerField(_("product clicks"), null=True, blank=True)
    average_watch_seconds = models.PositiveIntegerField(
        _("average watch time (seconds)"), null=True, blank=True
    )
    # ACU in TikTok's LIVE analytics, 平均在线人数 in Douyin's live review.
    average_concurrent_viewers = models.PositiveIntegerField(
        _("average concurrent viewers"), null=True, blank=True
    )
    views_basis = models.CharField(
        _("how views are counted"),
        max_length=16,
        choices=ViewsBasis.choices,
        default=ViewsBasis.UNKNOWN,
    )
    precision = models.CharField(
        _("provisional or final"),
        max_length=16,
        choices=Precision.choices,
        default=Precision.PROVISIONAL,
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("session metrics")
        verbose_name_plural = _("session metrics")
        ordering = ["session"]

    def __str__(self) -> str:
        return str(_("Metrics of %(session)s") % {"session": self.session})

    @property
    def interactions(self) -> int:
        return sum(value or 0 for value in (self.likes, self.comments, self.shares))


class MeetingBooking(models.Model):
    """The negotiation details of a meeting session with a buyer."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet known")
        NO_DEAL = "no_deal", _("No deal")
        FOLLOW_UP = "follow_up", _("Follow-up")
        AGREEMENT = "agreement", _("Agreement")

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="meeting"
    )
    buyer_organisation = models.CharField(_("buyer organisation"), max_length=200)
    buyer_contact = models.CharField(_("buyer contact"), max_length=200, blank=True)
    cooperatives = models.ManyToManyField(
        Cooperative,
        verbose_name=_("cooperatives involved"),
        related_name="meeting_bookings",
        blank=True,
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    agreement_value = models.DecimalField(
        _("agreement value"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    agreement_currency = models.CharField(
        _("agreement currency"), max_length=3, choices=Currency.choices, blank=True
    )
    outcome_notes = models.TextField(_("outcome notes"), blank=True)

    class Meta:
        verbose_name = _("meeting booking")
        verbose_name_plural = _("meeting bookings")
        ordering = ["session__scheduled_start"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="agreement")
                | (Q(agreement_value__isnull=False) & ~Q(agreement_currency="")),
                name="%(app_label)s_%(class)s_agreement_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_organisation} ({self.session})"


class TrainingAttendance(models.Model):
    """A cooperative member's place at a training session, and whether they came."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        related_name="training_attendances",
    )
    attendee_name = models.CharField(_("attendee name"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_attendances",
    )
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        ordering = ["session", "cooperative", "attendee_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "cooperative", "attendee_name"],
                name="%(app_label)s_%(class)s_unique_attendee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendee_name} ({self.cooperative})"


class SessionReminder(models.Model):
    """A reminder email sent to a host; one row per (session, host, kind, start time).

    The start time is part of the key so that a moved session gets new reminders while the
    same start never gets a second one.
    """

    class Kind(models.TextChoices):
        DAY_BEFORE = "24h", _("24 hours before")
        HOUR_BEFORE = "1h", _("1 hour before")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="reminders"
    )
    host = models.ForeignKey(
        Host, verbose_name=_("host"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    scheduled_start = models.DateTimeField(_("for the start at"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "host", "kind", "scheduled_start"],
                name="%(app_label)s_%(class)s_once_per_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.host} / {self.session}"
