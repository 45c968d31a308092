"""Recognise an export's layout from its header row, by column names only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .base import ExportFormat, ImportRefused, resolve_columns
from .douyin import DOUYIN_ORDERS
from .lazada import LAZADA_ORDERS
from .shopee import SHOPEE_ORDERS
from .tiktok import TIKTOK_ORDERS
from .tiktok_affiliate import TIKTOK_AFFILIATE

__all__ = ["FORMATS", "PLATFORM_LABELS", "Detection", "detect_format"]

FORMATS: tuple[ExportFormat, ...] = (
    TIKTOK_ORDERS,
    TIKTOK_AFFILIATE,
    DOUYIN_ORDERS,
    SHOPEE_ORDERS,
    LAZADA_ORDERS,
)
PLATFORM_LABELS = {
    "tiktok_shop": "TikTok Shop",
    "douyin": "Douyin",
    "shopee": "Shopee",
    "lazada": "Lazada",
    "other": "another platform",
}


@dataclass(frozen=True, slots=True)
class Detection:
    """The layout found, where its header row is, and where each field's column is."""

    format: ExportFormat
    header_row: int
    headers: list[str]
    index: dict[str, int]


@dataclass(slots=True)
class _Partial:
    format: ExportFormat
    missing: list[str]
    score: tuple[float, int]


def _score(spec: ExportFormat, index: dict[str, int], missing: list[str]) -> tuple[float, int]:
    wanted = len(spec.required) + len(spec.required_any)
    return ((wanted - len(missing)) / wanted, len(index))


def detect_format(
    candidates: Sequence[tuple[int, list[str]]],
    formats: Sequence[ExportFormat] = FORMATS,
    *,
    expected_platform: str | None = None,
) -> Detection:
    """Return the layout of the first candidate row that names every required column.

    ``candidates`` are the first non-blank rows of the file with their row numbers. Raises
    ``ImportRefused`` naming the missing columns of the closest layout when none matches, or
    when the file belongs to another platform than ``expected_platform``.
    """
    best: _Partial | None = None
    best_expected: _Partial | None = None
    for row_number, headers in candidates:
        found: list[tuple[int, int, Detection]] = []
        for order, spec in enumerate(formats):
            index = resolve_columns(headers, spec.columns)
            missing = spec.missing(index)
            if not missing:
                detection = Detection(spec, row_number, headers, index)
                found.append((len(index), -order, detection))
                continue
            partial = _Partial(spec, missing, _score(spec, index, missing))
            if best is None or partial.score > best.score:
                best = partial
            if spec.platform == expected_platform and (
                best_expected is None or partial.score > best_expected.score
            ):
                best_expected = partial
        if found:
            found.sort(key=lambda entry: entry[:2], reverse=True)
            matches = [entry[2] for entry in found]
            if expected_platform is None:
                return matches[0]
            for match in matches:
                if match.format.platform == expected_platform:
                    return match
            detected = matches[0].format
            raise ImportRefused(
                f"This file is a {detected.label} export, but this import is for "
                f"{PLATFORM_LABELS.get(expected_platform, expected_platform)}: choose the right "
                "channel or upload the right file.",
                missing_columns=best_expected.missing if best_expected else [],
            )
    if not candidates:
        raise ImportRefused("The file has no header row: it is empty.")
    closest = best_expected or best
    if closest is None or closest.score[0] == 0:
        names = ", ".join(sorted({PLATFORM_LABELS[spec.platform] for spec in formats}))
        raise ImportRefused(
            "The file's first rows do not name the columns of any known export "
            f"({names}): upload the file exactly as the platform produced it, or save a "
            "column mapping for it.",
            missing_columns=closest.missing if closest else [],
        )
    raise ImportRefused(
        f"The file is not a complete {closest.format.label} export: it lacks the columns "
        f"{', '.join(closest.missing)}.",
        missing_columns=closest.missing,
    )
