"""Tables that map the platforms' order statuses, in every UI language seen, to ours.

Normalised statuses: ``pending`` (placed, not paid or not confirmed), ``paid`` (confirmed,
waiting to ship; cash-on-delivery orders too), ``shipped``, ``delivered``, ``completed``,
``cancelled``, ``returned`` (refunded after payment, with or without goods coming back).
Keys are compared after ``header_key`` normalisation (NFC, single spaces, case-folded).
"""

from __future__ import annotations

from .values import header_key

__all__ = [
    "DOUYIN_AFTER_SALE_REFUNDED",
    "DOUYIN_STATUSES",
    "GENERIC_STATUSES",
    "LAZADA_STATUSES",
    "SHOPEE_RETURNED",
    "SHOPEE_STATUSES",
    "STATUSES",
    "TIKTOK_RETURN_TYPES",
    "TIKTOK_STATUSES",
    "TIKTOK_SUBSTATUSES",
    "UNKNOWN",
    "lookup",
    "shopee_return_state",
    "shopee_status",
]

STATUSES = ("pending", "paid", "shipped", "delivered", "completed", "cancelled", "returned")
# What a converter returns for a status no table knows: the order is kept with its raw text.
UNKNOWN = "unknown"


def _table(pairs: dict[str, str]) -> dict[str, str]:
    table = {header_key(raw): status for raw, status in pairs.items()}
    assert set(table.values()) <= set(STATUSES) | {"cancel", "return"}
    return table


# Vietnamese is written two ways ("hủy" and "huỷ"), so both spellings are listed.
TIKTOK_STATUSES = _table(
    {
        # English UI (headers are English whatever the UI language; values follow the UI).
        "Unpaid": "pending",
        "On hold": "pending",
        "To ship": "paid",
        "Awaiting shipment": "paid",
        "Awaiting collection": "paid",
        "Partially shipping": "shipped",
        "Shipped": "shipped",
        "In transit": "shipped",
        "Delivered": "delivered",
        "Completed": "completed",
        "Canceled": "cancelled",
        "Cancelled": "cancelled",
        # Vietnamese UI.
        "Chưa thanh toán": "pending",
        "Chờ thanh toán": "pending",
        "Đang giữ": "pending",
        "Cần gửi": "paid",
        "Chờ vận chuyển": "paid",
        "Đang chờ vận chuyển": "paid",
        "Chờ gửi hàng": "paid",
        "Chờ lấy hàng": "paid",
        "Đang chờ lấy hàng": "paid",
        "Đã vận chuyển": "shipped",
        "Đang vận chuyển": "shipped",
        "Đang giao": "shipped",
        "Đã giao": "delivered",
        "Đã giao hàng": "delivered",
        "Đã hoàn tất": "completed",
        "Hoàn tất": "completed",
        "Đã hoàn thành": "completed",
        "Hoàn thành": "completed",
        "Đã hủy": "cancelled",
        "Đã huỷ": "cancelled",
    }
)
# Order Substatus refines a "Completed" order: delivered, or completed for good.
TIKTOK_SUBSTATUSES = TIKTOK_STATUSES
TIKTOK_RETURN_TYPES = _table(
    {
        "Cancel": "cancel",
        "Hủy": "cancel",
        "Huỷ": "cancel",
        "Hủy đơn": "cancel",
        "Return/Refund": "return",
        "Refund only": "return",
        "Return and refund": "return",
        "Trả hàng/Hoàn tiền": "return",
        "Trả hàng/hoàn tiền": "return",
        "Chỉ hoàn tiền": "return",
        "Hoàn tiền": "return",
    }
)

DOUYIN_STATUSES = _table(
    {
        "待支付": "pending",
        "待付款": "pending",
        "待确认": "pending",
        "备货中": "paid",
        "待发货": "paid",
        "部分发货": "shipped",
        "已发货": "shipped",
        "待收货": "shipped",
        "已签收": "delivered",
        "已支付": "paid",
        "已完成": "completed",
        "交易成功": "completed",
        "已关闭": "cancelled",
        "已取消": "cancelled",
        "交易关闭": "cancelled",
    }
)
# 售后状态 values that mean the money went back to the buyer.
DOUYIN_AFTER_SALE_REFUNDED = frozenset(
    header_key(v) for v in ("退款成功", "退货退款成功", "仅退款成功", "换货成功退款", "售后完成")
)

