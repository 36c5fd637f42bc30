"""The progress report opens in Word and Excel and holds the figures: tasks done, open and
overdue per body, documents by state, the targets' summary, all through the visibility rule."""

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document as WordDocument
from openpyxl import load_workbook

from congress.models import Resolution, Target, TargetResult
from workflows.models import Document

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 8, 10, 9, 0, tzinfo=HCM)


@pytest.fixture
def figures(world, make_task):
    """Documents: 2 done, 1 open, 2 overdue (one of them in review); personnel: 1 overdue."""
    for status in ("done", "done"):
        make_task(status=status, due_at=datetime(2025, 8, 1, 17, tzinfo=HCM))
    make_task(status="todo", due_at=datetime(2025, 8, 20, 17, tzinfo=HCM))
    make_task(status="in_progress", due_at=datetime(2025, 8, 5, 17, tzinfo=HCM))
    make_task(status="in_review", due_at=datetime(2025, 8, 6, 17, tzinfo=HCM))
    make_task(
        body=world.personnel,
        assignee=world.personnel_member,
        status="todo",
        due_at=datetime(2025, 8, 1, 17, tzinfo=HCM),
    )
    for title, status in (("Báo cáo chính trị", "drafting"), ("Đề cương", "approved")):
        Document.objects.create(
            congress=world.congress, body=world.docs, kind="other", title=title, status=status
        )
    Document.objects.create(
        congress=world.congress,
        body=world.personnel,
        kind="personnel_plan",
        title="Đề án nhân sự",
        status="drafting",
    )
    resolution = Resolution.objects.create(
        organization=world.org, code="10-NQ/QU", title="NQ năm 2024", term="2020-2025"
    )
    for code, value in (("1", "100"), ("2", "90"), ("3", "120")):
        target = Target.objects.create(
            resolution=resolution, code=code, name=f"Chỉ tiêu {code}", target_value=100
        )
        TargetResult.objects.create(
            target=target, period="six_months", year=2024, value=Decimal(value)
        )
    for user in (world.steering_head, world.docs_member):
        user.language = "en"
        user.save(update_fields=["language"])
    return world


def _get(api, user, congress, fmt, **params):
    with time_machine.travel(NOW, tick=False):
        return api(user).get(f"/api/v1/congresses/{congress.pk}/progress-report.{fmt}", params)


def _docx_text(content: bytes) -> str:
    word = WordDocument(io.BytesIO(content))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_word_report_holds_the_figures(figures, api):
    response = _get(api, figures.steering_head, figures.congress, "docx")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    text = _docx_text(response.content)
    assert "Tiểu ban Văn kiện | 5 | 2 | 3 | 2" in text
    assert "Tiểu ban Nhân sự | 1 | 0 | 1 | 1" in text
    assert "Total | 6 | 2 | 4 | 3" in text
    assert "Drafting | 2" in text and "Approved | 1" in text
    assert "First six months 2024: 2/3 targets met or exceeded." in text
    assert "2 | Chỉ tiêu 2 |  | 100 | 90 | Not met" in text
    assert "Opens on 18/09/2025 (in 39 days)." in text


def test_excel_report_holds_the_figures(figures, api):
    response = _get(api, figures.steering_head, figures.congress, "xlsx")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    tasks, documents, targets = book.worksheets
    rows = [r for r in tasks.iter_rows(values_only=True) if r and r[0]]
    assert ("Tiểu ban Văn kiện", 5, 2, 3, 2) in rows
    assert ("Total", 6, 2, 4, 3) in rows
    assert ("Drafting", 2) in list(documents.iter_rows(values_only=True))
    target_rows = list(targets.iter_rows(values_only=True))
    assert target_rows[0] == ("First six months 2024", "2/3 targets met or exceeded") + (None,) * (
        len(target_rows[0]) - 2
    )
    assert target_rows[2][:7] == ("First six months 2024", 3, 1, 1, 1, 0, 2)


def test_a_member_outside_the_personnel_subcommittee_gets_no_confidential_figures(figures, api):
    response = _get(api, figures.docs_member, figures.congress, "xlsx")

    book = load_workbook(io.BytesIO(response.content))
    tasks, documents, _targets = book.worksheets
    names = [r[0] for r in tasks.iter_rows(values_only=True) if r and r[0]]
    assert "Tiểu ban Nhân sự" not in names
    assert ("Total", 5, 2, 3, 2) in list(tasks.iter_rows(values_only=True))
    assert ("Drafting", 1) in list(documents.iter_rows(values_only=True))


def test_a_period_can_be_chosen(figures, api):
    response = _get(api, figures.steering_head, figures.congress, "docx", period="year", year=2024)

    text = _docx_text(response.content)
    assert "Full year 2024: 0/3 targets met or exceeded." in text


def test_an_outsider_gets_a_404(figures, api):
    response = _get(api, figures.outsider, figures.congress, "docx")

    assert response.status_code == 404


def test_an_unknown_format_is_a_404(figures, api):
    response = api(figures.steering_head).get(
        f"/api/v1/congresses/{figures.congress.pk}/progress-report.pdf"
    )

    assert response.status_code == 404
