"""Reads of the catalogue, scoped to what the user's role may see, with their relations loaded."""

import datetime
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, Model, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.selectors import member_cooperative_ids
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, OFFICIAL, role_names
from core.types import AnyUser

from .models import (
    Base,
    Category,
    Certification,
    Display,
    DisplaySlot,
    Platform,
    PlatformListing,
    Product,
    ProductImage,
    ProductReview,
    StaffBase,
    Zone,
)
from .search import search_products

_M = TypeVar("_M", bound=Model)


def _scope(
    queryset: QuerySet[_M], user: AnyUser, *, cooperative_path: str, approved_path: str = ""
) -> QuerySet[_M]:
    """Staff and officials: all; members: their cooperatives'; hosts: approved; others: none."""
    roles = role_names(user)
    if roles & {BUREAU_STAFF, OFFICIAL}:
        return queryset
    if COOPERATIVE_MEMBER in roles:
        return queryset.filter(**{f"{cooperative_path}__in": member_cooperative_ids(user)})
    if HOST in roles and approved_path:
        return queryset.filter(**{approved_path: Product.Status.APPROVED})
    return queryset.none()


def _editable(queryset: QuerySet[_M], user: AnyUser, *, cooperative_path: str) -> QuerySet[_M]:
    """Staff: all; members: their cooperatives'; everyone else (officials too): none."""
    roles = role_names(user)
    if BUREAU_STAFF in roles:
        return queryset
    if COOPERATIVE_MEMBER in roles:
        return queryset.filter(**{f"{cooperative_path}__in": member_cooperative_ids(user)})
    return queryset.none()


def current_certification_q(prefix: str = "", day: datetime.date | None = None) -> Q:
    """Certifications valid on `day` (today): started, and not yet expired."""
    day = day or timezone.localdate()
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


# Quoted: Prefetch, unlike QuerySet, cannot be subscripted at run time.
def primary_image_prefetch() -> "Prefetch[str, QuerySet[ProductImage], str]":
    return Prefetch(
        "images",
        queryset=ProductImage.objects.filter(is_primary=True).order_by("pk"),
        to_attr="primary_images",
    )


# --- Products ------------------------------------------------------------------------------


def products_visible_to(user: AnyUser) -> QuerySet[Product]:
    return _scope(
        Product.objects.all(), user, cooperative_path="cooperative_id", approved_path="status"
    )


def products_editable_by(user: AnyUser) -> QuerySet[Product]:
    return _editable(Product.objects.all(), user, cooperative_path="cooperative_id")


def product_list(user: AnyUser, *, status: str = "", search: str = "") -> QuerySet[Product]:
    products = (
        products_visible_to(user)
        .select_related("cooperative", "category")
        .prefetch_related(primary_image_prefetch())
    )
    if status:
        products = products.filter(status=status)
    if search:
        products = products.filter(
            Q(name__icontains=search) | Q(cooperative__name__icontains=search)
        )
    return products.order_by("cooperative__name", "name", "pk")


def product_detail(user: AnyUser) -> QuerySet[Product]:
    return (
        products_visible_to(user)
        .select_related("cooperative", "category")
        .prefetch_related(
            # In the cooperative area photos show in their order; the primary one is marked.
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk")),
            Prefetch("listings", queryset=PlatformListing.objects.select_related("channel")),
            Prefetch(
                "reviews",
                queryset=ProductReview.objects.select_related("actor").order_by(
                    "-created_at", "-pk"
                ),
            ),
            "certifications",
        )
    )


# --- Public showcase -----------------------------------------------------------------------


