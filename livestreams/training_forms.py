"""Forms of the training pages: a cooperative's sign-up, and staff's attendance sheet."""

from django import forms
from django.db.models import QuerySet
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative

from .models import TrainingAttendance


class TrainingSignUpForm(forms.Form):
    """Who comes, for which of the member's cooperatives (asked only if they have several)."""

    attendee_name = forms.CharField(
        label=_("Attendee's name"),
        max_length=150,
        help_text=_("Yourself by default; change it to sign up someone else of your cooperative."),
    )
    cooperative = forms.ModelChoiceField(
        label=_("Cooperative"), queryset=Cooperative.objects.none(), empty_label=None
    )

    def __init__(self, *args, cooperatives: QuerySet[Cooperative], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cooperative"]
        field.queryset = cooperatives
        # A member of one cooperative is not asked: it is theirs.
        self.only_cooperative = cooperatives[0] if len(cooperatives) == 1 else None
        if self.only_cooperative is not None:
            field.required = False
            field.widget = forms.HiddenInput()

    def clean_cooperative(self) -> Cooperative | None:
        return self.cleaned_data.get("cooperative") or self.only_cooperative


class AttendedForm(forms.ModelForm):
    class Meta:
        model = TrainingAttendance
        fields = ["attended"]


# One row per sign-up of the training; no new rows here (members sign up, staff add walk-ins
# through the API or the admin), no deletions (withdrawals have their own rules).
AttendanceSheetFormSet = modelformset_factory(
    TrainingAttendance, form=AttendedForm, extra=0, can_delete=False
)
