"""The database refuses a session in the wrong kind of room: live sales in studios, meetings in
meeting rooms, trainings in training rooms (livestreams/room_kinds.py says why triggers, on
PostgreSQL and on SQLite). Rows written before this migration are not rewritten; the triggers
check every new session and every change of a session's kind or room, or of a room's kind.

Nothing changes in the models' state, so `makemigrations --check` stays clean on every
backend.
"""

from django.db import migrations

from livestreams.room_kinds import install_room_kind_rule, remove_room_kind_rule


def forwards(apps, schema_editor):
    install_room_kind_rule(schema_editor.connection)


def backwards(apps, schema_editor):
    remove_room_kind_rule(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("livestreams", "0005_session_live_room_url_metrics_acu"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
