"""Types the apps' services and selectors share."""

from typing import TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# Whoever makes a request: request.user's type, signed in or not.
AnyUser: TypeAlias = AbstractBaseUser | AnonymousUser
