"""Generate realistic synthetic platform order exports, for tests, demos and benchmarks.

This is an independent second copy of the platforms' formats: it is written from the layouts
of the real exports, not from ``orders.importers``, and imports nothing of the product. A
misreading of a format in the importers therefore shows up as a failing round trip instead of
being repeated here. Keep it that way: never import the importers' column tables into it.

The files follow the real layouts: TikTok Shop orders (CSV with BOM,
LF, tab-protected ids and times, 54 columns; or XLSX with a description row), the TikTok
affiliate export, Douyin CSV, Shopee Vietnam XLSX and Lazada XLSX. Data is synthetic and
deterministic per seed; any size is written in constant memory, one order at a time.

Every order has its whole life decided up front (payment, shipping, delivery, cancellation,
return), and an export shows each order as it stands at ``as_of``: two exports of the same
orders taken at different moments differ only in what moved on, as real re-downloads do.

    python -m devtools.exportgen --platform tiktok --rows 200000 --seed 1 --out orders.csv
    python -m devtools.exportgen --platform tiktok_affiliate --live-room-id 7561422738198907666 \\
        --creator kol.gialai --start 2025-05-20T19:00 --end 2025-05-20T21:00 --out aff.csv
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import hashlib
import io
import json
import random
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "DOUYIN_HEADER",
    "LAZADA_HEADER",
    "PLATFORMS",
    "SHOPEE_HEADER",
    "TIKTOK_AFFILIATE_HEADER",
    "TIKTOK_HEADER",
    "TIKTOK_HEADER_2026",
    "ExportConfig",
    "ExportSummary",
    "SkuSpec",
    "SyntheticLine",
    "SyntheticOrder",
    "default_skus",
    "iter_orders",
    "main",
    "write_export",
]

PLATFORMS = ("tiktok", "tiktok_affiliate", "douyin", "shopee", "lazada")

# The TikTok Shop Vietnam order export, 2025: 54 columns in this order, spelling exact.
TIKTOK_HEADER = [
    "Order ID",
    "Order Status",
    "Order Substatus",
    "Cancelation/Return Type",
    "Normal or Pre-order",
    "SKU ID",
    "Seller SKU",
    "Product Name",
    "Variation",
    "Quantity",
    "Sku Quantity of return",
    "SKU Unit Original Price",
    "SKU Subtotal Before Discount",
    "SKU Platform Discount",
    "SKU Seller Discount",
    "SKU Subtotal After Discount",
    "Shipping Fee After Discount",
    "Original Shipping Fee",
    "Shipping Fee Seller Discount",
    "Shipping Fee Platform Discount",
    "Payment platform discount",
    "Taxes",
    "Order Amount",
    "Order Refund Amount",
    "Created Time",
    "Paid Time",
    "RTS Time",
    "Shipped Time",
    "Delivered Time",
    "Cancelled Time",
    "Cancel By",
    "Cancel Reason",
    "Fulfillment Type",
    "Warehouse Name",
    "Tracking ID",
    "Delivery Option",
    "Shipping Provider Name",
    "Buyer Message",
    "Buyer Username",
    "Recipient",
    "Phone #",
    "Country",
    "Province",
    "District",
    "Commune",
    "Detail Address",
    "Additional address information",
    "Payment Method",
    "Weight(kg)",
    "Product Category",
    "Package ID",
    "Seller Note",
    "Checked Status",
    "Checked Marked by",
]
# The 2026 layout drops Taxes and adds the creator link; columns are matched by name.
TIKTOK_HEADER_2026 = [h for h in TIKTOK_HEADER if h != "Taxes"] + [
    "Order Channel",
    "Creator Handle",
]
# The Vietnamese UI's field descriptions, shown in the XLSX's second row.
TIKTOK_DESCRIPTIONS = {
    "Order ID": "Mã đơn hàng duy nhất của nền tảng.",
    "Order Status": "Trạng thái hiện tại của đơn hàng.",
    "SKU ID": "Mã SKU của nền tảng.",
    "Seller SKU": "SKU do người bán nhập trong hệ thống sản phẩm.",
    "Quantity": "Số lượng SKU đã bán trong đơn hàng.",
    "SKU Subtotal After Discount": "Bằng Tổng phụ SKU trước giảm giá trừ các giảm giá.",
    "Order Amount": "Tổng số tiền người mua đã thanh toán.",
    "Created Time": "Thời gian tạo đơn hàng.",
}
TIKTOK_AFFILIATE_HEADER = [
    "ID đơn hàng",
    "ID sản phẩm",
    "Tên sản phẩm",
    "Sku",
    "Id Sku",
    "Sku người bán",
    "Giá",
    "Payment Amount",
    "Đơn vị tiền tệ",
    "Số lượng",
    "Phương thức thanh toán",
    "Trạng thái đơn hàng",
    "Tên người dùng nhà sáng tạo",
    "Loại nội dung",
    "Id nội dung",
    "commission model",
    "Tỷ lệ khấu trừ Thuế TNCN",
    "Thuế TNCN ước tính",
    "Thuế TNCN thực tế ",
    "Tỷ lệ hoa hồng tiêu chuẩn",
    "Cơ sở hoa hồng ước tính",
    "Thanh toán hoa hồng tiêu chuẩn ước tính",
    "Cơ sở hoa hồng thực tế",
    "Thanh toán hoa hồng thực tế",
    "Tỷ lệ hoa hồng Quảng cáo cửa hàng",
    "Thanh toán hoa hồng Quảng cáo cửa hàng ước tính",
    "Thanh toán hoa hồng Quảng cáo cửa hàng thực tế",
    "Thưởng đồng chi trả cho nhà sáng tạo ước tính",
    "Thưởng đồng chi trả cho nhà sáng tạo thực tế",
    "Trả hàng & hoàn tiền",
    "Hoàn tiền",
    "Thời gian đã tạo",
    "Thời gian thanh toán",
    "Thời gian sẵn sàng vận chuyển",
    "Order Delivery Time",
    "Thời gian hoàn thành đơn hàng",
    "Thời gian hoa hồng đã thanh toán",
    "Platform",
    "agreement_type",
]
DOUYIN_HEADER = [
    "主订单编号",
    "子订单编号",
    "选购商品",
    "商品规格",
    "商品数量",
    "商品ID",
    "商家编码",
    "商品单价",
    "订单应付金额",
    "运费",
    "优惠总金额",
    "平台优惠",
    "商家优惠",
    "达人优惠",
    "商家改价",
    "支付优惠",
    "红包抵扣",
    "支付方式",
    "手续费",
    "收件人",
    "收件人手机号",
    "省",
    "市",
    "区",
    "街道",
    "详细地址",
    "是否修改过地址",
    "买家留言",
    "订单提交时间",
    "旗帜颜色",
    "商家备注",
    "订单完成时间",
    "支付完成时间",
    "APP渠道",
    "流量来源",
    "订单状态",
    "承诺发货时间",
    "订单类型",
    "鲁班落地页ID",
    "达人ID",
    "达人昵称",
    "所属门店ID",
    "售后状态",
    "取消原因",
    "预约发货时间",
    "仓库ID",
    "仓库名称",
    "是否安心购",
    "广告渠道",
    "流量类型",
    "流量体裁",
    "流量渠道",
    "发货主体",
    "发货主体明细",
    "发货时间",
    "降价类优惠",
    "平台实际承担优惠金额",
    "商家实际承担优惠金额",
    "达人实际承担优惠金额",
    "预计送达时间",
    "是否平台仓自流转",
    "车型",
    "预约送达时间",
    "建议发货时间（起）",
    "建议发货时间（止）",
]
SHOPEE_HEADER = [
    "Mã đơn hàng",
    "Mã Kiện Hàng",
    "Ngày đặt hàng",
    "Trạng Thái Đơn Hàng",
    "Sản Phẩm Bán Chạy",
    "Lý do hủy",
    "Nhận xét từ Người mua",
    "Mã vận đơn",
    "Đơn Vị Vận Chuyển",
    "Phương thức giao hàng",
    "Loại đơn hàng",
    "Ngày giao hàng dự kiến",
    "Ngày gửi hàng",
    "Thời gian giao hàng",
    "Trạng thái Trả hàng/Hoàn tiền",
    "SKU sản phẩm",
    "Tên sản phẩm",
    "Cân nặng sản phẩm",
    "Tổng cân nặng",
    "Tên kho hàng",
    "SKU phân loại hàng",
    "Tên phân loại hàng",
    "Giá gốc",
    "Người bán trợ giá",
    "Được Shopee trợ giá",
    "Tổng số tiền được người bán trợ giá",
    "Giá ưu đãi",
    "Số lượng",
    "Số lượng sản phẩm được hoàn trả",
    "Tổng giá bán (sản phẩm)",
    "Tổng giá trị đơn hàng (VND)",
    "Mã giảm giá của Shop",
    "Hoàn Xu",
    "Mã giảm giá của Shopee",
    "Chỉ tiêu Combo Khuyến Mãi",
    "Giảm giá từ combo Shopee",
    "Giảm giá từ Combo của Shop",
    "Shopee Xu được hoàn",
    "Số tiền được giảm khi thanh toán bằng thẻ Ghi nợ",
    "Trade-in Discount",
    "Trade-in Bonus",
    "Phí vận chuyển (dự kiến)",
    "Trade-in Bonus by Seller",
    "Phí vận chuyển mà người mua trả",
    "Phí vận chuyển tài trợ bởi Shopee (dự kiến)",
    "Phí trả hàng",
    "Tổng số tiền người mua thanh toán",
    "Thời gian hoàn thành đơn hàng",
    "Thời gian đơn hàng được thanh toán",
    "Phương thức thanh toán",
    "Phí cố định",
    "Phí Dịch Vụ",
    "Phí thanh toán",
    "Tiền ký quỹ",
    "Người Mua",
    "Tên Người nhận",
    "Số điện thoại",
    "Tỉnh/Thành phố",
    "TP / Quận / Huyện",
    "Quận",
    "Địa chỉ nhận hàng",
    "Quốc gia",
    "Ghi chú",
]
# Real Shopee files store some headers decomposed; readers must normalise.
SHOPEE_NFD_HEADERS = frozenset(
    {
        "Ngày gửi hàng",
        "Cân nặng sản phẩm",
        "Giá ưu đãi",
        "Được Shopee trợ giá",
        "Phí vận chuyển mà người mua trả",
        "Tổng cân nặng",
    }
)
# Newer Shopee files add a per-line total whose header differs from the order total by case.
SHOPEE_LINE_TOTAL_HEADER = "Tổng số tiền Người mua thanh toán"
LAZADA_HEADER = [
    "orderItemId",
    "orderType",
    "Guarantee",
    "deliveryType",
    "lazadaId",
    "sellerSku",
    "lazadaSku",
    "wareHouse",
    "createTime",
    "updateTime",
    "rtsSla",
    "ttsSla",
    "orderNumber",
    "invoiceRequired",
    "invoiceNumber",
    "deliveredDate",
    "customerName",
    "customerEmail",
    "nationalRegistrationNumber",
    "shippingName",
    "shippingAddress",
    "shippingAddress2",
    "shippingAddress3",
    "shippingAddress4",
    "shippingAddress5",
    "shippingPhone",
    "shippingPhone2",
    "shippingCity",
    "shippingPostCode",
    "shippingCountry",
    "shippingRegion",
    "billingName",
    "billingAddr",
    "billingAddr2",
    "billingAddr3",
    "billingAddr4",
    "billingAddr5",
    "billingPhone",
    "billingPhone2",
    "billingCity",
    "billingPostCode",
    "billingCountry",
    "taxCode",
    "branchNumber",
    "taxInvoiceRequested",
    "payMethod",
    "paidPrice",
    "unitPrice",
    "sellerDiscountTotal",
    "shippingFee",
    "walletCredit",
    "itemName",
    "variation",
    "cdShippingProvider",
    "shippingProvider",
    "shipmentTypeName",
    "shippingProviderType",
    "cdTrackingCode",
    "trackingCode",
    "trackingUrl",
    "shippingProviderFM",
    "trackingCodeFM",
    "trackingUrlFM",
    "promisedShippingTime",
    "premium",
    "status",
    "buyerFailedDeliveryReturnInitiator",
    "buyerFailedDeliveryReason",
    "buyerFailedDeliveryDetail",
    "buyerFailedDeliveryUserName",
    "bundleId",
    "bundleDiscount",
    "refundAmount",
]


@dataclass(frozen=True, slots=True)
class SkuSpec:
    """A product variant a shop sells: what the catalogue's listings must hold to match."""

    seller_sku: str
    name: str
    variation: str
    price: Decimal
    sku_id: str = ""
    product_id: str = ""


