"""The demo seed of cooperatives and the catalogue: review states, photos, certifications
expiring soon and a filled floor 1 exhibition; idempotent."""

import datetime

import pytest
from django.utils import timezone, translation

from catalog import demo as catalog_demo
from catalog.models import Certification, Display, Product, ProductImage, Zone
from cooperatives import demo as cooperatives_demo
from cooperatives.models import Cooperative
from core import demo as core_demo

pytestmark = pytest.mark.django_db


def seed() -> None:
    core_demo.seed()
    cooperatives_demo.seed()
    catalog_demo.seed()


def counts() -> dict:
    models = (Cooperative, Product, ProductImage, Certification, Display)
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_has_cooperatives_in_every_review_state_and_a_filled_exhibition(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    statuses = set(Cooperative.objects.values_list("status", flat=True))
    assert {"approved", "pending", "changes_requested", "rejected"} <= statuses
    assert {"approved", "submitted", "draft", "rejected"} <= set(
        Product.objects.values_list("status", flat=True)
    )
    assert ProductImage.objects.filter(is_primary=True).count() >= 40
    soon = timezone.localdate() + datetime.timedelta(days=60)
    assert Certification.objects.filter(
        valid_until__gte=timezone.localdate(), valid_until__lte=soon
    ).exists()
    # Two bases, each showing its own province's products on its own exhibition floor: Gia
    # Lai's coffee no longer stands on Lhasa's floor 1.
    now = timezone.now()
    for base, province, at_least in (("lhasa", "Lhasa", 40), ("gia-lai", "Gia Lai", 15)):
        exhibition = Zone.objects.get(base__slug=base, floor=1, kind=Zone.Kind.EXHIBITION)
        on_show = Display.objects.filter(slot__zone=exhibition, starts_at__lte=now, ends_at=None)
        assert on_show.count() >= at_least
        assert set(on_show.values_list("product__cooperative__province", flat=True)) == {province}
    assert Display.objects.filter(slot__code="F1-A-03", ends_at=None).exists()


def test_the_demo_seed_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    first = counts()
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    assert counts() == first


def test_the_demo_products_read_in_the_visitors_language(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    butter = Product.objects.get(name="Yak butter")
    honey = Product.objects.get(name="Kbang forest honey")
    with translation.override("zh-hans"):
        assert butter.translated_name == "牦牛酥油"
        assert honey.translated_name == "Kbang forest honey"  # no Chinese name: as given
    with translation.override("vi"):
        assert honey.translated_name == "Mật ong rừng Kbang"
        assert butter.translated_name == "Yak butter"
    # Every approved product of each province has its name in that province's language.
    assert not Product.objects.filter(
        status=Product.Status.APPROVED, cooperative__province="Lhasa", name_zh_hans=""
    ).exists()
    assert not Product.objects.filter(
        status=Product.Status.APPROVED, cooperative__province="Gia Lai", name_vi=""
    ).exists()
