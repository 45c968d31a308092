"""Demo sales: generated platform exports, imported for real, that tell the seeds' figures.

Each file is what a channel would export (TikTok Shop CSV, Douyin CSV), with the line-up's
products as SKUs; it goes through the same pipeline as an upload, so every demo figure is
computed, not typed in. The sizes and prices are chosen so that last month's dashboards show
the figures the programme reported (DESIGN.md, "Where it comes from"):

- the Gia Lai megalive: 12,700 orders worth about 1.8 billion VND (on the young
  entrepreneurs' association's shop);
- the KOL session: 16 products at most 5 minutes each, 390+ orders;
- the official Gia Lai TikTok Shop's month: 1,234 orders worth about 133 million VND (its
  lives, and the orders placed between them);
- the Lhasa sessions, in CNY on Douyin.

Every past session is last month's (livestreams/demo.py). Its export is taken as uploaded
half an hour after the session's grace period ended, so its figures are final (the channel's
settlement delay has passed) as they would be for real by now.
"""

import datetime as dt
import io
import zlib
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import Channel, Platform, PlatformListing
from devtools.exportgen import ExportConfig, SkuSpec, iter_orders, write_export
from livestreams.models import Session, SessionHost

from . import services
from .models import ImportBatch

EXPORT_PLATFORMS = {Platform.TIKTOK_SHOP: "tiktok", Platform.DOUYIN: "douyin"}

# The seeds' figures (DESIGN.md) and the sizes of the other demo exports.
MEGALIVE_ORDERS = 12_700
MEGALIVE_GMV = Decimal("1800000000")
KOL_ORDERS = 392
TIKTOK_MONTH_CHANNEL = "gialai-tiktok"
TIKTOK_MONTH_ORDERS = 1_234
TIKTOK_MONTH_GMV = Decimal("133000000")
GIA_LAI_LIVE_ORDERS = 180
LHASA_LIVE_ROWS = 120
# An export is uploaded this long after the session's grace period ends.
UPLOAD_DELAY = dt.timedelta(minutes=30)


def _skus(session: Session) -> tuple[SkuSpec, ...]:
    product_ids = list(session.lineup.values_list("product_id", flat=True))
    listings = PlatformListing.objects.filter(
        platform=session.channel.platform, product_id__in=product_ids
    ).select_related("product")
    return tuple(
        SkuSpec(
            seller_sku=listing.seller_sku,
            name=listing.product.name,
            variation="",
            price=listing.product.price,
            sku_id=listing.sku_id,
            product_id=listing.external_product_id or listing.sku_id,
        )
        for listing in listings
        if listing.sku_id
    )


def _gross(config: ExportConfig) -> Decimal:
    """The export's gross GMV (DESIGN.md: line values after discounts, whatever the status)."""
    return sum((line.after for order in iter_orders(config) for line in order.lines), Decimal(0))


def _priced_for(config: ExportConfig, gross: Decimal) -> ExportConfig:
    """The same export with its SKUs' prices scaled so that its gross GMV is about ``gross``:
    discounts are shares of the price, so the gross follows the prices within a few dong."""
    factor = gross / _gross(config)
    skus = tuple(
        replace(sku, price=(sku.price * factor).quantize(Decimal(1))) for sku in config.skus or ()
    )
    return replace(config, skus=skus)


def _local(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _import(
    channel: Channel, name: str, config: ExportConfig, uploaded_at: dt.datetime
) -> set[int]:
    """Import the generated file as an upload made at ``uploaded_at``; its sessions."""
    buffer = io.BytesIO()
    write_export(buffer, config, file_format="csv")
    batch = services.create_import_batch(
        channel=channel, upload=SimpleUploadedFile(name, buffer.getvalue())
    )
    session_ids = services.run_import_batch(batch_id=batch.pk)
    # The demo's clock: the file was uploaded then (what makes a past session's figures final).
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=uploaded_at, started_at=uploaded_at, finished_at=uploaded_at
    )
    return session_ids


def _is_kol_session(session: Session) -> bool:
    return (
        session.channel.slug == TIKTOK_MONTH_CHANNEL
        and SessionHost.objects.filter(session=session, role=SessionHost.Role.KOL).exists()
    )


