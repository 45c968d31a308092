from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel, Platform, Product
from cooperatives.models import Cooperative
from livestreams.models import LineupItem, Session

from .importers import GENERIC_FIELDS

MONEY = {"max_digits": 16, "decimal_places": 2}


def import_file_storage():
    """Uploaded exports hold buyer data: they live in the private storage, never in media."""
    return storages["imports"]


class ImportBatch(models.Model):
    """One uploaded export file and the state of its import (a checkpoint after each chunk)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        SUCCEEDED = "succeeded", _("Imported")
        REFUSED = "refused", _("Refused")
        DUPLICATE = "duplicate", _("Same file as an earlier import")
        FAILED = "failed", _("Failed")

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Emptied when the file is purged (IMPORT_RETENTION_DAYS after a successful import).
    file = models.FileField(_("file"), upload_to="%Y/%m/", storage=import_file_storage, blank=True)
    file_purged_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    forced = models.BooleanField(_("forced re-import"), default=False)
    # Staff's explicit choice: values of this file replace newer ones already imported.
    replace_newer = models.BooleanField(_("replace newer values"), default=False)
    # The export's own time: the newest timestamp in the file, else the upload time. Set before
    # the first chunk is written, so a resumed batch compares with the same time.
    exported_at = models.DateTimeField(_("export time"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same file as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    format = models.CharField(_("format"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    message = models.TextField(_("message"), blank=True)
    missing_columns = models.JSONField(_("missing columns"), default=list, blank=True)
    rows_total = models.PositiveIntegerField(_("rows (estimate)"), null=True, blank=True)
    # The checkpoint: rows of the file fully written, committed with each chunk's data.
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    orders_created = models.PositiveIntegerField(_("orders created"), default=0)
    orders_updated = models.PositiveIntegerField(_("orders updated"), default=0)
    orders_unchanged = models.PositiveIntegerField(_("orders unchanged"), default=0)
    lines_written = models.PositiveIntegerField(_("lines"), default=0)
    lines_matched = models.PositiveIntegerField(_("matched lines"), default=0)
    lines_unmatched = models.PositiveIntegerField(_("unmatched lines"), default=0)
    affiliate_links = models.PositiveIntegerField(_("affiliate links"), default=0)
    error_count = models.PositiveIntegerField(_("row errors"), default=0)
    orders_attributed = models.PositiveIntegerField(_("attributed orders"), default=0)
    orders_ambiguous = models.PositiveIntegerField(_("ambiguous orders"), default=0)
    orders_unknown_status = models.PositiveIntegerField(
        _("orders with an unknown status"), default=0
    )
    # Orders of this file whose values were older than those already imported from a newer
    # export: the newer values were kept.
    orders_older = models.PositiveIntegerField(_("orders older than what we have"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]
        indexes = [
            # The stale-batch sweep: WHERE status = 'running' AND heartbeat_at < now - N.
            models.Index(
                fields=["heartbeat_at"],
                condition=Q(status="running"),
                name="orders_importbatch_running_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status not in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(99, round(100 * self.rows_done / self.rows_total))


class ImportRange(models.Model):
    """A range of whole orders of a big batch's file, imported by one worker at a time.

    A big file is cut into ranges when its batch starts; every worker of the ``imports`` queue
    takes ranges, each checkpointed (``rows_done``) and counted on its own row, so that
    workers never wait for one another on the batch's row. The batch is finished, once, by
    the worker that finishes its last range.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="ranges"
    )
    position = models.PositiveIntegerField(_("position"))
    # Row numbers as the reader numbers them (1-based, the header and blank rows counted).
    start_row = models.PositiveIntegerField(_("first row"))
    end_row = models.PositiveIntegerField(_("last row"))
    # Where the first row's record starts in the file, for a CSV read by seeking to it; empty
    # when the range's worker skips the rows before it instead (XLSX, UTF-16).
    start_offset = models.PositiveBigIntegerField(_("first byte"), null=True, blank=True)
    # The checkpoint: the last row fully written, committed with each chunk's data; 0 = none.
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The Celery worker (its hostname) that claimed the range last.
    worker = models.CharField(_("worker"), max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Sessions whose figures the range's chunks may have changed (old and new attributions):
    # the batch's roll-up recomputes them all once the last range is done.
    session_ids = models.JSONField(_("sessions"), default=list, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    orders_created = models.PositiveIntegerField(_("orders created"), default=0)
    orders_updated = models.PositiveIntegerField(_("orders updated"), default=0)
    orders_unchanged = models.PositiveIntegerField(_("orders unchanged"), default=0)
    lines_written = models.PositiveIntegerField(_("lines"), default=0)
    lines_matched = models.PositiveIntegerField(_("matched lines"), default=0)
    lines_unmatched = models.PositiveIntegerField(_("unmatched lines"), default=0)
    affiliate_links = models.PositiveIntegerField(_("affiliate links"), default=0)
    error_count = models.PositiveIntegerField(_("row errors"), default=0)
    orders_attributed = models.PositiveIntegerField(_("attributed orders"), default=0)
    orders_ambiguous = models.PositiveIntegerField(_("ambiguous orders"), default=0)
    orders_unknown_status = models.PositiveIntegerField(
        _("orders with an unknown status"), default=0
    )
    orders_older = models.PositiveIntegerField(_("orders older than what we have"), default=0)

    class Meta:
        verbose_name = _("import range")
        verbose_name_plural = _("import ranges")
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "position"], name="%(app_label)s_%(class)s_unique_position"
            ),
            # Two ranges of a batch never start at the same row (nor could they overlap).
            models.UniqueConstraint(
                fields=["batch", "start_row"], name="%(app_label)s_%(class)s_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(start_row__gte=1) & Q(start_row__lte=F("end_row")),
                name="%(app_label)s_%(class)s_rows_in_order",
            ),
            # A checkpoint lies inside its range.
            models.CheckConstraint(
                condition=Q(rows_done=0)
                | (Q(rows_done__gte=F("start_row")) & Q(rows_done__lte=F("end_row"))),
                name="%(app_label)s_%(class)s_checkpoint_in_range",
            ),
        ]
        indexes = [
            # The stale-range sweep: WHERE status = 'running' AND heartbeat_at < now - N.
            models.Index(
                fields=["heartbeat_at"],
                condition=Q(status="running"),
                name="orders_importrange_running_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.batch_id}.{self.position} rows {self.start_row}-{self.end_row}"


class ImportRowError(models.Model):
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="row_errors"
    )
    row_number = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=200, blank=True)
    value = models.CharField(_("value"), max_length=500, blank=True)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("row error")
        verbose_name_plural = _("row errors")
        ordering = ["batch", "row_number"]
        constraints = [
            # A re-run of a chunk after a crash must not report the same error twice.
            models.UniqueConstraint(
                fields=["batch", "row_number", "column"],
                name="%(app_label)s_%(class)s_unique_row_column",
            ),
        ]

    def __str__(self) -> str:
        return f"row {self.row_number} {self.column}: {self.reason}"


