from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = (
        "Create or refresh the demo data of every app (the Lhasa base and the Gia Lai "
        "programme). Idempotent: running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        # Each app seeds its own part in `<app>/demo.py`, in dependency order (INSTALLED_APPS).
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                try:
                    module = import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app_config.name}.demo":
                        raise
                    continue
                summary = module.seed()
                if summary:
                    self.stdout.write(f"{app_config.verbose_name}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with:"))
        for username, role, description in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {DEMO_PASSWORD}   {role}: {description}")
