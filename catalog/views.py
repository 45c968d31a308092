"""Pages of the catalogue: the cooperative area, reviews, the public showcase and the showroom.

Objects are always fetched through the selectors of the user's role, so another cooperative's
product, listing or certification is simply not found (404), never forbidden (403).
"""

import io
from pathlib import Path

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cooperatives.selectors import cooperatives_editable_by
from core.roles import is_bureau_staff

from . import selectors, services
from .forms import (
    CertificationForm,
    DisplayForm,
    ListingForm,
    PhotoForm,
    ProductForm,
    ProductReviewForm,
)
from .models import Certification, Display, Product, ProductImage
from .signals import next_upcoming_session

PAGE_SIZE = 24
SEARCH_MAX_LENGTH = 100


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Cooperative area: products ------------------------------------------------------------


@login_required
def product_list(request):
    status = request.GET.get("status", "")
    if status not in Product.Status.values:
        status = ""
    search = request.GET.get("q", "").strip()
    products = selectors.product_list(request.user, status=status, search=search)
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/product_list.html",
        {
            "page": page,
            "status": status,
            "search": search,
            "statuses": Product.Status.choices,
            "can_create": cooperatives_editable_by(request.user).exists(),
        },
    )


@login_required
def product_create(request):
    cooperatives = list(cooperatives_editable_by(request.user).order_by("name"))
    if not cooperatives:
        raise Http404
    form = ProductForm(request.POST or None, cooperatives=cooperatives)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(
                cooperative=form.cleaned_data.get("cooperative") or cooperatives[0],
                actor=request.user,
                data=form.product_data(),
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Draft saved. Add photos, then submit it for review."))
            return redirect("catalog:product-detail", pk=product.pk)
    return render(request, "catalog/product_form.html", {"form": form})


@login_required
def product_detail(request, pk: int):
    product = get_object_or_404(selectors.product_detail(request.user), pk=pk)
    can_edit = selectors.products_editable_by(request.user).filter(pk=pk).exists()
    staff = is_bureau_staff(request.user)
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "can_edit": can_edit,
            "can_change_details": can_edit and (staff or product.is_editable_by_cooperative),
            "photo_form": PhotoForm() if can_edit else None,
            "review_form": ProductReviewForm()
            if staff and product.status == Product.Status.SUBMITTED
            else None,
        },
    )


@login_required
def product_edit(request, pk: int):
    product = get_object_or_404(selectors.products_editable_by(request.user), pk=pk)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(
                product=Product.objects.get(pk=pk), actor=request.user, data=form.product_data()
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalog:product-detail", pk=pk)
    return render(request, "catalog/product_form.html", {"form": form, "product": product})


def _product_action(request, pk: int, action, success: str):
    product = get_object_or_404(selectors.products_editable_by(request.user), pk=pk)
    try:
        action(product)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success)
    return redirect("catalog:product-detail", pk=pk)


@require_POST
@login_required
def product_submit(request, pk: int):
    return _product_action(
        request,
        pk,
        lambda product: services.submit_product(product=product, actor=request.user),
        _("Submitted; the bureau will review it."),
    )


@require_POST
@login_required
def product_archive(request, pk: int):
    return _product_action(
        request,
        pk,
        lambda product: services.archive_product(product=product, actor=request.user),
        _("Archived."),
    )


@require_POST
@login_required
def product_reopen(request, pk: int):
    return _product_action(
        request,
        pk,
        lambda product: services.reopen_product(product=product, actor=request.user),
        _("Back to draft: change it and submit it again."),
    )


