"""The hostile photo corpus (RELIABILITY.md S11): each file refused with a clear message, fast;
real photos re-encoded without their EXIF location."""

import io
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalog.models import Product, ProductImage
from tests.catalog.factories import ProductFactory, image_bytes

pytestmark = pytest.mark.django_db


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header declares `width` x `height` pixels: a decompression bomb."""
    data = bytearray(image_bytes("PNG", size=(8, 8)))
    ihdr = bytearray(data[12:29])  # chunk type + 13 bytes of header data
    ihdr[4:8] = struct.pack(">I", width)
    ihdr[8:12] = struct.pack(">I", height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)) & 0xFFFFFFFF)
    return bytes(data)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (13.0, 58.0, 30.0)
    gps[3] = "E"
    gps[4] = (108.0, 0.0, 15.0)
    return image_bytes("JPEG", size=(120, 90), exif=exif)


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


HOSTILE = {
    "bomb.png": (png_declaring(20_000, 20_000), "too large (more than 40 million pixels)"),
    "bomb-below-pillow-limit.png": (
        png_declaring(12_000, 12_000),
        "too large (more than 40 million pixels)",
    ),
    "text.jpg": (b"This is a text file renamed to look like a photo.\n" * 20, "not a photo"),
    "vector.svg": (svg(), "not a photo"),
    "scan.tiff": (image_bytes("TIFF"), "not a photo"),
    "animation.gif": (image_bytes("GIF"), "not a photo"),
    "polyglot.png": (
        image_bytes("PNG") + b"<html><script>alert(1)</script></html>",
        "extra data after the picture",
    ),
    "truncated.jpg": (image_bytes("JPEG", size=(400, 300))[:400], "damaged or incomplete"),
    "empty.jpg": (b"", "empty"),
}


def upload(client, product, name, content, content_type="image/jpeg"):
    return client.post(
        reverse("catalog:photo-add", args=[product.pk]),
        {"image": SimpleUploadedFile(name, content, content_type=content_type)},
        follow=True,
    )


@pytest.fixture
def draft(cooperative):
    return ProductFactory(cooperative=cooperative, status=Product.Status.DRAFT)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_quickly_with_a_clear_message(coop_client, draft, name):
    content, message = HOSTILE[name]
    started = time.perf_counter()
    response = upload(coop_client, draft, name, content)
    elapsed = time.perf_counter() - started
    assert message in response.content.decode()
    assert not ProductImage.objects.exists()
    assert elapsed < 0.5


def test_an_oversized_file_is_refused_with_the_limit_named(coop_client, draft, settings):
    settings.IMAGE_MAX_FILE_BYTES = 4096
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 80).save(buffer, "PNG")  # noise does not compress
    assert len(buffer.getvalue()) > 4096
    started = time.perf_counter()
    response = upload(coop_client, draft, "big.png", buffer.getvalue(), "image/png")
    assert time.perf_counter() - started < 0.5
    assert "The file is too big" in response.content.decode()
    assert not ProductImage.objects.exists()


def test_gps_exif_is_gone_from_the_stored_photo(coop_client, draft):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(0x8825)  # the test photo does carry a location
    upload(coop_client, draft, "photo.jpg", original)
    photo = ProductImage.objects.get()
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif().get_ifd(0x8825)
        assert not image.getexif()
        assert (image.width, image.height) == (120, 90)


def test_a_photo_is_stored_under_a_generated_name(coop_client, draft):
    upload(coop_client, draft, "../../etc/my photo.jpg", image_bytes("JPEG"))
    photo = ProductImage.objects.get()
    assert photo.image.name.startswith("products/photos/")
    assert "my photo" not in photo.image.name
    assert photo.image.name.endswith(".jpg")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_accepted_format_is_kept_in_its_format(coop_client, draft, fmt):
    upload(coop_client, draft, "photo.bin", image_bytes(fmt))
    photo = ProductImage.objects.get()
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == fmt


def test_png_bytes_renamed_jpg_are_judged_by_their_content(coop_client, draft):
    upload(coop_client, draft, "photo.jpg", image_bytes("PNG"))
    assert ProductImage.objects.get().image.name.endswith(".png")
