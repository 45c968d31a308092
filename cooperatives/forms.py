from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from core.images import validate_image_upload

from .models import Cooperative, CooperativeReview
from .services import COOPERATIVE_PROFILE_FIELDS, LEGAL_FIELDS, REVIEW_MOVES

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


class LogoFieldMixin:
    """A logo upload checked and re-encoded by core.images; cleaned to a CleanImage."""

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return validate_image_upload(upload)


class AccountFieldsMixin:
    """Username and password of a new account, checked like Django's own sign-up form."""

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken; please choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password and password != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        elif password:
            try:
                password_validation.validate_password(
                    password, get_user_model()(username=cleaned.get("username", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


ACCOUNT_FIELD_NAMES = ("username", "first_name", "last_name", "password", "password_again")


def account_fields() -> dict:
    return {
        "username": forms.CharField(label=_("Username"), max_length=150),
        "first_name": forms.CharField(label=_("First name"), max_length=150, required=False),
        "last_name": forms.CharField(label=_("Last name"), max_length=150, required=False),
        "password": forms.CharField(
            label=_("Password"),
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validation.password_validators_help_text_html(),
        ),
        "password_again": forms.CharField(
            label=_("Password again"),
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    }


class CooperativeProfileForm(LogoFieldMixin, forms.ModelForm):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG or WEBP."),
    )

    class Meta:
        model = Cooperative
        fields = COOPERATIVE_PROFILE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_approved:
            for name in LEGAL_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed after approval; ask the bureau to change.")

    def clean_tax_number(self):
        tax_number = self.cleaned_data.get("tax_number", "").strip()
        taken = Cooperative.objects.filter(tax_number=tax_number).exclude(pk=self.instance.pk)
        if tax_number and taken.exists():
            raise forms.ValidationError(
                _("A cooperative with this tax number is already registered.")
            )
        return tax_number

    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in COOPERATIVE_PROFILE_FIELDS}


class RegistrationForm(AccountFieldsMixin, CooperativeProfileForm):
    """The public form: the organisation and its first member's account."""

    username = account_fields()["username"]
    first_name = account_fields()["first_name"]
    last_name = account_fields()["last_name"]
    password = account_fields()["password"]
    password_again = account_fields()["password_again"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The bureau checks every applicant against the tax register.
        self.fields["tax_number"].required = True

    def organisation_fields(self) -> list:
        return [self[name] for name in self.fields if name not in ACCOUNT_FIELD_NAMES]

    def account_fields(self) -> list:
        return [self[name] for name in self.fields if name in ACCOUNT_FIELD_NAMES]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(value, CooperativeReview.Action(value).label) for value in REVIEW_MOVES],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when rejecting, asking for changes or suspending; the applicant sees it."
        ),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email of the person to invite"))


class AcceptInvitationForm(AccountFieldsMixin, forms.Form):
    username = account_fields()["username"]
    first_name = account_fields()["first_name"]
    last_name = account_fields()["last_name"]
    password = account_fields()["password"]
    password_again = account_fields()["password_again"]
