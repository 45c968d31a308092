from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Roles, accounts pages, background jobs and the site's frame (navigation, home)."""

    name = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # Imported in ready(): these modules load models, which needs the app registry.
        from .receivers import remember_language_at_login
        from .roles import sync_role_permissions_after_migrate

        # Apps added later bring new models; their permissions exist only after migrate has
        # run, so the role groups are brought up to date after every migrate.
        post_migrate.connect(sync_role_permissions_after_migrate, dispatch_uid="core.roles")
        # The language someone signs in with is the one their e-mails are written in.
        user_logged_in.connect(remember_language_at_login, dispatch_uid="core.language")
