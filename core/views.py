from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_GET, require_POST

from . import audit, selectors, services
from .mail import remember_language
from .roles import is_bureau_staff


def health(request):
    """For load balancers and compose: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    return render(request, "core/home.html")


@require_POST
@login_required
def start_system_check(request):
    if not is_bureau_staff(request.user):
        raise Http404
    job = services.start_system_check(requested_by=request.user)
    messages.info(request, _("The system check was queued for a background worker."))
    return redirect("job-detail", job_id=job.pk)


@login_required
def job_detail(request, job_id):
    job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=job_id)
    return render(request, "core/job_detail.html", {"job": job})


@require_GET
@login_required
def job_status(request, job_id):
    job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=job_id)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "message": job.message,
            "finished": job.is_finished,
            "result": job.result if job.is_finished else None,
        }
    )


HISTORY_PAGE_SIZE = 25


@require_GET
@login_required
def history(request, app_label: str, model_name: str, pk: int):
    """Staff read who changed what on one audited object, newest first, even once deleted.
    Queries: session, user, groups, the object, the count, the page of entries with their
    actors, and one per related model named in the page's changes: never one per entry."""
    if not is_bureau_staff(request.user):
        raise Http404
    model = audit.audited_model(app_label, model_name)
    obj = model._base_manager.filter(pk=pk).first()
    page = Paginator(audit.entries_for(model, pk), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "core/history.html",
        {
            "object": obj,
            "object_repr": str(obj) if obj is not None else f"#{pk}",
            "verbose_name": model._meta.verbose_name,
            "back_url": getattr(obj, "get_absolute_url", lambda: "")(),
            "page": page,
            "rows": audit.history_rows(page.object_list, model),
        },
    )


def set_language(request):
    """Django's language switch, which also remembers the choice of a signed-in person for
    the e-mails written to them."""
    response = i18n_views.set_language(request)
    if request.method == "POST":
        remember_language(request.user, request.POST.get("language", ""))
    return response
