"""The training-attendance API: staff manage every sign-up and mark who came; a cooperative
member signs up, renames and withdraws their own cooperative's people, never another's."""

import datetime

import pytest
from django.utils import timezone

from livestreams.models import Room, Session, TrainingAttendance
from tests.conftest import client_for
from tests.cooperatives.factories import CooperativeFactory, MembershipFactory
from tests.livestreams.factories import RoomFactory, SessionFactory

URL = "/api/v1/training-attendances/"


@pytest.fixture
def training(db):
    """Tomorrow's training in a room of three seats."""
    return SessionFactory(
        title="TikTok Shop basics",
        kind=Session.Kind.TRAINING,
        channel=None,
        room=RoomFactory(kind=Room.Kind.TRAINING, capacity=3, name="Training room"),
    )


@pytest.fixture
def signed_up(training, cooperative, other_cooperative):
    ours = TrainingAttendance.objects.create(
        session=training, cooperative=cooperative, attendee_name="Nguyễn Thị Hoa"
    )
    theirs = TrainingAttendance.objects.create(
        session=training, cooperative=other_cooperative, attendee_name="Siu H'Lan"
    )
    return ours, theirs


def names(response) -> set[str]:
    return {row["attendee_name"] for row in response.json()["results"]}


def test_staff_list_every_sign_up_with_its_cooperative_and_session(staff_client, signed_up):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert names(response) == {"Nguyễn Thị Hoa", "Siu H'Lan"}
    row = next(r for r in response.json()["results"] if r["attendee_name"] == "Siu H'Lan")
    assert row["cooperative_name"] == "Ia Grai Pepper Cooperative"
    assert row["session_title"] == "TikTok Shop basics"
    assert row["attended"] is False