# The default catalogue: goods of the Gia Lai and Lhasa programmes, prices in dong.
_CATALOGUE_VN = (
    ("GL-COFFEE-ROBUSTA", "Cà phê Robusta Gia Lai nguyên hạt", "Túi 500g", 175000),
    ("GL-COFFEE-ARABICA", "Cà phê Arabica Kon Hà Nừng", "Túi 250g", 155000),
    ("GL-PEPPER-BLACK", "Hạt tiêu đen Chư Sê", "Hũ 200g", 98000),
    ("GL-HONEY-COFFEE", "Mật ong hoa cà phê Ia Grai", "Chai 500ml", 215000),
    ("GL-MACADAMIA", "Hạt mắc ca sấy nứt vỏ", "Hộp 500g", 235000),
    ("GL-DURIAN-DRIED", "Sầu riêng sấy giòn", "Túi 250g", 185000),
    ("GL-ANT-SALT", "Muối kiến vàng Gia Lai", "Hũ 100g", 60000),
    ("GL-RICE-WINE", "Rượu cần Bahnar", "Bình 2 lít", 320000),
    ("GL-BROCADE-SCARF", "Khăn thổ cẩm Jrai dệt tay", "80 x 30 cm", 280000),
    ("LS-YAK-JERKY", "Thịt bò Yak sấy khô Lhasa", "Túi 250g", 245000),
    ("LS-TSAMPA", "Bột lúa mạch rang Tsampa", "Túi 1kg", 95000),
    ("LS-BARLEY-TEA", "Trà lúa mạch cao nguyên", "Hộp 30 gói", 120000),
    ("LS-BUTTER-TEA", "Trà bơ Tây Tạng hoà tan", "Hộp 20 gói", 145000),
    ("LS-YAK-CHEESE", "Phô mai sữa bò Yak", "Túi 200g", 150000),
    ("LS-HIGHLAND-HONEY", "Mật ong hoa cải dầu cao nguyên", "Hũ 500g", 195000),
    ("LS-BARLEY-BISCUIT", "Bánh quy lúa mạch đen", "Hộp 300g", 75000),
)
# Douyin sells the Lhasa goods in yuan, under Chinese names.
_CATALOGUE_CN = (
    ("LS-YAK-JERKY", "拉萨牦牛肉干 手撕风干", "250g", "72.00"),
    ("LS-TSAMPA", "青稞糌粑 原味", "1kg", "32.80"),
    ("LS-BARLEY-TEA", "高原青稞茶", "30袋/盒", "39.90"),
    ("LS-BUTTER-TEA", "藏式酥油茶 速溶", "20袋/盒", "48.00"),
    ("LS-YAK-CHEESE", "牦牛奶酪", "200g", "42.00"),
    ("LS-HIGHLAND-HONEY", "高原油菜花蜂蜜", "500g", "55.00"),
    ("LS-BARLEY-BISCUIT", "黑青稞饼干", "300g/盒", "22.90"),
    ("LS-BARLEY-WINE", "西藏青稞酒", "500ml", "66.00"),
)
_REGIONS_VN = (
    ("Gia Lai", "Pleiku", "Ia Kring"),
    ("Gia Lai", "An Khê", "An Bình"),
    ("Hồ Chí Minh", "Thủ Đức", "Linh Trung"),
    ("Hà Nội", "Đống Đa", "Láng Hạ"),
    ("Đà Nẵng", "Sơn Trà", "An Hải Bắc"),
    ("Đắk Lắk", "Buôn Ma Thuột", "Tân Thành"),
    ("Khánh Hòa", "Nha Trang", "Vĩnh Hải"),
)
_REGIONS_CN = (
    ("西藏自治区", "拉萨市", "城关区"),
    ("四川省", "成都市", "锦江区"),
    ("广东省", "深圳市", "南山区"),
    ("北京市", "北京市", "朝阳区"),
    ("浙江省", "杭州市", "西湖区"),
)
_CANCEL_REASONS = (
    "No longer needed",
    "Need to change delivery address",
    "Found a better price elsewhere",
    "Payment method issue",
)
_DOUYIN_CANCEL_REASONS = ("不想要了", "地址填写错误", "其他渠道价格更低", "商品选错了")
DEFAULT_START = dt.datetime(2025, 5, 20, 19, 0)
DEFAULT_END = dt.datetime(2025, 5, 20, 21, 0)
DEFAULT_CREATOR = "kol.gialai"
DEFAULT_CREATOR_ID = "7592255573464597541"
# Days after delivery during which an order stays open to returns.
_RETURN_WINDOW = dt.timedelta(days=7)


