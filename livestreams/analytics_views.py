"""The live analytics import page (#13): bureau staff upload a platform's live analytics
export and see what became of every row."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.roles import is_bureau_staff

from .analytics_forms import (
    ANALYTICS_COLUMN_LABELS,
    LAYOUT_LABELS,
    AnalyticsColumnsForm,
    AnalyticsUploadForm,
    sign_analytics_upload,
)
from .services import analytics


def _analytics_columns_key(channel) -> str:
    return f"livestreams.analytics-columns.{channel.pk}"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def analytics_import(request):
    """Bureau staff upload a live analytics export (#13); its figures go into the metrics of
    the sessions the rows match, and the page lists every row with what became of it.

    Run in the request: a file has one row per live (a few KB), so the result is there at
    once, without a batch to watch. A layout we do not know is read with the columns staff
    name, remembered for the channel while they are signed in."""
    if not is_bureau_staff(request.user):
        raise Http404
    if request.method == "POST" and "upload" in request.POST:
        return _analytics_columns(request)
    form = AnalyticsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        upload = form.cleaned_data["file"]
        content = upload.read()
        remembered = request.session.get(_analytics_columns_key(channel))
        try:
            try:
                result = analytics.import_live_analytics(
                    channel=channel, content=content, entered_by=request.user
                )
            except analytics.ColumnsNeeded:
                if not remembered:
                    raise
                result = analytics.import_live_analytics(
                    channel=channel, content=content, entered_by=request.user, columns=remembered
                )
        except analytics.AnalyticsFileRefused as refused:
            form.add_error("file", refused.message)
        except analytics.ColumnsNeeded as needed:
            initial = {**(remembered or {}), **needed.guess}
            columns_form = AnalyticsColumnsForm(
                headers=needed.headers,
                initial={
                    "channel": channel.pk,
                    "upload": sign_analytics_upload(
                        content=content, name=upload.name or "", headers=needed.headers
                    ),
                    **{
                        name: header for name, header in initial.items() if header in needed.headers
                    },
                },
            )
            return _render_columns(request, columns_form, channel, upload.name, needed.message)
        else:
            return _render_analytics_result(request, channel, upload.name, result)
    return render(request, "livestreams/analytics_import.html", {"form": form})


def _analytics_columns(request):
    signed = AnalyticsColumnsForm.read_upload(request.POST.get("upload", ""))
    if signed is None:
        messages.error(request, _("The upload is too old or was changed: upload the file again."))
        return redirect("livestreams:analytics-import")
    form = AnalyticsColumnsForm(request.POST, headers=signed["headers"])
    if not form.is_valid():
        return _render_columns(request, form, None, signed["name"], "")
    channel = form.cleaned_data["channel"]
    columns = form.columns()
    try:
        result = analytics.import_live_analytics(
            channel=channel, content=signed["content"], entered_by=request.user, columns=columns
        )
    except analytics.AnalyticsFileRefused as refused:
        messages.error(request, refused.message)
        return redirect("livestreams:analytics-import")
    except analytics.ColumnsNeeded as needed:
        return _render_columns(request, form, channel, signed["name"], needed.message)
    request.session[_analytics_columns_key(channel)] = columns
    return _render_analytics_result(request, channel, signed["name"], result)


def _render_columns(request, form, channel, file_name: str, message: str):
    return render(
        request,
        "livestreams/analytics_columns.html",
        {"form": form, "channel": channel, "file_name": file_name, "message": message},
    )


def _render_analytics_result(request, channel, file_name: str, result):
    return render(
        request,
        "livestreams/analytics_result.html",
        {
            "channel": channel,
            "file_name": file_name,
            "result": result,
            "display_zone": channel.time_zone,
            "column_labels": ANALYTICS_COLUMN_LABELS,
            "layout_label": LAYOUT_LABELS[result.layout],
        },
    )
