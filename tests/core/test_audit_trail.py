"""One audit trail: edits that change figures or decisions are logged with their actor, and
staff read an object's history from its page."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import Channel, Platform, PlatformListing, Product
from cooperatives import services as cooperative_services
from cooperatives.models import Cooperative
from core.audit import MASK, acting_as
from livestreams import services as session_services
from orders import services as order_services
from orders.models import Order
from tests.catalog.factories import ChannelFactory, ProductFactory
from tests.livestreams.factories import RoomFactory, SessionFactory

pytestmark = pytest.mark.django_db


def entries(obj) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
        ).order_by("timestamp", "pk")
    )


def history_url(obj) -> str:
    return reverse("history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def test_editing_a_session_through_its_service_logs_the_actor_and_the_field(bureau_staff):
    session = SessionFactory(title="Coffee megalive")
    with acting_as(bureau_staff):
        session_services.update_session(session=session, title="Coffee megalive (re-run)")
    last = entries(session)[-1]
    assert last.action == LogEntry.Action.UPDATE
    assert last.actor == bureau_staff
    assert last.changes_dict == {"title": ["Coffee megalive", "Coffee megalive (re-run)"]}
    # Neither the actor's e-mail nor their address is copied into the log.
    assert last.actor_email is None and last.remote_addr is None


def test_a_product_decision_on_its_page_is_logged_with_the_reviewer(staff_client, bureau_staff):
    product = ProductFactory(status=Product.Status.SUBMITTED)
    response = staff_client.post(
        reverse("catalog:product-review", args=[product.pk]), {"decision": "approved"}
    )
    assert response.status_code == 302
    last = entries(product)[-1]
    assert last.actor == bureau_staff
    assert last.changes_dict["status"] == ["submitted", "approved"]
    assert last.actor_email is None and last.remote_addr is None


def test_a_cooperative_decision_on_its_page_is_logged_and_personal_data_is_masked(
    staff_client, bureau_staff, cooperative, coop_member
):
    staff_client.post(
        reverse("cooperatives:review", args=[cooperative.pk]),
        {"decision": "suspended", "reason": "Certificates expired."},
    )
    cooperative.refresh_from_db()
    assert cooperative.status == Cooperative.Status.SUSPENDED
    last = entries(cooperative)[-1]
    assert last.actor == bureau_staff
    assert last.changes_dict["status"] == ["approved", "suspended"]
    # The reason is long text kept by CooperativeReview, not copied into the log.
    assert "status_reason" not in last.changes_dict

    with acting_as(coop_member):
        cooperative_services.update_cooperative(
            cooperative=cooperative,
            actor=coop_member,
            profile={"phone": "0912 345 678", "email": "new.contact@example.org"},
            logo=None,
        )
    last = entries(cooperative)[-1]
    assert last.actor == coop_member
    assert last.changes_dict["phone"] == [MASK, MASK]
    assert last.changes_dict["email"] == [MASK, MASK]
    assert "0912" not in str(last.changes) and "new.contact" not in str(last.changes)
    # Created before: the factory's e-mail and contact name never reached the log either.
    assert all("example.org" not in str(entry.changes) for entry in entries(cooperative))
    assert all("Nguyễn" not in str(entry.changes) for entry in entries(cooperative))


def test_a_channel_edit_is_logged_without_its_owner_name(bureau_staff):
    channel = ChannelFactory(owner_kind=Channel.OwnerKind.KOL, owner_name="Trần Văn Bình")
    channel.grace_minutes = 45
    with acting_as(bureau_staff):
        channel.save()
    last = entries(channel)[-1]
    assert last.actor == bureau_staff and last.changes_dict == {"grace_minutes": ["30", "45"]}
    assert all("Trần" not in str(entry.changes) for entry in entries(channel))


def _ambiguous_order(channel, first, second, external_id="AMB-0001") -> Order:
    return Order.objects.create(
        channel=channel,
        platform=Platform.TIKTOK_SHOP,
        external_id=external_id,
        status=Order.Status.PAID,
        placed_at=first.scheduled_start + dt.timedelta(minutes=30),
        currency="VND",
        attribution=Order.Attribution.AMBIGUOUS,
        candidate_session_ids=[first.pk, second.pk],
    )


def test_deciding_an_orders_session_records_an_entry(staff_client, bureau_staff):
    channel = ChannelFactory()
    first = SessionFactory(channel=channel)
    second = SessionFactory(channel=channel, scheduled_start=first.scheduled_start)
    # In bulk from the queue (QuerySet.update(), which writes its own entries)...
    queued = _ambiguous_order(channel, first, second)
    response = staff_client.post(
        reverse("orders:ambiguous"), {"orders": [queued.pk], "session": first.pk}
    )
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.session == first
    last = entries(queued)[-1]
    assert last.actor == bureau_staff and last.action == LogEntry.Action.UPDATE
    assert last.changes_dict == {
        "session": ["None", str(first.pk)],
        "attribution": ["ambiguous", "manual"],
        "attributed_by": ["None", str(bureau_staff.pk)],
    }
    # ...and one order at a time (Model.save(), seen by auditlog).
    single = _ambiguous_order(channel, first, second, external_id="AMB-0002")
    with acting_as(bureau_staff):
        order_services.choose_session_for_order(
            order=single, session=second, chosen_by=bureau_staff
        )
    last = entries(single)[-1]
    assert last.actor == bureau_staff
    assert last.changes_dict["session"] == ["None", str(second.pk)]
    # Only the attribution fields are logged, never the export's own.
    assert set(last.changes_dict) <= {"session", "attribution", "attributed_by"}


def test_mapping_an_sku_records_its_actor_on_the_page_and_through_the_api(
    staff_client, bureau_staff
):
    product = ProductFactory()
    staff_client.post(
        reverse("orders:unmatched"),
        {"platform": Platform.TIKTOK_SHOP, "product": product.pk, "sku_id": "1729000000000001"},
    )
    listing = PlatformListing.objects.get(sku_id="1729000000000001")
    assert listing.mapped_by == bureau_staff
    assert entries(listing)[-1].actor == bureau_staff

    # Token users are not seen by the middleware: the service names the actor itself.
    api = APIClient()
    api.force_authenticate(bureau_staff)
    response = api.post(
        "/api/v1/unmatched-skus/map/",
        {
            "platform": Platform.TIKTOK_SHOP,
            "product": product.pk,
            "skus": [{"sku_id": "1729000000000002", "seller_sku": ""}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    listing = PlatformListing.objects.get(sku_id="1729000000000002")
    assert listing.mapped_by == bureau_staff
    assert entries(listing)[-1].actor == bureau_staff


def test_staff_see_the_history_with_the_change(staff_client, bureau_staff):
    session = SessionFactory(title="Pepper live")
    with acting_as(bureau_staff):
        session_services.update_session(session=session, title="Pepper live, second part")
    response = staff_client.get(history_url(session))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pepper live → Pepper live, second part" in body
    assert bureau_staff.username in body
    # The session's page links to its history, and to its channel's.
    page = staff_client.get(reverse("livestreams:session-detail", args=[session.pk]))
    assert history_url(session) in page.content.decode()
    assert history_url(session.channel) in page.content.decode()


def test_detail_pages_link_to_history_for_staff_only(staff_client, coop_client, cooperative):
    product = ProductFactory(cooperative=cooperative)
    for url, obj in (
        (reverse("catalog:product-detail", args=[product.pk]), product),
        (reverse("cooperatives:detail", args=[cooperative.pk]), cooperative),
    ):
        assert history_url(obj) in staff_client.get(url).content.decode()
        member_page = coop_client.get(url)
        assert member_page.status_code == 200
        assert history_url(obj) not in member_page.content.decode()


def test_a_cooperative_member_cannot_read_history(coop_client, cooperative):
    assert coop_client.get(history_url(cooperative)).status_code in (403, 404)


def test_only_audited_models_have_a_history(staff_client, bureau_staff):
    assert staff_client.get(reverse("history", args=["auth", "user", 1])).status_code == 404
    assert staff_client.get(reverse("history", args=["nope", "nothing", 1])).status_code == 404


def test_the_history_page_costs_the_same_whatever_the_number_of_entries(
    staff_client, bureau_staff, django_assert_num_queries
):
    session = SessionFactory()
    rooms = [session.room, RoomFactory()]
    channels = [session.channel, ChannelFactory()]

    def edit(times: int) -> None:
        with acting_as(bureau_staff):
            for index in range(times):
                session_services.update_session(
                    session=session,
                    title=f"Edit {index}",
                    # Related objects in the changes: named once per page, not per entry.
                    room=rooms[(index + 1) % 2],
                    channel=channels[(index + 1) % 2],
                )

    edit(2)
    staff_client.get(history_url(session))  # warm the content-type cache
    # Session, user, groups, the session, the count, the entries with their actors, the rooms
    # and the channels named in the changes.
    with django_assert_num_queries(8) as few:
        assert staff_client.get(history_url(session)).status_code == 200
    edit(10)
    with django_assert_num_queries(len(few.captured_queries)):
        assert staff_client.get(history_url(session)).status_code == 200


def test_registered_fields_exist_and_masked_ones_are_logged_fields():
    """auditlog ignores a misspelt field silently: a typo would stop logging it, or a masked
    one would be logged in clear."""
    from auditlog.registry import auditlog

    for model in auditlog.get_models():
        registered = auditlog.get_model_fields(model)
        names = {field.name for field in model._meta.concrete_fields}
        assert registered["include_fields"], model
        assert set(registered["include_fields"]) <= names, model
        assert set(registered["mask_fields"]) <= set(registered["include_fields"]), model


def test_logging_a_creation_reads_no_reverse_relation(bureau_staff):
    session = SessionFactory()
    # A reverse one-to-one read before it exists would be cached as missing on the instance.
    assert "sales" not in session._state.fields_cache
    created = entries(session)[0]
    assert created.action == LogEntry.Action.CREATE
    assert "sales" not in created.changes_dict and "orders" not in created.changes_dict
