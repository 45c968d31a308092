"""Delete uploaded export files now: those past their retention, or the batches named."""

from django.core.management.base import BaseCommand, CommandError

from orders.services import purge_import_files


class Command(BaseCommand):
    help = (
        "Delete the stored files of import batches that finished successfully longer ago than "
        "IMPORT_RETENTION_DAYS (or --older-than-days), and files no batch names; or only the "
        "files of the batches given with --batch, whatever their outcome. Safe to run twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch", type=int, action="append", dest="batch_ids", help="a batch id (repeatable)"
        )
        parser.add_argument(
            "--older-than-days",
            type=int,
            dest="days",
            default=None,
            help="instead of IMPORT_RETENTION_DAYS",
        )

    def handle(self, *args, batch_ids=None, days=None, **options) -> None:
        if days is not None and days < 0:
            raise CommandError("--older-than-days must be 0 or more.")
        result = purge_import_files(retention_days=days, batch_ids=batch_ids)
        self.stdout.write(
            f"Deleted the files of {result.batches} import batch(es) "
            f"and {result.orphans} file(s) no batch names."
        )
