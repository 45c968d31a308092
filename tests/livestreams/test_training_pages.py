"""Training pages: cooperative members sign their people up for an upcoming training (within
the room's capacity, no one twice) and withdraw them before it starts; staff tick who came on
an attendance sheet linked from the session page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from livestreams.models import Room, Session, TrainingAttendance
from tests.conftest import client_for
from tests.cooperatives.factories import CooperativeFactory, MembershipFactory
from tests.livestreams.factories import RoomFactory, SessionFactory


@pytest.fixture
def training(db):
    return SessionFactory(
        title="Selling online: TikTok Shop basics",
        kind=Session.Kind.TRAINING,
        channel=None,
        room=RoomFactory(kind=Room.Kind.TRAINING, capacity=2, name="Training room"),
    )


def sign_up_url(session) -> str:
    return reverse("livestreams:training-sign-up", args=[session.pk])


def sheet_url(session) -> str:
    return reverse("livestreams:attendance-sheet", args=[session.pk])


# --- the list of open trainings -----------------------------------------------------------


def test_members_see_upcoming_trainings_with_seats_left_and_not_past_or_live_sessions(
    coop_client, training, cooperative
):
    TrainingAttendance.objects.create(session=training, cooperative=cooperative, attendee_name="A")
    SessionFactory(title="A coffee live")
    SessionFactory(
        title="Last month's training",
        kind=Session.Kind.TRAINING,
        channel=None,
        scheduled_start=timezone.now() - datetime.timedelta(days=30),
        status=Session.Status.ENDED,
    )
    page = coop_client.get(reverse("livestreams:training-list")).content.decode()
    assert "Selling online: TikTok Shop basics" in page
    assert "A coffee live" not in page and "Last month&#x27;s training" not in page
    assert sign_up_url(training) in page
    row = page[page.index(f'data-training="{training.pk}"') :]
    assert '<td class="num">1</td>' in row[: row.index("</tr>")]


def test_the_training_list_costs_the_same_queries_for_one_training_or_ten(
    coop_client, django_assert_max_num_queries
):
    for index in range(10):
        SessionFactory(
            kind=Session.Kind.TRAINING,
            channel=None,
            scheduled_start=timezone.now() + datetime.timedelta(days=index + 1),
        )
    # Session, user, groups (3); the trainings with their rooms and counts (1); navigation
    # and messages may read the user's roles once more (1).
    with django_assert_max_num_queries(6):
        response = coop_client.get(reverse("livestreams:training-list"))
    assert response.content.decode().count("data-training=") == 10


# --- signing up -----------------------------------------------------------------------------


def test_a_member_signs_themselves_up_by_default(coop_client, coop_member, training, cooperative):
    page = coop_client.get(sign_up_url(training)).content.decode()
    assert 'value="coop.member"' in page  # the name field starts with their own
    response = coop_client.post(sign_up_url(training), {"attendee_name": "coop.member"})
    assert response.status_code == 302
    attendance = TrainingAttendance.objects.get()
    assert (attendance.cooperative, attendance.user) == (cooperative, coop_member)
    page = coop_client.get(sign_up_url(training)).content.decode()
    assert "coop.member is signed up." in page
    assert f'data-sign-up="{attendance.pk}"' in page


def test_a_member_signs_up_a_colleague_and_sees_only_their_cooperatives_sign_ups(
    coop_client, training, other_cooperative
):
    TrainingAttendance.objects.create(
        session=training, cooperative=other_cooperative, attendee_name="Siu H'Lan"
    )
    coop_client.post(sign_up_url(training), {"attendee_name": "Trần Văn Bình"})
    attendance = TrainingAttendance.objects.get(attendee_name="Trần Văn Bình")
    assert attendance.user is None
    page = coop_client.get(sign_up_url(training)).content.decode()
    assert "Trần Văn Bình" in page and "Siu H" not in page


def test_the_same_person_twice_gets_a_message_and_no_second_row(coop_client, training):
    coop_client.post(sign_up_url(training), {"attendee_name": "Trần Văn Bình"})
    response = coop_client.post(sign_up_url(training), {"attendee_name": "trần văn bình"})
    assert response.status_code == 200
    assert "already signed up" in response.content.decode()
    assert TrainingAttendance.objects.count() == 1


def test_a_full_training_says_so_and_refuses_another_sign_up(
    coop_client, training, other_cooperative
):
    for name in ("Siu H'Lan", "Rơ Châm Hyun"):
        TrainingAttendance.objects.create(
            session=training, cooperative=other_cooperative, attendee_name=name
        )
    page = coop_client.get(sign_up_url(training)).content.decode()
    assert "data-full" in page and "all 2 seats of Training room are taken" in page
    response = coop_client.post(sign_up_url(training), {"attendee_name": "One more"})
    assert "This training is full" in response.content.decode()
    assert training.attendances.count() == 2


def test_a_member_of_two_cooperatives_chooses_which_one(coop_member, training):
    second = CooperativeFactory(name="Second cooperative")
    MembershipFactory(user=coop_member, cooperative=second)
    client = client_for(coop_member)
    page = client.get(sign_up_url(training)).content.decode()
    assert "Second cooperative" in page and "<select" in page
    client.post(sign_up_url(training), {"attendee_name": "Hoa", "cooperative": second.pk})
    assert TrainingAttendance.objects.get().cooperative == second


def test_a_member_cannot_sign_up_for_a_cooperative_they_do_not_belong_to(
    coop_client, training, other_cooperative
):
    coop_client.post(
        sign_up_url(training), {"attendee_name": "Hoa", "cooperative": other_cooperative.pk}
    )
    assert not TrainingAttendance.objects.exists()


def test_sign_up_is_closed_once_the_training_has_started(coop_client, training):
    Session.objects.filter(pk=training.pk).update(
        scheduled_start=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = coop_client.get(sign_up_url(training)).content.decode()
    assert "Sign-up is closed" in page and 'name="attendee_name"' not in page
    coop_client.post(sign_up_url(training), {"attendee_name": "Late"})
    assert not TrainingAttendance.objects.exists()


def test_officials_hosts_and_non_trainings_get_no_sign_up_page(
    official_client, host_user, coop_client
):
    live = SessionFactory()
    assert coop_client.get(sign_up_url(live)).status_code == 404
    training = SessionFactory(kind=Session.Kind.TRAINING, channel=None)
    assert official_client.get(sign_up_url(training)).status_code == 404
    assert client_for(host_user).get(sign_up_url(training)).status_code == 404


# --- withdrawing ----------------------------------------------------------------------------


def withdraw_url(attendance) -> str:
    return reverse("livestreams:training-withdraw", args=[attendance.session_id, attendance.pk])


def test_a_member_withdraws_their_own_sign_up_before_the_start(coop_client, training, cooperative):
    attendance = TrainingAttendance.objects.create(
        session=training, cooperative=cooperative, attendee_name="Hoa"
    )
    assert coop_client.post(withdraw_url(attendance)).status_code == 302
    assert not TrainingAttendance.objects.exists()


def test_a_member_cannot_withdraw_another_cooperatives_sign_up(
    coop_client, training, other_cooperative
):
    theirs = TrainingAttendance.objects.create(
        session=training, cooperative=other_cooperative, attendee_name="Siu H'Lan"
    )
    assert coop_client.post(withdraw_url(theirs)).status_code == 404
    assert TrainingAttendance.objects.filter(pk=theirs.pk).exists()


def test_withdrawal_is_refused_once_the_training_has_started(coop_client, training, cooperative):
    attendance = TrainingAttendance.objects.create(
        session=training, cooperative=cooperative, attendee_name="Hoa"
    )
    Session.objects.filter(pk=training.pk).update(
        scheduled_start=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = coop_client.post(withdraw_url(attendance), follow=True)
    assert "only before the training starts" in response.content.decode()
    assert TrainingAttendance.objects.filter(pk=attendance.pk).exists()


# --- staff's attendance sheet ---------------------------------------------------------------


@pytest.fixture
def sheet(training, cooperative, other_cooperative):
    return [
        TrainingAttendance.objects.create(
            session=training, cooperative=cooperative, attendee_name="Nguyễn Thị Hoa"
        ),
        TrainingAttendance.objects.create(
            session=training, cooperative=other_cooperative, attendee_name="Siu H'Lan"
        ),
    ]


def test_the_session_page_links_a_training_to_its_sheet_and_sign_up_page(
    staff_client, training, sheet
):
    page = staff_client.get(training.get_absolute_url()).content.decode()
    assert sheet_url(training) in page and sign_up_url(training) in page
    live = SessionFactory()
    assert sheet_url(live) not in staff_client.get(live.get_absolute_url()).content.decode()


def _sheet_post(formset_rows: list[tuple[TrainingAttendance, bool]]) -> dict:
    data = {
        "form-TOTAL_FORMS": str(len(formset_rows)),
        "form-INITIAL_FORMS": str(len(formset_rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, (attendance, came) in enumerate(formset_rows):
        data[f"form-{index}-id"] = str(attendance.pk)
        if came:
            data[f"form-{index}-attended"] = "on"
    return data


def test_staff_tick_who_came_on_the_attendance_sheet(staff_client, training, sheet):
    hoa, lan = sheet
    page = staff_client.get(sheet_url(training)).content.decode()
    assert 'type="checkbox"' in page and "Nguyễn Thị Hoa" in page and "Siu H&#x27;Lan" in page
    response = staff_client.post(sheet_url(training), _sheet_post([(hoa, True), (lan, False)]))
    assert response.status_code == 302
    hoa.refresh_from_db()
    lan.refresh_from_db()
    assert (hoa.attended, lan.attended) == (True, False)
    # Unticking works too.
    staff_client.post(sheet_url(training), _sheet_post([(hoa, False), (lan, False)]))
    hoa.refresh_from_db()
    assert not hoa.attended


def test_the_sheet_cannot_tick_a_sign_up_of_another_training(staff_client, training, sheet):
    elsewhere = TrainingAttendance.objects.create(
        session=SessionFactory(kind=Session.Kind.TRAINING, channel=None),
        cooperative=sheet[0].cooperative,
        attendee_name="Someone else",
    )
    # The formset looks rows up among this training's only; the service updates those only.
    staff_client.post(sheet_url(training), _sheet_post([(elsewhere, True)]))
    elsewhere.refresh_from_db()
    assert not elsewhere.attended


def test_only_staff_open_the_attendance_sheet(coop_client, official_client, training, sheet):
    assert coop_client.get(sheet_url(training)).status_code == 404
    assert official_client.get(sheet_url(training)).status_code == 404


def test_the_sheet_costs_the_same_queries_for_two_rows_or_thirty(
    staff_client, training, cooperative, django_assert_max_num_queries
):
    for index in range(30):
        TrainingAttendance.objects.create(
            session=training, cooperative=cooperative, attendee_name=f"Attendee {index}"
        )
    # Session, user, groups (3); the training (1); its sign-ups with cooperatives (1); the
    # navigation's role lookup (1).
    with django_assert_max_num_queries(7):
        response = staff_client.get(sheet_url(training))
    assert response.content.decode().count('type="checkbox"') == 30