SHOPEE_STATUSES = _table(
    {
        "Chờ xác nhận": "pending",
        "Chờ thanh toán": "pending",
        "Chưa thanh toán": "pending",
        "Chờ lấy hàng": "paid",
        "Chờ giao hàng": "paid",
        "Chờ vận chuyển": "paid",
        "Đang giao": "shipped",
        "Đang vận chuyển": "shipped",
        "Đã giao": "delivered",
        "Đã nhận hàng": "delivered",
        # Seen in real Shopee VN exports (received); missing from the first table.
        "Đã nhận được hàng": "delivered",
        "Đã giao hàng": "delivered",
        "Đang giao hàng": "shipped",
        "Hoàn thành": "completed",
        "Đã hoàn thành": "completed",
        "Đã hủy": "cancelled",
        "Đã huỷ": "cancelled",
        "Trả hàng/Hoàn tiền": "returned",
        # English UI (Singapore, Malaysia, Philippines).
        "Unpaid": "pending",
        "To ship": "paid",
        "Ready to ship": "paid",
        "Processed": "paid",
        "Shipping": "shipped",
        "Shipped": "shipped",
        "To receive": "shipped",
        "Delivered": "delivered",
        "Order Received": "delivered",
        "Completed": "completed",
        "Cancelled": "cancelled",
        "Canceled": "cancelled",
        "Return/Refund": "returned",
    }
)
# Delivered orders still open to returns show a sentence with a date instead of a status.
_SHOPEE_DELIVERED_PREFIXES = tuple(
    header_key(p)
    for p in (
        "Người mua xác nhận đã nhận được hàng",
        "Buyer has confirmed receipt",
        "Order Received",
    )
)
# Trạng thái Trả hàng/Hoàn tiền values after which the refund is granted (anything else that
# is not refused is a request still pending).
SHOPEE_RETURNED = frozenset(
    header_key(v)
    for v in (
        "Đã Chấp Thuận Yêu Cầu",
        "Hoàn tất trả hàng",
        "Đã hoàn tiền",
        "Hoàn tiền thành công",
        "Accepted",
        "Request Approved",
        "Return/Refund Accepted",
        "Completed",
        "Refund Paid",
        "Refunded",
    )
)

LAZADA_STATUSES = _table(
    {
        "unpaid": "pending",
        "pending": "pending",
        "topack": "paid",
        "confirmed": "paid",
        "packed": "paid",
        "repacked": "paid",
        "ready_to_ship": "paid",
        "ready_to_ship_pending": "paid",
        "shipped": "shipped",
        "delivered": "delivered",
        "completed": "completed",
        "canceled": "cancelled",
        "cancelled": "cancelled",
        # A failed delivery sells nothing: the parcel goes back to the seller.
        "failed": "cancelled",
        "failed_delivery": "cancelled",
        "lost_by_3pl": "cancelled",
        "damaged_by_3pl": "cancelled",
        "returned": "returned",
        "shipped_back": "returned",
        "shipped_back_success": "returned",
        "package_returned": "returned",
    }
)

# What a saved mapping for another platform may say: the union of the tables above plus
# the plain English words themselves.
GENERIC_STATUSES = {
    **{header_key(s): s for s in STATUSES},
    **dict(LAZADA_STATUSES.items()),
    **SHOPEE_STATUSES,
    **DOUYIN_STATUSES,
    **TIKTOK_STATUSES,
    header_key("refunded"): "returned",
    header_key("paid"): "paid",
    header_key("processing"): "paid",
    header_key("Đang xử lý"): "paid",
}


# Trạng thái Trả hàng/Hoàn tiền values after which nothing goes back to the buyer.
SHOPEE_RETURN_REFUSED = frozenset(
    header_key(v)
    for v in (
        "Đã từ chối",
        "Yêu cầu bị từ chối",
        "Từ chối",
        "Đã hủy yêu cầu",
        "Đã huỷ yêu cầu",
        "Rejected",
        "Request Rejected",
        "Request Cancelled",
        "Cancelled",
        "Closed",
    )
)


def shopee_return_state(raw: str) -> str:
    """Return ``""`` (no return), ``granted``, ``refused`` or ``pending`` for a Shopee return
    status; an unknown non-empty one is taken as pending, so it never lowers net GMV."""
    key = header_key(raw)
    if not key:
        return ""
    if key in SHOPEE_RETURNED:
        return "granted"
    if key in SHOPEE_RETURN_REFUSED:
        return "refused"
    return "pending"


def lookup(table: dict[str, str], raw: str) -> str | None:
    """Return the normalised status for ``raw`` in ``table``, or ``None`` if unknown."""
    return table.get(header_key(raw))


def shopee_status(raw: str) -> str | None:
    """Return the normalised Shopee order status, reading the delivered sentence by prefix."""
    key = header_key(raw)
    status = SHOPEE_STATUSES.get(key)
    if status is None and key.startswith(_SHOPEE_DELIVERED_PREFIXES):
        return "delivered"
    return status
