"""Checking and re-encoding uploaded images (RELIABILITY.md, S11): logos and product photos.

Django's ImageField trusts the file's name and Pillow's lenient defaults: it accepted a 17 KiB
PNG declaring 144 million pixels, PNG bytes renamed `.jpg` and a PNG with HTML appended. Here
every upload is opened by Pillow restricted to JPEG, PNG and WEBP, its declared size is checked
before a single pixel is decoded, it is decoded in full (a truncated file fails), and it is
re-encoded from the pixels alone, which drops EXIF (GPS included) and anything appended.
"""

import io
import uuid
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (480, 480)

PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG_END = b"\xff\xd9"


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image, ready to store under `name`."""

    content: bytes
    format: str
    width: int
    height: int
    # A generated file name: what the uploader called the file is never used.
    name: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", f"{uuid.uuid4().hex}.{EXTENSIONS[self.format]}")


def _refuse(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _has_trailing_data(data: bytes, image_format: str) -> bool:
    """True when bytes follow the image's end marker: the mark of a polyglot file."""
    if image_format == "PNG":
        return not data.endswith(PNG_END)
    if image_format == "JPEG":
        # Some cameras pad with zero bytes after the end marker; anything else is a payload.
        return not data.rstrip(b"\x00").endswith(JPEG_END)
    if image_format == "WEBP":
        declared = int.from_bytes(data[4:8], "little") + 8
        return declared + (declared % 2) < len(data)
    return True


def read_upload(upload) -> bytes:
    """Read an uploaded file, refusing it before reading when it is too big."""
    limit = settings.IMAGE_MAX_FILE_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _refuse(
            _("The file is too big (%(size)s MB); the limit is %(limit)s MB."),
            "too_big",
            size=round(size / 1_048_576, 1),
            limit=round(limit / 1_048_576, 1),
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(
            _("The file is too big; the limit is %(limit)s MB."),
            "too_big",
            limit=round(limit / 1_048_576, 1),
        )
    upload.seek(0)
    return data


def clean_image(data: bytes) -> CleanImage:
    """Check `data` is a real JPEG, PNG or WEBP image of sane size and re-encode it.

    Raises ValidationError with a message fit to show next to the form field.
    """
    if not data:
        raise _refuse(_("The file is empty."), "empty")
    if len(data) > settings.IMAGE_MAX_FILE_BYTES:
        raise _refuse(
            _("The file is too big; the limit is %(limit)s MB."),
            "too_big",
            limit=round(settings.IMAGE_MAX_FILE_BYTES / 1_048_576, 1),
        )
    not_an_image = _refuse(
        _("This file is not a photo in an accepted format (JPEG, PNG or WEBP)."), "not_an_image"
    )
    too_many_pixels = _refuse(
        _("The image is too large (more than %(limit)s million pixels)."),
        "too_many_pixels",
        limit=settings.IMAGE_MAX_PIXELS // 1_000_000,
    )
    with warnings.catch_warnings():
        # Pillow only warns about decompression bombs below twice its own limit: make it fatal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as probe:
                image_format = probe.format
                width, height = probe.size
                # The declared size is checked before any pixel is decoded.
                if width * height > settings.IMAGE_MAX_PIXELS:
                    raise too_many_pixels
                probe.verify()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise too_many_pixels from None
        except UnidentifiedImageError:
            raise not_an_image from None
        except ValidationError:
            raise
        except Exception:  # Pillow raises many kinds on corrupt data (SyntaxError, OSError...).
            raise _refuse(_("The image file is damaged or incomplete."), "damaged") from None
        if image_format not in ALLOWED_FORMATS:
            raise not_an_image
        if _has_trailing_data(data, image_format):
            raise _refuse(
                _("The image file carries extra data after the picture; please export it again."),
                "trailing_data",
            )
        try:
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as image:
                image.load()
                pixels = ImageOps.exif_transpose(image)
                return _encode(pixels, image_format)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise too_many_pixels from None
        except Exception:
            raise _refuse(_("The image file is damaged or incomplete."), "damaged") from None


def _encode(image: Image.Image, image_format: str) -> CleanImage:
    """Encode the pixels alone: no EXIF, no ICC profile, no text chunks, nothing appended."""
    output = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(output, "PNG")
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        image.save(output, "WEBP", quality=85)
    return CleanImage(
        content=output.getvalue(), format=image_format, width=image.width, height=image.height
    )


def make_thumbnail(data: bytes) -> bytes:
    """A WEBP thumbnail of an already cleaned image."""
    with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as image:
        # JPEG decodes straight at a reduced scale: a large photo never expands in full.
        image.draft("RGB", THUMBNAIL_SIZE)
        image.load()
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        output = io.BytesIO()
        image.save(output, "WEBP", quality=80)
        return output.getvalue()


def validate_image_upload(upload) -> CleanImage:
    """Form and serializer entry point: the upload's bytes checked and re-encoded."""
    return clean_image(read_upload(upload))
