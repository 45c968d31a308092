"""Forms of the live-sessions app. The admin forms call the same checks as the services, so
staff see the message naming the clashing session before anything is written."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel
from core.images import validate_image_upload

from . import services
from .models import Host, Room, Session, SessionHost, SessionMetrics, SessionSeries
from .room_kinds import room_kind_message
from .selectors import SessionFilters


class RoomAdminForm(forms.ModelForm):
    """A room photo is checked and re-encoded like every other upload (RELIABILITY.md, S11)."""

    class Meta:
        model = Room
        fields = ["zone", "name", "slug", "kind", "capacity", "equipment", "photo"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not isinstance(photo, UploadedFile):
            return photo  # unchanged, or cleared
        clean = validate_image_upload(photo)
        return ContentFile(clean.content, name=clean.name)


class SessionAdminForm(forms.ModelForm):
    # An address typed without its scheme is read as https, the only scheme the policy
    # accepts (catalog.platform_urls), rather than Django's default http.
    live_room_url = forms.URLField(
        label=Session._meta.get_field("live_room_url").verbose_name,
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Where visitors watch the live, on the channel's platform (https://...)."),
    )

    class Meta:
        model = Session
        # What the service lets be edited, and the status a new session starts in.
        fields = [*services.SESSION_FIELDS, "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields and self.instance.pk is None:
            # A new session starts as a draft or scheduled; later moves are admin actions.
            self.fields["status"].choices = [
                (Session.Status.DRAFT, Session.Status.DRAFT.label),
                (Session.Status.SCHEDULED, Session.Status.SCHEDULED.label),
            ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("scheduled_start"), cleaned.get("scheduled_end")
        room = cleaned.get("room")
        if start is None or end is None:
            return cleaned
        if end <= start:
            raise ValidationError(_("The session must end after it starts."))
        kind = cleaned.get("kind", self.instance.kind)
        if room is not None and kind:
            room_kind_error = room_kind_message(kind, room)
            if room_kind_error is not None:
                self.add_error("room", room_kind_error)
                return cleaned
        status = cleaned.get("status", self.instance.status)
        if room is not None and status != Session.Status.CANCELLED:
            messages = services.clash_messages(
                room=room,
                scheduled_start=start,
                scheduled_end=end,
                exclude_session_id=self.instance.pk,
            )
            if messages:
                raise ValidationError(messages, code="clash")
        return cleaned


def _live_forms(formset):
    return [
        form
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
    ]


class SessionHostInlineFormSet(BaseInlineFormSet):
    """Refuses a host who is in another session at the same time (setup buffer included)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        session = self.instance
        start, end = session.scheduled_start, session.scheduled_end
        if start is None or end is None or end <= start:
            return
        if session.status == Session.Status.CANCELLED:
            return
        hosts = [form.cleaned_data["host"] for form in _live_forms(self)]
        seen = set()
        for host in hosts:
            if host.pk in seen:
                raise ValidationError(
                    _("%(host)s is listed twice."), params={"host": host}, code="duplicate"
                )
            seen.add(host.pk)
        messages = services.clash_messages(
            room=None,
            scheduled_start=start,
            scheduled_end=end,
            host_ids=seen,
            exclude_session_id=session.pk,
        )
        if messages:
            raise ValidationError(messages, code="clash")


class LineupInlineFormSet(BaseInlineFormSet):
    """Refuses a line-up longer than the session; keeps the per-product cap warnings."""

    cap_warnings: list[str]

    def clean(self):
        super().clean()
        self.cap_warnings = []
        if any(self.errors):
            return
        session = self.instance
        rows = [
            form.cleaned_data
            for form in _live_forms(self)
            if form.cleaned_data.get("planned_minutes") and form.cleaned_data.get("product")
        ]
        if session.scheduled_start and session.scheduled_end:
            services.check_lineup_fits(
                session_minutes=session.scheduled_minutes,
                planned_minutes=[row["planned_minutes"] for row in rows],
            )
        self.cap_warnings = services.lineup_warnings(
            planned_minutes=[(row["product"].name, row["planned_minutes"]) for row in rows]
        )


