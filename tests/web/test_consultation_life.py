"""An invitation's whole life through the pages (issue 15): the drafters invite an
organization from the document page, its email carries the link, the organization opens its
page, comments on two sections with its signed written opinion, comes back and adds one; the
drafters see it all grouped by section on the document page, answer it, download the opinion
and the summary report; after the closing date the link answers 410."""

import io
import re
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document as WordDocument
from openpyxl import load_workbook

from tests.documents.consultations import hanoi, out_for_comment
from workflows.models import Comment, ConsultationInvitation, OutsideBody
from workflows.services.outside_bodies import outside_body_create

CLOSES = (2025, 8, 22, 17, 0)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
ECONOMY = "I. Về phát triển kinh tế"
SOCIETY = "II. Về văn hóa - xã hội"


@pytest.fixture(autouse=True)
def now(time_machine):
    moment = hanoi(2025, 8, 11, 9, 0)
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def report(people, make_document, add_version):
    return out_for_comment(people, make_document, add_version, hanoi(*CLOSES))


def _page(client, document) -> str:
    response = client.get(f"/documents/{document.pk}/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def _field(html: str, heading: str) -> str:
    """The name of the comment box under the section with this heading."""
    section = html[html.index(f'data-section="{heading}"') :]
    return re.search(r'<textarea id="(section-\d+)"', section).group(1)


def test_an_invitation_from_sending_to_closing(
    web, people, report, time_machine, django_capture_on_commit_callbacks
):
    drafter = web(people.docs_member)
    outside_body_create(
        actor=people.docs_member,
        congress_id=report.congress_id,
        name="Ủy ban MTTQ quận Lê Chân",
        email="mttq@x.vn",
        contact="Đồng chí Chủ tịch",
    )
    body = OutsideBody.objects.get()
    # Invited from the congress's outside bodies; another one by name and email.
    with django_capture_on_commit_callbacks(execute=True):
        invited = drafter.post(
            f"/documents/{report.pk}/invitations/", {"choice": f"body:{body.pk}"}
        )
        drafter.post(
            f"/documents/{report.pk}/invitations/",
            {"choice": "", "name": "Hội Cựu chiến binh quận", "email": "ccb@x.vn"},
        )
    assert invited.status_code == 302
    invitation = ConsultationInvitation.objects.get(email="mttq@x.vn")
    assert (invitation.name, invitation.contact) == (
        "Ủy ban MTTQ quận Lê Chân",
        "Đồng chí Chủ tịch",
    )
    (email,) = [m for m in mail.outbox if m.to == ["mttq@x.vn"]]
    path = re.search(r"https?://[^/\s]+(/consult/[A-Za-z0-9_-]+/)", email.body).group(1)
    page = _page(drafter, report)
    assert "data-invitation-status>Sent<" in page
    assert "Not answered yet:</strong> Hội Cựu chiến binh quận; Ủy ban MTTQ quận Lê Chân" in page

    organization = Client()
    html = organization.get(path).content.decode()
    assert "Opened" in _page(drafter, report)
    sent = organization.post(
        path,
        {
            _field(html, SOCIETY): "Đánh giá rõ hơn vai trò giám sát, phản biện xã hội.",
            _field(html, ECONOMY): "Cập nhật số liệu tăng trưởng năm 2025.",
            "opinion": SimpleUploadedFile("Van ban gop y.pdf", PDF),
        },
    )
    assert sent.status_code == 200
    receipt = sent.content.decode()
    assert "<dd data-count>2</dd>" in receipt and "<dd data-opinion>" in receipt
    # It comes back and adds one; what it sent stays on its page.
    again = organization.get(path).content.decode()
    assert "data-opinion-sent>Van ban gop y.pdf <small>" in again
    assert again.count("data-sent>") == 2
    organization.post(path, {"general": "Thống nhất với bố cục của dự thảo."})

    page = _page(drafter, report)
    headings = re.findall(r"data-comment-section>([^<]+) <span", page)
    assert headings == ["General comments", ECONOMY, SOCIETY]  # in the order of the draft
    assert "Ủy ban MTTQ quận Lê Chân</th><td data-source-count>3</td>" in page
    assert "Not answered yet:</strong> Hội Cựu chiến binh quận</p>" in page
    assert "data-answered-at>11/08/2025 09:00<" in page
    link = re.search(r'href="(/documents/\d+/opinions/\d+/file/)"', page).group(1)
    download = drafter.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # Someone who sees the document but does not draft it gets no written opinion.
    assert web(people.steering_member).get(link).status_code == 404

    economy = Comment.objects.get(section=ECONOMY)
    answered = drafter.post(
        f"/documents/{report.pk}/comments/{economy.pk}/answer/",
        {"disposition": "accepted", "response": "Đã cập nhật theo số liệu ước cả năm."},
    )
    assert answered.status_code == 302
    docx = drafter.get(f"/documents/{report.pk}/comment-summary.docx?round=1")
    text = "\n".join(
        " | ".join(cell.text for cell in row.cells)
        for table in WordDocument(io.BytesIO(docx.content)).tables
        for row in table.rows
    )
    assert "Organizations consulted: 2; answered: 1; not answered: 1." in "\n".join(
        p.text for p in WordDocument(io.BytesIO(docx.content)).paragraphs
    )
    assert "Ủy ban MTTQ quận Lê Chân | Answered | 11/08/2025 09:00 | 3 | 1" in text
    assert "Hội Cựu chiến binh quận | Sent | Not answered | 0 | 0" in text
    assert (
        "Ủy ban MTTQ quận Lê Chân | Cập nhật số liệu tăng trưởng năm 2025. | Accepted | "
        "Đã cập nhật theo số liệu ước cả năm." in text
    )
    xlsx = drafter.get(f"/documents/{report.pk}/comment-summary.xlsx?round=1")
    book = load_workbook(io.BytesIO(xlsx.content))
    consulted = [row for row in book.worksheets[-1].iter_rows(min_row=3, values_only=True)]
    assert consulted[-1][1:4] == ("Ủy ban MTTQ quận Lê Chân", "Answered", "11/08/2025 09:00")

    time_machine.move_to(hanoi(2025, 8, 22, 17, 1), tick=False)
    gone = organization.get(path)
    assert gone.status_code == 410
    assert organization.post(path, {"general": "Còn một ý."}).status_code == 410
    assert Comment.objects.filter(source="Ủy ban MTTQ quận Lê Chân").count() == 3


def test_a_refused_invitation_is_shown_next_to_its_form_with_what_was_typed(web, people, report):
    response = web(people.docs_member).post(
        f"/documents/{report.pk}/invitations/",
        {"choice": "", "name": "Hội Nông dân quận", "email": "not-an-address"},
    )
    page = unescape(response.content.decode())
    assert response.status_code == 400
    assert "data-invite-error>Give a valid email address.</p>" in page
    assert 'value="Hội Nông dân quận"' in page and 'value="not-an-address"' in page
    assert not ConsultationInvitation.objects.exists()


def test_revoke_and_a_new_link_from_the_document_page(
    web, people, report, django_capture_on_commit_callbacks
):
    drafter = web(people.docs_member)
    with django_capture_on_commit_callbacks(execute=True):
        drafter.post(
            f"/documents/{report.pk}/invitations/",
            {"name": "Đảng ủy phường An Biên", "email": "ab@x.vn"},
        )
    invitation = ConsultationInvitation.objects.get()
    first = re.search(r"(/consult/[A-Za-z0-9_-]+/)", mail.outbox[-1].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        drafter.post(f"/documents/{report.pk}/invitations/{invitation.pk}/resend/")
    second = re.search(r"(/consult/[A-Za-z0-9_-]+/)", mail.outbox[-1].body).group(1)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    drafter.post(f"/documents/{report.pk}/invitations/{invitation.pk}/revoke/")
    assert Client().get(second).status_code == 410
    assert "data-invitation-status>Revoked<" in _page(drafter, report)


def test_closing_early_needs_a_reason_and_shows_it_at_the_top(web, people, report):
    leader = web(people.steering_head)
    refused = leader.post(f"/documents/{report.pk}/consultation/close/", {"reason": " "})
    assert refused.status_code == 400
    assert "data-close-error>" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == "consultation"

    closed = leader.post(
        f"/documents/{report.pk}/consultation/close/",
        {"reason": "Đã nhận đủ ý kiến của các đơn vị."},
    )
    assert closed.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.round, report.consultations_held) == ("drafting", 2, 1)
    page = _page(leader, report)
    assert "Đã nhận đủ ý kiến của các đơn vị." in page[: page.index('class="stepper"')]


def test_the_stepper_keeps_the_steps_passed_while_out_for_comment(web, people, report):
    page = _page(web(people.docs_member), report)
    steps = re.findall(r'<li class="step (\w+)"[^>]*data-step="(\w+)"', page)
    assert steps == [
        ("done", "drafting"),
        ("done", "subcommittee_review"),
        ("done", "steering_review"),
        ("current", "consultation"),
        ("todo", "standing_committee_review"),
        ("todo", "superior_review"),
        ("todo", "approved"),
    ]
    assert "Version 1 · Draft round 1" in page


def test_the_consultation_panel_costs_the_same_queries_for_many_invitations(web, people, report):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.documents.consultations import invite

    client = web(people.docs_member)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/documents/{report.pk}/").status_code == 200
        return len(queries)

    for n in range(2):
        invite(people, report, f"Đơn vị {n}", f"dv{n}@x.vn")
    count()  # the session and the cached roles warm
    few = count()
    for n in range(2, 12):
        _invitation, path = invite(people, report, f"Đơn vị {n}", f"dv{n}@x.vn")
        Client().post(path, {"opinion": SimpleUploadedFile("gop-y.pdf", PDF)})
    assert count() == few
