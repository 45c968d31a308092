from decimal import Decimal

import factory

from catalog.models import Category, Channel, Currency, Platform, PlatformListing, Product, Zone
from tests.cooperatives.factories import CooperativeFactory


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

    floor = 2
    code = factory.Sequence(lambda n: f"F2-Z{n}")
    name = factory.Sequence(lambda n: f"Zone {n}")
    kind = Zone.Kind.LIVE_ROOM
