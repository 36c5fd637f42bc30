"""Every page and fragment answers, behind the login, in the user's language, with the
Content Security Policy that forbids inline scripts honoured by the markup."""

import re
from datetime import date, datetime

import pytest
import time_machine

from tests.factories import HANOI, BodyFactory, CongressFactory, MembershipFactory, TaskFactory

PAGES = [
    "/tasks/",
    "/tasks/?scope=review",
    "/tasks/?scope=all&status=any&due=overdue",
    "/tasks/?scope=all&due=week",
    "/documents/",
    "/documents/?status=drafting",
    "/calendar/",
    "/calendar/?month=2025-09",
    "/calendar/?mine=1",
    "/calendar/?day=2025-08-14",
    "/calendar/?day=2025-08-14&mine=1&page=2",
    "/notifications/",
    "/notifications/?unread=1",
    "/notifications/preferences/",
    "/account/password/",
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/tasks/", "/tasks/1/", "/documents/", "/calendar/", "/notifications/"]
)
def test_anonymous_visitor_is_sent_to_the_login(web, path):
    response = web().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default_and_logs_in(web, world, settings):
    settings.LANGUAGE_CODE = "vi"  # the product default (tests/settings.py reads in English)
    client = web()
    page = client.get("/login/")
    assert page.status_code == 200
    assert '<html lang="vi">' in page.content.decode()
    assert 'autocomplete="current-password"' in page.content.decode()

    response = client.post(
        "/login/", {"username": "docs_member", "password": "Chuan-bi-Dai-hoi-2025"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == world.docs_member.language


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_no_session(web, world):
    client = web()
    response = client.post("/login/", {"username": "docs_member", "password": "sai"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_home_goes_to_the_dashboard_of_the_users_congress(web, world):
    response = web(world.docs_member).get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/congresses/{world.congress.pk}/"


def test_home_offers_a_choice_to_a_member_of_several_congresses(web, world):
    MembershipFactory(body=world.other_docs, user=world.docs_member)
    client = web(world.docs_member)
    response = client.get("/")
    assert response["Location"] == "/congresses/"
    chooser = client.get("/congresses/").content.decode()
    assert f'href="/congresses/{world.congress.pk}/"' in chooser
    assert f'href="/congresses/{world.other_congress.pk}/"' in chooser


def test_dashboard_shows_the_figures_of_the_congress(web, world, make_task):
    make_task(
        title="Việc quá hạn", status="in_progress", due_at=datetime(2025, 8, 1, 17, 0, tzinfo=HANOI)
    )
    with time_machine.travel(date(2025, 8, 19), tick=False):
        response = web(world.docs_member).get(f"/congresses/{world.congress.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<span class="stat-value">30</span>' in html  # 19/08/2025 to 18/09/2025
    assert "18/09/2025" in html
    assert 'class="stat stat-danger"' in html  # the overdue task
    assert "Tiểu ban Văn kiện" in html
    assert "Việc quá hạn" in html
    assert "<svg" in html


def test_dashboard_of_a_congress_the_user_is_not_in_is_a_404(web, world):
    response = web(world.docs_member).get(f"/congresses/{world.other_congress.pk}/")
    assert response.status_code == 404
    assert "Ngô Quyền" not in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_for_a_member(web, world, make_task, path):
    make_task(title="Chuẩn bị hội trường")
    response = web(world.docs_member).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert 'name="viewport"' in html


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script(web, world, path):
    """CSP `script-src 'self'`: every script is a file, no handler attribute anywhere."""
    html = web(world.docs_head).get(path).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag
    assert not re.search(r"<script[^>]*>\s*[^<\s]", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_pages_carry_the_content_security_policy(web, world):
    response = web(world.docs_member).get("/tasks/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_every_input_has_a_label(web, world, make_task, make_document, add_version):
    task = make_task(title="Dự thảo", status="in_progress")
    document = make_document(rapporteur=world.docs_member)
    add_version(document, "Một")
    client = web(world.docs_member)
    for path in [
        "/tasks/",
        f"/tasks/{task.pk}/",
        f"/documents/{document.pk}/",
        "/notifications/preferences/",
    ]:
        html = client.get(path).content.decode()
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if re.search(r'type="(hidden|submit)"', tag) or "readonly" in tag:
                continue
            match = re.search(r'id="([^"]+)"', tag)
            assert match and match.group(1) in labelled, f"{path}: unlabelled {tag}"


def test_task_and_document_pages_answer(web, world, make_task, make_document, add_version):
    task = make_task(title="Viết đề cương")
    document = make_document(rapporteur=world.docs_member)
    add_version(document, "Một")
    add_version(document, "Hai")
    client = web(world.docs_member)
    assert client.get(f"/tasks/{task.pk}/").status_code == 200
    response = client.get(f"/documents/{document.pk}/")
    assert response.status_code == 200
    assert '<div class="diff">' in response.content.decode()


@pytest.mark.parametrize(
    "path, fragment, marker",
    [
        ("/tasks/", "task-list", "task-list"),
        ("/documents/", "document-list", "card"),
        ("/calendar/", "calendar", 'class="calendar"'),
        ("/notifications/", "inbox", "inbox-head"),
    ],
)
def test_fragments_are_the_part_without_the_page(web, world, make_task, path, fragment, marker):
    make_task(title="Chuẩn bị hội trường", status="in_progress")
    client = web(world.docs_member)
    response = client.get(f"{path}?fragment={fragment}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "<html" not in html
    assert marker in html


def test_dashboard_and_detail_fragments(web, world, make_task, make_document, add_version):
    task = make_task(title="Viết đề cương")
    document = make_document(rapporteur=world.docs_member)
    add_version(document, "Một")
    client = web(world.docs_member)
    for path in [
        f"/congresses/{world.congress.pk}/?fragment=dashboard",
        f"/tasks/{task.pk}/?fragment=task-detail",
        f"/documents/{document.pk}/?fragment=document-detail",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<html" not in response.content.decode()


def test_unknown_fragment_is_a_404(web, world):
    assert web(world.docs_member).get("/tasks/?fragment=nope").status_code == 404


def test_bell_fragment_is_the_unread_count(web, world):
    from notifications.models import Notification

    Notification.objects.create(recipient=world.docs_member, category="status", title="A")
    Notification.objects.create(recipient=world.docs_head, category="status", title="B")
    response = web(world.docs_member).get("/notifications/?fragment=bell")
    assert response.content == b"1"


def test_pages_give_the_live_script_the_congress_and_last_event(web, world, make_task):
    from notifications.models import Event

    make_task(title="Một việc")
    Event.objects.create(
        congress=world.congress, type="task.created", object_kind="task", object_id=1, payload={}
    )
    last = Event.objects.latest("id").pk
    html = web(world.docs_member).get("/tasks/").content.decode()
    assert f'data-congress="{world.congress.pk}"' in html
    assert f'data-live-after="{last}"' in html
    assert "/static/web/js/live.js" in html


def test_language_switch_saves_the_users_language(web, world):
    client = web(world.docs_member)
    response = client.post("/account/language/", {"language": "en", "next": "/tasks/"})
    assert response.status_code == 302
    assert response["Location"] == "/tasks/"
    world.docs_member.refresh_from_db()
    assert world.docs_member.language == "en"
    html = client.get("/tasks/").content.decode()
    assert '<html lang="en">' in html


def test_pages_follow_the_users_language_not_the_browsers(web, world):
    world.docs_member.language = "en"
    world.docs_member.save()
    html = web(world.docs_member).get("/tasks/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in html


def test_password_change(web, world):
    client = web(world.docs_member)
    response = client.post(
        "/account/password/",
        {
            "old_password": "Chuan-bi-Dai-hoi-2025",
            "new_password1": "Mat-khau-moi-2026!",
            "new_password2": "Mat-khau-moi-2026!",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/password/done/"
    world.docs_member.refresh_from_db()
    assert world.docs_member.check_password("Mat-khau-moi-2026!")


def test_logout_is_a_post(web, world):
    client = web(world.docs_member)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/tasks/").status_code == 302


def test_member_of_no_congress_is_told_so(web, db):
    from tests.factories import UserFactory

    response = web(UserFactory(username="newcomer")).get("/")
    assert response.status_code == 200
    assert 'data-page="no-congress"' in response.content.decode()


def test_calendar_shows_deadlines_of_the_month(web, world, make_task):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    due = datetime(2025, 8, 14, 17, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    make_task(title="Nộp báo cáo tháng", due_at=due, assignee=world.docs_member)
    client = web(world.docs_member)
    html = client.get("/calendar/?month=2025-08").content.decode()
    assert "Nộp báo cáo tháng" in html
    assert "14/08" in html
    assert "Nộp báo cáo tháng" not in client.get("/calendar/?month=2025-10").content.decode()
    assert "/calendar/" in html and ".ics" in html


def test_calendar_link_can_be_reissued(web, world):
    from notifications.services import preference_for

    client = web(world.docs_member)
    old = preference_for(world.docs_member).calendar_token
    assert old in client.get("/calendar/").content.decode()
    response = client.post("/calendar/new-link/")
    assert response.status_code == 302
    new = preference_for(world.docs_member).calendar_token
    assert new != old
    html = client.get("/calendar/").content.decode()
    assert new in html and old not in html


def test_staff_sees_every_congress(web, world):
    other = CongressFactory(number=7, opens_on=date(2026, 1, 5))
    body = BodyFactory(congress=other)
    TaskFactory(body=body, title="Việc của đại hội khác")
    response = web(world.staff).get(f"/congresses/{other.pk}/")
    assert response.status_code == 200
