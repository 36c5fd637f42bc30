"""/documents/new/: a document and its first draft in one form, nothing created when the draft
is refused (and what was typed kept), and only the bodies the user may start documents in."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from congress.models import OrganizationOffice
from notifications.models import Event
from tests.documents.conftest import docx_bytes
from tests.factories import UserFactory
from workflows.models import AuditEntry, Document, DocumentVersion

TITLE = "Báo cáo chính trị Đại hội XXV"


def _form(world, **extra):
    return {
        "kind": "political_report",
        "title": TITLE,
        "body": str(world.docs.pk),
        "rapporteur": str(world.docs_member.pk),
        "due_at": "2025-06-30T17:00",
        "note": "Dự thảo đầu tiên",
        **extra,
    }


def _options(html: str, select_id: str) -> dict[str, str]:
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', select))


def test_new_document_with_its_first_draft_in_one_form(web, world):
    draft = SimpleUploadedFile("bao-cao.docx", docx_bytes("Phần thứ nhất", "Kết quả nhiệm kỳ"))

    response = web(world.docs_head).post(
        f"/documents/new/?congress={world.congress.pk}", {**_form(world), "file": draft}
    )

    document = Document.objects.get(title=TITLE)
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/"
    assert (document.body, document.rapporteur, document.round) == (
        world.docs,
        world.docs_member,
        1,
    )
    version = document.versions.get()
    assert (version.number, version.round, version.file_type) == (1, 1, "docx")
    assert "Kết quả nhiệm kỳ" in version.text
    page = web(world.docs_head).get(response["Location"]).content.decode()
    assert "Kết quả nhiệm kỳ" in page or "bao-cao.docx" in page


def test_refused_draft_creates_nothing_and_keeps_what_was_typed(web, world):
    before = (Event.objects.count(), AuditEntry.objects.count())
    fake = SimpleUploadedFile("bao-cao.docx", b"MZ\x90\x00 not a word file", "application/msword")

    response = web(world.docs_head).post(
        f"/documents/new/?congress={world.congress.pk}", {**_form(world), "file": fake}
    )

    assert response.status_code == 200
    assert not Document.objects.filter(title=TITLE).exists()
    assert DocumentVersion.objects.count() == 0
    assert (Event.objects.count(), AuditEntry.objects.count()) == before
    html = response.content.decode()
    assert f'value="{TITLE}"' in html
    assert re.search(rf'<option value="{world.docs_member.pk}"[^>]*selected', html)
    file_field = html[html.index('id="id_file"') :]
    assert 'class="error"' in file_field[: file_field.index("id_note")]


def test_whoever_starts_a_document_gives_it_its_first_draft_but_not_the_next(web, world):
    """The steering board's head (like the office) may start a documents subcommittee's
    document with the draft the editorial team sent; later drafts are the drafters' alone."""
    draft = SimpleUploadedFile("du-thao.md", "# Dự thảo".encode())

    response = web(world.steering_head).post(
        f"/documents/new/?congress={world.congress.pk}", {**_form(world), "file": draft}
    )

    assert response.status_code == 302
    document = Document.objects.get(title=TITLE)
    assert document.versions.count() == 1
    again = SimpleUploadedFile("du-thao-2.md", "# Dự thảo lần 2".encode())
    refused = web(world.steering_head).post(
        f"/documents/{document.pk}/versions/", {"file": again, "note": ""}, follow=True
    )
    assert document.versions.count() == 1
    assert "Only the rapporteur and the members" in refused.content.decode() or (
        "Chỉ báo cáo viên" in refused.content.decode()
    )


def test_without_a_file_the_document_is_started_alone(web, world):
    response = web(world.docs_head).post(
        f"/documents/new/?congress={world.congress.pk}", _form(world)
    )

    document = Document.objects.get(title=TITLE)
    assert response.status_code == 302
    assert document.versions.count() == 0


def test_body_choices_are_where_the_user_may_start_documents(web, world):
    html = web(world.docs_head).get(f"/documents/new/?congress={world.congress.pk}")
    bodies = _options(html.content.decode(), "id_body")

    assert list(bodies) == [str(world.docs.pk)]


def test_the_office_is_not_offered_a_confidential_body_it_does_not_belong_to(web, world):
    """The office starts documents where a steering-board secretary may (the board's own),
    never in the personnel subcommittee it does not belong to."""
    office = UserFactory(username="van.phong")
    OrganizationOffice.objects.create(user=office, organization=world.org)

    html = web(office).get(f"/documents/new/?congress={world.congress.pk}").content.decode()
    bodies = _options(html, "id_body")

    assert bodies == {str(world.steering.pk): "Ban Chỉ đạo"}
    assert "Tiểu ban Nhân sự" not in html


def test_a_leader_of_the_congress_may_pick_the_personnel_body(web, world):
    bodies = _options(
        web(world.sc_head).get(f"/documents/new/?congress={world.congress.pk}").content.decode(),
        "id_body",
    )

    assert str(world.personnel.pk) in bodies


def test_rapporteur_options_name_the_bodies_they_may_see_in_vietnamese_order(web, world):
    names = [("Nguyễn Văn", "Đức"), ("Trần Thị", "Dung"), ("Lê", "An")]
    for user, (first, last) in zip(
        [world.docs_member, world.docs_member2, world.docs_deputy], names, strict=True
    ):
        user.first_name, user.last_name = first, last
        user.save()

    html = web(world.sc_head).get(f"/documents/new/?congress={world.congress.pk}").content.decode()
    labels = list(_options(html, "id_rapporteur").values())

    order = [labels.index(n) for n in ("Lê An (docs_deputy)", "Trần Thị Dung (docs_member2)")]
    assert order == sorted(order)
    assert labels.index("Trần Thị Dung (docs_member2)") < labels.index(
        "Nguyễn Văn Đức (docs_member)"
    )
    seen = _bodies_seen(html, world.docs_member)
    assert str(world.docs.pk) in seen and str(world.personnel.pk) not in seen
    assert str(world.personnel.pk) in _bodies_seen(html, world.personnel_member)


def _bodies_seen(html, user) -> list[str]:
    select = re.search(r'<select[^>]*id="id_rapporteur".*?</select>', html, re.S).group(0)
    option = re.search(rf'<option value="{user.pk}"[^>]*>', select).group(0)
    return re.search(r'data-bodies="([\d ]+)"', option).group(1).split()


def test_a_plain_member_is_sent_back_to_the_list(web, world):
    response = web(world.docs_member).get(f"/documents/new/?congress={world.congress.pk}")

    assert response.status_code == 302 and response["Location"] == "/documents/"


def test_the_list_and_the_checklist_link_to_the_new_document_page(web, world):
    link = f"/documents/new/?congress={world.congress.pk}"
    assert (
        link
        in web(world.docs_head).get(f"/documents/?congress={world.congress.pk}").content.decode()
    )
    assert link not in web(world.docs_member).get("/documents/").content.decode()
    assert (
        link in web(world.sc_head).get(f"/congresses/{world.congress.pk}/setup/").content.decode()
    )