@dataclass(slots=True)
class SyntheticLine:
    """One line of a synthetic order."""

    number: int
    sku: SkuSpec
    quantity: int
    seller_discount: Decimal
    platform_discount: Decimal

    @property
    def before(self) -> Decimal:
        """Subtotal before discounts."""
        return self.sku.price * self.quantity

    @property
    def after(self) -> Decimal:
        """Subtotal after all discounts: the line value."""
        return self.before - self.seller_discount - self.platform_discount


@dataclass(slots=True)
class SyntheticOrder:
    """A synthetic order with its whole life; times are naive, in the shop's local time."""

    index: int
    order_id: str
    created: dt.datetime
    lines: list[SyntheticLine]
    cash_on_delivery: bool
    buyer: int
    region: tuple[str, str, str]
    shipping_fee: Decimal
    paid: dt.datetime | None = None
    shipped: dt.datetime | None = None
    delivered: dt.datetime | None = None
    cancelled: dt.datetime | None = None
    cancelled_by: str = ""
    cancel_reason: str = ""
    returned: dt.datetime | None = None
    returned_quantities: dict[int, int] = field(default_factory=dict)
    live_room_id: str = ""
    creator_handle: str = ""

    @property
    def items_total(self) -> Decimal:
        """Sum of the line values."""
        return sum((line.after for line in self.lines), Decimal(0))

    def state(self, as_of: dt.datetime) -> OrderState:
        """Return what an export taken at ``as_of`` shows of this order."""

        def seen(moment: dt.datetime | None) -> dt.datetime | None:
            return moment if moment is not None and moment <= as_of else None

        paid, shipped, delivered = seen(self.paid), seen(self.shipped), seen(self.delivered)
        cancelled, returned = seen(self.cancelled), seen(self.returned)
        if cancelled:
            status = "cancelled"
        elif returned:
            status = "returned"
        elif delivered:
            status = "completed" if as_of - delivered >= _RETURN_WINDOW else "delivered"
        elif shipped:
            status = "shipped"
        elif paid or self.cash_on_delivery:
            status = "to_ship"
        else:
            status = "unpaid"
        return OrderState(status, paid, shipped, delivered, cancelled, returned)

    def returned_quantity(self, line: SyntheticLine, state: OrderState) -> int:
        """Return the units of ``line`` returned as of ``state``."""
        if state.returned is None:
            return 0
        return self.returned_quantities.get(line.number, 0)


