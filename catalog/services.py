"""Writes of the catalogue: products and their review, photos, listings, certifications, showroom.

State moves are conditional UPDATEs acted on only when one row changed (web and workers touch
the same rows); emails and background tasks leave after commit.
"""

import datetime
import datetime as dt
import logging
from collections.abc import Collection, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.services import cooperative_recipients
from core.images import CleanImage, make_thumbnail
from core.mail import send_email_on_commit
from core.roles import is_bureau_staff
from core.slugs import unique_slug
from core.transitions import move_status
from core.types import AnyUser

from . import tasks
from .models import (
    EDITABLE_PRODUCT_STATUSES,
    Certification,
    CertificationExpiryWarning,
    Display,
    DisplaySlot,
    PlatformListing,
    Product,
    ProductImage,
    ProductReview,
    Zone,
)
from .selectors import default_base

logger = logging.getLogger(__name__)

# The fields a cooperative fills in on a product; status and review fields are never among them.
PRODUCT_FIELDS = (
    "category",
    "name",
    "description",
    "name_en",
    "name_vi",
    "name_zh_hans",
    "description_en",
    "description_vi",
    "description_zh_hans",
    "origin_province",
    "origin_district",
    "origin_commune",
    "unit",
    "net_weight_grams",
    "price",
    "currency",
    "seasonality",
    "monthly_capacity",
)
LISTING_FIELDS = ("platform", "channel", "external_product_id", "sku_id", "seller_sku", "url")
CERTIFICATION_FIELDS = (
    "product",
    "kind",
    "stars",
    "number",
    "issuer",
    "valid_from",
    "valid_until",
)
# Days before expiry at which the cooperative and the bureau are warned, most urgent first.
EXPIRY_WARNING_DAYS = (14, 60)

# decision -> (statuses it may start from, status it leads to)
PRODUCT_REVIEW_MOVES = {
    ProductReview.Action.APPROVED: ({Product.Status.SUBMITTED}, Product.Status.APPROVED),
    ProductReview.Action.REJECTED: ({Product.Status.SUBMITTED}, Product.Status.REJECTED),
    ProductReview.Action.CHANGES_REQUESTED: (
        {Product.Status.SUBMITTED},
        Product.Status.CHANGES_REQUESTED,
    ),
}
DECISIONS_NEEDING_NOTES = frozenset(
    {ProductReview.Action.REJECTED, ProductReview.Action.CHANGES_REQUESTED}
)


# --- Products ------------------------------------------------------------------------------


@transaction.atomic
def create_product(*, cooperative: Cooperative, actor: User, data: dict[str, Any]) -> Product:
    """A new draft product of `cooperative`."""
    fields = {key: data[key] for key in PRODUCT_FIELDS if key in data}
    product = Product(
        cooperative=cooperative,
        slug=unique_slug(Product, fields.get("name", ""), fallback="product"),
        status=Product.Status.DRAFT,
        **fields,
    )
    product.full_clean(exclude=["slug"])
    product.save()
    return product


@transaction.atomic
def update_product(*, product: Product, actor: User, data: dict[str, Any]) -> Product:
    """Change a product's details; members only while it is a draft or sent back."""
    if not is_bureau_staff(actor) and not product.is_editable_by_cooperative:
        raise ValidationError(
            _("A product that is %(status)s cannot be changed; archive it or ask the bureau.")
            % {"status": product.get_status_display().lower()},
            code="not_editable",
        )
    changed = []
    for key in PRODUCT_FIELDS:
        if key in data and getattr(product, key) != data[key]:
            setattr(product, key, data[key])
            changed.append(key)
    if changed:
        product.full_clean(exclude=["slug"])
        product.save(update_fields=[*changed, "updated_at"])
    return product


def _move_product(
    *,
    product: Product,
    actor: User | None,
    action: str,
    sources: Collection[str],
    target: str,
    notes: str = "",
) -> Product:
    previous = move_status(
        Product, pk=product.pk, sources=sources, target=target, updated_at=timezone.now()
    )
    if previous is None:
        product.refresh_from_db(fields=["status"])
        raise ValidationError(
            _("This product is %(status)s and cannot be %(action)s.")
            % {
                "status": Product.Status(product.status).label.lower(),
                "action": ProductReview.Action(action).label.lower(),
            },
            code="invalid_move",
        )
    ProductReview.objects.create(
        product=product,
        action=action,
        from_status=previous,
        to_status=target,
        reason=notes,
        actor=actor,
    )
    product.refresh_from_db()
    return product


