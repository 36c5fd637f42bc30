"""Inputs that used to answer 500: a calendar month of year 1 or 9999, JSON nested 5,000 deep
(unauthenticated), a title with a line break that then failed its email for good, and ids or
years written in superscript digits ("²".isdigit() is true, int("²") raises)."""

# ruff: noqa: F811  (the document fixtures are imported, then requested by name)

import json
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from congress.models import Body, Congress, Organization
from notifications.models import EmailDelivery
from tests.documents.conftest import add_version, make_document, people  # noqa: F401
from workflows.models import Comment, Document, Task
from workflows.services.tasks import task_create

ONE_LINE = "Write this on one line, without line breaks or control characters."
ROOT = Path(__file__).resolve().parents[2]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Calendar months -----------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1-1", "1999-12", "2101-01"])
def test_a_calendar_month_out_of_range_shows_the_current_month(world, month):
    response = logged_in(world.docs_member).get("/calendar/", {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_the_first_and_last_months_of_the_range_are_shown(world):
    client = logged_in(world.docs_member)
    assert client.get("/calendar/?month=2000-01").context["month"].isoformat() == "2000-01-01"
    assert client.get("/calendar/?month=2100-12").context["month"].isoformat() == "2100-12-01"


# JSON bodies ---------------------------------------------------------------------------------


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("body", [deep(5000), '{"username": ' + deep(5000) + ', "password": "x"}'])
def test_deeply_nested_json_to_the_token_endpoint_is_a_400(db, body):
    response = Client().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The JSON nests too deeply (at most 32 levels).",
        "code": "json_too_deep",
    }


def test_json_nested_past_the_bound_is_refused_everywhere(world, api, trail):
    events = trail()
    body = json.dumps({"body": world.docs.pk, "title": "Dự thảo", "x": json.loads(deep(40))})
    response = api(world.docs_head).post("/api/v1/tasks/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"
    assert not Task.objects.exists()
    assert trail() == events


def test_json_within_the_bound_is_read_as_before(world, api):
    body = json.dumps({"body": world.docs.pk, "title": "Dự thảo", "x": json.loads(deep(30))})
    response = api(world.docs_head).post("/api/v1/tasks/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Task.objects.get().title == "Dự thảo"


def test_a_json_body_over_the_size_limit_is_a_400(db, settings):
    settings.API_JSON_MAX_BYTES = 1000
    body = json.dumps({"username": "x" * 2000, "password": "x"})
    response = Client().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "request_too_large"


def test_the_default_size_limit_lets_an_escaped_text_version_of_upload_size_through(settings):
    # Vietnamese text escaped as \uXXXX is twice its UTF-8 size.
    assert settings.API_JSON_MAX_BYTES > 2 * settings.DOCUMENT_MAX_UPLOAD_BYTES


def test_depth_is_counted_without_recursion():
    from congress.api.parsers import deeper_than

    assert deeper_than(json.loads(deep(33)), 32)
    assert not deeper_than(json.loads(deep(32)), 32)
    assert not deeper_than({"a": [1, 2, {"b": "c"}]}, 3)
    assert deeper_than({"a": [1, 2, {"b": []}]}, 3)


# One-line fields -----------------------------------------------------------------------------

BROKEN_TITLE = "Báo cáo\r\nBcc: victim@example.com"


@pytest.mark.parametrize("title", [BROKEN_TITLE, "Báo cáo\nmới", "Tab\tgiữa", "Dòng\u2028mới"])
def test_a_task_title_with_a_control_character_is_refused(world, api, make_task, trail, title):
    head = api(world.docs_head)
    events = trail()
    created = head.post("/api/v1/tasks/", {"body": world.docs.pk, "title": title}, format="json")
    assert created.status_code == 400
    assert created.json()["title"] == [ONE_LINE]
    task = make_task(title="Dự thảo")
    edited = head.patch(f"/api/v1/tasks/{task.pk}/", {"title": title}, format="json")
    assert edited.status_code == 400
    task.refresh_from_db()
    assert (task.title, task.version) == ("Dự thảo", 1)
    assert Task.objects.count() == 1
    assert trail() == events


def test_a_document_title_with_a_line_break_is_refused(people, api, make_document):
    document = make_document(title="Báo cáo chính trị")
    head = api(people.docs_head)
    edited = head.patch(f"/api/v1/documents/{document.pk}/", {"title": BROKEN_TITLE}, format="json")
    assert edited.status_code == 400
    assert edited.json()["title"] == [ONE_LINE]
    created = head.post(
        "/api/v1/documents/",
        {"body": people.docs.pk, "kind": "other", "title": BROKEN_TITLE},
        format="json",
    )
    assert created.status_code == 400
    document.refresh_from_db()
    assert document.title == "Báo cáo chính trị"
    assert Document.objects.count() == 1


@pytest.mark.parametrize("field", ["section", "source"])
def test_a_document_comment_section_or_source_with_a_line_break_is_refused(
    people, api, make_document, add_version, field
):
    document = make_document()
    add_version(document)
    response = api(people.docs_member).post(
        f"/api/v1/documents/{document.pk}/comments/",
        {"text": "Góp ý\nnhiều dòng vẫn được", field: "Phần I\r\nBcc: x@example.com"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()[field] == [ONE_LINE]
    assert not Comment.objects.exists()


def test_a_document_comment_text_may_have_several_lines(people, api, make_document, add_version):
    document = make_document()
    add_version(document)
    response = api(people.docs_member).post(
        f"/api/v1/documents/{document.pk}/comments/",
        {"text": "Dòng một\r\nDòng hai", "section": "Phần I"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Comment.objects.get().text == "Dòng một\r\nDòng hai"


def test_names_and_venue_with_a_line_break_are_refused(world, api):
    staff, leader = api(world.staff), api(world.sc_head)
    congress = leader.patch(
        f"/api/v1/congresses/{world.congress.pk}/", {"venue": "Hội trường\nA"}, format="json"
    )
    body = leader.patch(f"/api/v1/bodies/{world.docs.pk}/", {"name": "Văn\rkiện"}, format="json")
    organization = staff.post(
        "/api/v1/organizations/", {"name": "Đảng bộ\nphường", "level": "ward"}, format="json"
    )
    assert [congress.status_code, body.status_code, organization.status_code] == [400, 400, 400]
    assert congress.json()["venue"] == [ONE_LINE]
    assert body.json()["name"] == [ONE_LINE]
    assert organization.json()["name"] == [ONE_LINE]
    assert Congress.objects.get(pk=world.congress.pk).venue == "Hội trường Quận ủy"
    assert Body.objects.get(pk=world.docs.pk).name == "Tiểu ban Văn kiện"
    assert not Organization.objects.filter(name__startswith="Đảng bộ\n").exists()


def test_a_target_name_with_a_line_break_is_refused(world, api):
    staff = api(world.staff)
    resolution = staff.post(
        "/api/v1/resolutions/",
        {"organization": world.org.pk, "code": "10-NQ/QU", "title": "A\nB", "term": "2020-2025"},
        format="json",
    )
    assert resolution.status_code == 400
    assert resolution.json()["title"] == [ONE_LINE]


def test_the_task_form_refuses_a_title_with_a_line_break(world):
    world.docs_head.language = "en"
    world.docs_head.save(update_fields=["language"])
    response = logged_in(world.docs_head).post(
        "/tasks/new/", {"body": world.docs.pk, "title": BROKEN_TITLE, "priority": "normal"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [ONE_LINE]
    assert not Task.objects.exists()


def test_an_email_about_a_title_stored_with_a_line_break_is_still_sent(
    world, django_capture_on_commit_callbacks
):
    """Titles written before they were checked (or by code that skips the API) still mail."""
    world.docs_member.email = "member@lechan.vn"
    world.docs_member.language = "en"
    world.docs_member.save(update_fields=["email", "language"])
    with django_capture_on_commit_callbacks(execute=True):
        task_create(
            actor=world.docs_head, body=world.docs, title=BROKEN_TITLE, assignee=world.docs_member
        )
    assert EmailDelivery.objects.get().status == "sent"
    assert [m.subject for m in mail.outbox] == [
        "New task assigned to you: Báo cáo Bcc: victim@example.com"
    ]
    assert mail.outbox[0].bcc == []


# Superscript digits --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/tasks/?assignee=²", "/api/v1/documents/?rapporteur=²"])
def test_a_superscript_id_in_an_api_filter_is_a_400(world, api, path):
    response = api(world.docs_head).get(path)
    assert response.status_code == 400


def test_a_superscript_version_number_in_the_diff_is_a_400(people, api, make_document):
    document = make_document()
    response = api(people.docs_head).get(f"/api/v1/documents/{document.pk}/diff/?from=²&to=1")
    assert response.status_code == 400
    assert response.json()["from"] == ["Give a version number."]


@pytest.mark.parametrize("path", ["/?congress=²", "/tasks/?congress=²", "/calendar/?congress=²"])
def test_a_superscript_congress_in_a_page_address_is_not_found(world, path):
    assert logged_in(world.docs_member).get(path).status_code == 404


def test_a_superscript_version_on_the_document_page_is_ignored(people, make_document, add_version):
    document = make_document()
    add_version(document, "Bản một")
    add_version(document, "Bản hai")
    response = logged_in(people.docs_head).get(f"/documents/{document.pk}/?from=²&to=1")
    assert response.status_code == 200


def test_a_superscript_body_id_in_a_transfer_is_a_400(world, api):
    response = api(world.sc_head).post(
        f"/api/v1/congresses/{world.congress.pk}/transfer/",
        {"successor_congress": world.other_congress.pk, "body_mapping": {"²": 1}},
        format="json",
    )
    assert response.status_code == 400
    assert "body_mapping" in response.json()


def test_a_superscript_in_a_section_name_sorts_in_the_comment_summary():
    from workflows.reports import sort_key

    assert sorted(["Mục ²", "Mục 2", "Mục 10"], key=sort_key) == ["Mục 2", "Mục 10", "Mục ²"]


def test_no_code_converts_isdigit_strings_to_numbers():
    """str.isdigit() accepts superscripts that int() refuses; str.isdecimal() is what int()
    reads. The application code uses the latter."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("congress", "notifications", "workflows")
        for path in (ROOT / app).rglob("*.py")
        if ".isdigit()" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
