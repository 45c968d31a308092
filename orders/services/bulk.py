"""Set-based upserts: INSERT ... ON CONFLICT DO UPDATE, keyed by a unique constraint.

Rows are dicts of plain Python values (str, int, Decimal, aware datetime, None, lists for
JSON) keyed by attribute name. On PostgreSQL they are streamed with COPY into a temporary
staging table shaped like the target's columns, then moved by one INSERT ... SELECT ... ON
CONFLICT: no model instance, no per-value adaptation by the driver, no SQL text holding the
values for the server to parse (`execute_values` spent a third of an import's time there).
Elsewhere Django's bulk_create(update_conflicts=True) does the same job more slowly.
"""

import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import IO, Any, Protocol, cast

from django.db import connection, models, transaction

# COPY's text format, with a NULL marker of its own instead of the default "\\N": with a
# backslash in the marker, every row holding a NULL (nearly all of them) looked as if it needed
# escaping and took the slow path. The marker is a control character that exports do not hold;
# where a value holds it all the same, the slow path escapes it (octal) so it reads back as text.
_NULL = "\x1f"
_COPY_NULL_OPTION = "NULL E'\\x1f'"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", _NULL: "\\037"})


class CopyCursor(Protocol):
    """A DB-API cursor of psycopg2, which reads COPY data from a file."""

    def copy_expert(self, sql: str, file: IO[str], /) -> object: ...


def _json_text(value: object) -> str | None:
    if value is None:
        return None
    # Most JSON values written in bulk are empty lists (an order's candidate sessions).
    return "[]" if value == [] else json.dumps(value)


# A field of any model: Field's parameters are the Python types it sets and gets, which differ
# from one field to the next.
def _field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    """The concrete field called ``name`` (or with that attname): upserts name columns only."""
    # get_field() may also return a reverse relation or a generic foreign key, never named here.
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


def _column(model: type[models.Model], name: str) -> str:
    """The database column of field ``name`` (set on every concrete field; the stubs allow None)."""
    return cast("str", _field(model, name).column)


def copy_rows(
    cursor: CopyCursor,
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple[object, ...]],
    *,
    json_at: Sequence[int] = (),
) -> None:
    """COPY ``rows`` (tuples in ``columns`` order) into ``table`` in COPY's text format.

    Values are written as ``str()`` gives them (PostgreSQL reads that text for numbers, times
    and booleans); ``json_at`` are the positions of JSON values. A row whose text holds a
    separator, a backslash or the NULL marker is written again with every value escaped.
    """
    buffer = io.StringIO()
    write = buffer.write
    separators = len(columns) - 1
    row: tuple[object, ...] | list[object]
    for row in rows:
        if json_at:
            row = list(row)
            for position in json_at:
                row[position] = _json_text(row[position])
        line = "\t".join([_NULL if value is None else str(value) for value in row])
        if (
            line.count("\t") != separators
            or line.count(_NULL) != row.count(None)
            or "\\" in line
            or "\n" in line
            or "\r" in line
        ):
            line = "\t".join(
                [_NULL if value is None else str(value).translate(_COPY_ESCAPES) for value in row]
            )
        write(line)
        write("\n")
    buffer.seek(0)
    cursor.copy_expert(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH ({_COPY_NULL_OPTION})", buffer
    )


def _tuples(
    rows: Sequence[Mapping[str, object]], names: list[str], defaults: Mapping[str, object]
) -> list[tuple[object, ...]]:
    """The rows as tuples in ``names`` order, the defaults (the last names) appended."""
    given = names[: len(names) - len(defaults)]
    tail = tuple(defaults.values())
    if len(given) == 1:  # itemgetter of one name gives the value, not a tuple
        (name,) = given
        return [(row[name], *tail) for row in rows]
    pick = itemgetter(*given)
    if not tail:
        return [pick(row) for row in rows]
    return [pick(row) + tail for row in rows]


