"""Demo catalogue: the Lhasa exhibition (40+ products) and Gia Lai's OCOP products."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from cooperatives.models import Cooperative
from core.demo import demo_user
from core.images import clean_image

from . import services
from .models import (
    Base,
    Category,
    Certification,
    Channel,
    Currency,
    Display,
    DisplaySlot,
    Platform,
    PlatformListing,
    Product,
    ProductReview,
    Zone,
)

# Photo colours per category: (background, accent).
CATEGORY_COLOURS = {
    "meat-dairy": ((122, 62, 40), (240, 200, 160)),
    "grains": ((196, 160, 82), (250, 238, 200)),
    "tea-drinks": ((66, 110, 64), (214, 236, 200)),
    "coffee": ((74, 48, 34), (230, 190, 140)),
    "spices": ((150, 36, 30), (252, 210, 170)),
    "honey": ((214, 150, 30), (255, 236, 170)),
    "crafts": ((60, 70, 130), (220, 214, 250)),
}

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
            ("Chu Se green Robusta beans", "bag", 1000, "110000"),
            ("Chu Se cold brew, bottled", "bottle", 250, "45000"),
            ("Chu Se coffee cherry tea (cascara)", "bag", 200, "90000"),
            ("Chu Se coffee gift box", "box", 750, "320000"),
            ("Chu Se drip-bag coffee", "box", 120, "85000"),
        ],
    ),
    "ia-grai-pepper": (
        "spices",
        3,
        [
            ("Ia Grai black pepper", "bag", 250, "85000"),
            ("Ia Grai red pepper, sun-dried", "bag", 200, "180000"),
            ("Ia Grai ground pepper", "bottle", 100, "45000"),
            ("Ia Grai white pepper", "bag", 200, "150000"),
            ("Ia Grai pepper salt", "bottle", 120, "35000"),
            ("Ia Grai green peppercorns in brine", "bottle", 250, "65000"),
            ("Ia Grai pepper gift set", "box", 600, "280000"),
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

# Gia Lai products in other review states, for the cooperative area and the review queue:
# cooperative slug -> [(slug, name, price, status, notes)]
PRODUCTS_IN_REVIEW = {
    "chu-se-coffee": [
        ("chu-se-coffee-draft", "Chu Se cold brew bottles", "55000", Product.Status.DRAFT, ""),
        (
            "chu-se-coffee-rejected",
            "Chu Se coffee liqueur",
            "320000",
            Product.Status.REJECTED,
            "Alcoholic drinks need a licence the cooperative has not shown.",
        ),
        (
            "chu-se-coffee-changes",
            "Chu Se green coffee beans",
            "98000",
            Product.Status.CHANGES_REQUESTED,
            "Please add the net weight and a photo of the label.",
        ),
    ],
}

# slug, name, city, province, time zone
BASES = (
    ("lhasa", "Lhasa base", "Lhasa", "Tibet", "Asia/Shanghai"),
    ("gia-lai", "Gia Lai base", "Pleiku", "Gia Lai", "Asia/Ho_Chi_Minh"),
)

# base, floor, code, name, kind. Lhasa's three floors are DESIGN.md's; Gia Lai's two are the
# province's OCOP showroom with its studio and a meeting and training floor.
ZONES = (
    ("lhasa", 1, "F1-EX", "Product exhibition", Zone.Kind.EXHIBITION),
    ("lhasa", 2, "F2-LIVE-A", "Excellent products live room", Zone.Kind.LIVE_ROOM),
    ("lhasa", 2, "F2-LIVE-B", "Supply-and-marketing helps farmers live room", Zone.Kind.LIVE_ROOM),
    ("lhasa", 3, "F3-MEET", "Meeting and consultation area", Zone.Kind.MEETING),
    ("gia-lai", 1, "GL1-EX", "OCOP product showroom", Zone.Kind.EXHIBITION),
    ("gia-lai", 1, "GL1-LIVE", "OCOP live studio", Zone.Kind.LIVE_ROOM),
    ("gia-lai", 2, "GL2-MEET", "Meeting and training floor", Zone.Kind.MEETING),
)

# The base whose staff run each channel.
CHANNEL_BASES = {"lhasa-douyin": "lhasa", "gialai-tiktok": "gia-lai", "gialai-megalive": "gia-lai"}
# Where each province's approved products stand: its base's exhibition zone.
EXHIBITIONS = (("Lhasa", "F1-EX", "F1"), ("Gia Lai", "GL1-EX", "GL1"))

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
    # The megalives run on the young entrepreneurs' association's shop, with the province's
    # OCOP products: their 12,700 orders are not the official shop's month (DESIGN.md).
    (
        "gialai-megalive",
        Platform.TIKTOK_SHOP,
        "Gia Lai young entrepreneurs' megalive (TikTok Shop)",
        "gialai.doanhnhantre",
        "VNLCGLYEA01",
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
    bases = {}
    for slug, name, city, province, time_zone in BASES:
        bases[slug], _ = Base.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "city": city, "province": province, "time_zone": time_zone},
        )
    for base, floor, code, name, kind in ZONES:
        Zone.objects.update_or_create(
            code=code, defaults={"base": bases[base], "floor": floor, "name": name, "kind": kind}
        )
    channels = {}
    for slug, platform, name, handle, shop_id, currency, time_zone in CHANNELS:
        channels[slug], _ = Channel.objects.update_or_create(
            slug=slug,
            defaults={
                "base": bases[CHANNEL_BASES[slug]],
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
    products += _seed_products_in_review(categories)
    photos = _seed_photos()
    _seed_demo_certifications()
    on_show = _seed_exhibition()
    return (
        f"{len(BASES)} bases, {products} products, {photos} new photos, {len(ZONES)} zones, "
        f"{on_show} products on show, {len(CHANNELS)} channels"
    )


def _seed_products_in_review(categories) -> int:
    staff = demo_user("staff")
    count = 0
    for cooperative_slug, items in PRODUCTS_IN_REVIEW.items():
        cooperative = Cooperative.objects.get(slug=cooperative_slug)
        for slug, name, price, status, notes in items:
            product, created = Product.objects.update_or_create(
                slug=slug,
                defaults={
                    "cooperative": cooperative,
                    "category": categories["coffee"],
                    "name": name,
                    "price": Decimal(price),
                    "currency": Currency.VND,
                    "origin_province": cooperative.province,
                    "origin_district": cooperative.district,
                    "status": status,
                },
            )
            if status != Product.Status.DRAFT:
                ProductReview.objects.get_or_create(
                    product=product,
                    action=ProductReview.Action.SUBMITTED,
                    defaults={"from_status": "draft", "to_status": "submitted"},
                )
                ProductReview.objects.get_or_create(
                    product=product,
                    action=status,
                    defaults={
                        "from_status": "submitted",
                        "to_status": status,
                        "reason": notes,
                        "actor": staff,
                    },
                )
            count += 1
    return count


def demo_photo(product: Product) -> bytes:
    """A generated 640x640 JPEG: the category's colours and the product's initials."""
    background, accent = CATEGORY_COLOURS.get(
        product.category.slug if product.category else "", ((15, 123, 108), (240, 240, 240))
    )
    image = Image.new("RGB", (640, 640), background)
    draw = ImageDraw.Draw(image)
    for step in range(8):
        inset = 40 + step * 28
        draw.ellipse((inset, inset, 640 - inset, 640 - inset), outline=accent, width=3)
    initials = "".join(word[0] for word in product.name.split()[:3]).upper()
    try:
        font = ImageFont.load_default(size=120)
    except (TypeError, OSError):  # Pillow built without FreeType.
        font = ImageFont.load_default()
    draw.text((320, 320), initials, fill=accent, font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _seed_photos() -> int:
    added = 0
    for product in Product.objects.filter(images__isnull=True).select_related("category"):
        services.add_product_image(
            product=product, image=clean_image(demo_photo(product)), alt_text=product.name
        )
        added += 1
    return added


def _seed_demo_certifications() -> None:
    """Certifications relative to today: one expiring within 14 days, one within 60, one
    expired (hidden on public pages)."""
    today = timezone.localdate()
    for slug, kind, number, valid_until in (
        (
            "ia-grai-pepper",
            Certification.Kind.VIETGAP,
            "VG-GL-2023-118",
            today + datetime.timedelta(days=45),
        ),
        (
            "damxung-yak",
            Certification.Kind.ORGANIC,
            "ORG-XZ-0091",
            today + datetime.timedelta(days=10),
        ),
        (
            "lhundrub-barley",
            Certification.Kind.GEOGRAPHICAL_INDICATION,
            "GI-XZ-0007",
            today - datetime.timedelta(days=5),
        ),
    ):
        Certification.objects.update_or_create(
            cooperative=Cooperative.objects.get(slug=slug),
            product=None,
            kind=kind,
            defaults={
                "number": number,
                "issuer": "Provincial Department of Agriculture",
                "valid_from": valid_until - datetime.timedelta(days=3 * 365),
                "valid_until": valid_until,
            },
        )


def _seed_exhibition() -> int:
    """Each base's exhibition floor: one slot per approved product of its province, rows A,
    B, C... of twelve, each filled."""
    since = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    on_show = 0
    for province, zone_code, prefix in EXHIBITIONS:
        exhibition = Zone.objects.get(code=zone_code)
        products = Product.objects.filter(
            status=Product.Status.APPROVED,
            cooperative__status=Cooperative.Status.APPROVED,
            cooperative__province=province,
        ).order_by("slug")
        for index, product in enumerate(products):
            row, place = divmod(index, 12)
            code = f"{prefix}-{chr(ord('A') + row)}-{place + 1:02d}"
            slot, _ = DisplaySlot.objects.get_or_create(
                code=code, defaults={"zone": exhibition, "position": index}
            )
            if not Display.objects.filter(slot=slot, ends_at__isnull=True).exists():
                Display.objects.create(slot=slot, product=product, starts_at=since)
        on_show += len(products)
    return on_show


# The products' names in the other languages visitors read them in (Product.translated_name
# falls back to the name as given for the rest): Chinese for Lhasa's, Vietnamese for Gia Lai's.
NAMES_ZH = {
    "Air-dried yak meat, original": "风干牦牛肉（原味）",
    "Air-dried yak meat, spicy": "风干牦牛肉（麻辣）",
    "Air-dried yak meat, five-spice": "风干牦牛肉（五香）",
    "Yak jerky strips": "牦牛肉干条",
    "Yak meat gift box": "牦牛肉礼盒",
    "Yak bone broth concentrate": "牦牛骨汤浓缩液",
    "Yak milk powder": "牦牛奶粉",
    "Yak butter": "牦牛酥油",
    "Yak wool scarf": "牦牛绒围巾",
    "Yak milk soap": "牦牛奶皂",
    "Smoked yak sausage": "烟熏牦牛肉肠",
    "Highland barley tsampa": "青稞糌粑",
    "Roasted highland barley flour": "熟青稞粉",
    "Highland barley noodles": "青稞面条",
    "Highland barley biscuits": "青稞饼干",
    "Highland barley tea": "青稞茶",
    "Highland barley wine (qingke)": "青稞酒",
    "Purple highland barley rice": "紫青稞米",
    "Highland barley cereal flakes": "青稞麦片",
    "Highland barley cookies, butter": "酥油青稞曲奇",
    "Highland barley granola": "青稞燕麦脆",
    "Highland barley energy bars": "青稞能量棒",
    "Nyemo Tibetan incense, classic": "尼木藏香（经典）",
    "Nyemo Tibetan incense, sandalwood": "尼木藏香（檀香）",
    "Tibetan paper notebook": "藏纸笔记本",
    "Prayer flag set": "经幡套装",
    "Hand-woven pulu rug": "手工氆氇地毯",
    "Thangka print, small": "唐卡印刷品（小）",
    "Tibetan knife, souvenir": "藏刀（纪念品）",
    "Butter lamp, brass": "黄铜酥油灯",
    "Incense holder, ceramic": "陶瓷香插",
    "Tibetan paper lantern": "藏纸灯笼",
    "Yak bone bracelet": "牦牛骨手串",
    "Dried yak cheese (chhurpi)": "牦牛奶渣干",
    "Butter tea powder": "酥油茶粉",
    "Sweet tea sachets": "甜茶包",
    "Yak yoghurt, set": "牦牛酸奶",
    "Milk dreg cakes": "奶渣饼",
    "Yak ghee": "牦牛黄油",
    "Cheese crisps": "奶酪脆片",
    "Butter tea gift set": "酥油茶礼盒",
    "Tibetan sweet tea, ready-to-drink": "藏式甜茶（即饮）",
}
NAMES_VI = {
    "Chu Se Robusta roasted beans": "Cà phê Robusta Chư Sê rang hạt",
    "Chu Se honey-processed Robusta": "Cà phê Robusta Chư Sê sơ chế mật ong",
    "Chu Se ground coffee, phin": "Cà phê bột Chư Sê pha phin",
    "Chu Se instant coffee 3-in-1": "Cà phê hòa tan Chư Sê 3 trong 1",
    "Chu Se green Robusta beans": "Cà phê nhân xanh Robusta Chư Sê",
    "Chu Se cold brew, bottled": "Cà phê ủ lạnh Chư Sê đóng chai",
    "Chu Se coffee cherry tea (cascara)": "Trà vỏ cà phê Chư Sê (cascara)",
    "Chu Se coffee gift box": "Hộp quà cà phê Chư Sê",
    "Chu Se drip-bag coffee": "Cà phê túi lọc Chư Sê",
    "Ia Grai black pepper": "Hạt tiêu đen Ia Grai",
    "Ia Grai red pepper, sun-dried": "Tiêu đỏ Ia Grai phơi nắng",
    "Ia Grai ground pepper": "Tiêu xay Ia Grai",
    "Ia Grai white pepper": "Tiêu sọ Ia Grai",
    "Ia Grai pepper salt": "Muối tiêu Ia Grai",
    "Ia Grai green peppercorns in brine": "Tiêu xanh ngâm Ia Grai",
    "Ia Grai pepper gift set": "Bộ quà tặng hồ tiêu Ia Grai",
    "Kbang forest honey": "Mật ong rừng Kbang",
}


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
            "name_en": name,
            "name_zh_hans": NAMES_ZH.get(name, ""),
            "name_vi": NAMES_VI.get(name, ""),
            "status": Product.Status.APPROVED if approved else Product.Status.SUBMITTED,
        },
    )
    return product


# Where a showroom visitor buys a demo product (the QR page's "Buy on ..." button): the
# platform's product-page address with the listing's id, on the platform's own site.
DEMO_PRODUCT_PAGES = {
    Platform.DOUYIN: "https://haohuo.jinritemai.com/views/product/item2?id={sku_id}",
    Platform.TIKTOK_SHOP: "https://shop.tiktok.com/view/product/{sku_id}?region=VN",
}


def _upsert_listing(product: Product, channel: Channel, sku_id: str) -> None:
    page = DEMO_PRODUCT_PAGES.get(channel.platform, "")
    PlatformListing.objects.update_or_create(
        product=product,
        platform=channel.platform,
        defaults={
            "channel": channel,
            "sku_id": sku_id,
            "seller_sku": product.slug.upper(),
            "url": page.format(sku_id=sku_id),
        },
    )
