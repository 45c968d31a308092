from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel, Product

from .models import Order


class ImportUploadForm(forms.Form):
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.filter(is_active=True).order_by("name")
    )
    file = forms.FileField(
        label=_("Export file"),
        help_text=_("The order export exactly as the platform produced it (CSV or XLSX)."),
    )
    force = forms.BooleanField(
        label=_("Import again even if this exact file was imported before"), required=False
    )
    replace_newer = forms.BooleanField(
        label=_("Replace newer values"),
        help_text=_(
            "Only for an export older than what was imported since: its values then replace "
            "the newer ones (else the newer ones are kept)."
        ),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a CSV or XLSX export."))
        return upload


class MapSkuForm(forms.Form):
    """Map one SKU seen in exports to a catalogue product."""

    platform = forms.CharField(widget=forms.HiddenInput)
    sku_id = forms.CharField(widget=forms.HiddenInput, required=False)
    seller_sku = forms.CharField(widget=forms.HiddenInput, required=False)
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.select_related("cooperative").order_by(
            "cooperative__name", "name"
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("sku_id") and not cleaned.get("seller_sku"):
            raise forms.ValidationError(_("A SKU id or a seller SKU is needed."))
        return cleaned


class IdListField(forms.Field):
    """Several ids from checkboxes (``name`` repeated), as a sorted list of integers."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose from the list.")) from None


class AmbiguousDecisionForm(forms.Form):
    """One session (or none of them) for the selected ambiguous orders."""

    orders = IdListField(required=False)
    session = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("orders"):
            raise forms.ValidationError(_("Select at least one order."))
        return cleaned


class AmbiguousRangeForm(forms.Form):
    """One session (or none of them) for every ambiguous order of a channel in a time range."""

    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.order_by("name"))
    placed_from = forms.DateTimeField(
        label=_("Placed from"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    placed_until = forms.DateTimeField(
        label=_("until (not included)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    session = forms.IntegerField(
        label=_("Session id (empty: none of them)"), required=False, min_value=1
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("placed_from"), cleaned.get("placed_until")
        if start and end and end <= start:
            raise forms.ValidationError(_("The end of the range must be after its start."))
        return cleaned


class MapSkusForm(forms.Form):
    """Several SKUs of one platform mapped to one product at once."""

    platform = forms.CharField(widget=forms.HiddenInput)
    # Each value is "SKU id|seller SKU" (either may be empty).
    skus = forms.MultipleChoiceField(required=True, choices=())
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)

    def __init__(self, *args, sku_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skus"].choices = [(value, value) for value in sku_choices]
        self.fields["product"].queryset = Product.objects.select_related("cooperative").order_by(
            "cooperative__name", "name"
        )

    def cleaned_pairs(self) -> list[tuple[str, str]]:
        return [tuple(value.split("|", 1)) for value in self.cleaned_data["skus"]]


class MapStatusForm(forms.Form):
    """What a raw status the tables do not know means, once per platform."""

    platform = forms.CharField(widget=forms.HiddenInput)
    raw_status = forms.CharField(widget=forms.HiddenInput, max_length=300)
    status = forms.ChoiceField(
        label=_("Means"),
        choices=[(v, label) for v, label in Order.Status.choices if v != Order.Status.UNKNOWN],
    )
