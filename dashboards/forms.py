import datetime as dt
from collections.abc import Mapping

from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from catalog.models import Platform
from livestreams.models import Session

from .models import OCOP_STARS, ProgrammeTarget, ReportedSessionTotals
from .selectors import SESSION_SORTS, Period, local_today
from .selectors.common import MAX_PERIOD_DAYS, within_years


class PeriodForm(forms.Form):
    """The period a page or endpoint is asked for in its query string: `start` and `end`, ISO
    dates, both included. Absent or wrong, it is this month, so that a stale or mistyped link
    still shows a page rather than an error."""

    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    end = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            raise forms.ValidationError(_("Give both the first and the last day."))
        # Dates outside the years of sales would take the arithmetic around a period (the one
        # before, a day either side) off the calendar.
        if not (within_years(start) and within_years(end)):
            raise forms.ValidationError(_("Give dates within the years of sales."))
        if end < start or (end - start).days >= MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("Give at most a year, the first day first."))
        return cleaned

    def period(self, *, today: dt.date | None = None) -> Period:
        if self.is_valid():
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        return Period.month_of(today or local_today())


def period_from_params(params: Mapping[str, str], *, today: dt.date | None = None) -> Period:
    """The period asked for by `start` and `end`; this month when absent or wrong."""
    return PeriodForm(params).period(today=today)


class ReportMonthForm(forms.Form):
    """The month of a monthly report (`month`, YYYY-MM); the last whole month when absent or
    wrong."""

    month = forms.DateField(required=False, input_formats=["%Y-%m"])

    def report_month(self, *, today: dt.date | None = None) -> dt.date:
        if (
            self.is_valid()
            and self.cleaned_data["month"]
            and within_years(self.cleaned_data["month"])
        ):
            return self.cleaned_data["month"]
        return ((today or local_today()).replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_from_param(value: str | None, *, today: dt.date | None = None) -> dt.date:
    """The first day of the month named `YYYY-MM`; the last whole month when absent or wrong."""
    return ReportMonthForm({"month": value or ""}).report_month(today=today)


class SessionFilterForm(forms.Form):
    """The sessions table's filters; every field optional, bad values ignored."""

    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=[("", "—"), *Platform.choices]
    )
    channel = forms.TypedChoiceField(label=_("Channel"), required=False, coerce=int)
    room = forms.TypedChoiceField(label=_("Room"), required=False, coerce=int)
    host = forms.TypedChoiceField(label=_("Host"), required=False, coerce=int)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", "—"),
            (Session.Kind.REGULAR, Session.Kind.REGULAR.label),
            (Session.Kind.MEGALIVE, Session.Kind.MEGALIVE.label),
        ],
    )
    cooperative = forms.TypedChoiceField(label=_("Cooperative"), required=False, coerce=int)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int)
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=[(key, key) for key in SESSION_SORTS]
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, key in (
            ("channel", "channels"),
            ("room", "rooms"),
            ("host", "hosts"),
            ("cooperative", "cooperatives"),
            ("category", "categories"),
        ):
            self.fields[name].choices = [("", "—"), *choices[key]]

    def filters(self) -> dict:
        if not self.is_valid():
            # Keep the valid fields only: a stale link still shows a table.
            return {name: value for name, value in self.cleaned_data.items() if value}
        return {name: value for name, value in self.cleaned_data.items() if value}


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month input), kept as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


GROUP_FIELDS = {
    ProgrammeTarget.Dimension.DISTRICT: "district",
    ProgrammeTarget.Dimension.PLATFORM: "platform",
    ProgrammeTarget.Dimension.STARS: "stars",
}


class ProgrammeTargetForm(forms.ModelForm):
    """One monthly target: the programme, then its group in the field that fits it."""

    district = forms.CharField(label=_("District of origin"), required=False, max_length=100)
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=[("", "—"), *Platform.choices]
    )
    stars = forms.ChoiceField(
        label=_("OCOP rating"),
        required=False,
        choices=[("", "—"), *((value, f"OCOP {value}★") for value in OCOP_STARS)],
    )
    month = MonthField(label=_("Month"))

    class Meta:
        model = ProgrammeTarget
        fields = [
            "dimension",
            "district",
            "category",
            "platform",
            "stars",
            "month",
            "currency",
            "target_gmv",
            "target_units",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        target = self.instance
        field = self._group_field(target.dimension)
        if field and target.pk:
            self.initial[field] = target.value
        self.fields["category"].help_text = _("For a category programme only.")

    def _group_field(self, dimension) -> str | None:
        return GROUP_FIELDS.get(dimension)

    def clean(self):
        cleaned = super().clean()
        field = self._group_field(cleaned.get("dimension"))
        self.instance.value = (cleaned.get(field) or "").strip() if field else ""
        if field and not self.instance.value:
            self.add_error(field, _("Give the group this target is for."))
        return cleaned

    def _post_clean(self):
        # The model's own validation (clean, constraints) runs in the service, which the view
        # calls; the form only maps its fields onto the instance.
        self.instance = construct_instance(self, self.instance, self._meta.fields)

    def add_service_errors(self, error) -> None:
        """Show the service's validation errors on the fields they concern."""
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        group = self._group_field(self.instance.dimension)
        for field, messages in errors.items():
            if field == "value":
                field = group
            self.add_error(field if field in self.fields else None, messages)


class ReportedTotalsForm(forms.ModelForm):
    """The totals the platform's own dashboard reports for a session; every figure optional,
    since an empty one means "not reported", never zero (the web page and the admin)."""

    figures = ("orders", "units", "gross_gmv")

    class Meta:
        model = ReportedSessionTotals
        fields = ["orders", "units", "gross_gmv"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin adds the session to these fields; only the figures are optional.
        for name in self.figures:
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = _("Leave empty when the platform does not report it.")