@dataclass(frozen=True, slots=True)
class OrderState:
    """An order as one export shows it."""

    status: str  # unpaid, to_ship, shipped, delivered, completed, returned, cancelled
    paid: dt.datetime | None
    shipped: dt.datetime | None
    delivered: dt.datetime | None
    cancelled: dt.datetime | None
    returned: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ExportConfig:
    """What to generate. Times are naive wall-clock times in the shop's zone.

    ``rows`` is the number of data rows wanted (Lazada: units); the last order may overshoot it
    by a few lines. ``orders``, when given, is the exact number of orders instead (``rows`` is
    then ignored). ``skus`` defaults to ``default_skus(platform, seed)``. Orders placed during
    a live carry one of ``live_room_ids`` (with ``creator_handle``) at ``live_share``.
    ``tiktok_layout`` is ``"2025"`` (54 columns) or ``"2026"`` (no Taxes; Order Channel and
    Creator Handle). ``language`` sets the UI language of TikTok statuses (``en`` or ``vi``).
    """

    platform: str
    rows: int = 1000
    orders: int | None = None
    seed: int = 1
    start: dt.datetime = DEFAULT_START
    end: dt.datetime = DEFAULT_END
    as_of: dt.datetime | None = None
    skus: tuple[SkuSpec, ...] | None = None
    live_room_ids: tuple[str, ...] = ()
    creator_handle: str = DEFAULT_CREATOR
    creator_id: str = DEFAULT_CREATOR_ID
    live_share: float = 0.7
    cancel_rate: float = 0.08
    return_rate: float = 0.03
    cash_on_delivery_rate: float = 0.6
    tiktok_layout: str = "2025"
    language: str = "en"
    encoding: str = "utf-8"
    shopee_line_total_column: bool = False

    @property
    def effective_as_of(self) -> dt.datetime:
        """The moment the export shows: ``as_of``, else 30 days after ``end``."""
        return self.as_of or self.end + dt.timedelta(days=30)

    @property
    def decimal_places(self) -> int:
        """Douyin amounts are yuan with fen; the others are in dong."""
        return 2 if self.platform == "douyin" else 0


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What ``write_export`` wrote."""

    rows: int
    orders: int
    platform: str
    file_format: str


_QUANTUMS = {places: Decimal(1).scaleb(-places) for places in range(5)}


def _money(value: Decimal, places: int) -> Decimal:
    return value.quantize(_QUANTUMS[places], rounding=ROUND_HALF_UP)


def _digest(*parts: object) -> int:
    text = ":".join(str(part) for part in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def default_skus(platform: str = "tiktok", seed: int = 1) -> list[SkuSpec]:
    """Return the default catalogue with the platform ids this seed gives them."""
    chinese = platform == "douyin"
    catalogue = _CATALOGUE_CN if chinese else _CATALOGUE_VN
    return [
        SkuSpec(
            seller_sku=seller_sku,
            name=name,
            variation=variation,
            price=Decimal(str(price)),
            sku_id=f"17{seed % 1000:03d}{(_digest('sku', seed, i) % 10**10):010d}{i:04d}",
            product_id=f"17{seed % 1000:03d}9{(_digest('product', seed, i) % 10**9):09d}{i:04d}",
        )
        for i, (seller_sku, name, variation, price) in enumerate(catalogue)
    ]


def _with_ids(skus: Sequence[SkuSpec], seed: int) -> tuple[SkuSpec, ...]:
    """Give SKUs without platform ids deterministic ones."""
    filled = []
    for i, sku in enumerate(skus):
        if not sku.sku_id:
            sku = replace(sku, sku_id=f"17{seed % 1000:03d}{_digest('sku', seed, i) % 10**14:014d}")
        if not sku.product_id:
            sku = replace(
                sku, product_id=f"17{seed % 1000:03d}9{_digest('p', seed, i) % 10**13:013d}"
            )
        filled.append(sku)
    return tuple(filled)


class _Timeline:
    """Spread order times over [start, end) like live sales: a steady base with bursts.

    Order ``i`` of ``n`` sits at the quantile ``(i + u) / n`` of a per-minute intensity, so
    times increase with the index and the whole range is covered whatever ``n`` is.
    """

    def __init__(self, start: dt.datetime, end: dt.datetime, seed: int) -> None:
        if end <= start:
            raise ValueError("end must be after start")
        self.start = start
        minutes = max(1, min(int((end - start).total_seconds() // 60), 2_000_000))
        self.seconds = (end - start).total_seconds()
        self.minutes = minutes
        rng = random.Random(_digest("timeline", seed))
        weights = [1.0] * minutes
        for _ in range(max(1, minutes // 15)):
            # A burst: a product shown on screen, a flash sale, a KOL's call to buy.
            centre, width = rng.randrange(minutes), rng.randint(2, 8)
            boost = rng.uniform(2, 12)
            for minute in range(max(0, centre - width), min(minutes, centre + width)):
                weights[minute] += boost
        self.cumulative = [0.0]
        for weight in weights:
            self.cumulative.append(self.cumulative[-1] + weight)
        self.weights = weights

    def at(self, quantile: float) -> dt.datetime:
        target = quantile * self.cumulative[-1]
        minute = min(bisect.bisect_right(self.cumulative, target) - 1, self.minutes - 1)
        fraction = (target - self.cumulative[minute]) / self.weights[minute]
        offset = min(
            (minute + fraction) * 60 * self.seconds / (self.minutes * 60), self.seconds - 1
        )
        return self.start + dt.timedelta(seconds=int(max(offset, 0)))


def _order_rng(seed: int, index: int) -> random.Random:
    return random.Random((seed << 40) | index)


def _shape(rng: random.Random, sku_count: int) -> tuple[int, list[int]]:
    """Draw an order's number of lines and their quantities: the first draws of its RNG."""
    lines = 1 if rng.random() < 0.72 else rng.choice((2, 2, 3, 4))
    lines = min(lines, sku_count)
    quantities = [1 if rng.random() < 0.8 else rng.choice((2, 3, 5)) for _ in range(lines)]
    return lines, quantities


def _order_count(config: ExportConfig, sku_count: int) -> int:
    """Count the orders needed for ``config.rows`` rows (first pass: shapes only)."""
    if config.orders is not None:
        return config.orders
    made = count = 0
    while made < config.rows:
        _lines, quantities = _shape(_order_rng(config.seed, count), sku_count)
        made += sum(quantities) if config.platform == "lazada" else len(quantities)
        count += 1
    return count


def _order_id(config: ExportConfig, index: int, created: dt.datetime) -> str:
    check = _digest("order", config.seed, index)
    seed = config.seed % 1000
    if config.platform in ("tiktok", "tiktok_affiliate"):
        return f"5{seed:03d}{index:011d}{check % 1000:03d}"
    if config.platform == "douyin":
        # Sub-order ids follow the order id, so the last digits stop short of the next order.
        return f"69{seed:03d}{index:011d}{check % 990:03d}"
    if config.platform == "shopee":
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        tail = ""
        number = index
        for _ in range(5):
            number, digit = divmod(number, 32)
            tail = alphabet[digit] + tail
        noise = "".join(alphabet[(check >> (5 * i)) % 32] for i in range(3))
        return created.strftime("%y%m%d") + tail + noise
    return f"4{config.seed % 100:02d}{index:09d}"


