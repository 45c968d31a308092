"""Forms of the live analytics import (#13): the upload, and the columns staff name when the
file's layout is not one we know."""

import base64

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel

from .services import analytics_files

# What each column of a live analytics export means, in the order the columns form asks.
ANALYTICS_COLUMN_LABELS = {
    "launched_at": _("Launch time of the live"),
    "views": _("Views"),
    "unique_viewers": _("Unique viewers"),
    "peak_concurrent_viewers": _("Peak concurrent viewers"),
    "average_concurrent_viewers": _("Average concurrent viewers"),
    "likes": _("Likes"),
    "comments": _("Comments"),
    "shares": _("Shares"),
    "new_followers": _("New followers"),
    "product_clicks": _("Product clicks"),
    "average_watch_seconds": _("Average watch time"),
}
LAYOUT_LABELS = {
    analytics_files.Layout.TIKTOK_LIVE: _("TikTok LIVE analytics"),
    analytics_files.Layout.DOUYIN_REVIEW: _("Douyin live review"),
    analytics_files.Layout.MAPPED: _("columns named by staff"),
}
# How long a file waits, signed in the columns form, for staff to name its columns.
ANALYTICS_UPLOAD_MAX_AGE = 60 * 60


class AnalyticsUploadForm(forms.Form):
    """A live analytics export of one channel (TikTok LIVE analytics, Douyin live review, or
    any CSV/XLSX whose columns staff then name)."""

    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.filter(is_active=True).order_by("name")
    )
    file = forms.FileField(
        label=_("Live analytics export"),
        help_text=_("As the platform produced it (XLSX or CSV), one row per live."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > analytics_files.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB: a live analytics export is far smaller.")
                % {"size": analytics_files.MAX_BYTES // (1024 * 1024)}
            )
        return upload


def sign_analytics_upload(*, content: bytes, name: str, headers: list[str]) -> str:
    """The uploaded file carried in the columns form, signed so that it comes back unchanged."""
    return signing.dumps(
        {"name": name, "content": base64.b64encode(content).decode(), "headers": headers},
        salt="livestreams.analytics-upload",
        compress=True,
    )


class AnalyticsColumnsForm(forms.Form):
    """Staff say which column of the file holds what; the file travels signed with the form."""

    channel = forms.ModelChoiceField(
        queryset=Channel.objects.filter(is_active=True), widget=forms.HiddenInput
    )
    upload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file")), *((name, name) for name in headers)]
        for column, label in ANALYTICS_COLUMN_LABELS.items():
            self.fields[column] = forms.ChoiceField(
                label=label, choices=choices, required=column == "launched_at"
            )

    @staticmethod
    def read_upload(signed: str) -> dict | None:
        """The file signed into the form; None when the signature is wrong or too old."""
        try:
            data = signing.loads(
                signed, salt="livestreams.analytics-upload", max_age=ANALYTICS_UPLOAD_MAX_AGE
            )
        except signing.BadSignature:
            return None
        return {**data, "content": base64.b64decode(data["content"])}

    def columns(self) -> dict[str, str]:
        return {
            column: self.cleaned_data[column]
            for column in ANALYTICS_COLUMN_LABELS
            if self.cleaned_data.get(column)
        }