@require_POST
@login_required
def product_review(request, pk: int):
    if not is_bureau_staff(request.user):
        raise Http404
    product = get_object_or_404(Product.objects.select_related("cooperative"), pk=pk)
    form = ProductReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a decision."))
        return redirect("catalog:product-detail", pk=pk)
    try:
        services.review_product(
            product=product,
            reviewer=request.user,
            decision=form.cleaned_data["decision"],
            notes=form.cleaned_data["notes"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Decision recorded; the cooperative was told by email."))
    return redirect("catalog:product-detail", pk=pk)


@login_required
def review_queue(request):
    if not is_bureau_staff(request.user):
        raise Http404
    return render(request, "catalog/review_queue.html", {"products": selectors.review_queue()})


# --- Photos --------------------------------------------------------------------------------


@require_POST
@login_required
def photo_add(request, pk: int):
    product = get_object_or_404(selectors.products_editable_by(request.user), pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if not (is_bureau_staff(request.user) or product.is_editable_by_cooperative):
        messages.error(request, _("Reopen the product as a draft to change its photos."))
    elif form.is_valid():
        services.add_product_image(
            product=product,
            image=form.cleaned_data["image"],
            alt_text=form.cleaned_data["alt_text"],
            make_primary=form.cleaned_data["make_primary"],
        )
        messages.success(request, _("Photo added."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("catalog:product-detail", pk=pk)


def _editable_photo(request, pk: int):
    return get_object_or_404(
        ProductImage.objects.filter(
            product__in=selectors.products_editable_by(request.user)
        ).select_related("product"),
        pk=pk,
    )


@require_POST
@login_required
def photo_primary(request, pk: int):
    photo = _editable_photo(request, pk)
    services.set_primary_image(photo=photo)
    return redirect("catalog:product-detail", pk=photo.product_id)


@require_POST
@login_required
def photo_move(request, pk: int):
    photo = _editable_photo(request, pk)
    services.move_product_image(photo=photo, earlier=request.POST.get("direction") == "earlier")
    return redirect("catalog:product-detail", pk=photo.product_id)


@require_POST
@login_required
def photo_delete(request, pk: int):
    photo = _editable_photo(request, pk)
    services.delete_product_image(photo=photo)
    messages.success(request, _("Photo deleted."))
    return redirect("catalog:product-detail", pk=photo.product_id)


# --- Listings ------------------------------------------------------------------------------


@login_required
def listing_create(request, pk: int):
    product = get_object_or_404(selectors.products_editable_by(request.user), pk=pk)
    form = ListingForm(request.POST or None, instance=None)
    form.instance.product = product
    if request.method == "POST" and form.is_valid():
        try:
            services.save_listing(product=product, data=form.listing_data())
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Listing saved."))
            return redirect("catalog:product-detail", pk=pk)
    return render(request, "catalog/listing_form.html", {"form": form, "product": product})


@login_required
def listing_edit(request, pk: int):
    listing = get_object_or_404(
        selectors.listings_editable_by(request.user).select_related("product"), pk=pk
    )
    form = ListingForm(request.POST or None, instance=listing)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_listing(
                product=listing.product, data=form.listing_data(), listing=listing
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Listing saved."))
            return redirect("catalog:product-detail", pk=listing.product_id)
    return render(request, "catalog/listing_form.html", {"form": form, "product": listing.product})


@require_POST
@login_required
def listing_delete(request, pk: int):
    listing = get_object_or_404(selectors.listings_editable_by(request.user), pk=pk)
    product_id = listing.product_id
    services.delete_listing(listing=listing)
    messages.success(request, _("Listing deleted."))
    return redirect("catalog:product-detail", pk=product_id)


# --- Certifications ------------------------------------------------------------------------


@login_required
def certification_list(request):
    certifications = selectors.certification_list(request.user)
    page = Paginator(certifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/certification_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "can_create": cooperatives_editable_by(request.user).exists(),
        },
    )


@login_required
@require_safe
def certification_document(request, pk: int):
    """The evidence document, for those allowed to read it (never a public media URL)."""
    certification = get_object_or_404(
        selectors.certification_documents_visible_to(request.user), pk=pk
    )
    try:
        handle = certification.document.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, filename=Path(certification.document.name).name)
    response["Cache-Control"] = "private, no-store"
    return response


def _certification_form(request, instance=None):
    return CertificationForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        cooperatives=list(cooperatives_editable_by(request.user).order_by("name")),
        products=selectors.products_editable_by(request.user).order_by("name")
        if instance is None
        else selectors.products_editable_by(request.user).filter(
            cooperative_id=instance.cooperative_id
        ),
    )


@login_required
def certification_create(request):
    if not cooperatives_editable_by(request.user).exists():
        raise Http404
    form = _certification_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_certification(
                cooperative=form.cleaned_data.get("cooperative") or form.default_cooperative,
                data=form.certification_data(),
                document=form.cleaned_data.get("document"),
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Certification saved."))
            return redirect("catalog:certification-list")
    return render(request, "catalog/certification_form.html", {"form": form})


@login_required
def certification_edit(request, pk: int):
    certification = get_object_or_404(
        selectors.certifications_editable_by(request.user).select_related("cooperative"), pk=pk
    )
    form = _certification_form(request, instance=certification)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_certification(
                cooperative=certification.cooperative,
                data=form.certification_data(),
                document=form.cleaned_data.get("document"),
                certification=Certification.objects.get(pk=pk),
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Certification saved."))
            return redirect("catalog:certification-list")
    return render(
        request,
        "catalog/certification_form.html",
        {"form": form, "certification": certification},
    )


# --- Public showcase -----------------------------------------------------------------------


def _int_or_none(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def showcase(request):
    filters = {
        "category": request.GET.get("category", ""),
        "origin": request.GET.get("origin", ""),
        "certification": request.GET.get("certification", ""),
        "stars": _int_or_none(request.GET.get("stars")),
        # Words beyond the first hundred characters add nothing a visitor typed on purpose.
        "search": " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH],
    }
    if filters["certification"] not in Certification.Kind.values:
        filters["certification"] = ""
    if filters["stars"] not in (3, 4, 5):
        filters["stars"] = None
    products = selectors.showcase_products(**filters)
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/showcase.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "categories": selectors.showcase_categories(),
            "origins": selectors.showcase_origins(),
            "certification_kinds": Certification.Kind.choices,
            "star_choices": (3, 4, 5),
        },
    )


def showcase_product(request, slug: str):
    """The page a showroom QR card leads to: the product, where to buy it online (one button
    per platform listing with an address) and the next live sale to watch."""
    product = get_object_or_404(selectors.showcase_product(slug))
    upcoming = next_upcoming_session(product)
    # The next session may have no live-room address yet while a later one has: the visitor
    # is offered the soonest one they can watch as well. No session at all, no second ask.
    if upcoming is None or upcoming.url:
        watchable = upcoming
    else:
        watchable = next_upcoming_session(product, watchable=True)
    return render(
        request,
        "catalog/showcase_product.html",
        {
            "product": product,
            "cooperative_certifications": selectors.current_cooperative_certifications(
                product.cooperative
            ),
            "upcoming_session": upcoming,
            "watchable_session": watchable,
        },
    )


def showcase_cooperative(request, slug: str):
    cooperative = get_object_or_404(selectors.showcase_cooperative(slug))
    products = selectors.showcase_products().filter(cooperative=cooperative)
    return render(
        request,
        "catalog/showcase_cooperative.html",
        {
            "cooperative": cooperative,
            "products": products,
            "certifications": selectors.current_cooperative_certifications(cooperative),
        },
    )


# --- Showroom ------------------------------------------------------------------------------


def floor_plan(request):
    # The bases (1 query): one base's floors (`?base=<slug>`; staff open on theirs), or every
    # base's, each floor under its base's name.
    bases, base = selectors.base_choice(request.user, request.GET.get("base"))
    zones = list(selectors.floor_plan(base_id=base.pk if base else None))
    floors: dict[tuple, list] = {}
    for zone in zones:
        floors.setdefault((zone.base, zone.floor), []).append(zone)
    return render(
        request,
        "catalog/floor_plan.html",
        {
            # In the zones' order: by base name, then floor.
            "floors": [(floor, zones, zone_base) for (zone_base, floor), zones in floors.items()],
            "bases": bases,
            "base": base,
            "name_bases": base is None and len(bases) > 1,
            "can_manage": is_bureau_staff(request.user),
            "display_form": DisplayForm(
                initial={"starts_at": timezone.localtime().replace(second=0, microsecond=0)}
            )
            if is_bureau_staff(request.user)
            else None,
        },
    )


@require_POST
@login_required
def display_create(request):
    if not is_bureau_staff(request.user):
        raise Http404
    form = DisplayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.place_display(
                slot=data["slot"],
                product=data["product"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Display placed."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("catalog:floor-plan")


@require_POST
@login_required
def display_end(request, pk: int):
    if not is_bureau_staff(request.user):
        raise Http404
    display = get_object_or_404(Display, pk=pk)
    services.end_display(display=display)
    messages.success(request, _("Display ended."))
    return redirect("catalog:floor-plan")


def _product_url(request, display: Display) -> str:
    return request.build_absolute_uri(
        reverse("catalog:showcase-product", kwargs={"slug": display.product.slug})
    )


def display_qr_svg(request, pk: int):
    display = get_object_or_404(selectors.displays(), pk=pk)
    output = io.BytesIO()
    segno.make(_product_url(request, display), error="m").save(
        output, kind="svg", scale=8, border=2, title=display.product.name
    )
    return HttpResponse(output.getvalue(), content_type="image/svg+xml")


def display_qr(request, pk: int):
    """A printable card: the QR code, the product and the slot."""
    display = get_object_or_404(selectors.displays(), pk=pk)
    return render(
        request,
        "catalog/display_qr.html",
        {
            "display": display,
            "product_url": _product_url(request, display),
            "qr_svg": segno.make(_product_url(request, display), error="m").svg_inline(
                scale=8, border=2, omitsize=True
            ),
        },
    )