def iter_orders(config: ExportConfig) -> Iterator[SyntheticOrder]:
    """Yield the synthetic orders of ``config`` in creation order, one at a time."""
    skus = _with_ids(config.skus or default_skus(config.platform, config.seed), config.seed)
    if not skus:
        raise ValueError("at least one SKU is needed")
    count = _order_count(config, len(skus))
    timeline = _Timeline(config.start, config.end, config.seed)
    places = config.decimal_places
    regions = _REGIONS_CN if config.platform == "douyin" else _REGIONS_VN
    scale = Decimal("0.00028") if config.platform == "douyin" else Decimal(1)
    minute = dt.timedelta(minutes=1)
    for index in range(count):
        rng = _order_rng(config.seed, index)
        _lines, quantities = _shape(rng, len(skus))
        chosen = rng.sample(skus, len(quantities))
        lines = []
        for number, (sku, quantity) in enumerate(zip(chosen, quantities, strict=True)):
            before = sku.price * quantity
            seller = _money(before * rng.choice((0, 0, 0, 5, 10)) / 100, places)
            platform = _money(before * rng.choice((0, 0, 0, 3)) / 100, places)
            lines.append(SyntheticLine(number, sku, quantity, seller, platform))
        created = timeline.at((index + rng.random()) / count)
        order = SyntheticOrder(
            index=index,
            order_id=_order_id(config, index, created),
            created=created,
            lines=lines,
            cash_on_delivery=config.platform != "douyin"
            and rng.random() < config.cash_on_delivery_rate,
            buyer=rng.randrange(max(50, (config.rows if config.orders is None else count) // 3)),
            region=rng.choice(regions),
            shipping_fee=_money(
                Decimal(rng.choice((0, 15000, 18000, 22000, 30000))) * scale, places
            ),
        )
        if not order.cash_on_delivery:
            order.paid = created + minute * rng.randint(0, 15)
        if config.live_room_ids and rng.random() < config.live_share:
            order.live_room_id = rng.choice(config.live_room_ids)
            order.creator_handle = config.creator_handle
        if rng.random() < config.cancel_rate:
            order.cancelled = created + minute * rng.randint(3, 60 * 36)
            order.cancelled_by = rng.choice(("User", "User", "Seller", "System"))
            reasons = _DOUYIN_CANCEL_REASONS if config.platform == "douyin" else _CANCEL_REASONS
            order.cancel_reason = rng.choice(reasons)
            if order.paid and order.paid > order.cancelled:
                order.paid = None
        else:
            order.shipped = created + minute * rng.randint(60 * 5, 60 * 40)
            order.delivered = order.shipped + minute * rng.randint(60 * 20, 60 * 100)
            if order.cash_on_delivery:
                order.paid = order.delivered
            if rng.random() < config.return_rate:
                order.returned = order.delivered + minute * rng.randint(60 * 6, 60 * 24 * 6)
                line = rng.choice(lines)
                order.returned_quantities[line.number] = rng.randint(1, line.quantity)
        yield order


# --- Writers -------------------------------------------------------------------------------


def _plain(value: Decimal, places: int) -> str:
    return f"{_money(value, places):f}"


def _mask(text: str, keep_end: int = 1) -> str:
    """Mask a name as platforms do: first character, stars, last character(s)."""
    return text[:1] + "*" * max(3, len(text) - 1 - keep_end) + text[-keep_end:]


def _buyer_handle(order: SyntheticOrder) -> str:
    return _mask(f"user{order.buyer:05d}", keep_end=2)


_TIKTOK_STATUS = {
    "en": {
        "unpaid": ("Unpaid", "Unpaid"),
        "to_ship": ("To ship", "Awaiting shipment"),
        "shipped": ("Shipped", "In transit"),
        "delivered": ("Completed", "Delivered"),
        "completed": ("Completed", "Completed"),
        "returned": ("Completed", "Completed"),
        "cancelled": ("Canceled", "Canceled"),
    },
    "vi": {
        "unpaid": ("Chưa thanh toán", "Chưa thanh toán"),
        "to_ship": ("Chờ vận chuyển", "Đang chờ vận chuyển"),
        "shipped": ("Đã vận chuyển", "Đang vận chuyển"),
        "delivered": ("Đã hoàn tất", "Đã giao"),
        "completed": ("Đã hoàn tất", "Đã hoàn tất"),
        "returned": ("Đã hoàn tất", "Đã hoàn tất"),
        "cancelled": ("Đã hủy", "Đã hủy"),
    },
}
_TIKTOK_KIND = {"en": ("Cancel", "Return/Refund"), "vi": ("Hủy", "Trả hàng/Hoàn tiền")}


def _tiktok_rows(config: ExportConfig, header: list[str]) -> Iterator[tuple[list[str], int]]:
    """Yield TikTok order rows (CSV form: ids and times end with a tab) and order starts."""
    as_of = config.effective_as_of
    statuses = _TIKTOK_STATUS[config.language]
    cancel_kind, return_kind = _TIKTOK_KIND[config.language]
    places = config.decimal_places

    def when(moment: dt.datetime | None) -> str:
        return moment.strftime("%d/%m/%Y %H:%M:%S") + "\t" if moment else "\t"

    for order in iter_orders(config):
        if order.created > as_of:
            break
        state = order.state(as_of)
        status, substatus = statuses[state.status]
        province, district, commune = order.region
        shipped = state.shipped is not None
        package = str(1154000000000000000 + _digest("package", order.order_id) % 10**15)
        shipping = _plain(order.shipping_fee, places)
        # Order-level columns repeat on every line: computed once per order.
        order_values = {
            "Order ID": order.order_id + "\t",
            "Order Status": status,
            "Order Substatus": substatus,
            "Normal or Pre-order": "Normal",
            "Shipping Fee After Discount": shipping,
            "Original Shipping Fee": shipping,
            "Shipping Fee Seller Discount": "0",
            "Shipping Fee Platform Discount": "0",
            "Payment platform discount": "",
            "Taxes": "0",
            "Order Amount": _plain(order.items_total + order.shipping_fee, places),
            "Created Time": when(order.created),
            "Paid Time": when(state.paid),
            "RTS Time": when(state.shipped and state.shipped - dt.timedelta(hours=2)),
            "Shipped Time": when(state.shipped),
            "Delivered Time": when(state.delivered),
            "Cancelled Time": when(state.cancelled),
            "Cancel By": order.cancelled_by if state.cancelled else "",
            "Cancel Reason": order.cancel_reason if state.cancelled else "",
            "Fulfillment Type": "Fulfillment by seller",
            "Warehouse Name": "Kho Pleiku",
            "Tracking ID": f"GY{_digest('track', order.order_id) % 10**11:011d}" if shipped else "",
            "Delivery Option": "Standard shipping",
            "Shipping Provider Name": "Giao Hàng Nhanh" if shipped else "",
            "Buyer Message": "",
            "Buyer Username": _buyer_handle(order),
            "Recipient": _mask("Tran Thi Hoa"),
            "Phone #": "(+84)098*****21",
            "Country": "Việt Nam",
            "Province": province,
            "District": district,
            "Commune": commune,
            "Detail Address": "*" * 16,
            "Additional address information": "",
            "Payment Method": "Cash on delivery" if order.cash_on_delivery else "ZaloPay",
            "Weight(kg)": "0.6",
            "Product Category": "Food & Beverages",
            "Package ID": package + "\t",
            "Seller Note": "",
            "Checked Status": "Unchecked",
            "Checked Marked by": "",
            "Order Channel": "LIVE" if order.live_room_id else "Product card",
            "Creator Handle": order.creator_handle,
        }
        for position, line in enumerate(order.lines):
            returned = order.returned_quantity(line, state)
            if state.status == "cancelled":
                refund, kind = _plain(line.after, places), cancel_kind
            elif returned:
                share = line.after * returned / line.quantity
                refund, kind = _plain(share, places), return_kind
            else:
                refund, kind = "", ""
            shown_sku = _digest("seller-sku", order.order_id, line.sku.sku_id) % 10 < 7
            values = {
                **order_values,
                "Cancelation/Return Type": kind,
                "SKU ID": line.sku.sku_id + "\t",
                "Seller SKU": line.sku.seller_sku if shown_sku else "",
                "Product Name": line.sku.name,
                "Variation": line.sku.variation,
                "Quantity": str(line.quantity),
                "Sku Quantity of return": str(returned),
                "SKU Unit Original Price": _plain(line.sku.price, places),
                "SKU Subtotal Before Discount": _plain(line.before, places),
                "SKU Platform Discount": _plain(line.platform_discount, places),
                "SKU Seller Discount": _plain(line.seller_discount, places),
                "SKU Subtotal After Discount": _plain(line.after, places),
                "Order Refund Amount": refund,
            }
            yield [values[name] for name in header], 1 if position == 0 else 0


def _affiliate_rows(config: ExportConfig, header: list[str]) -> Iterator[tuple[list[str], int]]:
    """Yield affiliate rows: the lines of the orders sold through a live."""
    as_of = config.effective_as_of
    places = config.decimal_places

    def when(moment: dt.datetime | None) -> str:
        return moment.strftime("%d/%m/%Y %H:%M:%S") if moment else "--"

    for order in iter_orders(config):
        if order.created > as_of:
            break
        if not order.live_room_id:
            continue
        state = order.state(as_of)
        status = {"cancelled": "Đã hủy", "completed": "Đã hoàn tất"}.get(state.status, "Đang xử lý")
        for position, line in enumerate(order.lines):
            value = _plain(line.after, places)
            commission = _plain(line.after / 10, places)
            returned = order.returned_quantity(line, state)
            row = [
                order.order_id,
                line.sku.product_id,
                line.sku.name,
                line.sku.variation,
                line.sku.sku_id,
                line.sku.seller_sku,
                _plain(line.after / line.quantity, places),
                value,
                "VND",
                str(line.quantity),
                "Thanh toán khi nhận hàng" if order.cash_on_delivery else "ZaloPay",
                status,
                order.creator_handle,
                "Phát trực tiếp",
                order.live_room_id,
                "Standard",
                "1,5",
                "0",
                "0",
                "10",
                value,
                commission,
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "Có" if returned else "Không",
                _plain(line.after * returned / line.quantity, places) if returned else "0",
                when(order.created),
                when(state.paid),
                when(state.shipped),
                when(state.delivered),
                when(state.delivered if state.status == "completed" else None),
                "--",
                "TikTok Shop",
                "Open collaboration",
            ]
            yield row, 1 if position == 0 else 0


# Douyin money columns the generator leaves at zero; every other unfilled cell reads "-".
_DOUYIN_ZERO = frozenset(
    ("达人优惠", "商家改价", "支付优惠", "红包抵扣", "手续费", "降价类优惠", "达人实际承担优惠金额")
)


def _douyin_rows(config: ExportConfig, header: list[str]) -> Iterator[tuple[list[str], int]]:
    """Yield Douyin rows: one per sub-order, ids and text with a protective leading tab."""
    as_of = config.effective_as_of
    statuses = {
        "unpaid": "待支付",
        "to_ship": "待发货",
        "shipped": "已发货",
        "delivered": "已完成",
        "completed": "已完成",
        "returned": "已完成",
        "cancelled": "已关闭",
    }

    def when(moment: dt.datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "-"

    for order in iter_orders(config):
        if order.created > as_of:
            break
        state = order.state(as_of)
        live = bool(order.live_room_id)
        # Douyin attributes traffic overnight: a same-day export cannot say where it came from.
        if as_of - order.created < dt.timedelta(days=1):
            genre = "数据将于第二天更新"
        else:
            genre = "直播" if live else "其他"
        province, city, district = order.region
        for line in order.lines:
            refunded = order.returned_quantity(line, state) > 0
            discount = line.seller_discount + line.platform_discount
            values = {
                "主订单编号": "\t" + order.order_id,
                "子订单编号": "\t" + str(int(order.order_id) + 1 + line.number),
                "选购商品": "\t" + line.sku.name,
                "商品规格": "\t" + line.sku.variation,
                "商品数量": str(line.quantity),
                "商品ID": "\t" + line.sku.product_id,
                "商家编码": "\t" + line.sku.seller_sku,
                "商品单价": _plain(line.sku.price, 2),
                "订单应付金额": _plain(line.after, 2),
                "运费": _plain(order.shipping_fee, 2),
                "优惠总金额": _plain(discount, 2),
                "平台优惠": _plain(line.platform_discount, 2),
                "商家优惠": _plain(line.seller_discount, 2),
                "支付方式": "在线支付",
                "收件人": "##密文",
                "收件人手机号": "##密文",
                "省": province,
                "市": city,
                "区": district,
                "详细地址": "##密文",
                "是否修改过地址": "否",
                "订单提交时间": when(order.created),
                "订单完成时间": when(state.delivered),
                "支付完成时间": when(state.paid),
                "APP渠道": "抖音",
                "流量来源": "直播" if live else "商品卡",
                "订单状态": statuses[state.status],
                "承诺发货时间": when(order.created + dt.timedelta(days=2)),
                "订单类型": "普通订单",
                "达人ID": "\t" + config.creator_id if live else "-",
                "达人昵称": order.creator_handle if live else "-",
                "售后状态": "退款成功" if refunded else "-",
                "取消原因": order.cancel_reason if state.cancelled else "-",
                "是否安心购": "否",
                "流量类型": "自然流量",
                "流量体裁": genre,
                "发货主体": "商家",
                "发货时间": when(state.shipped),
                "平台实际承担优惠金额": _plain(line.platform_discount, 2),
                "商家实际承担优惠金额": _plain(line.seller_discount, 2),
                "预计送达时间": when(order.created + dt.timedelta(days=4)),
                "是否平台仓自流转": "否",
            }
            row = [values.get(name, "0.00" if name in _DOUYIN_ZERO else "-") for name in header]
            yield row, 1 if line.number == 0 else 0


def _shopee_rows(config: ExportConfig, header: list[str]) -> Iterator[tuple[list[str], int]]:
    """Yield Shopee rows: every cell text, numbers with two decimals."""
    as_of = config.effective_as_of
    statuses = {
        "unpaid": "Chờ xác nhận",
        "to_ship": "Chờ lấy hàng",
        "shipped": "Đang giao",
        "completed": "Hoàn thành",
        "returned": "Hoàn thành",
        "cancelled": "Đã hủy",
    }

    def when(moment: dt.datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M") if moment else ""

    for order in iter_orders(config):
        if order.created > as_of:
            break
        state = order.state(as_of)
        if state.status == "delivered":
            assert state.delivered is not None
            deadline = (state.delivered + _RETURN_WINDOW).strftime("%Y-%m-%d")
            status = (
                "Người mua xác nhận đã nhận được hàng, tuy nhiên Người mua vẫn có thể gửi yêu "
                f"cầu Trả hàng/Hoàn tiền tới ngày {deadline}."
            )
        else:
            status = statuses[state.status]
        total = order.items_total + order.shipping_fee
        province, district, commune = order.region
        for line in order.lines:
            returned = order.returned_quantity(line, state)
            deal = line.after / line.quantity
            shown_sku = _digest("variation-sku", order.order_id, line.sku.sku_id) % 10 < 6
            values = {
                "Mã đơn hàng": order.order_id,
                "Mã Kiện Hàng": f"58{_digest('package', order.order_id) % 10**17:017d}",
                "Ngày đặt hàng": when(order.created),
                "Trạng Thái Đơn Hàng": status,
                "Sản Phẩm Bán Chạy": "N",
                "Lý do hủy": f"Hủy bởi người mua. Lý do: {order.cancel_reason}"
                if state.cancelled
                else "",
                "Mã vận đơn": f"SPXVN{_digest('track', order.order_id) % 10**12:012d}"
                if state.shipped
                else "",
                "Đơn Vị Vận Chuyển": "SPX Express",
                "Phương thức giao hàng": "Nhanh",
                "Ngày giao hàng dự kiến": when(order.created + dt.timedelta(days=3)),
                "Ngày gửi hàng": when(state.shipped),
                "Thời gian giao hàng": when(state.delivered),
                "Trạng thái Trả hàng/Hoàn tiền": "Hoàn tất trả hàng" if returned else "",
                "Tên sản phẩm": line.sku.name,
                "Cân nặng sản phẩm": "0.400",
                "Tổng cân nặng": f"{0.4 * line.quantity:.3f}",
                "Tên kho hàng": "Kho Pleiku",
                "SKU phân loại hàng": line.sku.seller_sku if shown_sku else "",
                "Tên phân loại hàng": line.sku.variation,
                "Giá gốc": _plain(line.sku.price, 2),
                "Người bán trợ giá": _plain(line.seller_discount / line.quantity, 2),
                "Tổng số tiền được người bán trợ giá": _plain(line.seller_discount, 2),
                "Giá ưu đãi": _plain(deal, 2),
                "Số lượng": str(line.quantity),
                "Số lượng sản phẩm được hoàn trả": str(returned),
                "Tổng giá bán (sản phẩm)": _plain(line.after, 2),
                "Tổng giá trị đơn hàng (VND)": _plain(total, 2),
                "Chỉ tiêu Combo Khuyến Mãi": "N",
                "Phí vận chuyển mà người mua trả": _plain(order.shipping_fee, 2),
                "Phí vận chuyển (dự kiến)": _plain(order.shipping_fee, 2),
                "Tổng số tiền người mua thanh toán": _plain(total, 2),
                SHOPEE_LINE_TOTAL_HEADER: _plain(line.after, 2),
                "Thời gian hoàn thành đơn hàng": when(
                    state.delivered if state.status == "completed" else None
                ),
                "Thời gian đơn hàng được thanh toán": when(state.paid),
                "Phương thức thanh toán": "Thanh toán khi nhận hàng"
                if order.cash_on_delivery
                else "Ví ShopeePay",
                "Người Mua": f"nguoimua{order.buyer:05d}",
                "Tên Người nhận": "Lê Thị Mai",
                "Số điện thoại": "84987654321",
                "Tỉnh/Thành phố": province,
                "TP / Quận / Huyện": district,
                "Quận": commune,
                "Địa chỉ nhận hàng": f"12 Đường Số 7, {commune}, {district}, {province}",
                "Quốc gia": "VN",
            }
            yield (
                [values.get(name, "0.00" if _is_money(name) else "") for name in header],
                (1 if line.number == 0 else 0),
            )


def _is_money(header: str) -> bool:
    words = (
        "Giá",
        "Phí",
        "Mã giảm giá",
        "Giảm giá",
        "Hoàn Xu",
        "Xu",
        "Trade-in",
        "Tiền",
        "Số tiền",
    )
    return any(word in header for word in words)


def _lazada_rows(config: ExportConfig, header: list[str]) -> Iterator[tuple[list[str], int]]:
    """Yield Lazada rows: one per unit; discounts negative; shipping on the first unit."""
    as_of = config.effective_as_of
    statuses = {
        "unpaid": "pending",
        "to_ship": "ready_to_ship",
        "shipped": "shipped",
        "delivered": "delivered",
        "completed": "delivered",
        "returned": "returned",
        "cancelled": "canceled",
    }

    def when(moment: dt.datetime | None) -> str:
        return moment.strftime("%d %b %Y %H:%M") if moment else ""

    for order in iter_orders(config):
        if order.created > as_of:
            break
        state = order.state(as_of)
        first = True
        for line in order.lines:
            returned = order.returned_quantity(line, state)
            paid = _money(line.after / line.quantity, 0)
            discount = _money((line.seller_discount + line.platform_discount) / line.quantity, 0)
            for unit in range(line.quantity):
                status = statuses[state.status]
                if state.status == "returned":
                    status = "returned" if unit < returned else "delivered"
                values = {
                    "orderItemId": f"{order.order_id}{line.number}{unit:02d}",
                    "orderType": "Normal",
                    "deliveryType": "dropship",
                    "lazadaId": line.sku.product_id,
                    "sellerSku": line.sku.seller_sku,
                    "lazadaSku": line.sku.sku_id,
                    "createTime": when(order.created),
                    "updateTime": when(as_of),
                    "orderNumber": order.order_id,
                    "deliveredDate": when(state.delivered),
                    "customerName": "Pham Van Duc",
                    "customerEmail": "duc.pham@example.com",
                    "shippingName": "Pham Van Duc",
                    "shippingAddress": "45 Nguyen Trai",
                    "shippingPhone": "84912345678",
                    "shippingCity": order.region[1],
                    "shippingCountry": "Vietnam",
                    "shippingRegion": order.region[0],
                    "billingName": "Pham Van Duc",
                    "billingAddr": "45 Nguyen Trai",
                    "billingPhone": "84912345678",
                    "payMethod": "COD" if order.cash_on_delivery else "MIXEDCARD",
                    "paidPrice": f"{paid:.2f}",
                    "unitPrice": f"{line.sku.price:.2f}",
                    "sellerDiscountTotal": f"{-discount:.2f}" if discount else "0.00",
                    "shippingFee": f"{order.shipping_fee:.2f}" if first else "0.00",
                    "walletCredit": "0.00",
                    "itemName": line.sku.name,
                    "variation": line.sku.variation,
                    "shippingProvider": "LEX VN",
                    "status": status,
                    "bundleDiscount": "0.00",
                    "refundAmount": f"{paid:.2f}" if status == "returned" else "0.00",
                }
                yield [values.get(name, "") for name in header], 1 if first else 0
                first = False


# --- Files ---------------------------------------------------------------------------------

_ROW_MAKERS: dict[str, Callable[[ExportConfig, list[str]], Iterator[tuple[list[str], int]]]] = {
    "tiktok": _tiktok_rows,
    "tiktok_affiliate": _affiliate_rows,
    "douyin": _douyin_rows,
    "shopee": _shopee_rows,
    "lazada": _lazada_rows,
}
_SHEET_TITLES = {
    "tiktok": "OrderSKUList",
    "tiktok_affiliate": "Sheet1",
    "douyin": "Sheet1",
    "shopee": "orders",
    "lazada": "sheet1",
}


def header_for(config: ExportConfig) -> list[str]:
    """Return the header row ``config`` produces (NFC; the Shopee XLSX stores some as NFD)."""
    if config.platform == "tiktok":
        return list(TIKTOK_HEADER_2026 if config.tiktok_layout == "2026" else TIKTOK_HEADER)
    if config.platform == "shopee":
        header = list(SHOPEE_HEADER)
        if config.shopee_line_total_column:
            header.insert(header.index("Tổng giá bán (sản phẩm)") + 1, SHOPEE_LINE_TOTAL_HEADER)
        return header
    return list(
        {
            "tiktok_affiliate": TIKTOK_AFFILIATE_HEADER,
            "douyin": DOUYIN_HEADER,
            "lazada": LAZADA_HEADER,
        }[config.platform]
    )


def write_export(
    out: str | Path | BinaryIO, config: ExportConfig, *, file_format: str | None = None
) -> ExportSummary:
    """Write the export ``config`` describes to ``out`` (a path or a binary file).

    ``file_format`` is ``csv`` or ``xlsx``; by default it follows the path's suffix (CSV for a
    file object).
    """
    if config.platform not in PLATFORMS:
        raise ValueError(f"unknown platform {config.platform!r}; choose from {PLATFORMS}")
    if file_format is None:
        is_path = isinstance(out, (str, Path))
        file_format = "xlsx" if is_path and str(out).lower().endswith(".xlsx") else "csv"
    header = header_for(config)
    rows = _ROW_MAKERS[config.platform](config, header)
    if file_format == "xlsx":
        written, orders = _write_xlsx(out, config, header, rows)
    elif file_format == "csv":
        written, orders = _write_csv(out, config, header, rows)
    else:
        raise ValueError("file_format must be 'csv' or 'xlsx'")
    return ExportSummary(written, orders, config.platform, file_format)


def _write_csv(
    out: str | Path | BinaryIO,
    config: ExportConfig,
    header: list[str],
    rows: Iterator[tuple[list[str], int]],
) -> tuple[int, int]:
    if config.platform == "douyin" and config.encoding == "gbk":
        encoding = "gbk"
    elif config.platform in ("tiktok", "douyin"):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    binary = open(out, "wb") if isinstance(out, (str, Path)) else out  # noqa: SIM115
    stream = io.TextIOWrapper(binary, encoding=encoding, newline="", write_through=False)
    written = orders = 0
    try:
        if config.platform == "douyin":
            # Douyin quotes every tab-protected cell, and only what needs quoting otherwise.
            stream.write(",".join(_douyin_cell(cell) for cell in header) + "\n")
            for row, starts in rows:
                stream.write(",".join(_douyin_cell(cell) for cell in row) + "\n")
                written += 1
                orders += starts
        else:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(header)
            for row, starts in rows:
                writer.writerow(row)
                written += 1
                orders += starts
        stream.flush()
    finally:
        if binary is out:
            stream.detach()
        else:
            stream.close()
    return written, orders


def _douyin_cell(cell: str) -> str:
    if cell.startswith("\t") or any(character in cell for character in ',"\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _write_xlsx(
    out: str | Path | BinaryIO,
    config: ExportConfig,
    header: list[str],
    rows: Iterator[tuple[list[str], int]],
) -> tuple[int, int]:
    from openpyxl import Workbook  # imported here: CSV exports never pay its import cost

    # Write-only mode streams rows to a temporary file: memory stays flat at any size.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_SHEET_TITLES[config.platform])
    shown = header
    if config.platform == "shopee":
        shown = [unicodedata.normalize("NFD", h) if h in SHOPEE_NFD_HEADERS else h for h in header]
    sheet.append(shown)
    if config.platform == "tiktok":
        sheet.append([TIKTOK_DESCRIPTIONS.get(name, "") for name in header])
    written = orders = 0
    for row, starts in rows:
        # Workbooks keep ids as text cells; the tab that protects them in CSV is not needed.
        sheet.append([cell.strip("\t") if cell else None for cell in row])
        written += 1
        orders += starts
    book.save(out)
    return written, orders


def _parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, ExportConfig]:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.exportgen", description=__doc__.split("\n", 1)[0]
    )
    parser.add_argument("--platform", required=True, choices=PLATFORMS)
    parser.add_argument("--rows", type=int, default=1000, help="data rows wanted (Lazada: units)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="output file; .xlsx writes a workbook, else CSV")
    parser.add_argument("--format", choices=("csv", "xlsx"), help="overrides the suffix")
    parser.add_argument("--start", type=dt.datetime.fromisoformat, default=DEFAULT_START)
    parser.add_argument("--end", type=dt.datetime.fromisoformat, default=DEFAULT_END)
    parser.add_argument(
        "--as-of",
        type=dt.datetime.fromisoformat,
        help="show each order as it stood then (default: 30 days after --end)",
    )
    parser.add_argument(
        "--skus", help="JSON file: list of {seller_sku, name, variation, price, sku_id, product_id}"
    )
    parser.add_argument(
        "--live-room-id",
        action="append",
        default=[],
        help="a live room id carried by live orders (repeatable)",
    )
    parser.add_argument("--creator", default=DEFAULT_CREATOR, help="creator handle")
    parser.add_argument("--creator-id", default=DEFAULT_CREATOR_ID, help="Douyin 达人ID")
    parser.add_argument("--cancel-rate", type=float, default=0.08)
    parser.add_argument("--return-rate", type=float, default=0.03)
    parser.add_argument("--tiktok-layout", choices=("2025", "2026"), default="2025")
    parser.add_argument("--language", choices=("en", "vi"), default="en")
    parser.add_argument("--encoding", choices=("utf-8", "gbk"), default="utf-8")
    parser.add_argument(
        "--print-skus",
        action="store_true",
        help="print the SKUs with their platform ids for this seed, and exit",
    )
    args = parser.parse_args(list(argv))
    if not args.out and not args.print_skus:
        parser.error("--out is required")
    skus = None
    if args.skus:
        with open(args.skus, encoding="utf-8") as handle:
            skus = tuple(
                SkuSpec(
                    seller_sku=item["seller_sku"],
                    name=item["name"],
                    variation=item.get("variation", ""),
                    price=Decimal(str(item["price"])),
                    sku_id=str(item.get("sku_id", "")),
                    product_id=str(item.get("product_id", "")),
                )
                for item in json.load(handle)
            )
    config = ExportConfig(
        platform=args.platform,
        rows=args.rows,
        seed=args.seed,
        start=args.start,
        end=args.end,
        as_of=args.as_of,
        skus=skus,
        live_room_ids=tuple(args.live_room_id),
        creator_handle=args.creator,
        creator_id=args.creator_id,
        cancel_rate=args.cancel_rate,
        return_rate=args.return_rate,
        tiktok_layout=args.tiktok_layout,
        language=args.language,
        encoding=args.encoding,
    )
    return args, config


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    args, config = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.print_skus:
        skus = _with_ids(config.skus or default_skus(config.platform, config.seed), config.seed)
        payload = [
            {
                "seller_sku": s.seller_sku,
                "name": s.name,
                "variation": s.variation,
                "price": str(s.price),
                "sku_id": s.sku_id,
                "product_id": s.product_id,
            }
            for s in skus
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    summary = write_export(args.out, config, file_format=args.format)
    print(
        f"{args.out}: {summary.rows} rows, {summary.orders} orders, {config.platform}, "
        f"as of {config.effective_as_of:%Y-%m-%d %H:%M}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
