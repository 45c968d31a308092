from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from dashboards import services


class Command(BaseCommand):
    help = "Rewrite the dashboards' roll-ups from every session's sales roll-up (idempotent)."

    def handle(self, *args, **options) -> None:
        done = services.rebuild_all_rollups()
        self.stdout.write(_("Roll-ups rewritten for %(count)d sessions.") % {"count": done})
