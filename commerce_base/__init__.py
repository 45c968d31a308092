"""Commerce Base project package: wires the apps together and exposes the Celery app."""

from .celery import app as celery_app

__all__ = ("celery_app",)
