import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel, Platform, Product, Zone
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
    feed_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_feed_token, editable=False
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["zone__floor", "name"]

    def __str__(self) -> str:
        return self.name


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
    is_rehearsal = models.BooleanField(
        _("rehearsal"), default=False, help_text=_("Rehearsals are left out of all statistics.")
    )
    notes = models.TextField(_("notes"), blank=True)
    hosts = models.ManyToManyField(
        Host, through="SessionHost", related_name="sessions", verbose_name=_("hosts")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["scheduled_start"]
        constraints = [
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
        indexes = [models.Index(fields=["channel", "scheduled_start"])]

    def __str__(self) -> str:
        return self.title

    @property
    def starts_at(self):
        return self.actual_start or self.scheduled_start

    @property
    def ends_at(self):
        return self.actual_end or self.scheduled_end


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