def upsert(
    model: type[models.Model],
    rows: Sequence[Mapping[str, object]],
    *,
    unique_fields: list[str],
    update_fields: list[str],
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert ``rows``, updating ``update_fields`` of those whose unique key exists.

    Returns the ``returning`` attributes (e.g. ``id``) of every row given, in no set order:
    values as the database gives them back (Any, as a cursor's rows are).
    """
    if not rows:
        return []
    meta = model._meta
    if connection.vendor != "postgresql":
        # Django sets the primary keys of the rows written (SQLite 3.35+, MariaDB).
        # The default manager is ``objects``: the models upserted declare no other.
        objects = model._default_manager.bulk_create(
            [model(**row) for row in rows],
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=[meta.get_field(name).name for name in update_fields],
        )
        return [tuple(getattr(obj, name) for name in returning) for obj in objects]
    names = list(rows[0])
    # Columns the rows leave out take their model default, as bulk_create would give them
    # (the database has no defaults of its own: Django keeps them in Python).
    defaults = {
        field.attname: field.get_default()
        for field in meta.concrete_fields
        if field.attname not in rows[0] and field.has_default() and not field.primary_key
    }
    names += list(defaults)
    fields = [_field(model, name) for name in names]
    quote = connection.ops.quote_name
    columns = [quote(_column(model, name)) for name in names]
    column_list = ", ".join(columns)
    table = quote(meta.db_table)
    # One staging table per target and column set, made once per connection; emptied before
    # each use and at each commit. Only quoted identifiers from model metadata are formatted in.
    shape = hashlib.md5(column_list.encode(), usedforsecurity=False).hexdigest()[:8]
    stage = quote(f"stage_{meta.db_table}_{shape}")
    conflict = ", ".join(quote(_column(model, name)) for name in unique_fields)
    assignments = ", ".join(
        f"{quote(_column(model, name))} = EXCLUDED.{quote(_column(model, name))}"
        for name in update_fields
    )
    sql = (
        f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM {stage} "  # noqa: S608
        f"ON CONFLICT ({conflict}) DO UPDATE SET {assignments}"
    )
    if returning:
        sql += " RETURNING " + ", ".join(quote(_column(model, name)) for name in returning)
    # In a transaction: the staging rows live until the commit.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS "  # noqa: S608
            f"SELECT {column_list} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"DELETE FROM {stage}")  # noqa: S608
        copy_rows(
            cursor.cursor,
            stage,
            columns,
            _tuples(rows, names, defaults),
            json_at=[i for i, field in enumerate(fields) if isinstance(field, models.JSONField)],
        )
        cursor.execute(sql)
        return cursor.fetchall() if returning else []


def can_insert_directly() -> bool:
    """Whether ``insert_new`` COPYs straight into tables (PostgreSQL); else use ``upsert``."""
    return connection.vendor == "postgresql"


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Take ``count`` primary keys from the table's sequence (PostgreSQL), in one round trip.

    Rows COPYed with these ids need no RETURNING and no read-back to learn them; a sequence
    never gives a value twice, whatever other sessions do meanwhile.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    column = _column(model, model._meta.pk.attname)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_new(model: type[models.Model], rows: Sequence[Mapping[str, object]]) -> None:
    """COPY rows that do not exist yet straight into ``model``'s table (PostgreSQL only).

    No staging table and no ON CONFLICT: the caller knows the rows are new, and a row that
    exists after all fails the whole COPY with an IntegrityError (unique key), which the caller
    catches in a savepoint to write them with ``upsert`` instead. Columns the rows leave out
    take their model default, as in ``upsert``.
    """
    if not rows:
        return
    meta = model._meta
    names = list(rows[0])
    defaults = {
        field.attname: field.get_default()
        for field in meta.concrete_fields
        if field.attname not in rows[0] and field.has_default() and not field.primary_key
    }
    names += list(defaults)
    fields = [_field(model, name) for name in names]
    quote = connection.ops.quote_name
    # The driver's own cursor copies; its errors are raised as Django's (IntegrityError).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        copy_rows(
            cursor.cursor,
            quote(meta.db_table),
            [quote(_column(model, name)) for name in names],
            _tuples(rows, names, defaults),
            json_at=[i for i, field in enumerate(fields) if isinstance(field, models.JSONField)],
        )
