"""Slugs for public URLs (cooperatives, products)."""

import uuid

from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, *, fallback: str) -> str:
    """A slug of `text` no row of `model` has yet; a short random suffix when taken. The
    unique constraint on the column is the last word if two requests race."""
    base = (slugify(text) or fallback)[:200]
    slug = base
    while model._default_manager.filter(slug=slug).exists():
        slug = f"{base}-{uuid.uuid4().hex[:6]}"
    return slug
