"""Thin Celery tasks of the catalogue: ids in, one service call, safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


# The name matches the `catalog.tasks.*image*` route, so thumbnails run on the "images" queue.
# A lost database connection is transient: retry a few times rather than leave no thumbnail.
@shared_task(
    name="catalog.tasks.make_product_image_thumbnail_task",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def make_product_image_thumbnail_task(image_id: int) -> bool:
    return services.make_product_image_thumbnail(image_id=image_id)


@shared_task(name="catalog.tasks.warn_expiring_certifications_task")
def warn_expiring_certifications_task() -> int:
    return services.send_certification_expiry_warnings()
