"""One export imported by 1, 2... real Celery workers sharing it range by range (issue #14).

``time_import_with_workers`` is what bench/import_bench.py calls; run alone, this module
generates a TikTok export and times it with each number of workers, each on a fresh channel:

    python bench/scaleout.py --rows 200000 --workers 1 2 --range-lines 50000

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/commerce_bench; the
workers' range locks are PostgreSQL advisory locks) and uses Redis when REDIS_URL is set, else
the embedded filesystem broker (one machine).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/commerce_bench"
# How long a worker may take to start, and an import with its roll-up to end.
READY_SECONDS = 60
IMPORT_SECONDS = 3600
POLL_SECONDS = 0.05


def time_import_with_workers(
    export: Path, channel_slug: str, workers: int, range_lines: int
) -> dict:
    """Import ``export`` into the channel ``channel_slug`` with ``workers`` Celery workers.

    Starts the workers (solo pool, queues ``imports`` and ``default``, IMPORT_RANGE_LINES set
    to ``range_lines``) on this process's database and broker, waits until each is ready,
    creates the batch (``force=True``) and times from its commit to the batch SUCCEEDED and to
    its roll-up done. The roll-up's end is read in the database: every session the batch's
    orders are attributed to has its ``SessionSales`` row computed after the batch finished
    (the roll-up task writes them all in one go, queued once by the batch's finisher). For a
    first import's time, give a channel that has none of the file's orders yet.

    Returns ``seconds`` (commit to roll-up done), ``import_seconds`` (commit to SUCCEEDED),
    ``ranges``, ``ranges_per_worker`` and ``peak_rss_mb`` (each worker's VmHWM, read before it
    is stopped) by worker name, ``rows`` and ``batch_id``. Django must be set up.
    """
    from django.core.files.uploadedfile import UploadedFile

    from catalog.models import Channel
    from orders.models import ImportBatch, ImportRange, Order, SessionSales
    from orders.services import create_import_batch

    channel = Channel.objects.get(slug=channel_slug)
    # Nothing else for the workers to do: tasks the benchmark's own setup queued (sessions
    # created, another channel deleted) would run first and be timed as the import.
    from commerce_base.celery import app

    with app.connection_for_write() as connection:
        for queue in ("default", "imports", "images"):
            connection.default_channel.queue_purge(queue)
    logs = Path(tempfile.mkdtemp(prefix="scaleout-"))
    names = [f"bench{number}@scaleout" for number in range(1, workers + 1)]
    processes = [_start_worker(name, logs / f"{name}.log", range_lines) for name in names]
    try:
        for name, process in zip(names, processes, strict=True):
            _wait_until_ready(name, process, logs / f"{name}.log")
        with export.open("rb") as handle:
            upload = UploadedFile(
                handle, name=export.name, content_type="text/csv", size=export.stat().st_size
            )
            batch = create_import_batch(channel=channel, upload=upload, force=True)
        # create_import_batch is atomic: it has committed, and queued the batch, on return.
        started = time.perf_counter()
        while True:
            batch.refresh_from_db()
            if batch.is_finished:
                break
            _check_alive(names, processes, logs)
            if time.perf_counter() - started > IMPORT_SECONDS:
                raise RuntimeError(f"batch #{batch.pk} still {batch.status}")
            time.sleep(POLL_SECONDS)
        import_seconds = time.perf_counter() - started
        if batch.status != ImportBatch.Status.SUCCEEDED:
            raise RuntimeError(f"batch #{batch.pk} {batch.status}: {batch.message}")
        sessions = set(
            Order.objects.filter(last_batch_id=batch.pk, session__isnull=False)
            .values_list("session_id", flat=True)
            .distinct()
        )
        while SessionSales.objects.filter(
            session_id__in=sessions, computed_at__gte=batch.finished_at
        ).count() < len(sessions):
            _check_alive(names, processes, logs)
            if time.perf_counter() - started > IMPORT_SECONDS:
                raise RuntimeError(f"the roll-up of batch #{batch.pk} did not end")
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - started
        peaks = {
            name: _peak_rss_mb(process.pid) for name, process in zip(names, processes, strict=True)
        }
    finally:
        for process in processes:
            _stop(process)
    per_worker = dict.fromkeys(names, 0)
    for worker in ImportRange.objects.filter(batch=batch).values_list("worker", flat=True):
        per_worker[worker] = per_worker.get(worker, 0) + 1
    return {
        "workers": workers,
        "range_lines": range_lines,
        "seconds": seconds,
        "import_seconds": import_seconds,
        "ranges": sum(per_worker.values()),
        "ranges_per_worker": per_worker,
        "peak_rss_mb": peaks,
        "rows": batch.rows_read,
        "batch_id": batch.pk,
    }


def _start_worker(name: str, log: Path, range_lines: int) -> subprocess.Popen:
    environment = {
        **os.environ,
        "IMPORT_RANGE_LINES": str(range_lines),
        # As a production worker runs: without DEBUG's query log, sending through the broker.
        "DEBUG": "false",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    with log.open("a") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "commerce_base", "worker",
             "--queues", "imports,default", "--pool", "solo", "--hostname", name,
             "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=PROJECT_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip


def _wait_until_ready(name: str, process: subprocess.Popen, log: Path) -> None:
    """Celery logs "<name> ready." once the worker consumes its queues."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker {name} exited:\n{log.read_text()[-3000:]}")
        if f"{name} ready." in log.read_text():
            return
        time.sleep(0.1)
    raise RuntimeError(f"worker {name} not ready after {READY_SECONDS} s")


