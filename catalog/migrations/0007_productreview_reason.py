from django.db import migrations, models


class Migration(migrations.Migration):
    """Product and cooperative reviews share one base (core.models.StatusReview): the product
    review's notes become its reason, as on cooperative reviews. Renamed, so nothing is lost."""

    dependencies = [
        ("catalog", "0006_platformlisting_mapped_by"),
    ]

    operations = [
        migrations.RenameField(model_name="productreview", old_name="notes", new_name="reason"),
        migrations.AlterField(
            model_name="productreview",
            name="reason",
            field=models.TextField(blank=True, verbose_name="reason"),
        ),
    ]
