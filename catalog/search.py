"""Text search of the public showcase: PostgreSQL full-text search, a substring match elsewhere.

On PostgreSQL a product's search document is a weighted tsvector over its names in every
language (A), its origin (B) and its descriptions (C, D), read by a GIN index on that very
expression (migration 0010). An expression index rather than a stored generated column: a
generated column freezes the columns it reads (PostgreSQL refuses to change the type of a
column a generated column uses, so a later AlterField on `name` would fail), and a trigger
filling a plain column is procedural code to keep in step; the index costs nothing but having
the query repeat its expression, which DOCUMENT_SQL does for both, and
tests/catalog/test_showcase_search.py checks that the planner uses it.

English text is read twice, by the `english` configuration (so "noodles" finds "noodle") and
by `simple`; Vietnamese and Chinese have no configuration in PostgreSQL and are read by
`simple` only. Chinese is written without spaces, so a whole Chinese name is one word to
PostgreSQL's parser: a query in Chinese also matches the names by substring. The cooperative's
name lives in another table, which no index expression can read: cooperatives are few, so the
ones whose name matches are looked up first and their products added by id.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.contrib.postgres.search import SearchVectorField as SearchVectorOutput
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from cooperatives.models import Cooperative

from .models import TRANSLATION_SUFFIXES, Product

# The document, with `{table}` the product table's qualifier ("" in the index, where
# PostgreSQL refuses qualified columns; the name of the table in queries, where `name`
# alone would be ambiguous beside the cooperative's). Migration 0010 holds a copy of it with
# no qualifier: change both together (the test of the index's use fails otherwise).
DOCUMENT_SQL = (
    "setweight(to_tsvector('english'::regconfig, {table}name || ' ' || {table}name_en), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, {table}name || ' ' || {table}name_en"
    " || ' ' || {table}name_vi || ' ' || {table}name_zh_hans), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, {table}origin_province || ' '"
    " || {table}origin_district || ' ' || {table}origin_commune), 'B')"
    " || setweight(to_tsvector('english'::regconfig, {table}description || ' '"
    " || {table}description_en), 'C')"
    " || setweight(to_tsvector('simple'::regconfig, {table}description || ' '"
    " || {table}description_vi || ' ' || {table}description_zh_hans), 'D')"
)

# Han characters (CJK unified ideographs and their extension A).
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")

NAME_FIELDS = ("name", *(f"name_{suffix}" for suffix in TRANSLATION_SUFFIXES))
DESCRIPTION_FIELDS = (
    "description",
    *(f"description_{suffix}" for suffix in TRANSLATION_SUFFIXES),
)
ORIGIN_FIELDS = ("origin_province", "origin_district", "origin_commune")


def _any_contains(fields: tuple[str, ...], text: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return condition


def search_products(products: QuerySet[Product], text: str) -> QuerySet[Product]:
    """`products` that match `text`, annotated with `search_rank` (higher is better)."""
    if connection.vendor == "postgresql":
        return _full_text_search(products, text)
    return _substring_search(products, text)


def _full_text_search(products: QuerySet[Product], text: str) -> QuerySet[Product]:
    query = SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    # A constant of our own, with no input in it; the visitor's text reaches PostgreSQL only as
    # the parameters of the SearchQuery.
    document = RawSQL(  # noqa: S611
        DOCUMENT_SQL.format(table=f'"{Product._meta.db_table}".'),
        [],
        output_field=SearchVectorOutput(),
    )
    cooperative_ids = list(
        Cooperative.objects.annotate(document=SearchVector("name", config="simple"))
        .filter(document=query)
        .values_list("pk", flat=True)
    )
    products = products.annotate(search_document=document)
    matches = Q(search_document=query)
    if cooperative_ids:
        matches |= Q(cooperative_id__in=cooperative_ids)
    if _HAN.search(text):
        matches |= _any_contains(NAME_FIELDS, text)
    return products.filter(matches).annotate(search_rank=SearchRank(document, query))


def _substring_search(products: QuerySet[Product], text: str) -> QuerySet[Product]:
    """Elsewhere (SQLite): every word somewhere in a name, description, the cooperative's
    name or the origin; products whose name holds the whole text first."""
    fields = (*NAME_FIELDS, *DESCRIPTION_FIELDS, *ORIGIN_FIELDS, "cooperative__name")
    for word in text.split():
        products = products.filter(_any_contains(fields, word))
    return products.annotate(
        search_rank=Case(
            When(_any_contains(NAME_FIELDS, text), then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
