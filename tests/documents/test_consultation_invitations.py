"""Consultation invitations (issue 15): outside organizations asked for their comments by a
personal link, through the API and the public page, and the reminders they get."""

import hashlib
import re

import pytest
from django.core import mail
from django.test import Client

from congress.models import Organization
from notifications.models import Reminder
from tests.documents.consultations import DRAFT, hanoi, invite, out_for_comment
from tests.factories import OrganizationFactory
from workflows.models import Comment, ConsultationInvitation, Document
from workflows.reminders import reminders_sweep
from workflows.sections import sections_of

URL = "/api/v1/documents/"
CLOSES = (2025, 8, 22, 17, 0)  # a Friday


@pytest.fixture
def now(time_machine):
    moment = hanoi(2025, 8, 11, 9, 0)  # a Monday
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def report(people, make_document, add_version, now):
    return out_for_comment(people, make_document, add_version, hanoi(*CLOSES))


def _outbox_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def _link(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/consult/[A-Za-z0-9_-]+/)", message.body).group(1)


def test_an_invitation_from_email_to_comments_the_drafters_answer(
    people, report, api, time_machine, django_capture_on_commit_callbacks
):
    drafter = api(people.docs_member)
    with django_capture_on_commit_callbacks(execute=True):
        created = drafter.post(
            f"{URL}{report.pk}/invitations/",
            {"name": "Ủy ban MTTQ quận Lê Chân", "email": "MTTQ@lechan.example"},
            format="json",
        )
    assert created.status_code == 201
    body = created.json()
    assert (body["name"], body["email"], body["status"], body["round"]) == (
        "Ủy ban MTTQ quận Lê Chân",
        "mttq@lechan.example",
        "sent",
        1,
    )
    # The answer's link is built from the request; the email's from SITE_URL: the same path.
    assert body["url"].startswith("http://testserver/consult/")
    [email] = _outbox_to("mttq@lechan.example")
    assert email.subject == f"Request for comments: {report.title}"
    assert body["url"].replace("http://testserver", "http://127.0.0.1:8000") in email.body
    assert "until 17:00 22/08/2025" in email.body
    token = body["url"].rstrip("/").rsplit("/", 1)[1]
    invitation = ConsultationInvitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()

    listed = drafter.get(f"{URL}{report.pk}/invitations/").json()["results"]
    assert [(i["name"], i["status"], "url" in i) for i in listed] == [
        ("Ủy ban MTTQ quận Lê Chân", "sent", False)
    ]

    page = Client()
    path = _link(email)
    opened = page.get(path)
    assert opened.status_code == 200
    assert drafter.get(f"{URL}{report.pk}/invitations/").json()["results"][0]["status"] == "opened"
    sections = {s.reference: s.index for s in sections_of(DRAFT)}
    first = sections["I. Về phát triển kinh tế"]
    second = sections["II. Về văn hóa - xã hội"]
    sent = page.post(
        path,
        {
            f"section-{first}": "Cập nhật số liệu tăng trưởng năm 2025.",
            f"section-{second}": "Đánh giá rõ vai trò giám sát của Mặt trận.",
            "general": "",
        },
    )
    assert sent.status_code == 200
    assert sent.content.decode().count("data-recorded") == 2

    time_machine.move_to(hanoi(2025, 8, 14, 10, 0), tick=False)
    again = page.get(path).content.decode()
    assert "Cập nhật số liệu tăng trưởng năm 2025." in again
    page.post(path, {"general": "Đề nghị rút gọn báo cáo còn 30 trang."})

    comments = drafter.get(f"{URL}{report.pk}/comments/").json()["results"]
    assert [(c["source"], c["section"], c["text"]) for c in comments] == [
        (
            "Ủy ban MTTQ quận Lê Chân",
            "I. Về phát triển kinh tế",
            "Cập nhật số liệu tăng trưởng năm 2025.",
        ),
        (
            "Ủy ban MTTQ quận Lê Chân",
            "II. Về văn hóa - xã hội",
            "Đánh giá rõ vai trò giám sát của Mặt trận.",
        ),
        ("Ủy ban MTTQ quận Lê Chân", "", "Đề nghị rút gọn báo cáo còn 30 trang."),
    ]
    assert {c["version"] for c in comments} == {1}
    answered = drafter.get(f"{URL}{report.pk}/invitations/").json()["results"][0]
    assert (answered["status"], answered["comment_count"]) == ("answered", 3)
    assert answered["answered_at"].startswith("2025-08-11T09:00")

    time_machine.move_to(hanoi(2025, 8, 22, 17, 1), tick=False)
    assert page.get(path).status_code == 410
    late = page.post(path, {"general": "Góp ý muộn"})
    assert late.status_code == 410
    assert Comment.objects.count() == 3
    listed = drafter.get(f"{URL}{report.pk}/invitations/").json()["results"]
    assert listed[0]["status"] == "expired"


