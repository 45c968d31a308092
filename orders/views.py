import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.exports import safe_cell
from core.roles import is_bureau_staff

from . import selectors, services
from .forms import ChooseSessionForm, ImportUploadForm, MapSkuForm
from .models import Order


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
    batches = selectors.batches_visible_to(request.user)[:50]
    return render(request, "orders/import_list.html", {"form": form, "batches": batches})


@login_required
def import_detail(request, batch_id: int):
    _staff_only(request)
    batch = get_object_or_404(selectors.batches_visible_to(request.user), pk=batch_id)
    return render(
        request,
        "orders/import_detail.html",
        {"batch": batch, "summary_text": "\n".join(selectors.batch_summary_lines(batch)),
         "errors": batch.row_errors.all()[:20]},
    )  # fmt: skip


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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("row"), _("column"), _("value"), _("reason")])
    for error in batch.row_errors.order_by("row_number").iterator():
        writer.writerow(
            [
                error.row_number,
                safe_cell(error.column),
                safe_cell(error.value),
                safe_cell(error.reason),
            ]
        )
    return response


@login_required
def unmatched_queue(request):
    """SKUs seen in exports that match no product; mapping one applies to every line."""
    _staff_only(request)
    if request.method == "POST":
        form = MapSkuForm(request.POST)
        if form.is_valid():
            matched = services.map_sku_to_product(
                platform=form.cleaned_data["platform"],
                product=form.cleaned_data["product"],
                sku_id=form.cleaned_data["sku_id"],
                seller_sku=form.cleaned_data["seller_sku"],
            )
            messages.success(
                request,
                _("%(count)d lines now count for %(product)s.")
                % {"count": matched, "product": form.cleaned_data["product"]},
            )
            return redirect("orders:unmatched")
        messages.error(request, _("Choose a product to map the SKU to."))
    # Queries: session, user, groups, the unmatched SKUs (two GROUP BYs), the products for
    # the select: 6, whatever the number of lines.
    skus = selectors.unmatched_skus()
    return render(
        request,
        "orders/unmatched.html",
        {"skus": skus, "product_choices": MapSkuForm().fields["product"].queryset},
    )


@login_required
def ambiguous_queue(request):
    """Orders inside two or more session windows, waiting for staff to choose."""
    _staff_only(request)
    if request.method == "POST":
        order = get_object_or_404(Order, pk=request.POST.get("order"))
        form = ChooseSessionForm(request.POST)
        if form.is_valid():
            session_id = form.cleaned_data["session"]
            if session_id and session_id not in order.candidate_session_ids:
                raise Http404
            from livestreams.models import Session

            session = Session.objects.get(pk=session_id) if session_id else None
            services.choose_session_for_order(order=order, session=session, chosen_by=request.user)
            messages.success(
                request, _("Order %(order)s attributed.") % {"order": order.external_id}
            )
        return redirect("orders:ambiguous")
    orders = list(selectors.ambiguous_orders()[:200])
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
    return render(request, "orders/ambiguous.html", {"rows": rows})