def showcase_products(
    *,
    category: str = "",
    origin: str = "",
    certification: str = "",
    stars: int | None = None,
    search: str = "",
) -> QuerySet[Product]:
    """Approved products of approved cooperatives, with their primary photo and current
    certifications (their own and their cooperative's); expired ones never show. With
    `search`, only those matching it, best match first (catalog.search)."""
    today = timezone.localdate()
    products = Product.objects.filter(
        status=Product.Status.APPROVED, cooperative__status=Cooperative.Status.APPROVED
    )
    if category:
        products = products.filter(category__slug=category)
    if origin:
        products = products.filter(origin_province=origin)
    if certification or stars:
        certified = Certification.objects.filter(current_certification_q(day=today)).filter(
            Q(product_id=None) | Q(product_id=OuterRef("pk"))
        )
        certified = certified.filter(cooperative_id=OuterRef("cooperative_id"))
        if certification:
            certified = certified.filter(kind=certification)
        if stars:
            certified = certified.filter(kind=Certification.Kind.OCOP, stars=stars)
        products = products.filter(Exists(certified))
    ordering = ["category__position", "name", "pk"]
    if search:
        products = search_products(products, search)
        ordering.insert(0, "-search_rank")
    return (
        products.select_related("cooperative", "category")
        .prefetch_related(
            primary_image_prefetch(),
            Prefetch(
                "certifications",
                queryset=Certification.objects.filter(current_certification_q(day=today)).order_by(
                    "kind", "-valid_from", "pk"
                ),
                to_attr="current_certifications",
            ),
        )
        .order_by(*ordering)
    )


def showcase_origins() -> list[str]:
    return list(
        Product.objects.filter(
            status=Product.Status.APPROVED, cooperative__status=Cooperative.Status.APPROVED
        )
        .exclude(origin_province="")
        .order_by("origin_province")
        .values_list("origin_province", flat=True)
        .distinct()
    )


def showcase_categories() -> QuerySet[Category]:
    return Category.objects.order_by("position", "name")


def showcase_product(slug: str) -> QuerySet[Product]:
    """One public product with its photos, current certifications and the listings a visitor
    can buy it from (those with an address, as `buy_listings`)."""
    today = timezone.localdate()
    return (
        Product.objects.filter(
            slug=slug,
            status=Product.Status.APPROVED,
            cooperative__status=Cooperative.Status.APPROVED,
        )
        .select_related("cooperative", "category")
        .prefetch_related(
            Prefetch(
                "images", queryset=ProductImage.objects.order_by("-is_primary", "position", "pk")
            ),
            Prefetch(
                "listings",
                # In the platforms' usual order (TikTok Shop, Douyin, Shopee...), not by name.
                queryset=PlatformListing.objects.exclude(url="")
                .select_related("channel")
                .order_by(
                    Case(
                        *(
                            When(platform=platform, then=Value(position))
                            for position, platform in enumerate(Platform.values)
                        ),
                        default=Value(len(Platform.values)),
                    ),
                    "pk",
                ),
                to_attr="buy_listings",
            ),
            Prefetch(
                "certifications",
                queryset=Certification.objects.filter(current_certification_q(day=today)).order_by(
                    "kind", "-valid_from", "pk"
                ),
                to_attr="current_certifications",
            ),
        )
    )


def current_cooperative_certifications(cooperative: Cooperative) -> QuerySet[Certification]:
    return Certification.objects.filter(
        current_certification_q(), cooperative=cooperative, product__isnull=True
    )


def showcase_cooperative(slug: str) -> QuerySet[Cooperative]:
    return Cooperative.objects.filter(slug=slug, status=Cooperative.Status.APPROVED)


# --- Listings and certifications -----------------------------------------------------------


def listings_visible_to(user: AnyUser) -> QuerySet[PlatformListing]:
    return _scope(
        PlatformListing.objects.all(),
        user,
        cooperative_path="product__cooperative_id",
        approved_path="product__status",
    )


def listings_editable_by(user: AnyUser) -> QuerySet[PlatformListing]:
    return _editable(
        PlatformListing.objects.all(), user, cooperative_path="product__cooperative_id"
    )


def certifications_visible_to(user: AnyUser) -> QuerySet[Certification]:
    roles = role_names(user)
    if HOST in roles and not roles & {BUREAU_STAFF, OFFICIAL, COOPERATIVE_MEMBER}:
        return Certification.objects.filter(
            current_certification_q(), cooperative__status=Cooperative.Status.APPROVED
        )
    return _scope(Certification.objects.all(), user, cooperative_path="cooperative_id")


