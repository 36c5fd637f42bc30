"""Every date a person writes lies between 2000 and 2100 (congress.validation): an impossible
date is a 400 that says so, and nothing is saved. A congress opening on 0001-01-02 used to be
saved with a 500, and then the dashboard, the calendar and every feed failed for everyone."""

# ruff: noqa: F811  (the document fixtures are imported, then requested by name)

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from congress import services
from congress.api.serializers import CongressSerializer
from congress.errors import Invalid
from congress.models import CalendarDay, Congress, Resolution, Target, TargetResult
from tests.documents.conftest import add_version, make_document, people  # noqa: F401
from tests.factories import UserFactory
from workflows.models import Document, Task

RANGE_MESSAGE = "Give a date between 01/01/2000 and 31/12/2100."
IMPOSSIBLE_DATES = ["0001-01-02", "1999-12-31", "2101-01-01", "9999-12-31"]
IMPOSSIBLE_MOMENTS = ["0001-01-01T00:00:00Z", "1999-12-31T10:00:00Z", "2500-01-01T10:00:00Z"]


def congress_row(congress) -> tuple:
    congress.refresh_from_db()
    return congress.opens_on, congress.closes_on, congress.version


@pytest.mark.parametrize("value", IMPOSSIBLE_DATES)
@pytest.mark.parametrize("field", ["opens_on", "closes_on"])
def test_an_impossible_congress_date_is_refused_and_not_saved(world, api, trail, field, value):
    before, events = congress_row(world.congress), trail()
    response = api(world.sc_head).patch(
        f"/api/v1/congresses/{world.congress.pk}/", {field: value}, format="json"
    )
    assert response.status_code == 400
    assert response.json()[field] == [RANGE_MESSAGE]
    assert congress_row(world.congress) == before
    assert trail() == events


def test_after_a_refused_date_every_page_still_answers(world, api):
    api(world.sc_head).patch(
        f"/api/v1/congresses/{world.congress.pk}/", {"opens_on": "0001-01-02"}, format="json"
    )
    member = api(world.docs_member)
    assert member.get(f"/api/v1/congresses/{world.congress.pk}/").status_code == 200
    assert member.get(f"/api/v1/congresses/{world.congress.pk}/dashboard/").status_code == 200
    web = Client()
    web.force_login(world.docs_member)
    assert web.get("/calendar/").status_code == 200


@pytest.mark.parametrize("value", ["2000-01-01", "2100-12-31"])
def test_the_first_and_last_days_of_the_range_are_accepted(world, api, value):
    response = api(world.sc_head).patch(
        f"/api/v1/congresses/{world.congress.pk}/", {"opens_on": value}, format="json"
    )
    assert response.status_code == 200, response.content
    world.congress.refresh_from_db()
    assert world.congress.opens_on.isoformat() == value
    assert response.json()["superior_review_due"] is not None


