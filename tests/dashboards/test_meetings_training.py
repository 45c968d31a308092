"""Meetings and training in the reports: each month (and base) of the monthly report, its
XLSX download, the overview and the overview API count the meetings and the agreements, sum
the agreements' value per currency (VND never added to CNY), and count the people trained
(came, not only signed up) by cooperative and by district."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from dashboards.selectors.common import Period
from dashboards.selectors.meetings import meetings_and_training
from livestreams.models import MeetingBooking, Room, Session, TrainingAttendance
from tests.catalog.factories import BaseFactory, ZoneFactory
from tests.cooperatives.factories import CooperativeFactory
from tests.livestreams.factories import MeetingBookingFactory, RoomFactory, SessionFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = dt.date(2030, 3, 1)


def at(day: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2030, month, day, 9, 0, tzinfo=HANOI)


def meeting(day, *, outcome=MeetingBooking.Outcome.PENDING, value=None, currency="", **kwargs):
    return MeetingBookingFactory(
        session__scheduled_start=at(day, kwargs.pop("month", 3)),
        outcome=outcome,
        agreement_value=value,
        agreement_currency=currency,
        **kwargs,
    )


def agreement(day, value, currency, **kwargs):
    return meeting(
        day,
        outcome=MeetingBooking.Outcome.AGREEMENT,
        value=Decimal(value),
        currency=currency,
        **kwargs,
    )


@pytest.fixture
def march(db):
    """March 2030: four meetings held (two agreements in VND, one in CNY), one cancelled
    agreement and one in April; a training where three of four came, and one in April."""
    agreement(3, "1200000000", "VND")
    agreement(10, "600000000", "VND")
    agreement(12, "12826.04", "CNY")
    meeting(20, outcome=MeetingBooking.Outcome.NO_DEAL)
    cancelled = agreement(21, "999", "VND")
    Session.objects.filter(pk=cancelled.session_id).update(status=Session.Status.CANCELLED)
    agreement(2, "5000000", "VND", month=4)

    coffee = CooperativeFactory(name="Chu Se Coffee", district="Chư Sê")
    pepper = CooperativeFactory(name="Ia Grai Pepper", district="Ia Grai")
    tea = CooperativeFactory(name="Chu Se Tea", district="Chư Sê")
    training = SessionFactory(kind=Session.Kind.TRAINING, channel=None, scheduled_start=at(15))
    for cooperative, name, came in (
        (coffee, "Hoa", True),
        (coffee, "Bình", True),
        (pepper, "Lan", False),
        (tea, "Mai", True),
    ):
        TrainingAttendance.objects.create(
            session=training, cooperative=cooperative, attendee_name=name, attended=came
        )
    april = SessionFactory(kind=Session.Kind.TRAINING, channel=None, scheduled_start=at(2, 4))
    TrainingAttendance.objects.create(
        session=april, cooperative=pepper, attendee_name="Lan", attended=True
    )
    return Period.month_of(MARCH)


def test_the_month_counts_meetings_agreements_and_values_per_currency(march):
    numbers = meetings_and_training(march)
    assert numbers["meetings"] == 4
    assert numbers["agreements"] == 3
    assert numbers["agreement_values"] == [
        {"currency": "CNY", "agreements": 1, "value": Decimal("12826.04")},
        {"currency": "VND", "agreements": 2, "value": Decimal("1800000000.00")},
    ]


def test_the_month_counts_people_who_came_by_cooperative_and_by_district(march):
    numbers = meetings_and_training(march)
    assert numbers["trainings"] == 1
    assert numbers["people_trained"] == 3
    assert [
        (entry["cooperative"], entry["district"], entry["people"])
        for entry in numbers["trained_by_cooperative"]
    ] == [("Chu Se Coffee", "Chư Sê", 2), ("Chu Se Tea", "Chư Sê", 1)]
    assert numbers["trained_by_district"] == [
        {"district": "Chư Sê", "people": 3, "cooperatives": 2}
    ]


def test_a_base_keeps_its_own_rooms_meetings_and_trainings(march):
    gia_lai = BaseFactory(name="Gia Lai base", slug="gia-lai")
    room = RoomFactory(
        kind=Room.Kind.MEETING, zone=ZoneFactory(base=gia_lai, code="GL-F3", floor=3)
    )
    agreement(5, "70000000", "VND", session__room=room)
    assert meetings_and_training(Period(MARCH, dt.date(2030, 3, 31), gia_lai.pk))[
        "agreement_values"
    ] == [{"currency": "VND", "agreements": 1, "value": Decimal("70000000.00")}]
    everywhere = meetings_and_training(march)
    assert (everywhere["meetings"], everywhere["agreements"]) == (5, 4)


def test_the_monthly_report_shows_them(official_client, march):
    page = official_client.get("/dashboards/monthly-report/", {"month": "2030-03"})
    text = page.content.decode()
    assert "data-meetings-training" in text
    section = text[text.index("data-meetings-training") :]
    assert '<tr data-figure="meetings"><td>Meetings</td><td class="num">4</td>' in section
    assert 'data-currency="VND"' in section and 'data-currency="CNY"' in section
    assert "Chu Se Coffee" in section and "Ia Grai Pepper" not in section


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.getvalue())).worksheets[0].values)


def test_the_monthly_reports_xlsx_has_the_meetings_and_the_people_trained(official_client, march):
    url = "/dashboards/monthly-report/"
    meetings = xlsx_rows(
        official_client.get(url, {"month": "2030-03", "table": "meetings", "format": "xlsx"})
    )
    assert ("Meetings", 4, None) in meetings or ("Meetings", 4, "") in meetings
    values = {row[2]: row[1] for row in meetings if row[0] == "Value of agreements"}
    assert set(values) == {"VND", "CNY"}
    assert Decimal(str(values["CNY"])) == Decimal("12826.04")
    by_district = xlsx_rows(
        official_client.get(
            url, {"month": "2030-03", "table": "trained_by_district", "format": "xlsx"}
        )
    )
    assert by_district[1] == ("Chư Sê", 3, 2)


def test_the_overview_page_and_api_show_them(official_client, march):
    period = {"start": "2030-03-01", "end": "2030-03-31"}
    page = official_client.get("/dashboards/", period).content.decode()
    assert "data-meetings-training" in page and "People trained by district" in page
    data = official_client.get("/api/v1/reports/overview/", period).json()["meetings_training"]
    assert (data["meetings"], data["agreements"], data["people_trained"]) == (4, 3, 3)
    assert data["agreement_values"] == [
        {"currency": "CNY", "agreements": 1, "value": "12826.04"},
        {"currency": "VND", "agreements": 2, "value": "1800000000.00"},
    ]
    assert data["trained_by_district"] == [{"district": "Chư Sê", "people": 3, "cooperatives": 2}]
