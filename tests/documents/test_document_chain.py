"""The approval chain of ARCHITECTURE §4, through the API alone: the political report from its
first Word draft to approved, with a return and a consultation round; kinds that skip steps."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications.models import Event
from tests.documents.conftest import docx_bytes, upload
from workflows.models import AuditEntry, Document, DocumentKindSettings

S = Document.Status
URL = "/api/v1/documents/"


def _status(client, document_id):
    body = client.get(f"{URL}{document_id}/").json()
    return body["status"], body["round"]


def test_political_report_from_first_draft_to_approved(people, api):
    head, rapporteur = api(people.docs_head), api(people.docs_member)
    steering, standing = api(people.steering_head), api(people.sc_head)

    # The documents subcommittee's head starts the document; the rapporteur uploads a Word draft.
    created = head.post(
        URL,
        {
            "body": people.docs.pk,
            "kind": "political_report",
            "title": "Báo cáo chính trị trình Đại hội XXV",
            "rapporteur": people.docs_member.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    doc = created.json()
    assert (doc["status"], doc["round"], doc["version"]) == ("drafting", 1, 1)
    assert doc["steps"] == [
        "subcommittee_review",
        "steering_review",
        "standing_committee_review",
        "superior_review",
    ]
    assert doc["consultation"] == "required"
    pk = doc["id"]

    # Submitting with no draft in the round is refused.
    refused = rapporteur.post(f"{URL}{pk}/transitions/submit/", {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "no_version_in_round")

    first = docx_bytes(
        "I. Đánh giá kết quả nhiệm kỳ 2020-2025",
        "Tăng trưởng kinh tế bình quân 10,5%/năm.",
        "II. Phương hướng nhiệm kỳ 2025-2030",
    )
    uploaded = rapporteur.post(
        f"{URL}{pk}/versions/",
        {"file": upload("Bao cao chinh tri - du thao 1.docx", first), "note": "Dự thảo lần 1"},
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.json()
    assert (uploaded.json()["number"], uploaded.json()["round"]) == (1, 1)
    assert uploaded.json()["file_type"] == "docx"
    assert "Tăng trưởng kinh tế bình quân 10,5%/năm." in uploaded.json()["text"]

    assert rapporteur.post(f"{URL}{pk}/transitions/submit/", {}).status_code == 200
    assert _status(head, pk) == ("subcommittee_review", 1)
    assert head.get(f"{URL}{pk}/").json()["available_transitions"] == [
        "approve",
        "return",
        "withdraw",
    ]
    assert head.post(f"{URL}{pk}/transitions/approve/", {"note": "Đồng ý"}).status_code == 200
    assert _status(head, pk) == ("steering_review", 1)

    # The steering board's head returns it: a reason is required, and round 2 opens.
    no_reason = steering.post(f"{URL}{pk}/transitions/return/", {})
    assert (no_reason.status_code, next(iter(no_reason.json()))) == (400, "reason")
    returned = steering.post(
        f"{URL}{pk}/transitions/return/",
        {"reason": "Bổ sung số liệu tăng trưởng năm 2025"},
    )
    assert returned.status_code == 200
    assert (returned.json()["status"], returned.json()["round"]) == ("drafting", 2)
    assert returned.json()["status_reason"] == "Bổ sung số liệu tăng trưởng năm 2025"

    # Round 1's draft does not count for round 2.
    refused = rapporteur.post(f"{URL}{pk}/transitions/submit/", {})
    assert (refused.status_code, refused.json()["code"]) == (409, "no_version_in_round")
    second = docx_bytes(
        "I. Đánh giá kết quả nhiệm kỳ 2020-2025",
        "Tăng trưởng kinh tế bình quân 11,2%/năm, vượt chỉ tiêu.",
        "II. Phương hướng nhiệm kỳ 2025-2030",
    )
    uploaded = rapporteur.post(
        f"{URL}{pk}/versions/",
        {"file": upload("du thao 2.docx", second), "note": "Dự thảo lần 2"},
        format="multipart",
    )
    assert (uploaded.json()["number"], uploaded.json()["round"]) == (2, 2)

    # The diff between the two drafts shows the change, word by word.
    diff = rapporteur.get(f"{URL}{pk}/diff/?from=1&to=2").json()
    assert (diff["from"], diff["to"]) == ({"number": 1, "round": 1}, {"number": 2, "round": 2})
    assert diff["stats"] == {"inserted": 0, "deleted": 0, "replaced": 1}
    [changed] = [line for hunk in diff["hunks"] for line in hunk["lines"] if line["op"] != "equal"]
    assert changed["old_text"] == "Tăng trưởng kinh tế bình quân 10,5%/năm."
    assert changed["new_text"] == "Tăng trưởng kinh tế bình quân 11,2%/năm, vượt chỉ tiêu."
    assert {"op": "delete", "text": "10,5"} in changed["segments"]
    assert {"op": "insert", "text": "11,2"} in changed["segments"]

    assert rapporteur.post(f"{URL}{pk}/transitions/submit/", {}).status_code == 200
    assert head.post(f"{URL}{pk}/transitions/approve/", {}).status_code == 200
    assert _status(head, pk) == ("steering_review", 2)

    # The steering board puts it out for comment, with a closing date.
    no_date = steering.post(f"{URL}{pk}/transitions/open_consultation/", {})
    assert (no_date.status_code, next(iter(no_date.json()))) == (400, "consultation_closes_at")
    assert _status(head, pk) == ("steering_review", 2)
    closes_at = timezone.now() + timedelta(days=10)
    opened = steering.post(
        f"{URL}{pk}/transitions/open_consultation/",
        {"consultation_closes_at": closes_at.isoformat(), "note": "Gửi các chi, đảng bộ cơ sở"},
        format="json",
    )
    assert opened.status_code == 200, opened.json()
    assert opened.json()["status"] == "consultation"

    # Comments come in from grassroots organizations, recorded by the drafters.
    sources = ["Đảng ủy phường An Biên", "Ủy ban MTTQ quận Lê Chân", "Hội Cựu chiến binh quận"]
    ids = []
    for source in sources:
        response = rapporteur.post(
            f"{URL}{pk}/comments/",
            {"source": source, "section": "I", "text": f"Ý kiến của {source}"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert (response.json()["version"], response.json()["round"]) == (2, 2)
        ids.append(response.json()["id"])

    # It cannot close before the closing date.
    early = steering.post(f"{URL}{pk}/transitions/close_consultation/", {})
    assert (early.status_code, early.json()["code"]) == (409, "consultation_open")

    with time_machine.travel(closes_at + timedelta(minutes=1)):
        closed = steering.post(f"{URL}{pk}/transitions/close_consultation/", {})
        assert closed.status_code == 200, closed.json()
        assert (closed.json()["status"], closed.json()["round"]) == ("drafting", 3)
        assert closed.json()["consultations_held"] == 1

        # The drafters take the comments in or explain them.
        answers = [
            {"disposition": "accepted", "response": ""},
            {"disposition": "partly_accepted", "response": "Tiếp thu phần số liệu"},
            {"disposition": "not_accepted", "response": "Đã có trong mục II"},
        ]
        for comment_id, answer in zip(ids, answers[:2], strict=False):
            patched = rapporteur.patch(f"{URL}{pk}/comments/{comment_id}/", answer, format="json")
            assert patched.status_code == 200, patched.json()

        third = "I. Đánh giá\nTăng trưởng kinh tế bình quân 11,2%/năm, vượt chỉ tiêu đề ra."
        assert rapporteur.post(f"{URL}{pk}/versions/", {"text": third}).status_code == 201
        assert rapporteur.post(f"{URL}{pk}/transitions/submit/", {}).status_code == 200
        assert head.post(f"{URL}{pk}/transitions/approve/", {}).status_code == 200
        assert steering.post(f"{URL}{pk}/transitions/approve/", {}).status_code == 200
        assert _status(head, pk) == ("standing_committee_review", 3)

        # The standing committee cannot adopt it while a comment is still pending.
        pending = standing.post(f"{URL}{pk}/transitions/approve/", {})
        assert (pending.status_code, pending.json()["code"]) == (409, "comments_pending")
        assert "approve" not in standing.get(f"{URL}{pk}/").json()["available_transitions"]
        rapporteur.patch(f"{URL}{pk}/comments/{ids[2]}/", answers[2], format="json")

        assert standing.post(f"{URL}{pk}/transitions/approve/", {}).status_code == 200
        assert _status(head, pk) == ("superior_review", 3)

        # A secretary records the superior standing committee's decision.
        secretary = api(people.sc_secretary)
        done = secretary.post(f"{URL}{pk}/transitions/approve/", {"note": "Công văn số 123"})
        assert done.status_code == 200
        assert done.json()["status"] == "approved"
        assert done.json()["approved_at"] is not None
        assert done.json()["available_transitions"] == []

    history = [
        (e["transition"], e["from_state"], e["to_state"])
        for e in head.get(f"{URL}{pk}/history/").json()["results"]
    ]
    assert history == [
        ("create", "", "drafting"),
        ("version_add", "", ""),
        ("submit", "drafting", "subcommittee_review"),
        ("approve", "subcommittee_review", "steering_review"),
        ("return", "steering_review", "drafting"),
        ("version_add", "", ""),
        ("submit", "drafting", "subcommittee_review"),
        ("approve", "subcommittee_review", "steering_review"),
        ("open_consultation", "steering_review", "consultation"),
        ("close_consultation", "consultation", "drafting"),
        ("version_add", "", ""),
        ("submit", "drafting", "subcommittee_review"),
        ("approve", "subcommittee_review", "steering_review"),
        ("approve", "steering_review", "standing_committee_review"),
        ("approve", "standing_committee_review", "superior_review"),
        ("approve", "superior_review", "approved"),
    ]
    types = list(
        Event.objects.filter(object_kind__in=["document", "comment"]).values_list("type", flat=True)
    )
    assert types.count("document.transitioned") == 12
    assert types.count("document.version_added") == 3
    assert types.count("comment.added") == 3
    last = Event.objects.filter(type="document.transitioned").last()
    assert last.payload["kind"] == "document"
    assert last.payload["id"] == pk
    assert last.payload["status"] == "approved"
    assert last.payload["version"] == Document.objects.get(pk=pk).version
    assert last.payload["document_kind"] == "political_report"


def test_the_political_report_cannot_be_adopted_without_a_consultation(
    make_document, add_version, act
):
    document = make_document(status=S.STANDING_COMMITTEE_REVIEW)
    add_version(document)
    people_ = document.body.congress.bodies.get(kind="standing_committee")
    head = people_.memberships.get(role="head").user

    refused = act(head, document, "approve")

    assert (refused.status_code, refused.json()["code"]) == (409, "consultation_required")
    document.refresh_from_db()
    assert document.status == S.STANDING_COMMITTEE_REVIEW


def test_working_rules_skip_the_superior_review(people, make_document, add_version, act):
    document = make_document(kind=Document.Kind.WORKING_RULES, title="Quy chế làm việc")
    add_version(document)
    steps = [
        (people.docs_member, "submit", S.SUBCOMMITTEE_REVIEW),
        (people.docs_head, "approve", S.STEERING_REVIEW),
        (people.steering_head, "approve", S.STANDING_COMMITTEE_REVIEW),
        (people.sc_head, "approve", S.APPROVED),
    ]
    for user, name, expected in steps:
        response = act(user, document, name)
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == expected
    assert response.json()["steps"] == [
        "subcommittee_review",
        "steering_review",
        "standing_committee_review",
    ]


def test_steps_configured_in_the_admin_are_followed(people, make_document, add_version, act):
    DocumentKindSettings.objects.update_or_create(
        kind=Document.Kind.OTHER,
        defaults={
            "subcommittee_review": False,
            "steering_review": True,
            "standing_committee_review": False,
            "superior_review": False,
            "consultation": "none",
        },
    )
    document = make_document(kind=Document.Kind.OTHER, title="Kế hoạch tuyên truyền")
    add_version(document)

    submitted = act(people.docs_member, document, "submit")
    assert submitted.json()["status"] == S.STEERING_REVIEW
    assert submitted.json()["steps"] == ["steering_review"]
    assert (
        "open_consultation"
        not in act(people.steering_head, document, "approve").json()["available_transitions"]
    )
    document.refresh_from_db()
    assert document.status == S.APPROVED


def test_a_kind_without_a_settings_row_uses_the_defaults(people, make_document, add_version, act):
    DocumentKindSettings.objects.filter(kind=Document.Kind.ELECTION_RULES).delete()
    document = make_document(kind=Document.Kind.ELECTION_RULES, title="Quy chế bầu cử")
    add_version(document)

    assert act(people.docs_member, document, "submit").json()["steps"] == [
        "subcommittee_review",
        "steering_review",
        "standing_committee_review",
    ]


def test_consultation_can_open_from_the_standing_committee_review(
    people, make_document, add_version, act
):
    document = make_document(kind=Document.Kind.RESOLUTION, status=S.STANDING_COMMITTEE_REVIEW)
    add_version(document)
    closes_at = (timezone.now() + timedelta(days=7)).isoformat()

    opened = act(people.sc_head, document, "open_consultation", consultation_closes_at=closes_at)

    assert opened.status_code == 200
    assert opened.json()["status"] == S.CONSULTATION
    assert opened.json()["consultation_closes_at"] is not None
    entry = AuditEntry.objects.filter(transition="open_consultation").get()
    assert str(timezone.localtime(timezone.now() + timedelta(days=7)).year) in entry.note
    event = Event.objects.filter(type="document.transitioned").get()
    assert event.payload["consultation_closes_at"] is not None


def test_a_closing_date_in_the_past_is_refused_and_nothing_changes(
    people, make_document, add_version, act, trail
):
    document = make_document(status=S.STEERING_REVIEW)
    add_version(document)
    before = trail()

    response = act(
        people.steering_head,
        document,
        "open_consultation",
        consultation_closes_at=(timezone.now() - timedelta(hours=1)).isoformat(),
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "consultation_closes_at")
    document.refresh_from_db()
    assert (document.status, document.version, document.consultation_closes_at) == (
        S.STEERING_REVIEW,
        1,
        None,
    )
    assert trail() == before


def test_a_confidential_document_never_goes_out_for_comment(
    people, make_document, add_version, act
):
    DocumentKindSettings.objects.update_or_create(
        kind=Document.Kind.PERSONNEL_PLAN, defaults={"consultation": "optional"}
    )
    plan = make_document(
        body=people.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự",
        rapporteur=None,
        status=S.STEERING_REVIEW,
    )
    add_version(plan)

    response = act(
        people.steering_head,
        plan,
        "open_consultation",
        consultation_closes_at=(timezone.now() + timedelta(days=3)).isoformat(),
    )

    assert (response.status_code, response.json()["code"]) == (409, "consultation_not_allowed")


@pytest.mark.parametrize("state", [S.DRAFTING, S.SUBCOMMITTEE_REVIEW, S.CONSULTATION])
def test_withdraw_needs_a_reason_and_ends_the_document(
    people, make_document, add_version, act, state
):
    document = make_document(status=state)
    add_version(document)

    assert act(people.docs_head, document, "withdraw").status_code == 400
    response = act(people.docs_head, document, "withdraw", reason="Gộp vào báo cáo chính trị")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_reason"]) == (
        "withdrawn",
        "Gộp vào báo cáo chính trị",
    )
    assert response.json()["available_transitions"] == []


def test_an_approved_document_cannot_be_withdrawn(people, make_document, act):
    document = make_document(status=S.APPROVED)

    response = act(people.sc_head, document, "withdraw", reason="Thay đổi")

    assert (response.status_code, response.json()["code"]) == (409, "transition_not_allowed")


def test_an_unknown_transition_is_a_404_listing_the_known_ones(people, make_document, act):
    document = make_document()

    response = act(people.docs_head, document, "publish")

    assert response.status_code == 404
    assert response.json()["known"] == [
        "approve",
        "close_consultation",
        "open_consultation",
        "return",
        "submit",
        "withdraw",
    ]


def test_a_stale_version_is_a_409(people, make_document, add_version, act):
    document = make_document()
    add_version(document)

    response = act(people.docs_member, document, "submit", version=7)

    assert (response.status_code, response.json()["code"]) == (409, "stale_version")


def test_the_status_cannot_be_written_directly(people, make_document, api):
    document = make_document()

    response = api(people.docs_head).patch(
        f"{URL}{document.pk}/", {"status": "approved"}, format="json"
    )

    assert response.status_code == 400
    document.refresh_from_db()
    assert document.status == S.DRAFTING


@pytest.mark.parametrize(
    ("state", "who", "name", "reviewers"),
    [
        (S.DRAFTING, "docs_member", "submit", ["docs_head", "docs_deputy"]),
        (S.SUBCOMMITTEE_REVIEW, "docs_head", "approve", ["steering_head", "steering_deputy"]),
        (S.STEERING_REVIEW, "steering_head", "approve", ["sc_head", "sc_deputy"]),
        (
            S.STANDING_COMMITTEE_REVIEW,
            "sc_head",
            "approve",
            ["sc_secretary", "steering_secretary"],
        ),
        (S.SUPERIOR_REVIEW, "sc_secretary", "approve", []),
    ],
)
def test_the_event_names_who_reviews_next(
    people, make_document, add_version, act, state, who, name, reviewers
):
    document = make_document(kind=Document.Kind.RESOLUTION, status=state)
    add_version(document)

    assert act(getattr(people, who), document, name).status_code == 200

    event = Event.objects.get(type="document.transitioned")
    expected = sorted(getattr(people, username).pk for username in reviewers)
    assert event.payload["reviewers"] == expected
    assert event.payload["rapporteur"] == people.docs_member.pk
    assert event.audience == sorted([people.docs_member.pk, people.docs_head.pk])
