"""Bases (#13): every zone and channel belongs to a base. An installation that already has
zones or channels gets one base, "Commerce base", that owns them all; staff re-home them."""

import catalog.models.base
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def one_base_for_what_exists(apps, schema_editor):
    Base = apps.get_model("catalog", "Base")
    Zone = apps.get_model("catalog", "Zone")
    Channel = apps.get_model("catalog", "Channel")
    if not (Zone.objects.exists() or Channel.objects.exists()):
        return
    base, _ = Base.objects.get_or_create(slug="commerce-base", defaults={"name": "Commerce base"})
    Zone.objects.filter(base__isnull=True).update(base=base)
    Channel.objects.filter(base__isnull=True).update(base=base)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_postgresql_product_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Base",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, unique=True, verbose_name="name")),
                ("slug", models.SlugField(max_length=160, unique=True, verbose_name="slug")),
                ("city", models.CharField(blank=True, max_length=100, verbose_name="city")),
                ("province", models.CharField(blank=True, max_length=100, verbose_name="province")),
                (
                    "time_zone",
                    models.CharField(
                        default="Asia/Ho_Chi_Minh",
                        max_length=64,
                        validators=[catalog.models.base.validate_time_zone],
                        verbose_name="time zone",
                    ),
                ),
            ],
            options={
                "verbose_name": "base",
                "verbose_name_plural": "bases",
                "ordering": ["name"],
            },
        ),
        migrations.AlterModelOptions(
            name="zone",
            options={
                "ordering": ["base_id", "floor", "code"],
                "verbose_name": "zone",
                "verbose_name_plural": "zones",
            },
        ),
        migrations.AddField(
            model_name="channel",
            name="base",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="channels",
                to="catalog.base",
                verbose_name="base",
            ),
        ),
        migrations.AddField(
            model_name="zone",
            name="base",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="zones",
                to="catalog.base",
                verbose_name="base",
            ),
        ),
        migrations.CreateModel(
            name="StaffBase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "base",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="staff",
                        to="catalog.base",
                        verbose_name="base",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="staff_base",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "staff member's base",
                "verbose_name_plural": "staff members' bases",
                "ordering": ["base", "user"],
            },
        ),
        migrations.RunPython(one_base_for_what_exists, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="channel",
            name="base",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="channels",
                to="catalog.base",
                verbose_name="base",
            ),
        ),
        migrations.AlterField(
            model_name="zone",
            name="base",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="zones",
                to="catalog.base",
                verbose_name="base",
            ),
        ),
    ]
