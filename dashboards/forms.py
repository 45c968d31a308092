from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Platform
from livestreams.models import Session

from .selectors import SESSION_SORTS


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
        choices=[("", "—"), (Session.Kind.REGULAR, Session.Kind.REGULAR.label),
                 (Session.Kind.MEGALIVE, Session.Kind.MEGALIVE.label)],
    )  # fmt: skip
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
            self.fields[name].choices = [("", "—"), *choices[key]]  # fmt: skip

    def filters(self) -> dict:
        if not self.is_valid():
            # Keep the valid fields only: a stale link still shows a table.
            return {name: value for name, value in self.cleaned_data.items() if value}
        return {name: value for name, value in self.cleaned_data.items() if value}