def test_a_new_congress_with_an_impossible_date_is_refused(world, api):
    response = api(world.staff).post(
        "/api/v1/congresses/",
        {
            "organization": world.org.pk,
            "number": 26,
            "term_start": 2030,
            "term_end": 2035,
            "opens_on": "0001-01-02",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["opens_on"] == [RANGE_MESSAGE]
    assert not Congress.objects.filter(number=26).exists()


def test_the_congress_service_refuses_an_impossible_date_itself(world):
    before = congress_row(world.congress)
    with pytest.raises(Invalid) as refused:
        services.congress_update(
            actor=world.sc_head, congress_id=world.congress.pk, opens_on=date(1, 1, 2)
        )
    assert refused.value.as_dict()["opens_on"] == [RANGE_MESSAGE]
    assert congress_row(world.congress) == before


def test_a_patch_whose_answer_fails_saves_nothing(world, api, trail, monkeypatch):
    """The answer shows derived dates: if computing them fails, the change is rolled back."""

    def broken(self, congress):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(CongressSerializer, "get_superior_review_due", broken)
    before, events = congress_row(world.congress), trail()
    with pytest.raises(OverflowError):
        api(world.sc_head).patch(
            f"/api/v1/congresses/{world.congress.pk}/", {"opens_on": "2026-01-05"}, format="json"
        )
    assert congress_row(world.congress) == before
    assert trail() == events


def test_the_model_refuses_an_impossible_opening_date(world):
    world.congress.opens_on = date(1, 1, 2)
    with pytest.raises(ValidationError) as refused:
        world.congress.clean_fields(exclude=["status"])  # the FSM field refuses assignment
    assert refused.value.message_dict["opens_on"] == [RANGE_MESSAGE]


@pytest.mark.parametrize(("field", "value"), [("starts_on", v) for v in IMPOSSIBLE_DATES])
def test_an_impossible_task_start_is_refused(world, api, make_task, field, value):
    task = make_task()
    before = (task.starts_on, task.version)
    response = api(world.docs_head).patch(
        f"/api/v1/tasks/{task.pk}/", {field: value}, format="json"
    )
    assert response.status_code == 400
    assert response.json()[field] == [RANGE_MESSAGE]
    task.refresh_from_db()
    assert (task.starts_on, task.version) == before


@pytest.mark.parametrize("value", IMPOSSIBLE_MOMENTS)
def test_an_impossible_task_deadline_is_refused_on_create_and_edit(world, api, make_task, value):
    head = api(world.docs_head)
    created = head.post(
        "/api/v1/tasks/", {"body": world.docs.pk, "title": "Dự thảo", "due_at": value}
    )
    assert created.status_code == 400
    assert created.json()["due_at"] == [RANGE_MESSAGE]
    assert not Task.objects.filter(title="Dự thảo").exists()
    task = make_task()
    before = (task.due_at, task.version)
    edited = head.patch(f"/api/v1/tasks/{task.pk}/", {"due_at": value}, format="json")
    assert edited.status_code == 400
    task.refresh_from_db()
    assert (task.due_at, task.version) == before


@pytest.mark.parametrize("value", IMPOSSIBLE_MOMENTS)
def test_an_impossible_document_deadline_is_refused(people, api, make_document, value):
    document = make_document()
    response = api(people.docs_head).patch(
        f"/api/v1/documents/{document.pk}/", {"due_at": value}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["due_at"] == [RANGE_MESSAGE]
    document.refresh_from_db()
    assert (document.due_at, document.version) == (None, 1)


@pytest.mark.parametrize("value", ["2500-01-01T10:00:00Z", "0001-01-01T00:00:00Z"])
def test_an_impossible_consultation_closing_is_refused(
    people, api, make_document, add_version, trail, value
):
    document = make_document(status=Document.Status.STEERING_REVIEW)
    add_version(document)
    events = trail()
    response = api(people.steering_head).post(
        f"/api/v1/documents/{document.pk}/transitions/open_consultation/",
        {"consultation_closes_at": value},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["consultation_closes_at"] == [RANGE_MESSAGE]
    document.refresh_from_db()
    assert (document.status, document.consultation_closes_at) == (
        Document.Status.STEERING_REVIEW,
        None,
    )
    assert trail() == events


@pytest.mark.parametrize("path", ["redate", "redate-preview"])
@pytest.mark.parametrize("value", ["0001-01-02", "9999-12-31"])
def test_an_impossible_new_opening_date_is_refused_by_the_re_dating(world, api, path, value):
    head = api(world.steering_head)
    url = f"/api/v1/congresses/{world.congress.pk}/{path}/"
    if path == "redate":
        response = head.post(url, {"opens_on": value}, format="json")
    else:
        response = head.get(url, {"opens_on": value})
    assert response.status_code == 400
    assert response.json()["opens_on"] == [RANGE_MESSAGE]
    world.congress.refresh_from_db()
    assert world.congress.opens_on == date(2025, 9, 18)


@pytest.mark.parametrize("year", [1930, 1999, 2101, 2200])
def test_a_target_result_for_an_impossible_year_is_refused(world, api, year):
    resolution = Resolution.objects.create(
        organization=world.org, code="10-NQ/QU", title="Nghị quyết", term="2020-2025"
    )
    target = Target.objects.create(resolution=resolution, code="1", name="Kết nạp", target_value=1)
    response = api(world.staff).post(
        f"/api/v1/targets/{target.pk}/results/",
        {"period": "year", "year": year, "value": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "year" in response.json()
    assert not TargetResult.objects.exists()


@pytest.mark.parametrize("year", ["1999", "2101", "²"])
def test_a_period_of_an_impossible_year_is_refused(world, api, year):
    response = api(world.staff).get(
        f"/api/v1/organizations/{world.org.pk}/targets/", {"period": "year", "year": year}
    )
    assert response.status_code == 400
    assert response.json()["year"] == ["Give a year between 2000 and 2100, e.g. 2024."]


def test_a_resolution_adopted_on_an_impossible_date_is_refused(world, api):
    response = api(world.staff).post(
        "/api/v1/resolutions/",
        {
            "organization": world.org.pk,
            "code": "10-NQ/QU",
            "title": "Nghị quyết",
            "term": "2020-2025",
            "adopted_on": "0001-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["adopted_on"] == [RANGE_MESSAGE]


@pytest.mark.parametrize("term", [{"term_start": 1930, "term_end": 1935}, {"term_end": 2200}])
def test_a_term_outside_the_range_is_refused(world, api, term):
    response = api(world.sc_head).patch(
        f"/api/v1/congresses/{world.congress.pk}/", term, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= set(term)


@pytest.mark.parametrize(
    "query", ["due_before=0001-01-01", "due_after=0001-01-01T00:00:00Z", "due_before=9999-12-31"]
)
def test_a_task_filter_with_an_impossible_date_is_a_400(world, api, query):
    response = api(world.docs_head).get(f"/api/v1/tasks/?{query}")
    assert response.status_code == 400
    assert list(response.json()[query.split("=")[0]]) == [RANGE_MESSAGE]


# Web pages and the admin -------------------------------------------------------------------


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_task_form_refuses_an_impossible_deadline(world):
    world.docs_head.language = "en"
    world.docs_head.save(update_fields=["language"])
    response = logged_in(world.docs_head).post(
        "/tasks/new/",
        {
            "body": world.docs.pk,
            "title": "Rà soát",
            "priority": "normal",
            "due_at": "0001-01-01T10:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due_at"] == [RANGE_MESSAGE]
    assert not Task.objects.filter(title="Rà soát").exists()


def test_the_consultation_form_refuses_an_impossible_closing(people, make_document, add_version):
    document = make_document(status=Document.Status.STEERING_REVIEW)
    add_version(document)
    logged_in(people.steering_head).post(
        f"/documents/{document.pk}/transitions/open_consultation/",
        {"version": 1, "consultation_closes_at": "2500-01-01T17:00"},
    )
    document.refresh_from_db()
    assert (document.status, document.consultation_closes_at) == (
        Document.Status.STEERING_REVIEW,
        None,
    )


@pytest.fixture
def admin_client_(db):
    return logged_in(UserFactory(is_staff=True, is_superuser=True))


def test_the_admin_refuses_an_impossible_calendar_day(admin_client_):
    response = admin_client_.post(
        "/admin/congress/calendarday/add/",
        {"date": "0001-01-01", "kind": "day_off", "note": "Nghỉ bù"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [RANGE_MESSAGE]
    assert not CalendarDay.objects.exists()


def test_the_admin_still_saves_a_real_calendar_day(admin_client_):
    response = admin_client_.post(
        "/admin/congress/calendarday/add/",
        {"date": "2026-04-27", "kind": "day_off", "note": "Nghỉ bù"},
    )
    assert response.status_code == 302
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [date(2026, 4, 27)]


def test_in_range_is_decided_by_the_written_date(db):
    from congress.validation import in_date_range

    assert in_date_range(datetime(2100, 12, 31, 23, 0, tzinfo=UTC))
    assert not in_date_range(datetime(2101, 1, 1, 0, 0, tzinfo=UTC))
    assert not in_date_range(date(1999, 12, 31))
