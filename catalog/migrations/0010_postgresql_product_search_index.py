"""PostgreSQL finds showcase products by text through a GIN index on their search document.

The expression is catalog.search.DOCUMENT_SQL with no table qualifier (an index refuses
them); the showcase's query repeats it so that the planner can use the index, and
tests/catalog/test_showcase_search.py checks that it does. Why an expression index rather than
a generated column is said in catalog/search.py. Other databases have no GIN indexes: there the
showcase matches substrings, and this migration does nothing. The index is not in the model's
Meta, so the migration state is the same on every backend and `makemigrations --check` stays
clean.
"""

from django.db import migrations

DOCUMENT_SQL = (
    "setweight(to_tsvector('english'::regconfig, name || ' ' || name_en), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, name || ' ' || name_en"
    " || ' ' || name_vi || ' ' || name_zh_hans), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, origin_province || ' '"
    " || origin_district || ' ' || origin_commune), 'B')"
    " || setweight(to_tsvector('english'::regconfig, description || ' '"
    " || description_en), 'C')"
    " || setweight(to_tsvector('simple'::regconfig, description || ' '"
    " || description_vi || ' ' || description_zh_hans), 'D')"
)

FORWARD_SQL = (
    "CREATE INDEX IF NOT EXISTS catalog_product_search_document "
    f"ON catalog_product USING gin (({DOCUMENT_SQL}));"
)
REVERSE_SQL = "DROP INDEX IF EXISTS catalog_product_search_document;"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD_SQL)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_product_translations"),
    ]

    operations = [
        migrations.RunPython(add_index, remove_index),
    ]
