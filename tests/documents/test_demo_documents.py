"""The demo's documents: the political report in its second round with two versions and the
consultation's comments, some answered; the personnel plan hidden in the personnel body."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from workflows.demo.documents import load_demo_documents
from workflows.models import Comment, Document

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def demo(db, media_root):
    from workflows.demo.congress import load_demo

    loaded = load_demo(now=NOW)
    congress = loaded["congress"]
    if not Document.objects.filter(congress=congress).exists():
        load_demo_documents(congress=congress, users_by_username=loaded["users"], now=NOW)
    return loaded


def test_the_political_report_is_in_its_second_round(demo):
    report = Document.objects.get(kind=Document.Kind.POLITICAL_REPORT)

    assert (report.status, report.round, report.consultations_held) == ("drafting", 2, 1)
    assert list(report.versions.values_list("number", "round", "file_type")) == [
        (1, 1, "docx"),
        (2, 2, "docx"),
    ]
    assert "11,2%/năm" in report.versions.get(number=2).text
    comments = Comment.objects.filter(version__document=report)
    sources = set(comments.values_list("source", flat=True))
    assert {
        "Đảng ủy phường An Biên",
        "Ủy ban MTTQ quận Lê Chân",
        "Hội Cựu chiến binh quận",
    } <= sources
    dispositions = set(comments.values_list("disposition", flat=True))
    assert {"pending", "accepted", "partly_accepted", "not_accepted"} <= dispositions


def test_the_personnel_plan_is_seen_only_inside(demo, api):
    plan = Document.objects.get(kind=Document.Kind.PERSONNEL_PLAN)
    users = demo["users"]

    assert plan.body.kind == "personnel" and plan.body.confidential
    assert plan.status == "subcommittee_review"
    assert api(users["mai.ht"]).get(f"/api/v1/documents/{plan.pk}/").status_code == 404
    assert api(users["khanh.bq"]).get(f"/api/v1/documents/{plan.pk}/").status_code == 200
    shown = api(users["nam.nv"]).get(f"/api/v1/documents/{plan.pk}/").json()
    assert "approve" in shown["available_transitions"]


def test_the_demo_report_diff_and_summary_work(demo, api):
    report = Document.objects.get(kind=Document.Kind.POLITICAL_REPORT)
    client = api(demo["users"]["mai.ht"])

    diff = client.get(f"/api/v1/documents/{report.pk}/diff/").json()
    summary = client.get(f"/api/v1/documents/{report.pk}/comment-summary/xlsx/")

    assert diff["stats"]["replaced"] >= 2 and diff["stats"]["inserted"] >= 2
    assert summary.status_code == 200


def test_the_demo_consultation_was_answered_through_the_links(demo, api):
    from workflows.models import ConsultationInvitation, OutsideBody, WrittenOpinion

    report = Document.objects.get(kind=Document.Kind.POLITICAL_REPORT)
    invitations = ConsultationInvitation.objects.filter(document=report, round=1)
    answered = invitations.exclude(answered_at=None)
    assert invitations.count() == 4
    assert set(answered.values_list("name", flat=True)) == {
        "Ủy ban MTTQ quận Lê Chân",
        "Đảng ủy phường An Biên",
    }
    assert WrittenOpinion.objects.get().invitation.name == "Ủy ban MTTQ quận Lê Chân"
    from_links = Comment.objects.filter(pk__in=answered.values("comments"))
    assert set(from_links.values_list("section", flat=True)) == {
        "I. Về phát triển kinh tế",
        "II. Về văn hóa - xã hội",
        "Phần thứ hai. Phương hướng, mục tiêu, nhiệm vụ nhiệm kỳ 2025-2030",
    }
    assert from_links.exclude(disposition="pending").count() == 2
    assert OutsideBody.objects.filter(congress=report.congress).count() == 3
    listed = api(demo["users"]["duc.nm"]).get(f"/api/v1/documents/{report.pk}/invitations/")
    assert {i["status"] for i in listed.json()["results"]} == {"expired"}


def test_the_demo_report_page_shows_the_consultation_to_its_rapporteur(demo, client):
    report = Document.objects.get(kind=Document.Kind.POLITICAL_REPORT)
    client.force_login(demo["users"]["duc.nm"])
    page = client.get(f"/documents/{report.pk}/").content.decode()
    assert 'id="consultation"' in page
    assert page.count("data-opinion-link") == 1
    assert page.count("data-comment-section") >= 4
