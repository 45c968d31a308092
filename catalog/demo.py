"""Demo catalogue: the Lhasa exhibition (40+ products) and Gia Lai's OCOP products."""

import datetime
from decimal import Decimal

from cooperatives.models import Cooperative

from .models import (
    Category,
    Certification,
    Channel,
    Currency,
    Platform,
    PlatformListing,
    Product,
    Zone,
)

CATEGORIES = (
    ("meat-dairy", "Meat and dairy"),
    ("grains", "Grains and barley"),
    ("tea-drinks", "Tea and drinks"),
    ("coffee", "Coffee"),
    ("spices", "Spices"),
    ("honey", "Honey and sweets"),
    ("crafts", "Crafts and incense"),
)

# cooperative slug -> (category slug, currency, [(name, unit, grams, price)])
LHASA_PRODUCTS = {
    "damxung-yak": (
        "meat-dairy",
        [
            ("Air-dried yak meat, original", "pack", 250, "68"),
            ("Air-dried yak meat, spicy", "pack", 250, "68"),
            ("Air-dried yak meat, five-spice", "pack", 250, "72"),
            ("Yak jerky strips", "pack", 150, "45"),
            ("Yak meat gift box", "box", 1000, "298"),
            ("Yak bone broth concentrate", "bottle", 500, "58"),
            ("Yak milk powder", "bag", 400, "128"),
            ("Yak butter", "pack", 500, "85"),
            ("Yak wool scarf", "piece", 200, "260"),
            ("Yak milk soap", "piece", 100, "32"),
            ("Smoked yak sausage", "pack", 300, "56"),
        ],
    ),
    "lhundrub-barley": (
        "grains",
        [
            ("Highland barley tsampa", "bag", 1000, "36"),
            ("Roasted highland barley flour", "bag", 500, "22"),
            ("Highland barley noodles", "pack", 400, "18"),
            ("Highland barley biscuits", "box", 300, "29"),
            ("Highland barley tea", "box", 200, "39"),
            ("Highland barley wine (qingke)", "bottle", 500, "88"),
            ("Purple highland barley rice", "bag", 2000, "48"),
            ("Highland barley cereal flakes", "bag", 500, "32"),
            ("Highland barley cookies, butter", "box", 250, "26"),
            ("Highland barley granola", "bag", 400, "35"),
            ("Highland barley energy bars", "box", 240, "42"),
        ],
    ),
    "nyemo-crafts": (
        "crafts",
        [
            ("Nyemo Tibetan incense, classic", "box", 100, "58"),
            ("Nyemo Tibetan incense, sandalwood", "box", 100, "78"),
            ("Tibetan paper notebook", "piece", 300, "45"),
            ("Prayer flag set", "piece", 200, "38"),
            ("Hand-woven pulu rug", "piece", 1500, "680"),
            ("Thangka print, small", "piece", 150, "120"),
            ("Tibetan knife, souvenir", "piece", 250, "160"),
            ("Butter lamp, brass", "piece", 400, "99"),
            ("Incense holder, ceramic", "piece", 200, "35"),
            ("Tibetan paper lantern", "piece", 350, "66"),
            ("Yak bone bracelet", "piece", 50, "48"),
        ],
    ),
    "taktse-dairy": (
        "meat-dairy",
        [
            ("Dried yak cheese (chhurpi)", "pack", 200, "38"),
            ("Butter tea powder", "box", 300, "45"),
            ("Sweet tea sachets", "box", 250, "28"),
            ("Yak yoghurt, set", "pack", 500, "25"),
            ("Milk dreg cakes", "box", 300, "33"),
            ("Yak ghee", "bottle", 350, "92"),
            ("Cheese crisps", "pack", 120, "19"),
            ("Butter tea gift set", "box", 800, "168"),
            ("Tibetan sweet tea, ready-to-drink", "bottle", 300, "9"),
        ],
    ),
}

GIA_LAI_PRODUCTS = {
    "chu-se-coffee": (
        "coffee",
        4,
        [
            ("Chu Se Robusta roasted beans", "bag", 500, "165000"),
            ("Chu Se honey-processed Robusta", "bag", 250, "145000"),
            ("Chu Se ground coffee, phin", "bag", 500, "120000"),
            ("Chu Se instant coffee 3-in-1", "box", 320, "75000"),
        ],
    ),
    "ia-grai-pepper": (
        "spices",
        3,
        [
            ("Ia Grai black pepper", "bag", 250, "85000"),
            ("Ia Grai red pepper, sun-dried", "bag", 200, "180000"),
            ("Ia Grai ground pepper", "bottle", 100, "45000"),
        ],
    ),
    "kbang-honey": (
        "honey",
        3,
        [
            ("Kbang forest honey", "bottle", 500, "260000"),
        ],
    ),
}

