"""A product's name and description in English, Vietnamese and Simplified Chinese.

Visitors read them in their language; where the product has none in it, they read the name as
the cooperative gave it, else any other language it has.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.models import Product, translation_suffix
from tests.catalog.factories import DisplayFactory, DisplaySlotFactory, ProductFactory

pytestmark = pytest.mark.django_db

TRANSLATED = {
    "name": "Thịt bò yak sấy khô",
    "name_en": "Dried yak meat",
    "name_zh_hans": "牦牛肉干",
    "description": "Phơi khô trên cao nguyên.",
    "description_en": "Air-dried on the plateau.",
    "description_zh_hans": "高原风干。",
}


def product(**fields) -> Product:
    return ProductFactory(**{**TRANSLATED, **fields})


@pytest.mark.parametrize(
    ("language", "name", "description"),
    [
        ("en", "Dried yak meat", "Air-dried on the plateau."),
        ("zh-hans", "牦牛肉干", "高原风干。"),
        # No Vietnamese translation: the name as the cooperative gave it (here in Vietnamese).
        ("vi", "Thịt bò yak sấy khô", "Phơi khô trên cao nguyên."),
    ],
)
def test_the_active_language_comes_first_then_the_name_as_given(language, name, description):
    yak = product()
    with translation.override(language):
        assert (yak.translated_name, yak.translated_description) == (name, description)


def test_an_empty_original_falls_back_to_any_language_that_has_one():
    yak = product(description="", description_en="", description_zh_hans="草饲。")
    with translation.override("vi"):
        assert yak.translated_description == "草饲。"
    with translation.override("en"):
        assert yak.translated_description == "草饲。"
    bare = ProductFactory(description="")
    assert bare.translated_description == ""


def test_regional_and_unknown_languages_read_the_right_column():
    assert translation_suffix("zh-hans") == "zh_hans"
    assert translation_suffix("en-gb") == "en"
    assert translation_suffix("fr") == ""


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("zh-hans", "牦牛肉干", "Dried yak meat"), ("en", "Dried yak meat", "牦牛肉干")],
)
def test_the_showcase_product_page_and_qr_card_speak_the_visitors_language(
    anonymous, cooperative, language, shown, hidden
):
    yak = product(cooperative=cooperative, slug="dried-yak-meat")
    display = DisplayFactory(product=yak, slot=DisplaySlotFactory())
    pages = [
        anonymous.get(reverse("catalog:showcase"), HTTP_ACCEPT_LANGUAGE=language),
        anonymous.get(yak.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language),
        anonymous.get(
            reverse("catalog:display-qr", args=[display.pk]), HTTP_ACCEPT_LANGUAGE=language
        ),
        anonymous.get(
            reverse("catalog:showcase-cooperative", args=[cooperative.slug]),
            HTTP_ACCEPT_LANGUAGE=language,
        ),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert shown in html
        assert hidden not in html
    product_page = pages[1].content.decode()
    description = TRANSLATED["description_zh_hans" if language == "zh-hans" else "description_en"]
    assert description in product_page


def test_a_member_enters_the_translations_in_the_product_form(coop_client, cooperative):
    form = coop_client.get(reverse("catalog:product-create")).content.decode()
    for field in ("name_en", "name_vi", "name_zh_hans", "description_vi"):
        assert f'name="{field}"' in form
    response = coop_client.post(
        reverse("catalog:product-create"),
        {
            "name": "Cà phê Robusta Chư Sê",
            "name_en": "Chu Se Robusta coffee",
            "name_zh_hans": "邱色罗布斯塔咖啡",
            "description_en": "Roasted at the cooperative.",
            "unit": "bag",
            "price": "165000",
            "currency": "VND",
        },
    )
    assert response.status_code == 302
    coffee = Product.objects.get()
    assert (coffee.name, coffee.name_en, coffee.name_vi, coffee.name_zh_hans) == (
        "Cà phê Robusta Chư Sê",
        "Chu Se Robusta coffee",
        "",
        "邱色罗布斯塔咖啡",
    )
    assert coffee.description_en == "Roasted at the cooperative."


def test_staff_change_a_translation_in_the_same_form(staff_client, cooperative):
    yak = product(cooperative=cooperative, status=Product.Status.APPROVED)
    data = {
        "name": yak.name,
        "name_en": yak.name_en,
        "name_vi": "Khô bò yak",
        "name_zh_hans": yak.name_zh_hans,
        "unit": yak.unit,
        "price": "120",
        "currency": "CNY",
    }
    response = staff_client.post(reverse("catalog:product-edit", args=[yak.pk]), data)
    assert response.status_code == 302
    yak.refresh_from_db()
    assert yak.name_vi == "Khô bò yak"
    with translation.override("vi"):
        assert yak.translated_name == "Khô bò yak"


def test_the_api_reads_and_writes_every_language(coop_client, cooperative):
    response = coop_client.post(
        "/api/v1/products/",
        {
            "cooperative": cooperative.pk,
            "name": "Hạt tiêu Ia Grai",
            "name_en": "Ia Grai black pepper",
            "name_zh_hans": "嘉莱黑胡椒",
            "description_vi": "Tiêu đen phơi nắng.",
            "price": "95000",
            "currency": "VND",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = coop_client.get(f"/api/v1/products/{response.json()['id']}/").json()
    assert {key: body[key] for key in ("name_en", "name_vi", "name_zh_hans")} == {
        "name_en": "Ia Grai black pepper",
        "name_vi": "",
        "name_zh_hans": "嘉莱黑胡椒",
    }
    assert body["description_vi"] == "Tiêu đen phơi nắng."
    assert body["description_en"] == "" and body["description_zh_hans"] == ""
