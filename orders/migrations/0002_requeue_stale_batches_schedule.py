"""Every minute, batches whose worker died are given back to the queue (RELIABILITY.md R2).

The schedule is a django-celery-beat row, so staff can change it in the admin."""

from django.db import migrations

TASK = "orders.tasks.requeue_stale_batches_task"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Re-queue import batches whose worker died",
        defaults={"task": TASK, "interval": every_minute, "queue": "imports"},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