@transaction.atomic
def submit_product(*, product: Product, actor: User) -> Product:
    """Send a product to the bureau for review; it needs at least one photo."""
    if not product.images.exists():
        raise ValidationError(_("Add at least one photo before submitting."), code="no_photo")
    product = _move_product(
        product=product,
        actor=actor,
        action=ProductReview.Action.SUBMITTED,
        sources=set(EDITABLE_PRODUCT_STATUSES),
        target=Product.Status.SUBMITTED,
    )
    send_email_on_commit(
        recipients=settings.BUREAU_NOTIFICATION_EMAILS,
        render=lambda: (
            _("Product waiting for review: %(name)s") % {"name": product.name},
            _("%(cooperative)s submitted %(name)s for review.")
            % {"cooperative": product.cooperative.name, "name": product.name},
        ),
    )
    return product


@transaction.atomic
def review_product(*, product: Product, reviewer: User, decision: str, notes: str = "") -> Product:
    """Approve, reject or send back a submitted product; the cooperative is told by email."""
    notes = notes.strip()
    if decision not in PRODUCT_REVIEW_MOVES:
        raise ValidationError(_("Unknown decision."), code="invalid")
    if decision in DECISIONS_NEEDING_NOTES and not notes:
        raise ValidationError(_("Please give the reason in the notes."), code="notes_required")
    sources, target = PRODUCT_REVIEW_MOVES[ProductReview.Action(decision)]
    product = _move_product(
        product=product,
        actor=reviewer,
        action=decision,
        sources=sources,
        target=target,
        notes=notes,
    )

    def decision_mail() -> tuple[str, str]:
        body = _("The review of %(name)s is complete: %(status)s.") % {
            "name": product.name,
            "status": product.get_status_display(),
        }
        if notes:
            body += "\n\n" + _("Notes: %(notes)s") % {"notes": notes}
        subject = _("%(name)s: %(status)s") % {
            "name": product.name,
            "status": product.get_status_display(),
        }
        return subject, body

    send_email_on_commit(
        recipients=cooperative_recipients(product.cooperative), render=decision_mail
    )
    return product


@transaction.atomic
def archive_product(*, product: Product, actor: User, notes: str = "") -> Product:
    """Take a product off the catalogue; it keeps its history and listings."""
    return _move_product(
        product=product,
        actor=actor,
        action=ProductReview.Action.ARCHIVED,
        sources=set(Product.Status.values) - {Product.Status.ARCHIVED},
        target=Product.Status.ARCHIVED,
        notes=notes,
    )


@transaction.atomic
def reopen_product(*, product: Product, actor: User) -> Product:
    """Bring an approved or archived product back to draft so its details can change."""
    return _move_product(
        product=product,
        actor=actor,
        action=ProductReview.Action.REOPENED,
        sources={Product.Status.APPROVED, Product.Status.ARCHIVED},
        target=Product.Status.DRAFT,
    )


# --- Photos --------------------------------------------------------------------------------


@transaction.atomic
def add_product_image(
    *, product: Product, image: CleanImage, alt_text: str = "", make_primary: bool = False
) -> ProductImage:
    """Store an already checked and re-encoded photo; the thumbnail is made by a worker."""
    # Lock the product row so two uploads at once agree on positions and the primary photo.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    last_position = product.images.aggregate(last=Max("position"))["last"]
    is_primary = make_primary or not product.images.filter(is_primary=True).exists()
    if is_primary:
        product.images.filter(is_primary=True).update(is_primary=False)
    photo = ProductImage(
        product=product,
        width=image.width,
        height=image.height,
        alt_text=alt_text,
        position=0 if last_position is None else last_position + 1,
        is_primary=is_primary,
    )
    photo.image.save(image.name, ContentFile(image.content), save=False)
    photo.save()
    photo_id = photo.pk
    transaction.on_commit(
        lambda: tasks.make_product_image_thumbnail_task.delay(photo_id), robust=True
    )
    return photo


@transaction.atomic
def set_primary_image(*, photo: ProductImage) -> ProductImage:
    ProductImage.objects.filter(product_id=photo.product_id, is_primary=True).exclude(
        pk=photo.pk
    ).update(is_primary=False)
    ProductImage.objects.filter(pk=photo.pk).update(is_primary=True)
    photo.is_primary = True
    return photo


