"""The catalogue's models, one module per area (STYLE.md: a models module past ~400 lines)."""

from .base import CURRENCIES_WITHOUT_MINOR_UNIT, Currency, Platform, validate_time_zone
from .bases import Base, StaffBase
from .certifications import Certification, CertificationExpiryWarning
from .channels import Channel, PlatformListing
from .products import (
    EDITABLE_PRODUCT_STATUSES,
    TRANSLATION_SUFFIXES,
    Category,
    Product,
    ProductImage,
    ProductReview,
    translation_suffix,
)
from .showroom import Display, DisplaySlot, Zone

__all__ = [
    "CURRENCIES_WITHOUT_MINOR_UNIT",
    "EDITABLE_PRODUCT_STATUSES",
    "TRANSLATION_SUFFIXES",
    "Base",
    "Category",
    "Certification",
    "CertificationExpiryWarning",
    "Channel",
    "Currency",
    "Display",
    "DisplaySlot",
    "Platform",
    "PlatformListing",
    "Product",
    "ProductImage",
    "ProductReview",
    "StaffBase",
    "Zone",
    "translation_suffix",
    "validate_time_zone",
]
