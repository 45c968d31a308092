import uuid

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative
from core.images import read_upload, validate_image_upload

from .models import (
    Certification,
    Display,
    DisplaySlot,
    PlatformListing,
    Product,
    ProductReview,
)
from .services import (
    CERTIFICATION_FIELDS,
    LISTING_FIELDS,
    PRODUCT_FIELDS,
    PRODUCT_REVIEW_MOVES,
)

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


class ProductForm(forms.ModelForm):
    """A product's details; the cooperative is chosen only among those the user acts for."""

    cooperative = forms.ModelChoiceField(
        label=_("Cooperative"), queryset=Cooperative.objects.none()
    )

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_vi": forms.Textarea(attrs={"rows": 3}),
            "description_zh_hans": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "name": _(
                "As you call it, in any language; visitors see it in every language left "
                "empty below."
            ),
            "name_en": _("Leave empty if the name above is already in English."),
        }

    def __init__(self, *args, cooperatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A product never moves to another cooperative; a member of one cooperative is not
        # asked which.
        if self.instance.pk or cooperatives is None or len(cooperatives) == 1:
            del self.fields["cooperative"]
        else:
            self.fields["cooperative"].queryset = Cooperative.objects.filter(
                pk__in=[cooperative.pk for cooperative in cooperatives]
            ).order_by("name")
        self.fields["price"].help_text = _("Vietnamese dong prices are whole numbers.")

    def product_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PRODUCT_FIELDS}


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG or WEBP; location data is removed."),
    )
    alt_text = forms.CharField(label=_("What it shows"), max_length=200, required=False)
    make_primary = forms.BooleanField(label=_("Use as the main photo"), required=False)

    def clean_image(self):
        return validate_image_upload(self.cleaned_data["image"])


class ListingForm(forms.ModelForm):
    # An address typed without its scheme is read as https, the only scheme the policy
    # accepts (catalog.platform_urls), rather than Django's default http.
    url = forms.URLField(
        label=PlatformListing._meta.get_field("url").verbose_name,
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_(
            "The product's page on the platform (https://shop.tiktok.com/..., "
            "https://shopee.vn/...): the showroom's QR page links to it."
        ),
    )

    class Meta:
        model = PlatformListing
        fields = LISTING_FIELDS

    def listing_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in LISTING_FIELDS}


def clean_evidence(upload) -> ContentFile:
    """Evidence is a PDF or a photo; photos are re-encoded like product photos."""
    data = read_upload(upload)
    if data.startswith(b"%PDF-"):
        return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")
    image = validate_image_upload(upload)
    return ContentFile(image.content, name=image.name)


class CertificationForm(forms.ModelForm):
    cooperative = forms.ModelChoiceField(
        label=_("Cooperative"), queryset=Cooperative.objects.none()
    )
    document = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A PDF or a photo of the certificate."),
    )

    class Meta:
        model = Certification
        fields = CERTIFICATION_FIELDS
        widgets = {
            # Browsers' date inputs read ISO dates whatever the page's language.
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, cooperatives, products, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.default_cooperative = self.instance.cooperative
        else:
            self.default_cooperative = cooperatives[0] if len(cooperatives) == 1 else None
        self.fields["product"].queryset = products
        self.fields["product"].help_text = _("Leave empty for a certification of the cooperative.")
        if self.instance.pk or len(cooperatives) == 1:
            del self.fields["cooperative"]
        else:
            self.fields["cooperative"].queryset = Cooperative.objects.filter(
                pk__in=[cooperative.pk for cooperative in cooperatives]
            ).order_by("name")

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        return clean_evidence(upload)

    def clean(self):
        cleaned = super().clean()
        cooperative = cleaned.get("cooperative") or self.default_cooperative
        product = cleaned.get("product")
        if product and cooperative and product.cooperative_id != cooperative.pk:
            self.add_error("product", _("The product belongs to another cooperative."))
        return cleaned

    def certification_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CERTIFICATION_FIELDS}


class ProductReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(value, ProductReview.Action(value).label) for value in PRODUCT_REVIEW_MOVES],
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting or asking for changes; the cooperative sees them."),
    )


class DisplayForm(forms.ModelForm):
    class Meta:
        model = Display
        fields = ["slot", "product", "starts_at", "ends_at", "note"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = DisplaySlot.objects.select_related("zone")
        self.fields["product"].queryset = Product.objects.filter(
            status=Product.Status.APPROVED
        ).select_related("cooperative")