@transaction.atomic
def move_product_image(*, photo: ProductImage, earlier: bool) -> ProductImage:
    """Swap the photo with its neighbour in the product's order (earlier or later)."""
    Product.objects.select_for_update().filter(pk=photo.product_id).first()
    photos = list(
        ProductImage.objects.filter(product_id=photo.product_id).order_by("position", "pk")
    )
    index = next(i for i, candidate in enumerate(photos) if candidate.pk == photo.pk)
    other = index - 1 if earlier else index + 1
    if not 0 <= other < len(photos):
        return photo
    photos[index], photos[other] = photos[other], photos[index]
    for position, candidate in enumerate(photos):
        if candidate.position != position:
            ProductImage.objects.filter(pk=candidate.pk).update(position=position)
    photo.refresh_from_db()
    return photo


@transaction.atomic
def delete_product_image(*, photo: ProductImage) -> None:
    """Delete a photo and its files; the next photo becomes primary if this one was."""
    names = [name for name in (photo.image.name, photo.thumbnail.name) if name]
    product_id, was_primary = photo.product_id, photo.is_primary
    photo.delete()
    if was_primary:
        successor = ProductImage.objects.filter(product_id=product_id).order_by("position").first()
        if successor:
            ProductImage.objects.filter(pk=successor.pk).update(is_primary=True)

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)


def make_product_image_thumbnail(*, image_id: int) -> bool:
    """Make the photo's thumbnail. Safe to run twice: the second run finds it done.

    Returns whether this run stored a thumbnail.
    """
    photo = ProductImage.objects.filter(pk=image_id).first()
    if photo is None or photo.thumbnail or not photo.image.name:
        return False
    with photo.image.open("rb") as original:
        data = make_thumbnail(original.read())
    name = default_storage.save(
        f"products/thumbnails/{photo.image.name.rsplit('/', 1)[-1].rsplit('.', 1)[0]}.webp",
        ContentFile(data),
    )
    stored = ProductImage.objects.filter(pk=image_id, thumbnail="").update(thumbnail=name)
    if stored != 1:
        # Another run got there first (or the photo was deleted): keep no orphan file.
        default_storage.delete(name)
        return False
    return True


# --- Listings ------------------------------------------------------------------------------


@transaction.atomic
def save_listing(
    *, product: Product, data: dict[str, Any], listing: PlatformListing | None = None
) -> PlatformListing:
    listing = listing or PlatformListing(product=product)
    for key in LISTING_FIELDS:
        if key in data:
            setattr(listing, key, data[key])
    listing.full_clean()
    listing.save()
    return listing


@transaction.atomic
def delete_listing(*, listing: PlatformListing) -> None:
    listing.delete()


# --- Certifications ------------------------------------------------------------------------


@transaction.atomic
def save_certification(
    *,
    cooperative: Cooperative,
    data: dict[str, Any],
    document: "File[Any] | None" = None,
    certification: Certification | None = None,
) -> Certification:
    certification = certification or Certification(cooperative=cooperative)
    for key in CERTIFICATION_FIELDS:
        if key in data:
            setattr(certification, key, data[key])
    product = certification.product if certification.product_id else None
    if product is not None and product.cooperative_id != cooperative.pk:
        raise ValidationError({"product": _("The product belongs to another cooperative.")})
    if document:
        certification.document = document
    certification.full_clean()
    certification.save()
    return certification


def send_certification_expiry_warnings(*, today: datetime.date | None = None) -> int:
    """Warn cooperatives and the bureau 60 and 14 days before a certification expires.

    Each threshold is warned exactly once per expiry date, whatever how often this runs (the
    unique warning row is the claim). A certification first seen already inside the 14-day
    window gets only the 14-day warning; the 60-day one is recorded as passed. Returns the
    number of emails sent.
    """
    today = today or timezone.localdate()
    sent = 0
    for days_before in EXPIRY_WARNING_DAYS:
        horizon = today + datetime.timedelta(days=days_before)
        due = (
            Certification.objects.filter(valid_until__gte=today, valid_until__lte=horizon)
            .exclude(
                Exists(
                    CertificationExpiryWarning.objects.filter(
                        certification=OuterRef("pk"),
                        days_before=days_before,
                        valid_until=OuterRef("valid_until"),
                    )
                )
            )
            .select_related("cooperative", "product")
        )
        for certification in due:
            if _claim_and_warn(certification, days_before, today):
                sent += 1
    return sent


