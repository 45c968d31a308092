"""Roll-up tables the dashboards read, kept by the recompute of each session's sales.

Dashboards never add up raw order lines at request time (DESIGN.md, "When one machine is not
enough"): every period, trend, ranking and cooperative figure is a sum over these rows, of
which there are a handful per session whatever the number of lines.

Money is stored in hundredths of the currency unit as whole numbers, so that sums are exact on
every database (SQLite has no exact decimal arithmetic), and always with its currency: rows of
different currencies are never added together.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, Channel, Platform, Product
from cooperatives.models import Cooperative
from livestreams.models import Session


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
