"""The beat schedules data migrations create, as a test reads them.

A transactional test (a real worker, a browser) flushes every table when it ends, and data
migrations do not run again: a later test in the same process would find no schedule although
the migration made one. So the migration's own function (idempotent) is run first, after
checking that the migration really runs it.
"""

import importlib

from django.apps import apps
from django.db.migrations import RunPython
from django_celery_beat.models import PeriodicTask


def migrated_schedule(migration: str, task: str) -> PeriodicTask:
    module = importlib.import_module(migration)
    runs = [op.code for op in module.Migration.operations if isinstance(op, RunPython)]
    assert module.create_schedule in runs, f"{migration} does not create the schedule"
    module.create_schedule(apps, None)
    return PeriodicTask.objects.select_related("crontab", "interval").get(task=task)
