"""Who may change what: a body's confidentiality (standing committee leaders and staff, audited),
and a document's kind and rapporteur (the owning body's leaders and staff, audited)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from workflows.models import AuditEntry, Document

DOCS = "/api/v1/documents/"
S = Document.Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world):
    """A political report of the documents subcommittee; its rapporteur is a plain member."""
    return Document.objects.create(
        congress=world.congress,
        body=world.docs,
        kind=Document.Kind.POLITICAL_REPORT,
        title="Báo cáo chính trị Đại hội XXV",
        rapporteur=world.docs_member,
        created_by=world.docs_head,
    )


def _audit_notes(document) -> list[tuple[str, str]]:
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_id=document.pk
    )
    return list(entries.values_list("transition", "note"))


# Documents: kind and rapporteur --------------------------------------------------------------


def test_a_rapporteur_who_is_a_plain_member_cannot_change_the_kind(world, api, report, trail):
    before = trail()

    response = api(world.docs_member).patch(
        f"{DOCS}{report.pk}/", {"kind": "working_rules"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (
        403,
        "document_placement_forbidden",
    )
    report.refresh_from_db()
    assert (report.kind, report.version) == (Document.Kind.POLITICAL_REPORT, 1)
    assert trail() == before


def test_a_rapporteur_who_is_a_plain_member_cannot_hand_the_document_over(
    world, api, report, trail
):
    before = trail()

    response = api(world.docs_member).patch(
        f"{DOCS}{report.pk}/", {"rapporteur": world.docs_member2.pk}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (
        403,
        "document_placement_forbidden",
    )
    report.refresh_from_db()
    assert report.rapporteur_id == world.docs_member.pk
    assert trail() == before


def test_the_rapporteur_still_edits_title_and_keeps_kind_and_rapporteur_as_sent(world, api, report):
    response = api(world.docs_member).patch(
        f"{DOCS}{report.pk}/",
        {"title": "Báo cáo chính trị (dự thảo)", "kind": "political_report"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["title"], response.json()["kind"]) == (
        "Báo cáo chính trị (dự thảo)",
        "political_report",
    )


def test_a_congress_leader_outside_the_owning_body_cannot_change_the_kind(world, api, report):
    response = api(world.sc_head).patch(
        f"{DOCS}{report.pk}/", {"kind": "working_rules"}, format="json"
    )

    assert response.status_code == 403
    report.refresh_from_db()
    assert report.kind == Document.Kind.POLITICAL_REPORT


def test_the_owning_body_deputy_changes_the_kind_in_the_first_round_and_it_is_audited(
    world, api, report
):
    response = api(world.docs_deputy).patch(
        f"{DOCS}{report.pk}/", {"kind": "working_rules"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["kind"] == "working_rules"
    assert _audit_notes(report) == [("update", "kind: political_report → working_rules")]


def test_the_kind_does_not_change_after_the_first_round(world, api, report, trail):
    Document.objects.filter(pk=report.pk).update(round=2)
    before = trail()

    response = api(world.docs_head).patch(
        f"{DOCS}{report.pk}/", {"kind": "working_rules"}, format="json"
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "kind")
    report.refresh_from_db()
    assert report.kind == Document.Kind.POLITICAL_REPORT
    assert trail() == before


def test_the_owning_body_head_hands_the_document_over_and_it_is_audited(world, api, report):
    response = api(world.docs_head).patch(
        f"{DOCS}{report.pk}/", {"rapporteur": world.docs_member2.pk}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["rapporteur"] == world.docs_member2.pk
    assert _audit_notes(report) == [("update", "rapporteur: docs_member → docs_member2")]


def test_the_new_rapporteur_must_see_the_body_work(world, api, trail):
    plan = Document.objects.create(
        congress=world.congress,
        body=world.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự",
        rapporteur=world.personnel_member,
        created_by=world.staff,
    )
    before = trail()

    response = api(world.staff).patch(
        f"{DOCS}{plan.pk}/", {"rapporteur": world.docs_member.pk}, format="json"
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "rapporteur")
    plan.refresh_from_db()
    assert plan.rapporteur_id == world.personnel_member.pk
    assert trail() == before


# Bodies: confidentiality ---------------------------------------------------------------------

BODIES = "/api/v1/bodies/"


@pytest.fixture
def rights_sent():
    """The `rights_changed` signals sent, as (sorted user ids, reason)."""
    from congress.signals import rights_changed

    sent = []

    def receiver(sender, user_ids, reason, **kwargs):
        sent.append((sorted(user_ids), reason))

    rights_changed.connect(receiver, weak=False)
    yield sent
    rights_changed.disconnect(receiver)


def _congress_member_ids(world) -> list[int]:
    from congress.models import Membership

    return sorted(
        set(
            Membership.objects.filter(body__congress=world.congress).values_list(
                "user_id", flat=True
            )
        )
    )


def test_a_body_own_head_who_leads_the_congress_cannot_change_its_confidentiality(
    world, api, trail, rights_sent, django_capture_on_commit_callbacks
):
    before = trail()

    with django_capture_on_commit_callbacks(execute=True):
        own = api(world.steering_head).patch(
            f"{BODIES}{world.steering.pk}/", {"confidential": True}, format="json"
        )
        other = api(world.steering_head).patch(
            f"{BODIES}{world.personnel.pk}/", {"confidential": False}, format="json"
        )

    assert [(r.status_code, r.json()["code"]) for r in (own, other)] == [
        (403, "body_confidential_forbidden"),
        (403, "body_confidential_forbidden"),
    ]
    world.steering.refresh_from_db()
    world.personnel.refresh_from_db()
    assert (world.steering.confidential, world.personnel.confidential) == (False, True)
    assert trail() == before
    assert rights_sent == []


def test_the_standing_committee_head_changes_confidentiality_with_a_trail(
    world, api, rights_sent, django_capture_on_commit_callbacks
):
    from notifications.models import Event

    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.sc_head).patch(
            f"{BODIES}{world.orgbody.pk}/", {"confidential": True}, format="json"
        )

    assert response.status_code == 200, response.json()
    assert response.json()["confidential"] is True
    event = Event.objects.get(type="body.updated")
    assert (event.object_id, event.actor_id, event.body_id) == (
        world.orgbody.pk,
        world.sc_head.pk,
        None,
    )
    assert (event.payload["confidential"], event.payload["changed"]) == (True, ["confidential"])
    history = api(world.docs_member).get(f"{BODIES}{world.orgbody.pk}/history/").json()
    assert [(e["transition"], e["actor"], e["note"]) for e in history["results"]] == [
        ("update", world.sc_head.pk, "confidential: false → true")
    ]
    assert rights_sent == [(_congress_member_ids(world), "body_changed")]


def test_a_standing_committee_deputy_and_staff_may_change_confidentiality(world, api):
    from tests.factories import MembershipFactory, UserFactory

    deputy = UserFactory(username="sc_deputy")
    MembershipFactory(body=world.sc, user=deputy, role="deputy")

    first = api(deputy).patch(f"{BODIES}{world.orgbody.pk}/", {"confidential": True}, format="json")
    second = api(world.staff).patch(
        f"{BODIES}{world.orgbody.pk}/", {"confidential": False}, format="json"
    )

    assert (first.status_code, second.status_code) == (200, 200)
    notes = api(world.staff).get(f"{BODIES}{world.orgbody.pk}/history/").json()["results"]
    assert [(e["actor"], e["note"]) for e in notes] == [
        (deputy.pk, "confidential: false → true"),
        (world.staff.pk, "confidential: true → false"),
    ]


def test_a_congress_leader_still_renames_a_body_and_it_is_audited(
    world, api, rights_sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.steering_head).patch(
            f"{BODIES}{world.orgbody.pk}/",
            {"name": "Tiểu ban Phục vụ", "confidential": False},
            format="json",
        )

    assert response.status_code == 200, response.json()
    history = api(world.steering_head).get(f"{BODIES}{world.orgbody.pk}/history/").json()
    assert [e["note"] for e in history["results"]] == [
        "name: Tiểu ban Tổ chức phục vụ → Tiểu ban Phục vụ"
    ]
    assert rights_sent == []


def test_a_body_history_is_not_shown_outside_its_congress(world, api):
    response = api(world.outsider).get(f"{BODIES}{world.orgbody.pk}/history/")

    assert response.status_code == 404
