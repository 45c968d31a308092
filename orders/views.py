from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from catalog import selectors as catalog_selectors
from core import exports
from core.roles import is_bureau_staff

from . import selectors, services
from .forms import (
    AmbiguousDecisionForm,
    AmbiguousRangeForm,
    ImportUploadForm,
    MapSkuForm,
    MapSkusForm,
    MapStatusForm,
)
from .models import ImportBatch

# Rows per page of the staff queues; every page says how many rows there are in all.
QUEUE_PAGE_SIZE = 50
FAILED_STATUSES = (ImportBatch.Status.FAILED, ImportBatch.Status.REFUSED)


def _staff_only(request) -> None:
    if not is_bureau_staff(request.user):
        raise Http404


@login_required
def import_list(request):
    _staff_only(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.create_import_batch(
                channel=form.cleaned_data["channel"],
                upload=form.cleaned_data["file"],
                uploaded_by=request.user,
                force=form.cleaned_data["force"],
                replace_newer=form.cleaned_data["replace_newer"],
            )
        except services.ImportUploadRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            messages.success(request, _("The file was received and queued for import."))
            return redirect("orders:import-detail", batch_id=batch.pk)
    # Queries: session user, groups, channels for the form, the 50 latest batches with their
    # channel and uploader (one query through select_related).
    # ... and the count of orders whose status waits for staff (one aggregate); the bases
    # (1): 7. The batches are the chosen base's channels' (every base's by default or `all`).
    bases, base = catalog_selectors.base_choice(request.user, request.GET.get("base"))
    batches = selectors.batches_visible_to(request.user)
    if base is not None:
        batches = batches.filter(channel__base_id=base.pk)
    batches = list(batches[:50])
    return render(
        request,
        "orders/import_list.html",
        {
            "form": form,
            "bases": bases,
            "base": base,
            "batches": batches,
            # Read from the batches above: what went wrong is shown first.
            "failed": [batch for batch in batches if batch.status in FAILED_STATUSES],
            "with_errors": [
                batch
                for batch in batches
                if batch.status == ImportBatch.Status.SUCCEEDED and batch.error_count
            ],
            "unknown_status_orders": selectors.unknown_status_orders_count(),
        },
    )


@login_required
def import_detail(request, batch_id: int):
    _staff_only(request)
    batch = get_object_or_404(selectors.batches_visible_to(request.user), pk=batch_id)
    return render(
        request,
        "orders/import_detail.html",
        {
            "batch": batch,
            "summary_text": "\n".join(selectors.batch_summary_lines(batch)),
            "errors": batch.row_errors.all()[:20],
        },
    )


@login_required
def import_status(request, batch_id: int):
    _staff_only(request)
    batch = get_object_or_404(selectors.batches_visible_to(request.user), pk=batch_id)
    return JsonResponse(
        {
            "status": batch.status,
            "status_label": batch.get_status_display(),
            "done": batch.rows_done,
            "total": batch.rows_total or 0,
            "percent": batch.percent,
            "message": batch.message,
            "finished": batch.is_finished,
            "result": {"summary": selectors.batch_summary_lines(batch)}
            if batch.is_finished
            else None,
            # What the page shows once finished, the same text as the server renders.
            "result_text": "\n".join(selectors.batch_summary_lines(batch))
            if batch.is_finished
            else None,
        }
    )


@login_required
@require_safe
def import_file(request, batch_id: int):
    """The uploaded export itself, for bureau staff only: it holds buyers' personal data, so
    it lives outside the media folder and nothing else serves it. Gone once purged."""
    _staff_only(request)
    batch = get_object_or_404(selectors.batches_visible_to(request.user), pk=batch_id)
    if not batch.file:
        raise Http404(_("This file was deleted after its retention period."))
    try:
        handle = batch.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("This file was deleted after its retention period.")) from missing
    response = FileResponse(handle, as_attachment=True, filename=batch.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def import_errors_csv(request, batch_id: int):
    _staff_only(request)
    batch = get_object_or_404(selectors.batches_visible_to(request.user), pk=batch_id)
    return exports.table_response(
        name=f"import-{batch.pk}-errors",
        header=[_("row"), _("column"), _("value"), _("reason")],
        rows=(
            (error.row_number, error.column, error.value, error.reason)
            for error in batch.row_errors.order_by("row_number").iterator()
        ),
        file_format="csv",
    )


@login_required
def unmatched_queue(request):
    """SKUs seen in exports that match no product, most lines first; mapping one (or several
    at once) applies to every past line and to later imports."""
    _staff_only(request)
    # The bases (1 query): the SKUs seen on one base's channels, or on every base's.
    bases, base = catalog_selectors.base_choice(request.user, request.GET.get("base"))
    skus = selectors.unmatched_skus(base_id=base.pk if base else None)
    if request.method == "POST":
        if request.POST.getlist("skus"):
            # A mapping holds on every base: any unmatched SKU may be chosen.
            every = skus if base is None else selectors.unmatched_skus()
            form = MapSkusForm(
                request.POST,
                sku_choices=[f"{sku['sku_id']}|{sku['seller_sku']}" for sku in every],
            )
            mapped = form.is_valid() and services.map_skus_to_product(
                platform=form.cleaned_data["platform"],
                product=form.cleaned_data["product"],
                skus=form.cleaned_pairs(),
                actor=request.user,
            )
        else:
            form = MapSkuForm(request.POST)
            mapped = form.is_valid() and services.map_sku_to_product(
                platform=form.cleaned_data["platform"],
                product=form.cleaned_data["product"],
                sku_id=form.cleaned_data["sku_id"],
                seller_sku=form.cleaned_data["seller_sku"],
                actor=request.user,
            )
        if form.is_valid():
            messages.success(
                request,
                _("%(count)d lines now count for %(product)s.")
                % {"count": mapped, "product": form.cleaned_data["product"]},
            )
            return redirect("orders:unmatched")
        messages.error(request, _("Choose a product to map the SKU to."))
    # Queries: session, user, groups, the bases, the unmatched SKUs (two GROUP BYs), the
    # products for the select: 7, whatever the number of lines.
    page = Paginator(skus, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/unmatched.html",
        {
            "skus": page.object_list,
            "bases": bases,
            "base": base,
            "page": page,
            "product_choices": MapSkuForm().fields["product"].queryset,
        },
    )


@login_required
def ambiguous_queue(request):
    """Orders inside two or more session windows, waiting for staff to choose: one at a time,
    the selected ones at once, or every one of a channel in a time range."""
    _staff_only(request)
    range_form = AmbiguousRangeForm(request.POST if "placed_from" in request.POST else None)
    if request.method == "POST":
        single = request.POST.get("order")
        form = range_form if range_form.is_bound else None
        if form is None:
            data = request.POST.copy()
            if single:
                data.setlist("orders", [single])
            form = AmbiguousDecisionForm(data)
        if form.is_valid():
            session = _chosen_session(form.cleaned_data["session"])
            try:
                decided = services.choose_session_for_ambiguous_orders(
                    session=session,
                    chosen_by=request.user,
                    **(
                        {
                            "channel": form.cleaned_data["channel"],
                            "placed_from": form.cleaned_data["placed_from"],
                            "placed_until": form.cleaned_data["placed_until"],
                        }
                        if form is range_form
                        else {"order_ids": form.cleaned_data["orders"]}
                    ),
                )
            except services.QueueDecisionRefused as refusal:
                if single:
                    # One order and a session that is not among its candidates: no such choice.
                    raise Http404 from refusal
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request,
                    ngettext("%(count)d order attributed.", "%(count)d orders attributed.", decided)
                    % {"count": decided},
                )
                return redirect("orders:ambiguous")
        elif form is not range_form:
            messages.error(request, _("Select at least one order."))
    # Queries: session, user, groups, the count of ambiguous orders, one page of them with
    # their channel, the candidate sessions of the page, the channels of the range form, the
    # bases: 8, whatever the number of orders.
    bases, base = catalog_selectors.base_choice(request.user, request.GET.get("base"))
    page = Paginator(
        selectors.ambiguous_orders(base_id=base.pk if base else None), QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    orders = list(page.object_list)
    sessions = selectors.sessions_by_id(
        {pk for order in orders for pk in order.candidate_session_ids}
    )
    rows = [
        {
            "order": order,
            "candidates": [sessions[pk] for pk in order.candidate_session_ids if pk in sessions],
        }
        for order in orders
    ]
    page_sessions = sorted(sessions.values(), key=lambda session: session.starts_at)
    return render(
        request,
        "orders/ambiguous.html",
        {
            "rows": rows,
            "page": page,
            "page_sessions": page_sessions,
            "range_form": range_form,
            "bases": bases,
            "base": base,
        },
    )


def _chosen_session(session_id: int | None):
    if not session_id:
        return None
    session = selectors.sessions_by_id({session_id}).get(session_id)
    if session is None:
        raise Http404
    return session


@login_required
def unknown_statuses(request):
    """Raw statuses no table knows, per platform: staff say once what each one means."""
    _staff_only(request)
    if request.method == "POST":
        form = MapStatusForm(request.POST)
        if form.is_valid():
            changed = services.map_raw_status(
                platform=form.cleaned_data["platform"],
                raw_status=form.cleaned_data["raw_status"],
                status=form.cleaned_data["status"],
                mapped_by=request.user,
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d order now has a known status.",
                    "%(count)d orders now have a known status.",
                    changed,
                )
                % {"count": changed},
            )
            return redirect("orders:statuses")
        messages.error(request, _("Choose what the status means."))
    # Queries: session, user, groups, the unknown statuses (one GROUP BY), the saved mappings
    # with who made them: 5.
    return render(
        request,
        "orders/statuses.html",
        {
            "waiting": services.unknown_statuses(),
            "mappings": selectors.status_mappings(),
            "status_choices": MapStatusForm().fields["status"].choices,
        },
    )
