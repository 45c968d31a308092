"""Text search on the public showcase: PostgreSQL full-text search, substrings elsewhere.

The tests at the top hold on every backend; those marked for PostgreSQL run where CI runs the
suite (DATABASE_URL set to PostgreSQL), the SQLite ones where the suite runs by default.
"""

import importlib

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from catalog.models import Product
from catalog.search import DOCUMENT_SQL, search_products
from tests.catalog.factories import ProductFactory
from tests.cooperatives.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    not settings.IS_POSTGRESQL, reason="full-text search runs on PostgreSQL only"
)
sqlite_only = pytest.mark.skipif(
    settings.IS_POSTGRESQL, reason="the substring fallback runs where PostgreSQL does not"
)


def search(client, text: str, **params):
    return client.get(reverse("catalog:showcase"), {"q": text, **params})


def shown(response) -> list[str]:
    return [product.name for product in response.context["page"]]


@pytest.fixture
def shelf(cooperative):
    """Coffee, pepper and yak meat from two bases, named in three languages."""
    lhasa = CooperativeFactory(name="Nyingchi Highland Herders", slug="nyingchi-herders")
    return {
        "coffee": ProductFactory(
            cooperative=cooperative,
            name="Cà phê Robusta Chư Sê",
            name_en="Chu Se Robusta coffee",
            description="Rang tại hợp tác xã.",
            origin_province="Gia Lai",
        ),
        "pepper": ProductFactory(
            cooperative=CooperativeFactory(name="Ia Grai Spice Growers", slug="ia-grai-spice"),
            name="Hạt tiêu đen",
            name_en="Black pepper",
            description_en="Sun-dried; goes well with robusta coffee.",
            origin_province="Gia Lai",
        ),
        "yak": ProductFactory(
            cooperative=lhasa,
            name="Dried yak meat",
            name_zh_hans="牦牛肉干",
            name_vi="Thịt bò yak sấy khô",
            origin_province="Tibet",
            origin_district="Nyingchi",
        ),
    }


def test_a_name_in_any_language_finds_the_product(anonymous, shelf):
    assert shown(search(anonymous, "牦牛肉干")) == ["Dried yak meat"]
    assert shown(search(anonymous, "sấy khô")) == ["Dried yak meat"]
    assert shown(search(anonymous, "Black pepper")) == ["Hạt tiêu đen"]


def test_the_cooperative_origin_and_description_find_the_product(anonymous, shelf):
    assert shown(search(anonymous, "Herders")) == ["Dried yak meat"]
    assert shown(search(anonymous, "Nyingchi")) == ["Dried yak meat"]
    assert set(shown(search(anonymous, "Gia Lai"))) == {"Cà phê Robusta Chư Sê", "Hạt tiêu đen"}
    assert shown(search(anonymous, "hợp tác xã")) == ["Cà phê Robusta Chư Sê"]


def test_a_name_match_ranks_before_a_description_match(anonymous, shelf):
    # Without the rank, the showcase's order (by name) would put the pepper first.
    assert shown(search(anonymous, "robusta coffee")) == ["Cà phê Robusta Chư Sê", "Hạt tiêu đen"]


def test_search_combines_with_the_filters(anonymous, shelf):
    assert shown(search(anonymous, "Gia Lai", category=shelf["pepper"].category.slug)) == [
        "Hạt tiêu đen"
    ]
    assert shown(search(anonymous, "yak", origin="Gia Lai")) == []


def test_a_search_with_no_match_says_so(anonymous, shelf):
    response = search(anonymous, "durian")
    html = response.content.decode()
    assert response.status_code == 200
    assert shown(response) == []
    assert "No product matches “durian”." in html
    assert 'value="durian"' in html
    # Only products of the showcase are searched: an unapproved one stays hidden.
    ProductFactory(name="Durian cake", status="draft")
    assert shown(search(anonymous, "durian")) == []


def test_the_search_box_and_the_page_links_keep_the_query(anonymous, cooperative):
    for number in range(25):
        ProductFactory(cooperative=cooperative, name=f"Highland barley tea {number:02d}")
    ProductFactory(cooperative=cooperative, name="Dried yak meat")
    first = search(anonymous, "barley tea")
    html = first.content.decode()
    assert first.context["page"].paginator.count == 25
    assert 'name="q"' in html and 'value="barley tea"' in html
    assert "?q=barley+tea&amp;page=2" in html
    second = anonymous.get(reverse("catalog:showcase") + "?q=barley+tea&page=2")
    assert shown(second) == ["Highland barley tea 24"]


def test_the_index_migration_builds_the_document_the_query_searches():
    migration = importlib.import_module("catalog.migrations.0010_postgresql_product_search_index")
    assert DOCUMENT_SQL.format(table="") == migration.DOCUMENT_SQL


@pytest.mark.parametrize("rows", [1, 6])
def test_a_search_stays_within_its_query_budget(
    anonymous, cooperative, django_assert_num_queries, rows
):
    for number in range(rows):
        ProductFactory(cooperative=cooperative, name=f"Robusta {number}")
    # count of products; distinct origins; categories; the page of products; their primary
    # photos; their current certifications; on PostgreSQL, the cooperatives whose name matches.
    with django_assert_num_queries(7 if settings.IS_POSTGRESQL else 6):
        response = search(anonymous, "robusta")
    assert len(shown(response)) == rows


@postgresql_only
def test_postgresql_matches_english_words_by_their_stem(anonymous, shelf):
    ProductFactory(name="Mì gạo", name_en="Rice noodle")
    assert shown(search(anonymous, "noodles")) == ["Mì gạo"]
    assert shown(search(anonymous, "dried")) == ["Dried yak meat", "Hạt tiêu đen"]


@postgresql_only
def test_postgresql_finds_part_of_a_chinese_name(anonymous, shelf):
    # Chinese has no spaces: to the parser 牦牛肉干 is one word, which 牦牛 alone would miss.
    assert shown(search(anonymous, "牦牛")) == ["Dried yak meat"]


@postgresql_only
def test_postgresql_ranks_names_over_origins_over_descriptions(anonymous, cooperative):
    ProductFactory(cooperative=cooperative, name="A pepper", description="From Kon Tum.")
    ProductFactory(cooperative=cooperative, name="B pepper", origin_province="Kon Tum")
    ProductFactory(cooperative=cooperative, name="C Kon Tum pepper")
    assert shown(search(anonymous, "Kon Tum")) == ["C Kon Tum pepper", "B pepper", "A pepper"]


@postgresql_only
def test_postgresql_answers_from_the_gin_index(shelf):
    # The search's own condition, on products alone: the showcase adds conditions (status,
    # the cooperative's status) that a planner may as well start from on a small table.
    queryset = search_products(Product.objects.all(), "pepper")
    with connection.cursor() as cursor:
        # With so few rows the planner would rather scan the table; forbidding that shows
        # whether the index can answer the query at all (it cannot if the expressions differ).
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "catalog_product_search_document" in plan, plan


@sqlite_only
def test_elsewhere_part_of_a_word_is_enough(anonymous, shelf):
    assert shown(search(anonymous, "robus")) == ["Cà phê Robusta Chư Sê", "Hạt tiêu đen"]
    assert shown(search(anonymous, "牦牛")) == ["Dried yak meat"]