@transaction.atomic
def _claim_and_warn(certification: Certification, days_before: int, today: dt.date) -> bool:
    # Only certifications with an end date are warned about (the caller's query).
    valid_until = certification.valid_until
    assert valid_until is not None
    warning, created = CertificationExpiryWarning.objects.get_or_create(
        certification=certification,
        days_before=days_before,
        valid_until=valid_until,
    )
    if not created:
        return False
    # The longer thresholds this one has overtaken are passed, not due later.
    for longer in (d for d in EXPIRY_WARNING_DAYS if d > days_before):
        CertificationExpiryWarning.objects.get_or_create(
            certification=certification,
            days_before=longer,
            valid_until=valid_until,
        )
    days_left = (valid_until - today).days
    subject_of = certification.product or certification.cooperative
    send_email_on_commit(
        recipients=[
            *cooperative_recipients(certification.cooperative),
            *settings.BUREAU_NOTIFICATION_EMAILS,
        ],
        render=lambda: (
            _("%(certification)s of %(holder)s expires in %(days)s days")
            % {"certification": certification, "holder": subject_of, "days": days_left},
            _(
                "The certification %(certification)s (number %(number)s) of %(holder)s is valid "
                "until %(date)s. Please renew it and upload the new evidence; expired "
                "certifications no longer show on the public pages."
            )
            % {
                "certification": certification,
                "number": certification.number or "—",
                "holder": subject_of,
                "date": valid_until.isoformat(),
            },
        ),
    )
    return True


# --- Showroom ------------------------------------------------------------------------------


@transaction.atomic
def place_display(
    *,
    slot: DisplaySlot,
    product: Product,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    note: str = "",
    actor: User | None = None,
    display: Display | None = None,
) -> Display:
    """Put a product in a slot for a period, or move `display` to these; a slot holds one
    product at a time."""
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    # Serialise placements in the same slot so the overlap check below cannot race.
    DisplaySlot.objects.select_for_update().filter(pk=slot.pk).first()
    overlapping = Display.objects.filter(slot=slot).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at)
    )
    if display is not None:
        overlapping = overlapping.exclude(pk=display.pk)
    if ends_at is not None:
        overlapping = overlapping.filter(starts_at__lt=ends_at)
    clash = overlapping.select_related("product").first()
    if clash:
        raise ValidationError(
            _("Slot %(slot)s already holds %(product)s from %(start)s.")
            % {
                "slot": slot.code,
                "product": clash.product.name,
                "start": timezone.localtime(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
            },
            code="overlap",
        )
    try:
        # On PostgreSQL an exclusion constraint backs the check above
        # (migration catalog 0004); its refusal reads the same to the user.
        with transaction.atomic():
            if display is None:
                return Display.objects.create(
                    slot=slot,
                    product=product,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    note=note,
                    created_by=actor,
                )
            display.slot, display.product, display.note = slot, product, note
            display.starts_at, display.ends_at = starts_at, ends_at
            display.save(update_fields=["slot", "product", "starts_at", "ends_at", "note"])
            return display
    except IntegrityError:
        raise ValidationError(
            _("Slot %(slot)s is already taken at that time.") % {"slot": slot.code},
            code="overlap",
        ) from None


@transaction.atomic
def end_display(*, display: Display, at: datetime.datetime | None = None) -> Display:
    """Take the product out of its slot now (or at `at`)."""
    at = at or timezone.now()
    at = max(at, display.starts_at + datetime.timedelta(seconds=1))
    Display.objects.filter(pk=display.pk).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=at)
    ).update(ends_at=at)
    display.refresh_from_db()
    return display


# --- Showroom layout ---------------------------------------------------------------------------


@transaction.atomic
def save_zone(*, zone: Zone, data: Mapping[str, Any], user: AnyUser | None = None) -> Zone:
    """Create or change a zone of the showroom's floors (``zone`` new or stored). A new zone
    named no base goes to ``user``'s base, else to the only base there is."""
    for name, value in data.items():
        setattr(zone, name, value)
    if zone.base_id is None:
        zone.base = default_base(user)
    zone.full_clean()
    zone.save()
    return zone


@transaction.atomic
def delete_zone(*, zone: Zone) -> None:
    """Delete a zone; ProtectedError while rooms or display slots are in it (the API answers
    409 with the reason)."""
    zone.delete()


@transaction.atomic
def save_display_slot(*, slot: DisplaySlot, data: Mapping[str, Any]) -> DisplaySlot:
    """Create or change a display slot (a shelf or stand in a zone)."""
    for name, value in data.items():
        setattr(slot, name, value)
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def delete_display_slot(*, slot: DisplaySlot) -> None:
    """Delete a slot; ProtectedError while displays use it."""
    slot.delete()


@transaction.atomic
def remove_display(*, display: Display) -> None:
    """Take a product's display out of the showroom's history."""
    display.delete()
