"""The Celery application: configured from Django settings under the CELERY namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce_base.settings.base")

app = Celery("commerce_base")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