def _check_alive(names: list[str], processes: list[subprocess.Popen], logs: Path) -> None:
    for name, process in zip(names, processes, strict=True):
        if process.poll() is not None:
            raise RuntimeError(
                f"worker {name} exited:\n{(logs / f'{name}.log').read_text()[-3000:]}"
            )


def _peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB; the solo pool runs tasks in it."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--range-lines", type=int, default=50_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Workers sharing a file need PostgreSQL: set DATABASE_URL to PostgreSQL.")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce_base.settings.base")
    os.environ.setdefault("COMMERCE_BASE_VAR_DIR", str(PROJECT_DIR / "var" / "bench"))
    from bench.import_bench import ensure_database

    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from catalog.models import Channel, Currency, Platform, PlatformListing, Product
    from cooperatives.models import Cooperative
    from devtools.exportgen import ExportConfig, default_skus, write_export

    call_command("migrate", verbosity=0)
    export = Path(tempfile.mkdtemp(prefix="scaleout-")) / "tiktok_orders.csv"
    summary = write_export(export, ExportConfig(platform="tiktok", rows=args.rows, seed=args.seed))
    cooperative, _ = Cooperative.objects.get_or_create(
        slug="bench-cooperative",
        defaults={"name": "Benchmark cooperative", "province": "Gia Lai", "contact_name": "Bench",
                  "email": "bench@example.org", "status": Cooperative.Status.APPROVED},
    )  # fmt: skip
    for sku in default_skus("tiktok", args.seed):
        product, _ = Product.objects.get_or_create(
            slug=f"bench-{sku.sku_id}",
            defaults={"cooperative": cooperative, "name": sku.name, "price": sku.price,
                      "currency": Currency.VND, "status": Product.Status.APPROVED},
        )  # fmt: skip
        PlatformListing.objects.get_or_create(
            platform=Platform.TIKTOK_SHOP, sku_id=sku.sku_id,
            defaults={"product": product, "seller_sku": ""},
        )  # fmt: skip
    print(f"{summary.rows:,} rows, {export.stat().st_size / 1e6:.1f} MB; ranges of about "
          f"{args.range_lines:,} rows")  # fmt: skip
    for workers in args.workers:
        # A fresh channel per run: each is a first import of the file.
        channel = Channel.objects.create(
            platform=Platform.TIKTOK_SHOP, name=f"Scale-out {workers} {time.time_ns()}",
            slug=f"scaleout-{workers}-{time.time_ns()}", currency=Currency.VND,
            time_zone="Asia/Ho_Chi_Minh",
        )  # fmt: skip
        result = time_import_with_workers(export, channel.slug, workers, args.range_lines)
        print(f"{workers} worker(s): {result['seconds']:.2f} s to the roll-up "
              f"(import {result['import_seconds']:.2f} s), {result['ranges']} ranges "
              f"{result['ranges_per_worker']}, peak RSS "
              + ", ".join(f"{mb:.0f} MB" for mb in result["peak_rss_mb"].values()))  # fmt: skip
    export.unlink()


if __name__ == "__main__":
    main()
