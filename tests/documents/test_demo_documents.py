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