def test_a_cooperative_member_sees_only_their_cooperatives_sign_ups(
    coop_client, other_coop_client, signed_up, official_client
):
    assert names(coop_client.get(URL)) == {"Nguyễn Thị Hoa"}
    assert names(other_coop_client.get(URL)) == {"Siu H'Lan"}
    assert names(official_client.get(URL)) == {"Nguyễn Thị Hoa", "Siu H'Lan"}
    theirs = signed_up[1]
    assert coop_client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert (
        coop_client.patch(
            f"{URL}{theirs.pk}/", {"attendee_name": "X"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert coop_client.delete(f"{URL}{theirs.pk}/").status_code == 404
    assert TrainingAttendance.objects.filter(pk=theirs.pk, attendee_name="Siu H'Lan").exists()


def test_the_list_filters_by_session_and_attended(staff_client, signed_up, cooperative):
    other_training = SessionFactory(kind=Session.Kind.TRAINING, channel=None)
    TrainingAttendance.objects.create(
        session=other_training,
        cooperative=cooperative,
        attendee_name="Trần Văn Bình",
        attended=True,
    )
    assert names(staff_client.get(f"{URL}?session={other_training.pk}")) == {"Trần Văn Bình"}
    assert names(staff_client.get(f"{URL}?attended=true")) == {"Trần Văn Bình"}


def test_the_list_costs_the_same_queries_for_two_rows_or_twenty(
    staff_client, training, cooperative, django_assert_max_num_queries
):
    for index in range(20):
        TrainingAttendance.objects.create(
            session=training, cooperative=cooperative, attendee_name=f"Attendee {index}"
        )
    # Session, user, groups (3), count and page with session, room and cooperative joined (2).
    with django_assert_max_num_queries(5):
        response = staff_client.get(URL)
    assert len(response.json()["results"]) == 20


def test_a_member_signs_up_themselves_by_default_for_their_own_cooperative(
    coop_client, coop_member, training, cooperative
):
    coop_member.first_name, coop_member.last_name = "Hoa", "Nguyễn"
    coop_member.save()
    response = coop_client.post(URL, {"session": training.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    attendance = TrainingAttendance.objects.get()
    assert (attendance.cooperative, attendance.user) == (cooperative, coop_member)
    assert attendance.attendee_name == "Hoa Nguyễn"
    assert response.json()["attendee_name"] == "Hoa Nguyễn"


def test_a_member_cannot_sign_up_for_another_cooperative_nor_mark_attended(
    coop_client, training, other_cooperative
):
    response = coop_client.post(
        URL,
        {"session": training.pk, "cooperative": other_cooperative.pk, "attendee_name": "A"},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = coop_client.post(
        URL, {"session": training.pk, "attended": True}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not TrainingAttendance.objects.exists()


def test_a_member_of_two_cooperatives_says_which_one_signs_up(coop_member, training):
    second = CooperativeFactory(name="Second cooperative")
    MembershipFactory(user=coop_member, cooperative=second)
    client = client_for(coop_member)
    unclear = client.post(URL, {"session": training.pk}, content_type="application/json")
    assert unclear.status_code == 400 and "cooperative" in unclear.json()
    clear = client.post(
        URL, {"session": training.pk, "cooperative": second.pk}, content_type="application/json"
    )
    assert clear.status_code == 201
    assert TrainingAttendance.objects.get().cooperative == second


def test_a_full_training_refuses_one_more_with_a_clear_message(coop_client, training, signed_up):
    assert (
        coop_client.post(
            URL, {"session": training.pk, "attendee_name": "Third"}, content_type="application/json"
        ).status_code
        == 201
    )
    full = coop_client.post(
        URL, {"session": training.pk, "attendee_name": "Fourth"}, content_type="application/json"
    )
    assert full.status_code == 409
    assert "full" in full.json()["detail"][0] and "3" in full.json()["detail"][0]
    assert training.attendances.count() == 3


def test_the_same_name_twice_is_refused(coop_client, training, signed_up):
    again = coop_client.post(
        URL,
        {"session": training.pk, "attendee_name": "nguyễn thị  hoa"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert "already signed up" in again.json()["detail"][0]


def test_sign_up_and_withdrawal_close_when_the_training_starts(coop_client, training, signed_up):
    Session.objects.filter(pk=training.pk).update(
        scheduled_start=timezone.now() - datetime.timedelta(minutes=5)
    )
    late = coop_client.post(
        URL, {"session": training.pk, "attendee_name": "Late"}, content_type="application/json"
    )
    assert late.status_code == 409
    withdrawn = coop_client.delete(f"{URL}{signed_up[0].pk}/")
    assert withdrawn.status_code == 409
    assert TrainingAttendance.objects.filter(pk=signed_up[0].pk).exists()


def test_a_member_renames_and_withdraws_their_own_before_the_start(coop_client, signed_up):
    ours = signed_up[0]
    renamed = coop_client.patch(
        f"{URL}{ours.pk}/", {"attendee_name": "Nguyễn T. Hoa"}, content_type="application/json"
    )
    assert renamed.status_code == 200 and renamed.json()["attendee_name"] == "Nguyễn T. Hoa"
    refused = coop_client.patch(
        f"{URL}{ours.pk}/", {"attended": True}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert coop_client.delete(f"{URL}{ours.pk}/").status_code == 204
    assert not TrainingAttendance.objects.filter(pk=ours.pk).exists()


def test_staff_mark_who_came_and_members_may_not(staff_client, coop_client, signed_up):
    ours = signed_up[0]
    assert (
        coop_client.post(
            f"{URL}{ours.pk}/attended/", {"attended": True}, content_type="application/json"
        ).status_code
        == 403
    )
    response = staff_client.post(
        f"{URL}{ours.pk}/attended/", {"attended": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["attended"] is True
    ours.refresh_from_db()
    assert ours.attended


def test_staff_add_a_walk_in_after_the_start_and_remove_a_mistaken_row(
    staff_client, training, cooperative, signed_up
):
    Session.objects.filter(pk=training.pk).update(
        scheduled_start=timezone.now() - datetime.timedelta(minutes=5)
    )
    response = staff_client.post(
        URL,
        {
            "session": training.pk,
            "cooperative": cooperative.pk,
            "attendee_name": "Walk-in",
            "attended": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert TrainingAttendance.objects.get(attendee_name="Walk-in").attended
    assert staff_client.delete(f"{URL}{signed_up[1].pk}/").status_code == 204


def test_sign_ups_are_for_trainings_only(coop_client):
    live = SessionFactory()
    response = coop_client.post(URL, {"session": live.pk}, content_type="application/json")
    assert response.status_code == 400 and "session" in response.json()


def test_hosts_and_anonymous_visitors_get_nothing(host_user, anonymous, signed_up):
    assert anonymous.get(URL).status_code in (401, 403)
    host_client = client_for(host_user)
    assert host_client.get(URL).json()["results"] == []
    assert host_client.post(URL, {}, content_type="application/json").status_code == 403


def test_the_schema_documents_the_endpoints(staff_client):
    response = staff_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    assert set(paths[URL]) >= {"get", "post"}
    assert set(paths[URL + "{id}/"]) >= {"get", "put", "patch", "delete"}
    attended = paths[URL + "{id}/attended/"]["post"]
    assert "AttendedInput" in str(attended["requestBody"])
