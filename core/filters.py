"""Filters shared by the apps' API list endpoints."""

import datetime as dt

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, given to the database in UTC.

    Python accepts UTC offsets up to ±23:59 and PostgreSQL only up to ±15:59, so a value such
    as ``0402-04-05T23:47:29-23:31`` passed through as written is a database error (a server
    error); in UTC every offset is fine. A moment that UTC cannot hold (year 1 at +07:00) is
    refused as invalid input.
    """

    default_error_messages = {
        "out_of_range": _("Give a date and time between the years 1 and 9999."),
    }

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError as error:
            raise ValidationError(
                self.error_messages["out_of_range"], code="out_of_range"
            ) from error


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField
