from decimal import Decimal

import factory

from catalog.models import (
    Base,
    Category,
    Channel,
    Currency,
    Platform,
    PlatformListing,
    Product,
    Zone,
)
from tests.cooperatives.factories import CooperativeFactory


class BaseFactory(factory.django.DjangoModelFactory):
    """The test base: one shared by every zone and channel unless a test makes another."""

    class Meta:
        model = Base
        django_get_or_create = ["slug"]

    name = "Test base"
    slug = "test-base"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    cooperative = factory.SubFactory(CooperativeFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    price = Decimal("165000")
    currency = Currency.VND
    status = Product.Status.APPROVED


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    base = factory.SubFactory(BaseFactory)
    platform = Platform.TIKTOK_SHOP
    name = factory.Sequence(lambda n: f"Channel {n}")
    slug = factory.Sequence(lambda n: f"channel-{n}")
    currency = Currency.VND
    time_zone = "Asia/Ho_Chi_Minh"


class PlatformListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlatformListing

    product = factory.SubFactory(ProductFactory)
    platform = Platform.TIKTOK_SHOP
    sku_id = factory.Sequence(lambda n: f"17290000000000{n:04d}")
    seller_sku = factory.Sequence(lambda n: f"SKU-{n}")


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ["code"]

    base = factory.SubFactory(BaseFactory)
    floor = 2
    code = factory.Sequence(lambda n: f"F2-Z{n}")
    name = factory.Sequence(lambda n: f"Zone {n}")
    kind = Zone.Kind.LIVE_ROOM


# --- Added for photos, certifications and the showroom -------------------------------------

import datetime  # noqa: E402
import io  # noqa: E402

from PIL import Image  # noqa: E402

from catalog.models import Certification, Display, DisplaySlot  # noqa: E402


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 120, 40), **save_options) -> bytes:
    """A real image made by Pillow, in `fmt`."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def add_photo(product, **kwargs):
    """A checked and stored photo of `product`, as the upload form would add it."""
    from catalog import services
    from core.images import clean_image

    return services.add_product_image(product=product, image=clean_image(image_bytes()), **kwargs)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    cooperative = factory.SubFactory(CooperativeFactory)
    product = None
    kind = Certification.Kind.OCOP
    stars = 4
    number = factory.Sequence(lambda n: f"OCOP-{n:04d}")
    issuer = "Gia Lai Provincial People's Committee"
    valid_from = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=365))


class DisplaySlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisplaySlot

    zone = factory.SubFactory(
        ZoneFactory, floor=1, code="F1-EX", name="Exhibition", kind=Zone.Kind.EXHIBITION
    )
    code = factory.Sequence(lambda n: f"F1-A-{n:02d}")


class DisplayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Display

    slot = factory.SubFactory(DisplaySlotFactory)
    product = factory.SubFactory(ProductFactory)
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    )
    ends_at = None
