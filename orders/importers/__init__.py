"""The parsing layer of the order importer: platform exports in, canonical records out.

Pure Python (standard library and openpyxl), no Django: the import pipeline opens a file with
``open_export``, reads ``format`` / ``platform`` / ``estimated_rows``, and stores what
``iter_items`` yields. See each platform module for what its columns mean.

    with open_export(path, time_zone="Asia/Ho_Chi_Minh", default_currency="VND") as export:
        for item in export.iter_items():
            ...  # OrderLine, AffiliateLink or RowError, in file order
"""

from .base import PLATFORMS, AffiliateLink, ImportRefused, Item, OrderLine, RowError
from .detect import FORMATS, PLATFORM_LABELS
from .generic import FIELD_KINDS as GENERIC_FIELDS
from .reader import ExportReader, open_export
from .safety import DEFAULT_MAX_BYTES
from .statuses import STATUSES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "GENERIC_FIELDS",
    "PLATFORMS",
    "PLATFORM_LABELS",
    "STATUSES",
    "AffiliateLink",
    "ExportReader",
    "ImportRefused",
    "Item",
    "OrderLine",
    "RowError",
    "open_export",
]