def _session_orders(session: Session) -> dict[str, int]:
    """How many orders (or, for Lhasa, rows) the session's export holds."""
    if session.kind == Session.Kind.MEGALIVE:
        return {"orders": MEGALIVE_ORDERS}
    if _is_kol_session(session):
        return {"orders": KOL_ORDERS}
    if session.channel.slug == TIKTOK_MONTH_CHANNEL:
        return {"orders": GIA_LAI_LIVE_ORDERS}
    return {"rows": LHASA_LIVE_ROWS}


def _past_sessions(now: dt.datetime) -> Iterable[Session]:
    return (
        Session.objects.filter(
            channel__platform__in=list(EXPORT_PLATFORMS),
            is_rehearsal=False,
            scheduled_end__lt=now,
            kind__in=[Session.Kind.REGULAR, Session.Kind.MEGALIVE],
        )
        .exclude(status=Session.Status.CANCELLED)
        .select_related("channel")
        .order_by("scheduled_start")
    )


def seed() -> str:
    now = timezone.now()
    imported = 0
    session_ids: set[int] = set()
    month_configs: list[ExportConfig] = []
    month_sessions: list[Session] = []
    for session in _past_sessions(now):
        channel = session.channel
        name = f"demo-{channel.slug}-{session.scheduled_start:%Y%m%d%H%M}.csv"
        skus = _skus(session)
        if not skus:
            continue
        config = ExportConfig(
            platform=EXPORT_PLATFORMS[channel.platform],
            seed=zlib.crc32(name.encode()),
            start=_local(session.starts_at, channel.time_zone),
            end=_local(session.ends_at, channel.time_zone),
            as_of=_local(now, channel.time_zone),
            skus=skus,
            live_room_ids=(session.platform_live_id,) if session.platform_live_id else (),
            **_session_orders(session),
        )
        if channel.slug == TIKTOK_MONTH_CHANNEL:
            month_configs.append(config)
            month_sessions.append(session)
        if ImportBatch.objects.filter(channel=channel, original_name=name).exists():
            continue
        if session.kind == Session.Kind.MEGALIVE:
            config = _priced_for(config, MEGALIVE_GMV * config.orders / MEGALIVE_ORDERS)
        elif channel.slug == TIKTOK_MONTH_CHANNEL:
            config = _priced_for(config, TIKTOK_MONTH_GMV * config.orders / TIKTOK_MONTH_ORDERS)
        uploaded_at = session.ends_at + dt.timedelta(minutes=channel.grace_minutes) + UPLOAD_DELAY
        session_ids |= _import(channel, name, config, uploaded_at)
        imported += 1
    if month_sessions:
        session_ids |= _seed_between_lives(month_sessions, month_configs, now)
    services.recompute_session_sales(session_ids=session_ids)
    return f"{imported} demo exports imported" if imported else "demo sales already imported"


def _seed_between_lives(
    sessions: list[Session], configs: list[ExportConfig], now: dt.datetime
) -> set[int]:
    """The official Gia Lai shop's orders placed between its lives over the demo weeks of
    last month: as many as make its month the seed's 1,234 orders, priced to make ~133 M."""
    channel = sessions[0].channel
    first = sessions[0].starts_at
    last = max(session.ends_at for session in sessions)
    name = f"demo-{channel.slug}-between-lives-{first:%Y%m}.csv"
    if ImportBatch.objects.filter(channel=channel, original_name=name).exists():
        return set()
    zone = ZoneInfo(channel.time_zone)
    start = dt.datetime.combine(first.astimezone(zone).date(), dt.time(7, 0))
    end = dt.datetime.combine(last.astimezone(zone).date(), dt.time(18, 0))
    orders = TIKTOK_MONTH_ORDERS - sum(config.orders or 0 for config in configs)
    skus = tuple({sku.sku_id: sku for config in configs for sku in config.skus or ()}.values())
    config = ExportConfig(
        platform="tiktok",
        orders=orders,
        seed=zlib.crc32(name.encode()),
        start=start,
        end=end,
        as_of=_local(now, channel.time_zone),
        skus=skus,
    )
    config = _priced_for(config, TIKTOK_MONTH_GMV * orders / TIKTOK_MONTH_ORDERS)
    uploaded_at = end.replace(tzinfo=zone) + UPLOAD_DELAY
    return _import(channel, name, config, uploaded_at)
