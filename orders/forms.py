from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel


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
        from catalog.models import Product

        self.fields["product"].queryset = Product.objects.select_related("cooperative").order_by(
            "cooperative__name", "name"
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("sku_id") and not cleaned.get("seller_sku"):
            raise forms.ValidationError(_("A SKU id or a seller SKU is needed."))
        return cleaned


class ChooseSessionForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput, required=False)
