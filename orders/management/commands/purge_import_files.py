"""Delete uploaded export files now: those past their retention, or the batches named."""

from django.core.management.base import BaseCommand

from orders.services import purge_import_files


class Command(BaseCommand):
    help = (
        "Delete the stored files of import batches that finished successfully longer ago than "
        "IMPORT_RETENTION_DAYS (or --older-than-days), or of the batches given with --batch."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch", type=int, action="append", dest="batch_ids", help="a batch id (repeatable)"
        )
        parser.add_argument("--older-than-days", type=int, dest="days", default=None)

    def handle(self, *args, batch_ids=None, days=None, **options) -> None:
        result = purge_import_files(retention_days=days, batch_ids=batch_ids)
        self.stdout.write(
            f"Deleted the files of {result.batches} import batch(es) "
            f"and {result.orphans} file(s) no batch names."
        )