class SessionSeriesAdminForm(forms.ModelForm):
    """Creates a weekly series and its occurrences; reports clashes per occurrence."""

    hosts = forms.ModelMultipleChoiceField(
        label=_("hosts"), queryset=Host.objects.all(), required=False
    )
    host_role = forms.ChoiceField(
        label=_("role of these hosts"),
        choices=SessionHost.Role.choices,
        initial=SessionHost.Role.HOST,
        required=False,
    )
    skip_clashes = forms.BooleanField(
        label=_("create the free dates and skip the clashing ones"), required=False
    )

    class Meta:
        model = SessionSeries
        fields = [
            "title",
            "kind",
            "room",
            "channel",
            "weekday",
            "start_time",
            "end_time",
            "time_zone",
            "first_date",
            "until_date",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None or self.errors:
            return cleaned
        room_kind_error = room_kind_message(cleaned["kind"], cleaned["room"])
        if room_kind_error is not None:
            raise ValidationError({"room": room_kind_error}, code="room_kind")
        try:
            occurrences = services.plan_weekly_occurrences(
                weekday=cleaned["weekday"],
                start_time=cleaned["start_time"],
                end_time=cleaned["end_time"],
                time_zone=cleaned["time_zone"],
                first_date=cleaned["first_date"],
                until_date=cleaned["until_date"],
                room=cleaned["room"],
                host_ids=[host.pk for host in cleaned.get("hosts", [])],
            )
        except KeyError:
            return cleaned
        if len(occurrences) > 104:
            raise ValidationError(_("A series is limited to two years of weekly sessions."))
        if not occurrences:
            raise ValidationError(_("No date between the first and last date falls on that day."))
        errors = services.occurrence_errors(occurrences)
        if errors and not cleaned.get("skip_clashes"):
            raise ValidationError(errors, code="clash")
        return cleaned

    def series_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "room": data["room"],
            "channel": data["channel"],
            "weekday": data["weekday"],
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "time_zone": data["time_zone"],
            "first_date": data["first_date"],
            "until_date": data["until_date"],
            "hosts": [
                (host, data.get("host_role") or SessionHost.Role.HOST)
                for host in data.get("hosts", [])
            ],
            "skip_clashes": data.get("skip_clashes", False),
        }


class SessionMetricsForm(forms.ModelForm):
    class Meta:
        model = SessionMetrics
        fields = [
            "views",
            "views_basis",
            "unique_viewers",
            "peak_concurrent_viewers",
            "average_concurrent_viewers",
            "likes",
            "comments",
            "shares",
            "new_followers",
            "product_clicks",
            "average_watch_seconds",
            "precision",
        ]


class SessionFilterForm(forms.Form):
    """Which room, host, channel and status a list or calendar shows."""

    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.all(), required=False, to_field_name="slug"
    )
    host = forms.ModelChoiceField(label=_("Host"), queryset=Host.objects.all(), required=False)
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.all(), required=False, to_field_name="slug"
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "---------"), *Session.Status.choices], required=False
    )

    def filters(self, **extra) -> SessionFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return SessionFilters(
            room=data.get("room"),
            host=data.get("host"),
            channel=data.get("channel"),
            status=data.get("status") or None,
            **extra,
        )


class SessionListFilterForm(SessionFilterForm):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def date_range(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """Local midnights; by default from today on."""
        data = self.cleaned_data if self.is_valid() else {}
        start_day = data.get("date_from") or timezone.localdate()
        end_day = data.get("date_to")
        start = timezone.make_aware(datetime.datetime.combine(start_day, datetime.time()))
        end = (
            timezone.make_aware(
                datetime.datetime.combine(end_day + datetime.timedelta(days=1), datetime.time())
            )
            if end_day
            else None
        )
        return start, end


class CalendarFilterForm(SessionFilterForm):
    """The week and the room, host or channel a calendar shows."""

    week = forms.DateField(
        label=_("Week of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def week_start(self) -> datetime.datetime:
        """The local Monday midnight of the chosen week (this week by default, also for a
        week too close to the calendar's ends for the week after it to be a date)."""
        day = (self.cleaned_data.get("week") if self.is_valid() else None) or timezone.localdate()
        if not datetime.date(1900, 1, 8) <= day <= datetime.date(9000, 12, 31):
            day = timezone.localdate()
        monday = day - datetime.timedelta(days=day.weekday())
        return timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
