"""Uploaded exports move out of the public media folder, and a daily purge deletes them after
IMPORT_RETENTION_DAYS (issue: no buyer data left on disk).

The purge's schedule is a django-celery-beat row, so staff can change it in the admin. Files
of earlier uploads keep their names and move from MEDIA_ROOT to the private imports storage.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import migrations

TASK = "orders.tasks.purge_import_files_task"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    PeriodicTask.objects.get_or_create(
        name="Delete imported export files after their retention period",
        defaults={"task": TASK, "crontab": nightly, "queue": "default"},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


def move_files_out_of_media(apps, schema_editor):
    ImportBatch = apps.get_model("orders", "ImportBatch")
    private = Path(storages["imports"].location)
    for name in ImportBatch.objects.exclude(file="").values_list("file", flat=True).distinct():
        source = Path(settings.MEDIA_ROOT) / name
        if source.is_file():
            target = private / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0007_import_truth"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_schedule, remove_schedule),
        migrations.RunPython(move_files_out_of_media, migrations.RunPython.noop),
    ]
