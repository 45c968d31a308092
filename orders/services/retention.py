"""Retention of uploaded exports: the files hold buyers' names, phones and addresses.

The figures live in the database (without buyer data); the file itself is kept only while
staff may need it: IMPORT_RETENTION_DAYS after a successful import, or until a failed one is
retried or purged. The nightly beat task and ``manage.py purge_import_files`` call this.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import Storage
from django.db.models import Q
from django.utils import timezone

from ..models import ImportBatch

# A file no batch names is an upload whose transaction was rolled back (or a batch deleted);
# younger than this it may be an upload still being recorded.
ORPHAN_GRACE = dt.timedelta(hours=1)
# A batch with these statuses may still read its file.
_IN_USE = (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
# Done with its file for good: imported, or recognised as a file imported before.
_DONE = (ImportBatch.Status.SUCCEEDED, ImportBatch.Status.DUPLICATE)


@dataclass(frozen=True)
class PurgeResult:
    batches: int
    orphans: int


def purge_import_files(
    *,
    now: dt.datetime | None = None,
    retention_days: int | None = None,
    batch_ids: Iterable[int] | None = None,
) -> PurgeResult:
    """Delete the stored files of batches past retention, or of ``batch_ids`` now.

    Without ``batch_ids``: the batches that finished successfully more than
    ``retention_days`` (default IMPORT_RETENTION_DAYS) ago. With them: those batches whatever
    their outcome, except one still queued or running. A file that another batch still needs
    (a re-import of the same name waiting or running) stays. The sweep (without
    ``batch_ids``) also deletes files no batch names, older than ORPHAN_GRACE. Safe to run
    twice; returns how many batches lost their file and how many orphans were deleted.
    """
    now = now or timezone.now()
    days = settings.IMPORT_RETENTION_DAYS if retention_days is None else retention_days
    candidates = ImportBatch.objects.exclude(file="").exclude(status__in=_IN_USE)
    if batch_ids is None:
        candidates = candidates.filter(
            status__in=_DONE, finished_at__lt=now - dt.timedelta(days=days)
        )
    else:
        candidates = candidates.filter(pk__in=list(batch_ids))
    names = set(candidates.values_list("file", flat=True))
    # Duplicates share their original's file name: the file goes only when no other batch
    # still needs it (waiting or running; for the retention sweep also failed, or younger).
    others = ImportBatch.objects.filter(file__in=names).exclude(pk__in=candidates.values("pk"))
    if batch_ids is None:
        others = others.filter(
            ~Q(status__in=_DONE) | Q(finished_at__gte=now - dt.timedelta(days=days))
        )
    else:
        others = others.filter(status__in=_IN_USE)
    kept = set(others.values_list("file", flat=True))
    purgeable = names - kept
    # The storage the field saved the files to (the private ``imports`` storage).
    storage = ImportBatch._meta.get_field("file").storage
    for name in purgeable:
        storage.delete(name)  # a missing file is no error: a purge may have been cut short
    batches = (
        ImportBatch.objects.filter(file__in=purgeable)
        .exclude(status__in=_IN_USE)
        .update(file="", file_purged_at=now)
    )
    orphans = 0 if batch_ids is not None else _delete_orphans(storage, now - ORPHAN_GRACE)
    return PurgeResult(batches=batches, orphans=orphans)


def _stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    folders, files = storage.listdir(folder) if storage.exists(folder or ".") else ([], [])
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _stored_names(storage, f"{folder}/{sub}" if folder else sub)


def _delete_orphans(storage: Storage, older_than: dt.datetime) -> int:
    named = set(ImportBatch.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for name in _stored_names(storage):
        if name not in named and storage.get_modified_time(name) < older_than:
            storage.delete(name)
            deleted += 1
    return deleted