class Order(models.Model):
    """An order as the platform reported it in the latest export; buyers are never stored."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending payment")
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        RETURNED = "returned", _("Returned / refunded")
        # A status the platform's table does not know: kept with its raw text, counted, and
        # mapped by staff once per platform (StatusMapping).
        UNKNOWN = "unknown", _("Unknown status")

    class Attribution(models.TextChoices):
        EXPLICIT = "explicit", _("Named in the export")
        MANUAL = "manual", _("Chosen by staff")
        WINDOW = "window", _("Time window")
        AMBIGUOUS = "ambiguous", _("Ambiguous")
        NONE = "none", _("None")

    # Indexed by the unique (channel, external_id) and (channel, placed_at) indexes.
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
    )
    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices)
    external_id = models.CharField(_("platform order id"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    raw_status = models.CharField(_("status in the export"), max_length=300, blank=True)
    # The export time of the file the order was last updated from: an older export never
    # overwrites what a newer one said (unless staff choose to replace).
    exported_at = models.DateTimeField(_("export time"), null=True, blank=True)
    placed_at = models.DateTimeField(_("placed at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    order_amount = models.DecimalField(_("order amount"), null=True, blank=True, **MONEY)
    shipping_fee = models.DecimalField(_("shipping fee"), null=True, blank=True, **MONEY)
    refund_amount = models.DecimalField(_("order refund"), null=True, blank=True, **MONEY)
    # HMAC-SHA256 of (channel, buyer id) keyed with BUYER_HASH_KEY: counts distinct buyers,
    # identifies no one.
    buyer_hash = models.CharField(_("buyer hash"), max_length=64, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    shipping_provider = models.CharField(_("shipping provider"), max_length=100, blank=True)
    live_room_id = models.CharField(_("live room id"), max_length=64, blank=True)
    creator_handle = models.CharField(_("creator handle"), max_length=150, blank=True)
    content_type = models.CharField(_("content type"), max_length=32, blank=True)
    # Indexed by the (session, status) index.
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        db_index=False,
    )
    attribution = models.CharField(
        _("attribution"), max_length=16, choices=Attribution.choices, default=Attribution.NONE
    )
    # Session ids whose windows all contain the order, when attribution is ambiguous.
    candidate_session_ids = models.JSONField(_("candidate sessions"), default=list, blank=True)
    # Indexed where set only (see Meta): almost every order has none.
    attributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attributed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=32, blank=True)
    last_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("first imported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                name="%(app_label)s_%(class)s_unique_channel_order",
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=True)
                | Q(attribution__in=["explicit", "manual", "window"]),
                name="%(app_label)s_%(class)s_session_only_when_attributed",
            ),
        ]
        indexes = [
            # Attribution by time window: WHERE channel_id = ? AND placed_at in [start, end).
            models.Index(fields=["channel", "placed_at"], name="orders_order_channel_time_idx"),
            models.Index(fields=["session", "status"], name="orders_order_session_idx"),
            models.Index(fields=["channel", "live_room_id"], name="orders_order_live_room_idx"),
            models.Index(
                fields=["attributed_by"],
                condition=Q(attributed_by__isnull=False),
                name="orders_order_attributed_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class OrderLine(models.Model):
    # Every index is upkeep for each imported line, so there are no redundant ones: the order
    # is indexed by the unique (order, external_line_id), SKUs by the unmatched queue's index.
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,
    )
    external_line_id = models.CharField(_("platform line id"), max_length=100)
    sku_id = models.CharField(_("platform SKU id"), max_length=64, blank=True)
    seller_sku = models.CharField(_("seller SKU"), max_length=100, blank=True)
    product_name = models.CharField(_("product name in the export"), max_length=300, blank=True)
    variation = models.CharField(_("variation"), max_length=200, blank=True)
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_lines",
    )
    lineup_item = models.ForeignKey(
        LineupItem,
        verbose_name=_("line-up slot"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_lines",
        db_index=False,
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    returned_quantity = models.PositiveIntegerField(_("returned quantity"), default=0)
    # Units of a return request not yet granted: shown apart, never taken off net GMV.
    pending_return_quantity = models.PositiveIntegerField(
        _("units of pending return requests"), default=0
    )
    unit_price = models.DecimalField(_("unit price"), null=True, blank=True, **MONEY)
    line_value = models.DecimalField(_("line value"), **MONEY)
    refund_amount = models.DecimalField(_("line refund"), null=True, blank=True, **MONEY)
    fingerprint = models.CharField(_("fingerprint"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "external_line_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "external_line_id"],
                name="%(app_label)s_%(class)s_unique_order_line",
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=F("quantity")),
                name="%(app_label)s_%(class)s_returned_within_quantity",
            ),
            models.CheckConstraint(
                condition=Q(pending_return_quantity__lte=F("quantity")),
                name="%(app_label)s_%(class)s_pending_return_within_quantity",
            ),
        ]
        indexes = [
            # The unmatched queue: WHERE product_id IS NULL.
            models.Index(
                fields=["sku_id", "seller_sku"],
                condition=Q(product__isnull=True),
                name="orders_orderline_unmatched_idx",
            ),
            # Only lines sold during a line-up slot have one.
            models.Index(
                fields=["lineup_item"],
                condition=Q(lineup_item__isnull=False),
                name="orders_line_lineup_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.external_line_id}"


class AffiliateLink(models.Model):
    """TikTok's affiliate export line: the LIVE room and creator that sold an order line.

    Kept on its own so that it enriches orders whichever file arrives first.
    """

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="+"
    )
    order_external_id = models.CharField(_("platform order id"), max_length=64)
    sku_id = models.CharField(_("platform SKU id"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=32, blank=True)
    content_id = models.CharField(_("content id"), max_length=64, blank=True)
    creator_handle = models.CharField(_("creator handle"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("affiliate link")
        verbose_name_plural = _("affiliate links")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "order_external_id", "sku_id"],
                name="%(app_label)s_%(class)s_unique_channel_order_sku",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_external_id} {self.content_type} {self.content_id}"


class SessionSales(models.Model):
    """Roll-up of a session's sales, recomputed after imports, mappings and overrides."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="sales"
    )
    currency = models.CharField(_("currency"), max_length=3)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    units = models.PositiveIntegerField(_("units"), default=0)
    # Distinct buyer hashes; None (unknown) when orders were sold but no export row named a
    # buyer (Douyin and Lazada exports carry no buyer id). With some orders named and some
    # not, the count of the named ones is a lower bound: `orders_without_buyer` says so.
    buyers = models.PositiveIntegerField(_("buyers"), null=True, blank=True, default=0)
    orders_without_buyer = models.PositiveIntegerField(_("orders without a buyer id"), default=0)
    gross_gmv = models.DecimalField(_("gross GMV"), default=0, **MONEY)
    net_gmv = models.DecimalField(_("net GMV"), default=0, **MONEY)
    cancelled_orders = models.PositiveIntegerField(_("cancelled orders"), default=0)
    refunded_amount = models.DecimalField(_("refunded amount"), default=0, **MONEY)
    # Value of return requests still pending on orders not cancelled: not taken off net GMV.
    returns_pending = models.DecimalField(_("returns pending"), default=0, **MONEY)
    unknown_status_orders = models.PositiveIntegerField(
        _("orders with an unknown status"), default=0
    )
    unmatched_lines = models.PositiveIntegerField(_("unmatched lines"), default=0)
    # When the last import that wrote one of the session's orders finished: figures become
    # final once the session has ended and this is older than the channel's settlement delay.
    last_import_at = models.DateTimeField(_("last import"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("session sales")
        verbose_name_plural = _("session sales")
        constraints = [
            models.CheckConstraint(
                condition=Q(orders_without_buyer__lte=F("orders")),
                name="%(app_label)s_%(class)s_orders_without_buyer_within_orders",
            ),
            # Unknown only when there were orders and none of them named its buyer.
            models.CheckConstraint(
                condition=Q(buyers__isnull=False)
                | Q(orders__gt=0, orders_without_buyer=F("orders")),
                name="%(app_label)s_%(class)s_buyers_unknown_only_without_any_buyer_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.gross_gmv} {self.currency}"


class SessionProductSales(models.Model):
    """Per-product roll-up of a session (product empty = lines not matched to a product)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="product_sales"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="session_sales",
    )
    seller_sku = models.CharField(_("seller SKU"), max_length=100, blank=True)
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    orders = models.PositiveIntegerField(_("orders"), default=0)
    units = models.PositiveIntegerField(_("units"), default=0)
    gross_gmv = models.DecimalField(_("gross GMV"), default=0, **MONEY)
    net_gmv = models.DecimalField(_("net GMV"), default=0, **MONEY)

    class Meta:
        verbose_name = _("session product sales")
        verbose_name_plural = _("session product sales")
        ordering = ["session", "-gross_gmv"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "product"],
                name="%(app_label)s_%(class)s_unique_session_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.product_id}: {self.gross_gmv}"


class ColumnMapping(models.Model):
    """For a channel on another platform: which header of its export holds which field.

    Staff save it once; every export of that channel is then read through it.
    """

    channel = models.OneToOneField(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="column_mapping"
    )
    # {canonical field: header in the file}, e.g. {"order_id": "Order No.", ...}
    mapping = models.JSONField(_("columns"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return str(self.channel)

    def clean(self) -> None:
        if not isinstance(self.mapping, dict) or not all(
            isinstance(value, str) and value.strip() for value in self.mapping.values()
        ):
            raise ValidationError({"mapping": _("Give each field the header that holds it.")})
        unknown = sorted(set(self.mapping) - set(GENERIC_FIELDS))
        if unknown:
            raise ValidationError(
                {"mapping": _("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}}
            )
        missing = [name for name in ("order_id", "created_at") if name not in self.mapping]
        if "line_value" not in self.mapping and "unit_price" not in self.mapping:
            missing.append("line_value")
        if missing:
            raise ValidationError(
                {"mapping": _("Missing fields: %(fields)s.") % {"fields": ", ".join(missing)}}
            )


class StatusMapping(models.Model):
    """Staff's reading of a raw status the platform tables do not know, once per platform."""

    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices)
    # Compared after header_key normalisation (NFC, single spaces, case-folded).
    raw_status = models.CharField(_("status in the export"), max_length=300)
    status = models.CharField(_("means"), max_length=16, choices=Order.Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mapped by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("mapped at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status mapping")
        verbose_name_plural = _("status mappings")
        ordering = ["platform", "raw_status"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "raw_status"],
                name="%(app_label)s_%(class)s_unique_platform_raw_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="unknown"),
                name="%(app_label)s_%(class)s_maps_to_a_known_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.raw_status} -> {self.status}"
