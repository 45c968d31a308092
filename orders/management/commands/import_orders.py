from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from catalog.models import Channel
from orders import services
from orders.models import ImportBatch
from orders.selectors import batch_summary_lines


class Command(BaseCommand):
    help = (
        "Import a platform order export (CSV or XLSX) for a channel in the foreground, through "
        "the same pipeline as uploads, and print the summary. Exits non-zero when refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--channel", required=True, help="the channel's slug")
        parser.add_argument(
            "--force", action="store_true", help="import even if this file was imported before"
        )

    def handle(self, *args, file: Path, channel: str, force: bool, **options):
        try:
            channel_obj = Channel.objects.get(slug=channel)
        except Channel.DoesNotExist:
            raise CommandError(f"No channel with slug {channel!r}.") from None
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        with file.open("rb") as handle:
            upload = File(handle, name=file.name)
            try:
                batch = services.create_import_batch(
                    channel=channel_obj, upload=upload, force=force
                )
            except services.ImportUploadRefused as refusal:
                raise CommandError(str(refusal)) from None
        # The upload queued a task on commit; running it here (again) is harmless: only one
        # run claims the batch. The roll-up runs here too, so the figures are ready on return.
        session_ids = services.run_import_batch(batch_id=batch.pk)
        services.recompute_session_sales(session_ids=session_ids)
        batch.refresh_from_db()
        for line in batch_summary_lines(batch):
            self.stdout.write(line)
        if batch.status in {ImportBatch.Status.REFUSED, ImportBatch.Status.FAILED}:
            raise CommandError(batch.message)
