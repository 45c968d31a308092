"""Demo sales: a generated platform export for each past live session, imported for real.

Each file is what the session's channel would export (TikTok Shop CSV, Douyin CSV), with the
line-up's products as SKUs and orders placed during the live; it goes through the same
pipeline as an upload, so every demo figure is computed, not typed in.
"""

import io
import zlib
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import Platform, PlatformListing
from devtools.exportgen import ExportConfig, SkuSpec, write_export
from livestreams.models import Session

from . import services
from .models import ImportBatch

EXPORT_PLATFORMS = {Platform.TIKTOK_SHOP: "tiktok", Platform.DOUYIN: "douyin"}


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


def seed() -> str:
    now = timezone.now()
    sessions = (
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
    imported = 0
    for session in sessions:
        name = f"demo-{session.channel.slug}-{session.scheduled_start:%Y%m%d%H%M}.csv"
        if ImportBatch.objects.filter(channel=session.channel, original_name=name).exists():
            continue
        skus = _skus(session)
        if not skus:
            continue
        zone = session.channel.time_zone
        local = ZoneInfo(zone)
        rows = 400 if session.kind == Session.Kind.MEGALIVE else 120
        config = ExportConfig(
            platform=EXPORT_PLATFORMS[session.channel.platform],
            rows=rows,
            seed=zlib.crc32(name.encode()),
            start=session.starts_at.astimezone(local).replace(tzinfo=None),
            end=session.ends_at.astimezone(local).replace(tzinfo=None),
            as_of=now.astimezone(local).replace(tzinfo=None),
            skus=skus,
            live_room_ids=(session.platform_live_id,) if session.platform_live_id else (),
        )
        buffer = io.BytesIO()
        write_export(buffer, config, file_format="csv")
        batch = services.create_import_batch(
            channel=session.channel, upload=SimpleUploadedFile(name, buffer.getvalue())
        )
        session_ids = services.run_import_batch(batch_id=batch.pk)
        services.recompute_session_sales(session_ids=session_ids)
        imported += 1
    return f"{imported} demo exports imported" if imported else "demo sales already imported"