ZONES = (
    (1, "F1-EX", "Product exhibition", Zone.Kind.EXHIBITION),
    (2, "F2-LIVE-A", "Excellent products live room", Zone.Kind.LIVE_ROOM),
    (2, "F2-LIVE-B", "Supply-and-marketing helps farmers live room", Zone.Kind.LIVE_ROOM),
    (3, "F3-MEET", "Meeting and consultation area", Zone.Kind.MEETING),
)

CHANNELS = (
    (
        "lhasa-douyin",
        Platform.DOUYIN,
        "Lhasa Excellent Products (official Douyin)",
        "lasa_youpin",
        "DY-LHASA-001",
        Currency.CNY,
        "Asia/Shanghai",
    ),
    (
        "gialai-tiktok",
        Platform.TIKTOK_SHOP,
        "Gia Lai OCOP (official TikTok Shop)",
        "gialai.ocop",
        "VNLCGIALAI01",
        Currency.VND,
        "Asia/Ho_Chi_Minh",
    ),
)


def _slug(cooperative_slug: str, index: int) -> str:
    return f"{cooperative_slug}-{index:02d}"


def seed() -> str:
    categories = {}
    for position, (slug, name) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for floor, code, name, kind in ZONES:
        Zone.objects.update_or_create(
            code=code, defaults={"floor": floor, "name": name, "kind": kind}
        )
    channels = {}
    for slug, platform, name, handle, shop_id, currency, time_zone in CHANNELS:
        channels[slug], _ = Channel.objects.update_or_create(
            slug=slug,
            defaults={
                "platform": platform,
                "name": name,
                "handle": handle,
                "shop_id": shop_id,
                "currency": currency,
                "time_zone": time_zone,
                "owner_kind": Channel.OwnerKind.BUREAU,
            },
        )

    products = 0
    for cooperative_slug, (category, items) in LHASA_PRODUCTS.items():
        cooperative = Cooperative.objects.get(slug=cooperative_slug)
        for index, (name, unit, grams, price) in enumerate(items, start=1):
            product = _upsert_product(
                cooperative,
                categories[category],
                _slug(cooperative_slug, index),
                name,
                unit,
                grams,
                price,
                Currency.CNY,
            )
            _upsert_listing(product, channels["lhasa-douyin"], f"36{index:02d}{product.pk:08d}")
            products += 1
    for cooperative_slug, (category, stars, items) in GIA_LAI_PRODUCTS.items():
        cooperative = Cooperative.objects.get(slug=cooperative_slug)
        for index, (name, unit, grams, price) in enumerate(items, start=1):
            product = _upsert_product(
                cooperative,
                categories[category],
                _slug(cooperative_slug, index),
                name,
                unit,
                grams,
                price,
                Currency.VND,
            )
            _upsert_listing(product, channels["gialai-tiktok"], f"17{index:02d}{product.pk:014d}")
            Certification.objects.update_or_create(
                cooperative=cooperative,
                product=product,
                kind=Certification.Kind.OCOP,
                defaults={
                    "stars": stars,
                    "number": f"OCOP-GL-{product.pk:04d}",
                    "issuer": "Gia Lai Provincial People's Committee",
                    "valid_from": datetime.date(2025, 1, 1),
                    "valid_until": datetime.date(2028, 1, 1),
                },
            )
            products += 1
    return f"{products} products, {len(ZONES)} zones, {len(CHANNELS)} channels"


def _upsert_product(cooperative, category, slug, name, unit, grams, price, currency) -> Product:
    approved = cooperative.is_approved
    product, _ = Product.objects.update_or_create(
        slug=slug,
        defaults={
            "cooperative": cooperative,
            "category": category,
            "name": name,
            "unit": unit,
            "net_weight_grams": grams,
            "price": Decimal(price),
            "currency": currency,
            "origin_province": cooperative.province,
            "origin_district": cooperative.district,
            "origin_commune": cooperative.commune,
            "description": f"{name} from {cooperative.district}, {cooperative.province}.",
            "status": Product.Status.APPROVED if approved else Product.Status.SUBMITTED,
        },
    )
    return product


def _upsert_listing(product: Product, channel: Channel, sku_id: str) -> None:
    PlatformListing.objects.update_or_create(
        product=product,
        platform=channel.platform,
        defaults={"channel": channel, "sku_id": sku_id, "seller_sku": product.slug.upper()},
    )
