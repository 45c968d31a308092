"""One way to move a workflow's status (sessions, cooperatives, products).

Web requests and workers touch the same rows, so a move is a conditional UPDATE acted on only
when the row was in a status the move starts from. The status it moved from is read in the
same transaction, under the row's lock, so that what the history records is the value the
update replaced, not an older one read before another request moved the row.
"""

from collections.abc import Collection
from typing import Any

from django.db import models, transaction


@transaction.atomic
def move_status(
    model: type[models.Model],
    *,
    pk: object,
    sources: Collection[str],
    target: str,
    **fields: Any,
) -> str | None:
    """Move row `pk` of `model` to `target` (and set `fields`) if its status is one of
    `sources`; returns the status it had, or None when it was in none of them (nothing
    changed)."""
    manager = model._default_manager
    current = manager.select_for_update().filter(pk=pk).values_list("status", flat=True).first()
    if current is None or current not in sources:
        return None
    changed = manager.filter(pk=pk, status=current).update(status=target, **fields)
    # The row is locked since the read above: it cannot have moved in between.
    return current if changed == 1 else None
