"""WSGI entry point for production servers (gunicorn in docker-compose.yml)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce_base.settings.production")

application = get_wsgi_application()
