import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BUREAU_NOTIFICATION_EMAILS = ["bureau@example.org"]
