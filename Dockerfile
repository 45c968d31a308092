# One image for web (gunicorn), worker and beat; docker-compose.yml chooses the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so that code changes do not reinstall them: the exact versions of the
# lock file (hashes checked), then the project itself.
COPY requirements/production.lock requirements/production.lock
RUN pip install --require-hashes -r requirements/production.lock
COPY pyproject.toml README.md ./
RUN pip install --no-deps .

COPY . .
RUN useradd --create-home --uid 1000 app \
    && mkdir -p /app/media /app/private /app/staticfiles /app/var \
    && chown -R app:app /app/media /app/private /app/staticfiles /app/var
USER app

EXPOSE 8000
CMD ["gunicorn", "commerce_base.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
