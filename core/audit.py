"""One audit trail, kept by django-auditlog: who changed what, and when.

The models whose edits change figures or decisions are registered in one place, settings'
AUDITLOG_INCLUDE_TRACKING_MODELS (auditlog registers them when it is ready): which fields are
logged, which are left out (long text, timestamps that change on every save) and which are
masked (personal data: the log records that they changed, never their values).

auditlog sees `Model.save()` and `delete()` through signals. It does not see
`QuerySet.update()` nor `bulk_create()`: the order importer's bulk writes are not logged (on
purpose, they would drown the staff's decisions), and a service that records a decision in
bulk writes its entries itself with `log_bulk_update()`.

The actor is the signed-in user of the request (AuditMiddleware) or, for services called
with an explicit actor (the API's token users, whom middleware cannot see), `acting_as()`.
"""

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from auditlog import get_logentry_model
from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, auditlog_value, set_extra_data
from auditlog.middleware import AuditlogMiddleware
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

MASK = "•••"

ACTION_LABELS = {
    0: _("Created"),
    1: _("Changed"),
    2: _("Deleted"),
    3: _("Viewed"),
}


def mask_personal_data(value: str) -> str:
    """AUDITLOG_MASK_CALLABLE: auditlog's default keeps half of the value; we keep none."""
    return MASK


def _context(actor) -> dict:
    # "actor_email": auditlog copies the actor's e-mail into every entry; the actor's id is
    # enough to say who it was, and their address must not outlive their account in the log.
    return {"actor": actor, "actor_email": None, "remote_addr": None, "remote_port": None}


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware (records the signed-in user as the actor), without copying the
    actor's e-mail address nor their IP address into the log."""

    def get_extra_data(self, request):
        return _context(self._get_actor(request))


@contextlib.contextmanager
def acting_as(actor):
    """Entries written inside name `actor` (a user; None changes nothing). The request's own
    actor, if any, applies again afterwards."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        yield
        return
    try:
        previous = auditlog_value.get()
    except LookupError:
        previous = None
    try:
        with set_extra_data(context_data=_context(actor)):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)


def log_bulk_update(
    model: type[models.Model],
    changes: Mapping[int, tuple[str, dict[str, list[str]]]],
    *,
    actor,
) -> None:
    """Log rows changed with QuerySet.update(), which auditlog cannot see: `changes` maps
    each pk to (its text, {field: [old, new]}) with values as auditlog writes them (strings,
    "None" for null). One INSERT per 500 rows."""
    if not changes or auditlog_disabled.get():
        return
    LogEntry = get_logentry_model()
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    cid = get_cid()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(pk),
                object_id=pk,
                object_repr=text,
                action=LogEntry.Action.UPDATE,
                changes=fields,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                timestamp=now,
                cid=cid,
            )
            for pk, (text, fields) in changes.items()
        ],
        batch_size=500,
    )


def log_change(obj: models.Model, changes: dict[str, list[str]], *, actor) -> None:
    """Log a change auditlog could not see (made with QuerySet.update()) on a registered
    object: `changes` is {field: [old, new]} with values as auditlog writes them."""
    if auditlog_disabled.get() or not auditlog.contains(type(obj)._meta.concrete_model):
        return
    get_logentry_model().objects.log_create(
        obj,
        action=get_logentry_model().Action.UPDATE,
        changes=changes,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def status_move_logger(subject: str):
    """A post_save receiver for a review model (from_status, to_status, actor). Status moves
    are compare-and-swap QuerySet.update()s, which auditlog cannot see; the review row written
    with each one is logged as the move on its `subject` (product, cooperative)."""

    def log_status_move(sender, instance, created, raw=False, **kwargs) -> None:
        if created and not raw and instance.from_status != instance.to_status:
            log_change(
                getattr(instance, subject),
                {"status": [str(instance.from_status), str(instance.to_status)]},
                actor=instance.actor,
            )

    return log_status_move


# --- Reading the trail --------------------------------------------------------------------


def audited_model(app_label: str, model_name: str) -> type[models.Model]:
    """The registered model of that name; any other (or none) is a 404."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if not auditlog.contains(model):
        raise Http404
    return model


def entries_for(model: type[models.Model], pk) -> models.QuerySet:
    """The object's entries, newest first, with their actor."""
    return (
        get_logentry_model()
        .objects.filter(content_type=ContentType.objects.get_for_model(model), object_pk=str(pk))
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    when: dt.datetime
    who: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _blank(value) -> bool:
    return value is None or value in ("None", "")


def history_rows(entries: Iterable, model: type[models.Model]) -> list[HistoryRow]:
    """Entries as rows to read: field labels, choices' labels, related objects' names (one
    query per related model on the page, whatever the number of entries), local times."""
    entries = list(entries)
    fields = {f.name: f for f in model._meta.concrete_fields}
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        for name, values in (entry.changes_dict or {}).items():
            model_field = fields.get(name)
            if model_field is not None and model_field.is_relation:
                for value in values:
                    if not _blank(value) and value != MASK:
                        with contextlib.suppress(ValidationError):
                            wanted[model_field.related_model].add(
                                model_field.target_field.to_python(value)
                            )
    related = {
        related_model: related_model._base_manager.in_bulk(sorted(pks))
        for related_model, pks in wanted.items()
    }

    def shown(model_field, value) -> str:
        if _blank(value):
            return "—"
        if value == MASK or model_field is None:
            return str(value)
        if model_field.is_relation:
            try:
                target = related[model_field.related_model].get(
                    model_field.target_field.to_python(value)
                )
            except (KeyError, ValidationError):
                target = None
            return str(target) if target is not None else f"#{value}"
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return str(_("yes") if value in ("True", True) else _("no"))
        if isinstance(model_field, models.DateTimeField):
            try:
                moment = dt.datetime.fromisoformat(str(value))
            except ValueError:
                return str(value)
            if timezone.is_naive(moment):  # auditlog stores datetimes as naive UTC
                moment = moment.replace(tzinfo=dt.UTC)
            return formats.localize(timezone.localtime(moment))
        return str(value)

    rows = []
    for entry in entries:
        actor = entry.actor
        row = HistoryRow(
            when=entry.timestamp,
            who=(actor.get_full_name() or actor.get_username())
            if actor is not None
            else str(_("System (import or background job)")),
            action=str(ACTION_LABELS.get(entry.action, entry.action)),
        )
        for name, values in (entry.changes_dict or {}).items():
            model_field = fields.get(name)
            old, new = (list(values) + [None, None])[:2]
            row.changes.append(
                Change(
                    label=str(model_field.verbose_name) if model_field is not None else name,
                    old=shown(model_field, old),
                    new=shown(model_field, new),
                )
            )
        rows.append(row)
    return rows
