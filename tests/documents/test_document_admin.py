"""The admin: documents edited and moved through the same services as the API, and the steps
of each kind of document configured there."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Event
from workflows.models import AuditEntry, Document, DocumentKindSettings

S = Document.Status


@pytest.fixture
def admin_client(client, people):
    people.staff.is_superuser = True
    people.staff.save()
    client.force_login(people.staff)
    return client


def test_the_admin_pages_open(admin_client, make_document, add_version):
    document = make_document()
    add_version(document)

    for url in (
        "/admin/workflows/document/",
        f"/admin/workflows/document/{document.pk}/change/",
        "/admin/workflows/document/add/",
        f"/admin/workflows/document/{document.pk}/transition/",
        "/admin/workflows/documentkindsettings/",
        "/admin/workflows/comment/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_a_transition_from_the_admin_goes_through_the_service(
    admin_client, make_document, add_version
):
    document = make_document(status=S.STEERING_REVIEW)
    add_version(document)
    closes_at = timezone.localtime(timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")

    response = admin_client.post(
        f"/admin/workflows/document/{document.pk}/transition/",
        {
            "transition": "open_consultation",
            "text": "Gửi cơ sở",
            "version": 1,
            "closes_at": closes_at,
        },
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.version) == (S.CONSULTATION, 2)
    assert document.consultation_closes_at is not None
    assert AuditEntry.objects.filter(transition="open_consultation").count() == 1
    assert Event.objects.filter(type="document.transitioned").count() == 1


def test_a_refused_admin_transition_changes_nothing(admin_client, make_document):
    document = make_document()

    response = admin_client.post(
        f"/admin/workflows/document/{document.pk}/transition/",
        {"transition": "submit", "text": "", "version": 1},
    )

    assert response.status_code == 200
    document.refresh_from_db()
    assert document.status == S.DRAFTING
    assert "no version of the draft" in response.content.decode()


def test_a_document_created_in_the_admin_is_audited(admin_client, people):
    response = admin_client.post(
        "/admin/workflows/document/add/",
        {
            "congress": people.congress.pk,
            "body": people.docs.pk,
            "kind": "outline",
            "title": "Đề cương Báo cáo chính trị",
            "rapporteur": people.docs_member.pk,
            "due_at_0": "",
            "due_at_1": "",
            "versions-TOTAL_FORMS": 0,
            "versions-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(title="Đề cương Báo cáo chính trị")
    assert document.created_by == people.staff
    assert AuditEntry.objects.filter(transition="create", object_id=document.pk).exists()


def test_a_kind_needs_at_least_one_step(admin_client):
    row = DocumentKindSettings.objects.get(kind="other")

    response = admin_client.post(
        f"/admin/workflows/documentkindsettings/{row.pk}/change/",
        {"kind": "other", "consultation": "none"},
    )

    assert response.status_code == 200
    assert "at least one review step" in response.content.decode()
    row.refresh_from_db()
    assert row.subcommittee_review


def test_the_kinds_are_seeded_with_their_defaults(db):
    rows = {row.kind: row for row in DocumentKindSettings.objects.all()}

    assert set(rows) == set(Document.Kind.values)
    assert rows["political_report"].consultation == "required"
    assert rows["political_report"].superior_review
    assert not rows["working_rules"].superior_review
    assert rows["personnel_plan"].consultation == "none"
