"""Set-based upserts: INSERT ... ON CONFLICT DO UPDATE, keyed by a unique constraint.

Rows are dicts of plain Python values (str, int, Decimal, aware datetime, None, lists for
JSON) keyed by attribute name. On PostgreSQL they go straight to psycopg2's execute_values,
pages of rows per statement, with no model instance and no per-value field preparation (the
ORM path spent most of an import's time there). Elsewhere Django's
bulk_create(update_conflicts=True) does the same job more slowly.
"""

from django.db import connection, models
from psycopg2.extras import Json, execute_values

PAGE = 1000


def upsert(
    model: type[models.Model],
    rows: list[dict],
    *,
    unique_fields: list[str],
    update_fields: list[str],
) -> None:
    if not rows:
        return
    meta = model._meta
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**row) for row in rows],
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=[meta.get_field(name).name for name in update_fields],
        )
        return
    names = list(rows[0])
    fields = [meta.get_field(name) for name in names]
    json_positions = [i for i, field in enumerate(fields) if isinstance(field, models.JSONField)]
    values = [tuple(row[name] for name in names) for row in rows]
    if json_positions:
        values = [
            tuple(Json(v) if i in json_positions else v for i, v in enumerate(value))
            for value in values
        ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    conflict = ", ".join(quote(meta.get_field(name).column) for name in unique_fields)
    assignments = ", ".join(
        f"{quote(meta.get_field(name).column)} = EXCLUDED.{quote(meta.get_field(name).column)}"
        for name in update_fields
    )
    # Only quoted identifiers from the model's metadata are formatted in; values are parameters.
    table = quote(meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES %s ON CONFLICT ({conflict}) DO UPDATE SET "  # noqa: S608
    sql += assignments
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, values, page_size=PAGE)
