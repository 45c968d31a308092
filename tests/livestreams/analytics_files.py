"""Small live analytics exports in the documented layouts (../shared/formats/README.md, "Live
analytics exports"), written with openpyxl for the tests: TikTok LIVE analytics with its two
banner rows, Douyin's live review with 万 counts, and a CSV whose columns staff name."""

import csv
import io

import openpyxl

TIKTOK_HEADER = [
    "Creator ID",
    "Creator",
    "Nickname",
    "Launched Time",
    "Duration",
    "Revenue (₫)",
    "Products",
    "Different Products Sold",
    "Orders Created",
    "Orders Paid",
    "Unit Sales",
    "Buyers",
    "Average Price",
    "CO rate",
    "Viewers",
    "Views",
    "ACU",
    "PCU",
    "Avg. Viewing Duration",
    "Comments",
    "Shares",
    "Likes",
    "New Followers",
    "Product Impressions",
    "Product Clicks",
    "CTR",
]


def tiktok_row(launched, **figures) -> list:
    """One live of the TikTok workbook; figures as the sheet shows them (text or numbers)."""
    values = {
        "Creator ID": "7212345678901234567",
        "Creator": "gialai.excellent",
        "Nickname": "Gia Lai Excellent Products",
        "Launched Time": launched,
        "Duration": "2h 0m",
        "Revenue (₫)": "133.000.000",
        "Products": 16,
        "Different Products Sold": 14,
        "Orders Created": 401,
        "Orders Paid": 392,
        "Unit Sales": 455,
        "Buyers": 380,
        "Average Price": "292.000",
        "CO rate": "1,4%",
        "Viewers": "12,345",
        "Views": "29,000",
        "ACU": "812",
        "PCU": "2,301",
        "Avg. Viewing Duration": "1m 23s",
        "Comments": "5,210",
        "Shares": "1,020",
        "Likes": "1.4M",
        "New Followers": "640",
        "Product Impressions": "50,112",
        "Product Clicks": "3,456",
        "CTR": "3.4%",
    }
    values.update(figures)
    return [values[name] for name in TIKTOK_HEADER]


def tiktok_workbook(*rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "LIVE"
    sheet.append(["LIVE analytics"])
    sheet.append(["Date range: 2025-10-01 ~ 2025-10-31"])
    sheet.append(TIKTOK_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DOUYIN_HEADER = [
    "直播标题",
    "开播时间",
    "直播时长",
    "观看次数",
    "直播间观看人数",
    "平均在线人数",
    "最高在线人数",
    "人均观看时长",
    "点赞次数",
    "评论次数",
    "分享次数",
    "新增粉丝数",
    "商品点击人数",
    "成交人数",
    "千次观看成交金额",
]


def douyin_workbook(*rows, header=DOUYIN_HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def douyin_row(launched, views="1.2万", **overrides) -> list:
    values = {
        "直播标题": "拉萨优品直播",
        "开播时间": launched,
        "直播时长": "2小时",
        "观看次数": views,
        "直播间观看人数": "4,000",
        "平均在线人数": "210",
        "最高在线人数": "1,203",
        "人均观看时长": "1分5秒",
        "点赞次数": "3.5万",
        "评论次数": "812",
        "分享次数": "96",
        "新增粉丝数": "155",
        "商品点击人数": "1,021",
        "成交人数": "88",
        "千次观看成交金额": "¥1,024.50",
    }
    values.update(overrides)
    return [values[name] for name in DOUYIN_HEADER]


def csv_file(header: list[str], *rows: list) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
