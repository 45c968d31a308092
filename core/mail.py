"""Every e-mail the platform sends: rendered in each recipient's language, with absolute links
built from SITE_URL, and sent after the commit by a Celery task that retries a failing mail
server (never inside a web request).
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from . import tasks
from .models import Preference
from .types import AnyUser

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# A message in the active language: (subject, body). Called once per recipients' language.
Render = Callable[[], tuple[str, str]]


def absolute_url(path_or_name: str, *args: object) -> str:
    """SITE_URL + a path, or + the path of a URL name with ``args``: links that work in a mail."""
    path = path_or_name if path_or_name.startswith("/") else reverse(path_or_name, args=args)
    return settings.SITE_URL + path


def language_of(address: str) -> str:
    """The language a recipient reads: their account's preference, else the site's default."""
    language = (
        Preference.objects.filter(user__email__iexact=address)
        .order_by("-user__last_login")
        .values_list("language", flat=True)
        .first()
    )
    return language or settings.LANGUAGE_CODE


def send_email_on_commit(*, recipients: Iterable[str], render: Render) -> None:
    """Render the message in each recipient's language and queue one mail per recipient once
    the current transaction commits; a failing mail server is retried by the task."""
    addresses = sorted({address.strip() for address in recipients if address and address.strip()})
    if not addresses:
        return
    by_language: dict[str, list[str]] = defaultdict(list)
    for address in addresses:
        by_language[language_of(address)].append(address)
    messages = []
    for language, group in by_language.items():
        with translation.override(language):
            subject, body = render()
        messages += [(str(subject), str(body), address) for address in group]

    def queue() -> None:
        for subject, body, address in messages:
            try:
                tasks.send_email_task.delay(subject, body, address)
            except Exception:  # The broker's client raises many kinds; the change stands.
                logger.exception("Could not queue the mail %r to %s", subject, address)

    transaction.on_commit(queue)


def remember_language(user: AnyUser, language: str) -> None:
    """Keep the language a signed-in person uses, for the e-mails written to them."""
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        # Signed in, so not AnonymousUser: the user is a User row (AUTH_USER_MODEL).
        Preference.objects.update_or_create(
            user=cast("User", user), defaults={"language": language}
        )