def test_a_confidential_document_is_never_put_out_for_comment(
    people, make_document, add_version, api, trail, django_capture_on_commit_callbacks
):
    plan = make_document(
        body=people.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự (mật)",
        rapporteur=people.personnel_member,
    )
    add_version(plan, "I. Số lượng, cơ cấu")
    before = trail()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(people.personnel_member).post(
            f"{URL}{plan.pk}/invitations/", {"name": "Hội Cựu chiến binh", "email": "ccb@x.vn"}
        )
    assert (response.status_code, response.json()["code"]) == (400, "consultation_not_allowed")
    assert ConsultationInvitation.objects.count() == 0
    assert (trail(), mail.outbox) == (before, [])


def test_only_the_drafters_and_the_leaders_who_open_it_invite(people, report, api, trail):
    before = trail()
    member = api(people.steering_member).post(
        f"{URL}{report.pk}/invitations/", {"name": "Đoàn phường", "email": "doan@x.vn"}
    )
    assert (member.status_code, member.json()["code"]) == (403, "invitation_forbidden")
    outsider = api(people.outsider).post(
        f"{URL}{report.pk}/invitations/", {"name": "Đoàn phường", "email": "doan@x.vn"}
    )
    assert outsider.status_code == 404
    assert api(people.steering_member).get(f"{URL}{report.pk}/invitations/").status_code == 403
    assert (ConsultationInvitation.objects.count(), trail()) == (0, before)
    leader = api(people.steering_head).post(
        f"{URL}{report.pk}/invitations/", {"name": "Đoàn phường", "email": "doan@x.vn"}
    )
    assert leader.status_code == 201


def test_the_same_address_is_invited_once_per_round(people, report, api):
    drafter = api(people.docs_member)
    first = drafter.post(f"{URL}{report.pk}/invitations/", {"name": "Hội CCB", "email": "a@x.vn"})
    again = drafter.post(f"{URL}{report.pk}/invitations/", {"name": "CCB", "email": "A@x.vn"})
    assert (first.status_code, again.status_code, again.json()["code"]) == (
        201,
        409,
        "already_invited",
    )
    assert ConsultationInvitation.objects.count() == 1


def test_an_organization_of_the_congress_is_named_from_the_product(people, report, api):
    ward = OrganizationFactory(
        name="Đảng ủy phường An Biên", level=Organization.Level.WARD, parent=people.org
    )
    drafter = api(people.docs_member)
    ours = drafter.post(
        f"{URL}{report.pk}/invitations/", {"organization": ward.pk, "email": "ab@x.vn"}
    )
    assert (ours.status_code, ours.json()["name"], ours.json()["organization"]) == (
        201,
        "Đảng ủy phường An Biên",
        ward.pk,
    )
    theirs = drafter.post(
        f"{URL}{report.pk}/invitations/", {"organization": people.other_org.pk, "email": "nq@x.vn"}
    )
    assert (theirs.status_code, next(iter(theirs.json()))) == (400, "organization")
    assert ConsultationInvitation.objects.count() == 1


