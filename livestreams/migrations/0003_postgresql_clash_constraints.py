"""PostgreSQL refuses clashes itself: exclusion constraints over the blocked time spans.

A room never holds two overlapping non-cancelled sessions, and a host is never in two at once.
Ranges are half-open, [start, scheduled end + setup buffer), so back-to-back sessions fit.
The host constraint works on copies of the session's span kept on each SessionHost row;
triggers keep the copies right whatever writes the rows (forms, services, raw SQL).

Other databases have no exclusion constraints: there the forms and services refuse clashes,
and this migration does nothing. The constraints are not in the models' Meta, so the
migration state is the same on every backend and `makemigrations --check` stays clean.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

FORWARD_SQL = """
ALTER TABLE livestreams_session
    ADD CONSTRAINT livestreams_session_no_room_overlap
    EXCLUDE USING gist (
        room_id WITH =,
        tstzrange(scheduled_start, occupied_until, '[)') WITH &&
    ) WHERE (status <> 'cancelled');

CREATE OR REPLACE FUNCTION livestreams_sessionhost_copy_session() RETURNS trigger AS $$
BEGIN
    SELECT s.scheduled_start, s.occupied_until, s.status = 'cancelled'
      INTO NEW.session_start, NEW.session_occupied_until, NEW.session_is_cancelled
      FROM livestreams_session s WHERE s.id = NEW.session_id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER livestreams_sessionhost_copy_session
    BEFORE INSERT OR UPDATE ON livestreams_sessionhost
    FOR EACH ROW EXECUTE FUNCTION livestreams_sessionhost_copy_session();

CREATE OR REPLACE FUNCTION livestreams_session_sync_hosts() RETURNS trigger AS $$
BEGIN
    UPDATE livestreams_sessionhost
       SET session_start = NEW.scheduled_start,
           session_occupied_until = NEW.occupied_until,
           session_is_cancelled = (NEW.status = 'cancelled')
     WHERE session_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER livestreams_session_sync_hosts
    AFTER UPDATE OF scheduled_start, occupied_until, status ON livestreams_session
    FOR EACH ROW
    WHEN (OLD.scheduled_start IS DISTINCT FROM NEW.scheduled_start
          OR OLD.occupied_until IS DISTINCT FROM NEW.occupied_until
          OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION livestreams_session_sync_hosts();

ALTER TABLE livestreams_sessionhost
    ADD CONSTRAINT livestreams_sessionhost_no_host_overlap
    EXCLUDE USING gist (
        host_id WITH =,
        tstzrange(session_start, session_occupied_until, '[)') WITH &&
    ) WHERE (NOT session_is_cancelled);
"""

REVERSE_SQL = """
ALTER TABLE livestreams_sessionhost DROP CONSTRAINT IF EXISTS livestreams_sessionhost_no_host_overlap;
DROP TRIGGER IF EXISTS livestreams_session_sync_hosts ON livestreams_session;
DROP FUNCTION IF EXISTS livestreams_session_sync_hosts();
DROP TRIGGER IF EXISTS livestreams_sessionhost_copy_session ON livestreams_sessionhost;
DROP FUNCTION IF EXISTS livestreams_sessionhost_copy_session();
ALTER TABLE livestreams_session DROP CONSTRAINT IF EXISTS livestreams_session_no_room_overlap;
"""


class SharedBtreeGistExtension(BtreeGistExtension):
    """Created if missing; never dropped on the way back, as other apps' constraints use it."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD_SQL)


def remove_constraints(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("livestreams", "0002_sessions_series_metrics_meetings_reminders"),
    ]

    operations = [
        # A no-op on other vendors (CreateExtension checks the vendor itself).
        SharedBtreeGistExtension(),
        migrations.RunPython(add_constraints, remove_constraints),
    ]
