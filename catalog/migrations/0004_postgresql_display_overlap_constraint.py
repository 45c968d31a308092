"""PostgreSQL refuses two displays in one slot at once: an exclusion constraint over time spans.

Spans are half-open, [starts_at, ends_at), with an open end meaning "until further notice", so
one product may follow another in the same slot at the same instant. Other databases have no
exclusion constraints: there the service (catalog.services.place_display) refuses overlaps, and
this migration does nothing. The constraint is not in the model's Meta, so the migration state
is the same on every backend and `makemigrations --check` stays clean.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

FORWARD_SQL = """
ALTER TABLE catalog_display
    ADD CONSTRAINT catalog_display_no_slot_overlap
    EXCLUDE USING gist (
        slot_id WITH =,
        tstzrange(starts_at, ends_at, '[)') WITH &&
    );
"""

REVERSE_SQL = "ALTER TABLE catalog_display DROP CONSTRAINT IF EXISTS catalog_display_no_slot_overlap;"


class SharedBtreeGistExtension(BtreeGistExtension):
    """Created if missing; never dropped on the way back, as other apps' constraints use it."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD_SQL)


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_certification_expiry_schedule"),
    ]

    operations = [
        # A no-op on other vendors (CreateExtension checks the vendor itself).
        SharedBtreeGistExtension(),
        migrations.RunPython(add_constraint, remove_constraint),
    ]
