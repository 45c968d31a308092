"""Which kind of room each kind of session is held in, and the database triggers that refuse
any other pairing.

Live sales (regular and megalive) are held in live studios, buyer meetings in meeting rooms
and trainings in training rooms: a studio is not free for a negotiation, a negotiation room
has no streaming kit, and a training of 30 farmers needs the seats of a training room (its
capacity is what the sign-up page counts against). One kind of room per kind of session
keeps the rule one line that staff, the forms and the database all read the same way.

Why triggers: the session's kind is on the session and the room's kind on the room, so a
CHECK constraint (one row of one table) cannot compare them. A copy of the room's kind on the
session, kept right by a composite foreign key, would need ALTER TABLE ... ADD FOREIGN KEY,
which SQLite does not have. Triggers exist on both PostgreSQL and SQLite and refuse the pair
whatever writes it (forms, services, the admin, raw SQL): one on the session (a new session,
or a change of its kind or room) and one on the room (a change of its kind while it holds a
session that would then be in the wrong room).

SQLite rebuilds a table (and drops its triggers) when a later migration alters it in ways
ALTER TABLE cannot; `install_room_kind_rule` is therefore run after every migrate as well
(post_migrate, see apps.py), and creates only the triggers that are missing.
"""

from django.core.exceptions import ValidationError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext_lazy as _

from .models import Room, Session

# The one place the pairing is written down; the triggers' SQL is built from it.
ROOM_KIND_FOR_SESSION: dict[str, str] = {
    Session.Kind.REGULAR: Room.Kind.STUDIO,
    Session.Kind.MEGALIVE: Room.Kind.STUDIO,
    Session.Kind.MEETING: Room.Kind.MEETING,
    Session.Kind.TRAINING: Room.Kind.TRAINING,
}

# Named in the database's error, so that a refusal can be told from other integrity errors.
RULE_NAME = "livestreams_session_room_kind"


def room_kind_message(session_kind: str, room: Room) -> str | None:
    """Why a session of this kind cannot be held in this room, or None when it can."""
    wanted = ROOM_KIND_FOR_SESSION[session_kind]
    if room.kind == wanted:
        return None
    return str(
        _("A %(session_kind)s session is held in a %(wanted)s, and %(room)s is a %(room_kind)s.")
        % {
            "session_kind": Session.Kind(session_kind).label.lower(),
            "wanted": Room.Kind(wanted).label.lower(),
            "room": room.name,
            "room_kind": Room.Kind(room.kind).label.lower(),
        }
    )


def check_room_kind(session_kind: str, room: Room) -> None:
    """Refuse, with a message naming the room, what the database triggers would refuse."""
    message = room_kind_message(session_kind, room)
    if message is not None:
        raise ValidationError({"room": message}, code="room_kind")


def _allowed(session_kind_sql: str, room_kind_sql: str) -> str:
    """A SQL condition true when the pair is allowed (kinds are fixed choices, not input)."""
    by_room: dict[str, list[str]] = {}
    for session_kind, room_kind in ROOM_KIND_FOR_SESSION.items():
        by_room.setdefault(str(room_kind), []).append(str(session_kind))
    return " OR ".join(
        f"({room_kind_sql} = '{room_kind}' AND {session_kind_sql} IN "
        f"({', '.join(repr(kind) for kind in session_kinds)}))"
        for room_kind, session_kinds in sorted(by_room.items())
    )


def postgresql_sql() -> str:
    # FOR SHARE locks the room row until the session's transaction ends, so a concurrent
    # change of the room's kind waits for it and then sees the new session (and is refused).
    # Built from constants (RULE_NAME, the kinds' fixed choices), never from input.
    return f"""
CREATE OR REPLACE FUNCTION {RULE_NAME}_session() RETURNS trigger AS $$
DECLARE
    room_kind varchar;
BEGIN
    SELECT kind INTO room_kind FROM livestreams_room WHERE id = NEW.room_id FOR SHARE;
    IF room_kind IS NOT NULL AND NOT ({_allowed("NEW.kind", "room_kind")}) THEN
        RAISE EXCEPTION '{RULE_NAME}: a % session cannot be held in a % room', NEW.kind, room_kind
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {RULE_NAME}_session ON livestreams_session;
CREATE TRIGGER {RULE_NAME}_session
    BEFORE INSERT OR UPDATE OF kind, room_id ON livestreams_session
    FOR EACH ROW EXECUTE FUNCTION {RULE_NAME}_session();

CREATE OR REPLACE FUNCTION {RULE_NAME}_room() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM livestreams_session s
         WHERE s.room_id = NEW.id AND NOT ({_allowed("s.kind", "NEW.kind")})
    ) THEN
        RAISE EXCEPTION '{RULE_NAME}: room % holds sessions that a % room cannot', NEW.id, NEW.kind
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {RULE_NAME}_room ON livestreams_room;
CREATE TRIGGER {RULE_NAME}_room
    BEFORE UPDATE OF kind ON livestreams_room
    FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION {RULE_NAME}_room();
"""  # noqa: S608


def sqlite_statements() -> list[str]:
    room_of_new = "(SELECT kind FROM livestreams_room WHERE id = NEW.room_id)"
    refuse_session = (
        f"SELECT RAISE(ABORT, '{RULE_NAME}: "
        "this kind of session cannot be held in this kind of room');"
    )
    refuse_room = (
        f"SELECT RAISE(ABORT, '{RULE_NAME}: "
        "the room holds sessions that this kind of room cannot');"
    )
    # Built from constants (RULE_NAME, the kinds' fixed choices), never from input.
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {RULE_NAME}_session_insert
    BEFORE INSERT ON livestreams_session
    FOR EACH ROW WHEN NOT ({_allowed("NEW.kind", room_of_new)})
    BEGIN {refuse_session} END""",
        f"""CREATE TRIGGER IF NOT EXISTS {RULE_NAME}_session_update
    BEFORE UPDATE OF kind, room_id ON livestreams_session
    FOR EACH ROW WHEN NOT ({_allowed("NEW.kind", room_of_new)})
    BEGIN {refuse_session} END""",
        f"""CREATE TRIGGER IF NOT EXISTS {RULE_NAME}_room
    BEFORE UPDATE OF kind ON livestreams_room
    FOR EACH ROW WHEN OLD.kind IS NOT NEW.kind AND EXISTS (
        SELECT 1 FROM livestreams_session s
         WHERE s.room_id = NEW.id AND NOT ({_allowed("s.kind", "NEW.kind")})
    )
    BEGIN {refuse_room} END""",  # noqa: S608
    ]


def install_room_kind_rule(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers on this database (PostgreSQL or SQLite; others rely on the forms
    and services). Safe to run again: it replaces or skips what exists."""
    tables = connection.introspection.table_names()
    if "livestreams_session" not in tables or "livestreams_room" not in tables:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(postgresql_sql())
        elif connection.vendor == "sqlite":
            for statement in sqlite_statements():
                cursor.execute(statement)


def remove_room_kind_rule(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"DROP TRIGGER IF EXISTS {RULE_NAME}_session ON livestreams_session;"
                f"DROP TRIGGER IF EXISTS {RULE_NAME}_room ON livestreams_room;"
                f"DROP FUNCTION IF EXISTS {RULE_NAME}_session();"
                f"DROP FUNCTION IF EXISTS {RULE_NAME}_room();"
            )
        elif connection.vendor == "sqlite":
            for suffix in ("session_insert", "session_update", "room"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {RULE_NAME}_{suffix}")