def test_an_invitation_made_before_the_opening_goes_out_when_it_opens(
    people, make_document, add_version, api, now, django_capture_on_commit_callbacks
):
    from workflows.services.documents import document_transition

    document = make_document()
    add_version(document, DRAFT, author=people.docs_member)
    document_transition(actor=people.docs_member, document_id=document.pk, name="submit")
    document_transition(actor=people.docs_head, document_id=document.pk, name="approve")
    drafter = api(people.docs_member)
    with django_capture_on_commit_callbacks(execute=True):
        created = drafter.post(
            f"{URL}{document.pk}/invitations/", {"name": "Hội Phụ nữ quận", "email": "hpn@x.vn"}
        )
    assert (created.status_code, created.json()["status"], created.json()["url"]) == (
        201,
        "waiting",
        None,
    )
    assert _outbox_to("hpn@x.vn") == []
    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep()
    assert _outbox_to("hpn@x.vn") == []  # still under review: nothing to read yet
    document_transition(
        actor=people.steering_head,
        document_id=document.pk,
        name="open_consultation",
        consultation_closes_at=hanoi(*CLOSES),
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep()
        reminders_sweep()
    [email] = _outbox_to("hpn@x.vn")
    assert Client().get(_link(email)).status_code == 200
    assert (
        drafter.get(f"{URL}{document.pk}/invitations/").json()["results"][0]["status"] == "opened"
    )


def test_a_revoked_link_is_gone_and_a_resent_one_replaces_the_old(
    people, report, api, django_capture_on_commit_callbacks
):
    drafter = api(people.docs_member)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, old_path = invite(people, report, "Đảng ủy phường Trần Nguyên Hãn", "tnh@x.vn")
    with django_capture_on_commit_callbacks(execute=True):
        resent = drafter.post(f"{URL}{report.pk}/invitations/{invitation.pk}/resend/", {})
    assert resent.status_code == 200
    _first, second = _outbox_to("tnh@x.vn")
    new_path = _link(second)
    assert (new_path != old_path, resent.json()["url"].endswith(new_path)) == (True, True)
    page = Client()
    assert (page.get(old_path).status_code, page.get(new_path).status_code) == (404, 200)

    revoked = drafter.delete(f"{URL}{report.pk}/invitations/{invitation.pk}/")
    assert revoked.status_code == 204
    gone = page.get(new_path)
    assert (gone.status_code, 'data-reason="revoked"' in gone.content.decode()) == (410, True)
    assert page.post(new_path, {"general": "Góp ý"}).status_code == 410
    assert Comment.objects.count() == 0
    listed = drafter.get(f"{URL}{report.pk}/invitations/").json()["results"]
    assert (listed[0]["status"], listed[0]["revoked_at"] is not None) == ("revoked", True)
    refused = drafter.post(f"{URL}{report.pk}/invitations/{invitation.pk}/resend/", {})
    assert (refused.status_code, refused.json()["code"]) == (409, "invitation_revoked")
    assert len(_outbox_to("tnh@x.vn")) == 2


def test_organizations_that_have_not_answered_are_reminded_3_and_1_working_days_before(
    people, report, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        silent, _path = invite(people, report, "Chi bộ Khu dân cư số 5", "kdc5@x.vn")
        _answered, path = invite(people, report, "Hội Cựu chiến binh quận", "ccb@x.vn")
    Client().post(path, {"general": "Đồng ý với dự thảo."})

    def sweep_at(*moment) -> list[str]:
        time_machine.move_to(hanoi(*moment), tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            reminders_sweep()
            reminders_sweep()
        return [m.subject.split(":")[0] for m in mail.outbox[2:]]

    assert sweep_at(2025, 8, 18, 16, 0) == []  # Monday: 4 working days before Friday
    assert sweep_at(2025, 8, 19, 8, 0) == ["Reminder"]  # Tuesday: 3 working days before
    assert sweep_at(2025, 8, 20, 9, 0) == ["Reminder"]
    assert sweep_at(2025, 8, 21, 9, 0) == ["Reminder", "Reminder"]  # Thursday: 1 before
    assert sweep_at(2025, 8, 22, 16, 0) == ["Reminder", "Reminder"]
    assert {m.to[0] for m in mail.outbox[2:]} == {"kdc5@x.vn"}
    reminded = Reminder.objects.filter(object_kind="invitation")
    assert sorted(reminded.values_list("object_id", "kind")) == [
        (silent.pk, "consult_1wd"),
        (silent.pk, "consult_3wd"),
    ]
    assert "17:00 22/08/2025" in mail.outbox[2].body


def test_sections_of_the_demo_political_report():
    sections = sections_of(DRAFT)
    assert [(s.level, s.reference) for s in sections] == [
        (0, DRAFT.splitlines()[0]),
        (1, "Phần thứ nhất. Kết quả thực hiện Nghị quyết Đại hội lần thứ XXIV, nhiệm kỳ 2020-2025"),
        (2, "I. Về phát triển kinh tế"),
        (2, "II. Về văn hóa - xã hội"),
        (2, "III. Về xây dựng Đảng và hệ thống chính trị"),
        (1, "Phần thứ hai. Phương hướng, mục tiêu, nhiệm vụ nhiệm kỳ 2025-2030"),
    ]
    assert (
        sections[2].lines[1]
        == "Hoàn thành 16/18 chỉ tiêu chủ yếu, trong đó 13 chỉ tiêu đạt và vượt."
    )
    assert len(sections[5].lines) == 3


def test_sections_by_numbering_and_markdown_headings():
    text = "\n".join(
        [
            "PHẦN THỨ NHẤT",
            "I. Kinh tế",
            "1. Về công nghiệp",
            "1. Tăng trưởng bình quân 10%/năm.",  # a numbered sentence stays in its section
            "PHẦN THỨ HAI",
            "I. Kinh tế",
            "## 2. Về dịch vụ",
            "Dịch vụ tăng 12%.",
        ]
    )
    assert [(s.level, s.reference, s.lines) for s in sections_of(text)] == [
        (1, "PHẦN THỨ NHẤT", []),
        (2, "PHẦN THỨ NHẤT, I. Kinh tế", []),
        (3, "1. Về công nghiệp", ["1. Tăng trưởng bình quân 10%/năm."]),
        (1, "PHẦN THỨ HAI", []),
        (2, "PHẦN THỨ HAI, I. Kinh tế", []),
        (2, "2. Về dịch vụ", ["Dịch vụ tăng 12%."]),
    ]


def test_the_list_of_invitations_costs_the_same_for_many(
    people, report, api, django_assert_max_num_queries
):
    drafter = api(people.docs_member)
    invite(people, report, "Hội Cựu chiến binh quận", "ccb@x.vn")
    with django_assert_max_num_queries(12) as few:
        drafter.get(f"{URL}{report.pk}/invitations/")
    for i in range(20):
        invite(people, report, f"Chi bộ số {i}", f"cb{i}@x.vn")
    with django_assert_max_num_queries(len(few.captured_queries)):
        listed = drafter.get(f"{URL}{report.pk}/invitations/").json()
    assert (listed["count"], {i["status"] for i in listed["results"]}) == (21, {"sent"})
