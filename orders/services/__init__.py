"""Writes of the orders app: importing exports, attributing orders, rolling up sales."""

from .attribution import (
    attribute_orders,
    choose_session_for_order,
    reattribute_after_session_deleted,
    reattribute_around_session,
)
from .imports import (
    ImportUploadRefused,
    create_import_batch,
    requeue_stale_batches,
    run_import_batch,
)
from .matching import map_sku_to_product
from .queues import (
    QueueDecisionRefused,
    choose_session_for_ambiguous_orders,
    map_skus_to_product,
)
from .retention import purge_import_files
from .sales import recompute_session_sales
from .slots import compute_slot_figures, reslot_session
from .statuses import map_raw_status, unknown_statuses

__all__ = [
    "ImportUploadRefused",
    "QueueDecisionRefused",
    "attribute_orders",
    "choose_session_for_ambiguous_orders",
    "choose_session_for_order",
    "compute_slot_figures",
    "create_import_batch",
    "map_raw_status",
    "map_sku_to_product",
    "map_skus_to_product",
    "purge_import_files",
    "reattribute_after_session_deleted",
    "reattribute_around_session",
    "recompute_session_sales",
    "requeue_stale_batches",
    "reslot_session",
    "run_import_batch",
    "unknown_statuses",
]
