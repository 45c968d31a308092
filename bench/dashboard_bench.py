"""Server time of the dashboards over a large sales history, in PostgreSQL.

    python bench/dashboard_bench.py                  # 100,000 then 1,000,000 order lines
    python bench/dashboard_bench.py --lines 1000000 --sessions 2000

For each size: generates sessions (one every four hours up to now, so this month holds its
share), orders and lines with SQL (generate_series), rolls every session up with the real
recompute (orders.services.recompute_session_sales, which keeps the dashboards' roll-ups), then
requests the overview, the sessions table and a session page of this month as an official,
in process (Django's test client: routing, middleware, selectors, templates), and prints the
median and 90th percentile time and the query count of each. Needs PostgreSQL: DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/commerce_dashboard_bench; created if missing,
emptied before each size).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/commerce_dashboard_bench"
LINES_PER_ORDER = 2
SESSION_SPACING_HOURS = 4


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username,
        password=parsed.password, dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def generate(*, lines: int, sessions: int) -> None:
    """The catalogue, the sessions and their orders; then the real roll-up of every session."""
    import datetime as dt
    from decimal import Decimal

    from django.db import connection
    from django.db.models import Max, Min
    from django.utils import timezone

    from catalog.models import Category, Channel, Currency, Platform, Product, Zone
    from cooperatives.models import Cooperative
    from dashboards.services import record_channel_sales
    from livestreams.models import Host, Room, Session, SessionHost, SessionMetrics
    from orders.models import Order
    from orders.services import recompute_session_sales

    zone = Zone.objects.create(name="Floor 2", code="F2", floor=2, kind=Zone.Kind.LIVE_ROOM)
    room = Room.objects.create(zone=zone, name="Studio", slug="studio")
    channels = [
        Channel.objects.create(platform=Platform.TIKTOK_SHOP, name="Gia Lai TikTok",
                               slug="gl-tiktok", currency=Currency.VND),
        Channel.objects.create(platform=Platform.DOUYIN, name="Lhasa Douyin", slug="lhasa",
                               currency=Currency.CNY, time_zone="Asia/Shanghai"),
    ]  # fmt: skip
    categories = [Category.objects.create(name=f"Category {n}", slug=f"c{n}") for n in range(8)]
    cooperatives = [
        Cooperative.objects.create(name=f"Cooperative {n}", slug=f"coop-{n}", province="Gia Lai",
                                   contact_name="Contact", email=f"c{n}@example.org",
                                   status="approved")
        for n in range(20)
    ]  # fmt: skip
    products = Product.objects.bulk_create(
        Product(cooperative=cooperatives[n % 20], category=categories[n % 8],
                name=f"Product {n}", slug=f"product-{n}", price=Decimal(50000),
                currency=Currency.VND, status="approved")
        for n in range(200)
    )  # fmt: skip
    hosts = [Host.objects.create(display_name=f"Host {n}", kind="kol") for n in range(20)]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    first = now - dt.timedelta(hours=SESSION_SPACING_HOURS * sessions)
    made = Session.objects.bulk_create(
        Session(title=f"Live {n}", room=room, channel=channels[1 if n % 10 == 0 else 0],
                kind="megalive" if n % 50 == 0 else "regular",
                scheduled_start=first + dt.timedelta(hours=SESSION_SPACING_HOURS * n),
                scheduled_end=first + dt.timedelta(hours=SESSION_SPACING_HOURS * n + 2),
                occupied_until=first + dt.timedelta(hours=SESSION_SPACING_HOURS * n + 2),
                status="ended")
        for n in range(sessions)
    )  # fmt: skip
    SessionHost.objects.bulk_create(
        SessionHost(session=session, host=hosts[n % 20], session_start=session.scheduled_start,
                    session_occupied_until=session.occupied_until)
        for n, session in enumerate(made)
    )  # fmt: skip
    SessionMetrics.objects.bulk_create(
        SessionMetrics(session=session, views=20_000 + n, likes=1000)
        for n, session in enumerate(made)
    )  # fmt: skip
    orders_per_session = lines // LINES_PER_ORDER // sessions
    first_product = products[0].pk
    with connection.cursor() as cursor:
        # Orders spread over each session's two hours; one in twelve cancelled, one in twenty
        # returned with a refund; buyers drawn from a pool so that some come back.
        cursor.execute(
            """
            INSERT INTO orders_order (channel_id, platform, external_id, status, raw_status,
                placed_at, currency, buyer_hash, province, city, shipping_provider,
                live_room_id, creator_handle, content_type, session_id, attribution,
                candidate_session_ids, fingerprint, created_at, updated_at, refund_amount)
            SELECT s.channel_id, c.platform, s.id || '-' || g,
                CASE WHEN g %% 12 = 0 THEN 'cancelled' WHEN g %% 20 = 0 THEN 'returned'
                     ELSE 'completed' END,
                '', s.scheduled_start + ((g * 7) %% 7200) * interval '1 second',
                c.currency, md5((s.id * 7 + g) %% 40000 || ''), 'Gia Lai', 'Pleiku', 'J&T',
                '', '', '', s.id, 'window', '[]', '', now(), now(),
                CASE WHEN g %% 20 = 0 AND g %% 12 <> 0 THEN 30000 END
            FROM livestreams_session s JOIN catalog_channel c ON c.id = s.channel_id
            CROSS JOIN generate_series(1, %s) g
            """,
            [orders_per_session],
        )
        cursor.execute(
            """
            INSERT INTO orders_orderline (order_id, external_line_id, sku_id, seller_sku,
                product_name, variation, product_id, quantity, returned_quantity,
                pending_return_quantity, unit_price, line_value, fingerprint)
            SELECT o.id, k, 'SKU' || k, '', 'Product', '',
                CASE WHEN (o.id + k) %% 40 = 0 THEN NULL ELSE %s + (o.id * 3 + k) %% 200 END,
                1 + k, 0, 0, 50000, 50000 * (1 + k), ''
            FROM orders_order o CROSS JOIN generate_series(1, %s) k
            """,
            [first_product, LINES_PER_ORDER],
        )
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    recompute_session_sales(session_ids=[session.pk for session in made])
    print(f"  roll-up of {sessions} sessions: {time.perf_counter() - started:.1f} s")
    # The channels' daily roll-up, as imports keep it (orders_changed): rebuilt whole here.
    started = time.perf_counter()
    for span in Order.objects.values("channel_id").annotate(
        first=Min("placed_at"), last=Max("placed_at")
    ):
        record_channel_sales(**span)
    print(f"  channel roll-up: {time.perf_counter() - started:.1f} s")
    # What autovacuum does soon after a load: statistics and the visibility map (index-only
    # scans).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def measure(client, url: str, repeats: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and the connection
    times = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], len(queries)


def run(*, lines: int, sessions: int, repeats: int, reuse: bool = False) -> list[tuple]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from core.roles import OFFICIAL
    from livestreams.models import Session

    started = time.perf_counter()
    if not reuse:
        call_command("flush", interactive=False, verbosity=0)
        generate(lines=lines, sessions=sessions)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orders_orderline")
        (lines,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM livestreams_session")
        (sessions,) = cursor.fetchone()
    print(f"{lines:,} order lines over {sessions:,} sessions")
    if not reuse:
        print(f"  generated in {time.perf_counter() - started:.1f} s")

    from django.contrib.auth.models import Group, User

    user, _created = User.objects.get_or_create(username="bench.official")
    user.groups.add(Group.objects.get(name=OFFICIAL))
    client = Client()
    client.force_login(user)
    session = Session.objects.order_by("-scheduled_start").first()
    pages = [
        ("overview", "/dashboards/"),
        ("sessions table", "/dashboards/sessions/"),
        ("session page", f"/dashboards/sessions/{session.pk}/"),
    ]
    results = []
    for name, url in pages:
        median, p90, queries = measure(client, url, repeats)
        results.append((lines, sessions, name, median, p90, queries))
        print(f"  {name:15} median {median:6.1f} ms   p90 {p90:6.1f} ms   {queries} queries")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, help="one size only (default: 100k then 1M)")
    parser.add_argument("--sessions", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the data already in the database again"
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmark measures PostgreSQL: set DATABASE_URL to a PostgreSQL database.")
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce_base.settings.base")
    os.environ.setdefault("COMMERCE_BASE_VAR_DIR", str(PROJECT_DIR / "var" / "bench"))
    # Timings as in production: no query log kept per request.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sizes = (
        [(args.lines, args.sessions or max(1, args.lines // 500))]
        if args.lines
        else [(100_000, 200), (1_000_000, 2_000)]
    )
    if args.reuse:
        sizes = sizes[-1:]
    results = []
    for lines, sessions in sizes:
        results.extend(run(lines=lines, sessions=sessions, repeats=args.repeats, reuse=args.reuse))
    print("\n| order lines | sessions | page | median ms | p90 ms | queries |")
    print("|---:|---:|---|---:|---:|---:|")
    for lines, sessions, name, median, p90, queries in results:
        print(f"| {lines:,} | {sessions:,} | {name} | {median:.1f} | {p90:.1f} | {queries} |")


if __name__ == "__main__":
    main()