def certification_documents_visible_to(user: AnyUser) -> QuerySet[Certification]:
    """Whose evidence documents the user may read: staff and officials all, a member those of
    the cooperative; hosts and the public none (they see the certification, not the paper)."""
    roles = role_names(user)
    if not roles & {BUREAU_STAFF, OFFICIAL, COOPERATIVE_MEMBER}:
        return Certification.objects.none()
    return _scope(
        Certification.objects.exclude(document=""), user, cooperative_path="cooperative_id"
    )


def certifications_editable_by(user: AnyUser) -> QuerySet[Certification]:
    return _editable(Certification.objects.all(), user, cooperative_path="cooperative_id")


def certification_list(user: AnyUser) -> QuerySet[Certification]:
    return certifications_visible_to(user).select_related("cooperative", "product")


# --- Showroom ------------------------------------------------------------------------------


def displays_now_q(now: datetime.datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_at__lte": now}) & (
        Q(**{f"{prefix}ends_at__isnull": True}) | Q(**{f"{prefix}ends_at__gt": now})
    )


def floor_plan(
    now: datetime.datetime | None = None, *, base_id: int | None = None
) -> QuerySet[Zone]:
    """Zones by base and floor (one base's with ``base_id``), each with its base, its slots
    and what stands in each slot now."""
    now = now or timezone.now()
    zones = Zone.objects.filter(base_id=base_id) if base_id is not None else Zone.objects.all()
    return (
        zones.select_related("base")
        .order_by("base__name", "floor", "code")
        .prefetch_related(
            Prefetch(
                "slots",
                queryset=DisplaySlot.objects.order_by("position", "code").prefetch_related(
                    Prefetch(
                        "displays",
                        queryset=Display.objects.filter(displays_now_q(now))
                        .select_related("product", "product__cooperative")
                        .prefetch_related(primary_image_prefetch_for_display()),
                        to_attr="current_displays",
                    )
                ),
            )
        )
    )


def primary_image_prefetch_for_display() -> "Prefetch[str, QuerySet[ProductImage], str]":
    return Prefetch(
        "product__images",
        queryset=ProductImage.objects.filter(is_primary=True).order_by("pk"),
        to_attr="primary_images",
    )


def displays() -> QuerySet[Display]:
    return Display.objects.select_related("slot", "slot__zone", "product")


def slots() -> QuerySet[DisplaySlot]:
    return DisplaySlot.objects.select_related("zone")


def review_queue() -> QuerySet[Product]:
    return (
        Product.objects.filter(status=Product.Status.SUBMITTED)
        .select_related("cooperative", "category")
        .prefetch_related(primary_image_prefetch())
        .order_by("updated_at", "pk")
    )


def staff_base(user: AnyUser) -> Base | None:
    """The one base ``user`` works for, or None when they work for all (or are not staff)."""
    if not user.is_authenticated:
        return None
    assignment = StaffBase.objects.filter(user_id=user.pk).select_related("base").first()
    return assignment.base if assignment else None


def default_base(user: AnyUser | None = None) -> Base:
    """The base a new zone or channel goes to when none is named: ``user``'s own, else the
    only base there is; else a ValidationError asking for one."""
    if user is not None:
        own = staff_base(user)
        if own is not None:
            return own
    bases = list(Base.objects.all()[:2])
    if len(bases) == 1:
        return bases[0]
    raise ValidationError(
        {"base": _("Name the base.") if bases else _("Create a base first (admin: Bases).")}
    )


def bases_for(user: AnyUser) -> list[Base]:
    """Every base by name, each marked ``is_mine`` when it is ``user``'s own. One query."""
    mine = (
        Exists(StaffBase.objects.filter(user_id=user.pk, base=OuterRef("pk")))
        if user.pk is not None
        else Value(False)
    )
    return list(Base.objects.annotate(is_mine=mine).order_by("name"))


def base_choice(user: AnyUser, wanted: str | None) -> tuple[list[Base], Base | None]:
    """The bases to choose from, and the one a page is asked for by its slug (``all`` or an
    unknown slug: every base, None); asked for none, ``user``'s own, else every base. Every
    page that filters by base reads it here. Queries: 1."""
    bases = bases_for(user)
    if wanted is None:
        return bases, next((base for base in bases if getattr(base, "is_mine", False)), None)
    return bases, next((base for base in bases if base.slug == wanted), None)
