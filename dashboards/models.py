"""Roll-up tables the dashboards read, kept by the recompute of each session's sales.

Dashboards never add up raw order lines at request time (DESIGN.md, "When one machine is not
enough"): every period, trend, ranking and cooperative figure is a sum over these rows, of
which there are a handful per session whatever the number of lines.

Money is stored in hundredths of the currency unit as whole numbers, so that sums are exact on
every database (SQLite has no exact decimal arithmetic), and always with its currency: rows of
different currencies are never added together.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, Channel, Currency, Platform, Product
from cooperatives.models import Cooperative
from livestreams.models import LineupItem, Session


class SessionSalesFact(models.Model):
    """A session's totals, dated by the day it started in its channel's time zone."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="sales_fact"
    )
    day = models.DateField(_("day"))
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="+"
    )
    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices)
    currency = models.CharField(_("currency"), max_length=3)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    units = models.PositiveIntegerField(_("units"), default=0)
    # None: unknown (no order named its buyer); see orders.SessionSales.buyers.
    buyers = models.PositiveIntegerField(_("buyers"), null=True, blank=True, default=0)
    orders_without_buyer = models.PositiveIntegerField(_("orders without a buyer id"), default=0)
    cancelled_orders = models.PositiveIntegerField(_("cancelled orders"), default=0)
    unmatched_lines = models.PositiveIntegerField(_("unmatched lines"), default=0)
    gross_gmv_cents = models.BigIntegerField(_("gross GMV (hundredths)"), default=0)
    net_gmv_cents = models.BigIntegerField(_("net GMV (hundredths)"), default=0)
    refunded_cents = models.BigIntegerField(_("refunded amount (hundredths)"), default=0)
    computed_at = models.DateTimeField(_("computed at"))
    last_import_at = models.DateTimeField(_("last import"), null=True, blank=True)
    # Set at the first recompute after the figures became final (DESIGN.md: ended, and the
    # last import older than the settlement delay), so that a later import leaves them final
    # and records what it changed (FinalFigureChange) instead of making them provisional.
    final_at = models.DateTimeField(_("final since"), null=True, blank=True)
    changed_after_final_at = models.DateTimeField(
        _("last changed after final"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("session sales fact")
        verbose_name_plural = _("session sales facts")
        ordering = ["-day", "session"]
        constraints = [
            models.CheckConstraint(
                condition=Q(orders_without_buyer__lte=F("orders")),
                name="%(app_label)s_%(class)s_orders_without_buyer_within_orders",
            ),
            models.CheckConstraint(
                condition=Q(buyers__isnull=False)
                | Q(orders__gt=0, orders_without_buyer=F("orders")),
                name="%(app_label)s_%(class)s_buyers_unknown_only_without_any_buyer_id",
            ),
        ]
        indexes = [
            # Period totals and the daily trend: WHERE day BETWEEN ? AND ? GROUP BY currency.
            models.Index(fields=["day", "currency"], name="dashboards_session_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.session_id}: {self.gross_gmv_cents} {self.currency}"


class ProductSalesFact(models.Model):
    """A session's sales of one product (no product: lines not matched yet)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="+"
    )
    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices)
    currency = models.CharField(_("currency"), max_length=3)
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    orders = models.PositiveIntegerField(_("orders"), default=0)
    units = models.PositiveIntegerField(_("units"), default=0)
    gross_gmv_cents = models.BigIntegerField(_("gross GMV (hundredths)"), default=0)
    net_gmv_cents = models.BigIntegerField(_("net GMV (hundredths)"), default=0)

    class Meta:
        verbose_name = _("product sales fact")
        verbose_name_plural = _("product sales facts")
        ordering = ["-day", "session", "-gross_gmv_cents"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "product"],
                name="%(app_label)s_%(class)s_unique_session_product",
            ),
            # NULLs are distinct in a unique constraint: one unmatched row per session.
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(product__isnull=True),
                name="%(app_label)s_%(class)s_one_unmatched_row_per_session",
            ),
        ]
        indexes = [
            # Rankings over a period: WHERE day BETWEEN ? AND ? GROUP BY currency, product.
            models.Index(fields=["day", "currency"], name="dashboards_product_day_idx"),
            # A cooperative's page: WHERE cooperative_id = ? ORDER BY day.
            models.Index(fields=["cooperative", "day"], name="dashboards_product_coop_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.session_id}/{self.product_id}: {self.gross_gmv_cents}"


class SessionBuyer(models.Model):
    """A distinct buyer (their hash, never who they are) of a session, to count buyers over a
    period: distinct counts cannot be added up from per-session figures."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3)
    buyer_hash = models.CharField(_("buyer hash"), max_length=64)

    class Meta:
        verbose_name = _("session buyer")
        verbose_name_plural = _("session buyers")
        ordering = ["session"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "buyer_hash"],
                name="%(app_label)s_%(class)s_unique_session_buyer",
            ),
        ]
        indexes = [
            # Buyers over a period: COUNT(DISTINCT buyer_hash) WHERE day BETWEEN ? AND ?.
            models.Index(fields=["day", "currency", "buyer_hash"], name="dashboards_buyer_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.buyer_hash[:8]}"


class FinalFigureChange(models.Model):
    """A change to a session's figures after they had become final: what they were, what they
    are now, and when, so that a report already sent can be reconciled."""

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="final_figure_changes",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    final_at = models.DateTimeField(_("final since"))
    last_import_at = models.DateTimeField(_("last import"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    previous_orders = models.PositiveIntegerField(_("orders before"))
    orders = models.PositiveIntegerField(_("orders"))
    previous_units = models.PositiveIntegerField(_("units before"))
    units = models.PositiveIntegerField(_("units"))
    previous_cancelled_orders = models.PositiveIntegerField(_("cancelled orders before"))
    cancelled_orders = models.PositiveIntegerField(_("cancelled orders"))
    previous_buyers = models.PositiveIntegerField(_("buyers before"), null=True, blank=True)
    buyers = models.PositiveIntegerField(_("buyers"), null=True, blank=True)
    previous_gross_gmv_cents = models.BigIntegerField(_("gross GMV before (hundredths)"))
    gross_gmv_cents = models.BigIntegerField(_("gross GMV (hundredths)"))
    previous_net_gmv_cents = models.BigIntegerField(_("net GMV before (hundredths)"))
    net_gmv_cents = models.BigIntegerField(_("net GMV (hundredths)"))
    previous_refunded_cents = models.BigIntegerField(_("refunded amount before (hundredths)"))
    refunded_cents = models.BigIntegerField(_("refunded amount (hundredths)"))

    class Meta:
        verbose_name = _("change after final")
        verbose_name_plural = _("changes after final")
        ordering = ["session", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recorded_at__gte=F("final_at")),
                name="%(app_label)s_%(class)s_recorded_after_final",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.recorded_at:%Y-%m-%d}"


class SessionOrderBin(models.Model):
    """Orders of a session placed in one five-minute bin, for its orders-over-time chart."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="+"
    )
    bin_start = models.DateTimeField(_("bin start"))
    orders = models.PositiveIntegerField(_("orders"), default=0)
    gross_gmv_cents = models.BigIntegerField(_("gross GMV (hundredths)"), default=0)

    class Meta:
        verbose_name = _("five-minute order bin")
        verbose_name_plural = _("five-minute order bins")
        ordering = ["session", "bin_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "bin_start"], name="%(app_label)s_%(class)s_unique_bin"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.bin_start:%H:%M}: {self.orders}"


class ReportedSessionTotals(models.Model):
    """The totals the platform's own dashboard reports for a session, entered by staff, to
    set beside the imported figures (livestreams.SessionMetrics holds no sales totals)."""

    session = models.OneToOneField(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="reported_totals",
    )
    orders = models.PositiveIntegerField(_("orders reported by the platform"), null=True)
    gross_gmv = models.DecimalField(
        _("GMV reported by the platform"), max_digits=16, decimal_places=2, null=True
    )
    units = models.PositiveIntegerField(_("units reported by the platform"), null=True)
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("platform-reported totals")
        verbose_name_plural = _("platform-reported totals")
        ordering = ["session"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_gmv__isnull=True) | Q(gross_gmv__gte=0),
                name="%(app_label)s_%(class)s_gmv_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Platform totals of %(session)s") % {"session": self.session})


class DeliveryFact(models.Model):
    """Orders of a session by shipping provider and status: per product (orders holding the
    product, and its units), and once more for whole orders (`is_order_total`), since orders
    with several products cannot be counted by adding up product rows."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    shipping_provider = models.CharField(_("shipping provider"), max_length=100, blank=True)
    is_order_total = models.BooleanField(_("whole orders"), default=False)
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("order status"), max_length=16)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    units = models.PositiveIntegerField(_("units"), default=0)

    class Meta:
        verbose_name = _("delivery fact")
        verbose_name_plural = _("delivery facts")
        ordering = ["session", "shipping_provider"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_order_total=False) | Q(product__isnull=True),
                name="%(app_label)s_%(class)s_order_total_has_no_product",
            ),
        ]
        indexes = [
            # Delivery rates over a period: WHERE day BETWEEN ? AND ? AND is_order_total = ?.
            models.Index(fields=["day", "is_order_total"], name="dashboards_delivery_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.shipping_provider} {self.status}: {self.orders}"


OCOP_STARS = ("3", "4", "5")


class ProgrammeTarget(models.Model):
    """What the bureau plans to sell in a month, for the whole base or one group of the
    programme (a district of origin, a category, a platform, an OCOP rating), in one currency.

    The programme page sets each month's target beside what that whole month sold.
    """

    class Dimension(models.TextChoices):
        ALL = "all", _("Whole base")
        DISTRICT = "district", _("District of origin")
        CATEGORY = "category", _("Category")
        PLATFORM = "platform", _("Platform")
        STARS = "stars", _("OCOP rating")

    dimension = models.CharField(_("programme"), max_length=16, choices=Dimension.choices)
    # The district's name, the platform's code or the number of OCOP stars; empty for the
    # whole base and for a category (named by `category`, which survives a renaming).
    value = models.CharField(
        _("group"),
        max_length=100,
        blank=True,
        help_text=_(
            "The district's name, the platform's code (e.g. tiktok_shop) or the OCOP stars "
            "(3, 4 or 5); empty for the whole base and for a category."
        ),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    target_gmv = models.DecimalField(
        _("target gross GMV"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target_units = models.PositiveIntegerField(_("target units"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        ordering = ["-month", "dimension", "value", "currency"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dimension="category", category__isnull=False, value="")
                | (~Q(dimension="category") & Q(category__isnull=True)),
                name="%(app_label)s_%(class)s_category_iff_category_programme",
            ),
            models.CheckConstraint(
                condition=~Q(dimension="all") | Q(value=""),
                name="%(app_label)s_%(class)s_whole_base_has_no_group",
            ),
            models.CheckConstraint(
                condition=~Q(dimension="district") | ~Q(value=""),
                name="%(app_label)s_%(class)s_district_is_named",
            ),
            models.CheckConstraint(
                condition=~Q(dimension="stars") | Q(value__in=OCOP_STARS),
                name="%(app_label)s_%(class)s_ocop_rating_has_three_to_five_stars",
            ),
            models.CheckConstraint(
                condition=~Q(dimension="platform") | Q(value__in=Platform.values),
                name="%(app_label)s_%(class)s_platform_is_known",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="%(app_label)s_%(class)s_month_starts_on_the_first",
            ),
            models.CheckConstraint(
                condition=Q(target_gmv__isnull=False) | Q(target_units__isnull=False),
                name="%(app_label)s_%(class)s_sets_a_target",
            ),
            models.CheckConstraint(
                condition=Q(target_gmv__isnull=True) | Q(target_gmv__gte=0),
                name="%(app_label)s_%(class)s_gmv_not_negative",
            ),
            # One target per group, month and currency (a category is one group).
            models.UniqueConstraint(
                fields=["dimension", "value", "month", "currency"],
                condition=Q(category__isnull=True),
                name="%(app_label)s_%(class)s_unique_group_month_currency",
                violation_error_message=_(
                    "There is already a target for this group, month and currency."
                ),
            ),
            models.UniqueConstraint(
                fields=["category", "month", "currency"],
                condition=Q(category__isnull=False),
                name="%(app_label)s_%(class)s_unique_category_month_currency",
                violation_error_message=_(
                    "There is already a target for this group, month and currency."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_dimension_display()} {self.group_label}"

    def clean(self) -> None:
        errors = {}
        if self.month and self.month.day != 1:
            self.month = self.month.replace(day=1)
        if self.dimension == self.Dimension.CATEGORY:
            self.value = ""
            if self.category_id is None:
                errors["category"] = _("Choose the category.")
        else:
            self.category = None
        if self.dimension == self.Dimension.ALL:
            self.value = ""
        elif self.dimension == self.Dimension.DISTRICT and not self.value.strip():
            errors["value"] = _("Name the district.")
        elif self.dimension == self.Dimension.STARS and self.value not in OCOP_STARS:
            errors["value"] = _("An OCOP rating has 3, 4 or 5 stars.")
        elif self.dimension == self.Dimension.PLATFORM and self.value not in Platform.values:
            errors["value"] = _("Choose one of the platforms: %(platforms)s.") % {
                "platforms": ", ".join(Platform.values)
            }
        if self.target_gmv is None and self.target_units is None:
            errors["target_gmv"] = _("Set a target GMV, a target of units, or both.")
        if errors:
            raise ValidationError(errors)

    @property
    def group_label(self) -> str:
        if self.dimension == self.Dimension.CATEGORY:
            return str(self.category) if self.category_id else ""
        if self.dimension == self.Dimension.PLATFORM:
            return str(Platform(self.value).label) if self.value in Platform.values else self.value
        if self.dimension == self.Dimension.STARS:
            return f"OCOP {self.value}★"
        if self.dimension == self.Dimension.ALL:
            return str(_("Whole base"))
        return self.value


class ChannelDaySales(models.Model):
    """All of a channel's orders placed on a day (its time zone), per part: from sessions,
    ambiguous, unattributed. Recomputed for the days an import or a decision touched, so that
    the overview reads these rows and never the order lines."""

    class Part(models.TextChoices):
        SESSION = "session", _("From sessions")
        AMBIGUOUS = "ambiguous", _("Ambiguous")
        NONE = "none", _("Not from a session")

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    part = models.CharField(_("part"), max_length=16, choices=Part.choices)
    currency = models.CharField(_("currency"), max_length=3)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    units = models.PositiveIntegerField(_("units"), default=0)
    cancelled_orders = models.PositiveIntegerField(_("cancelled orders"), default=0)
    gross_gmv_cents = models.BigIntegerField(_("gross GMV (hundredths)"), default=0)
    net_gmv_cents = models.BigIntegerField(_("net GMV (hundredths)"), default=0)

    class Meta:
        verbose_name = _("channel day sales")
        verbose_name_plural = _("channel day sales")
        ordering = ["-day", "channel", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "day", "part"],
                name="%(app_label)s_%(class)s_unique_channel_day_part",
            ),
        ]
        indexes = [
            # The overview: WHERE day BETWEEN ? AND ? GROUP BY channel, part.
            models.Index(fields=["day"], name="dashboards_channelday_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel_id} {self.part}: {self.gross_gmv_cents}"


class LineupSlotFact(models.Model):
    """A line-up product's sales in its session, inside its on-air slot and outside it (the
    rest of the live and the session's grace), by the session figures' rules. One row per
    line-up item, rewritten with the session's roll-up (orders.services.slots)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="+"
    )
    lineup_item = models.OneToOneField(
        LineupItem,
        verbose_name=_("line-up item"),
        on_delete=models.CASCADE,
        related_name="slot_fact",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    currency = models.CharField(_("currency"), max_length=3)
    on_air_orders = models.PositiveIntegerField(_("orders on air"), default=0)
    on_air_units = models.PositiveIntegerField(_("units on air"), default=0)
    on_air_gross_gmv_cents = models.BigIntegerField(_("gross GMV on air (hundredths)"), default=0)
    on_air_net_gmv_cents = models.BigIntegerField(_("net GMV on air (hundredths)"), default=0)
    outside_orders = models.PositiveIntegerField(_("orders outside the slot"), default=0)
    outside_units = models.PositiveIntegerField(_("units outside the slot"), default=0)
    outside_gross_gmv_cents = models.BigIntegerField(
        _("gross GMV outside the slot (hundredths)"), default=0
    )
    outside_net_gmv_cents = models.BigIntegerField(
        _("net GMV outside the slot (hundredths)"), default=0
    )

    class Meta:
        verbose_name = _("line-up slot fact")
        verbose_name_plural = _("line-up slot facts")
        ordering = ["session", "lineup_item"]

    def __str__(self) -> str:
        return f"{self.lineup_item_id}: {self.on_air_units} on air, {self.outside_units} outside"
