"""seed_demo gives data from both origins and is idempotent."""

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("core", "cooperatives", "catalog", "livestreams", "orders")


def row_counts() -> dict[str, int]:
    counts = {
        model._meta.label: model._default_manager.count()
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label != "core.Job"
    }
    counts["auth.User"] = apps.get_model("auth", "User").objects.count()
    return counts


def test_seed_demo_twice_gives_the_same_counts(capsys):
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first
    output = capsys.readouterr().out
    assert "demo-pass-2026" in output
    for username in ("staff", "official", "coop.yak", "coop.coffee", "host.kol"):
        assert username in output


def test_seed_demo_holds_the_lhasa_base_and_the_gia_lai_programme():
    from catalog.models import Certification, Channel, Product, Zone
    from livestreams.models import Host, Room

    call_command("seed_demo")
    assert set(Zone.objects.values_list("floor", flat=True)) == {1, 2, 3}
    assert Zone.objects.filter(floor=2, kind=Zone.Kind.LIVE_ROOM).count() == 2
    lhasa = Product.objects.filter(cooperative__province="Lhasa")
    assert lhasa.count() >= 40
    assert lhasa.values("cooperative").distinct().count() >= 3
    assert lhasa.filter(name__icontains="yak meat").exists()
    assert lhasa.filter(name__icontains="barley").exists()
    assert Channel.objects.get(slug="lhasa-douyin").currency == "CNY"
    assert Channel.objects.get(slug="gialai-tiktok").currency == "VND"
    assert Certification.objects.filter(
        kind=Certification.Kind.OCOP, product__name__icontains="coffee"
    ).exists()
    assert Host.objects.filter(kind=Host.Kind.KOL).exists()
    assert Host.objects.filter(kind=Host.Kind.OFFICIAL).exists()
    assert Room.objects.filter(zone__floor=3).exists()
