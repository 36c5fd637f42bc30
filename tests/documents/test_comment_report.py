"""The comment summary report as .docx and .xlsx: it opens with python-docx and openpyxl and
holds every comment with its disposition, grouped by section and source, with the counts."""

import io

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from workflows.models import Comment, Document

S = Document.Status

COMMENTS = [
    # source, section, text, disposition, response
    ("Đảng ủy phường An Biên", "I", "Làm rõ tăng trưởng 2025", "accepted", ""),
    (
        "Đảng ủy phường An Biên",
        "II",
        "Bổ sung chuyển đổi số",
        "partly_accepted",
        "Đã bổ sung một phần",
    ),
    ("Ủy ban MTTQ quận Lê Chân", "I", "Nêu vai trò Mặt trận", "not_accepted", "Đã có ở mục III"),
    ("Hội Cựu chiến binh quận", "", "Nhất trí cao với dự thảo", "pending", ""),
    ("Hội Cựu chiến binh quận", "II", '=HYPERLINK("http://x")', "pending", ""),
]


@pytest.fixture
def commented(people, make_document, add_version):
    document = make_document(status=S.DRAFTING, round=2)
    first = add_version(document, "Dự thảo lần 1", round=1)
    second = add_version(document, "Dự thảo lần 2", round=2)
    for i, (source, section, text, disposition, response) in enumerate(COMMENTS):
        Comment.objects.create(
            version=first if i < 3 else second,
            source=source,
            section=section,
            text=text,
            disposition=disposition,
            response=response,
            answered_by=people.docs_member if disposition != "pending" else None,
        )
    Comment.objects.create(version=second, author=people.steering_head, text="Ý kiến nội bộ")
    return document


def _get(api, user, document, fmt, query=""):
    return api(user).get(f"/api/v1/documents/{document.pk}/comment-summary/{fmt}/{query}")


def _docx_text(content: bytes) -> str:
    word = WordDocument(io.BytesIO(content))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_the_word_report_holds_every_comment_with_its_disposition(people, api, commented):
    response = _get(api, people.docs_member2, commented, "docx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "attachment" in response["Content-Disposition"]
    text = _docx_text(response.content)
    for source, _section, comment, disposition, reply in COMMENTS:
        label = str(Comment.Disposition(disposition).label)
        row = next(line for line in text.splitlines() if comment in line)
        assert source in row and label in row and reply in row
    assert "Ý kiến nội bộ" in text
    assert commented.title in text
    # Counts per disposition: 1 accepted, 1 partly, 1 not, 3 pending; 6 in all.
    assert "Total | 1 | 1 | 1 | 3 | 6" in text
    assert "Đảng ủy phường An Biên | 1 | 1 | 0 | 0 | 2" in text


def test_the_word_report_groups_by_section_then_source(people, api, commented):
    word = WordDocument(io.BytesIO(_get(api, people.docs_member2, commented, "docx").content))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]

    assert headings == ["General comments", "I", "II"]
    section_two = word.tables[-1]
    assert [row.cells[1].text for row in section_two.rows[1:]] == [
        "Đảng ủy phường An Biên",
        "Hội Cựu chiến binh quận",
    ]


def test_the_excel_report_holds_every_comment_with_its_disposition(people, api, commented):
    response = _get(api, people.docs_member2, commented, "xlsx")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    overview, sheet = book.worksheets
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6
    by_text = {row[5]: row for row in rows}
    for source, section, comment, disposition, reply in COMMENTS:
        row = by_text[comment]
        assert (row[2], row[6], row[7] or "") == (
            source,
            str(Comment.Disposition(disposition).label),
            reply,
        )
        assert row[1] == (section or "General comments")
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5, 6]
    totals = next(r for r in overview.iter_rows(values_only=True) if r[0] == "Total")
    assert totals == ("Total", 1, 1, 1, 3, 6)


def test_a_comment_that_looks_like_a_formula_stays_text(people, api, commented):
    book = load_workbook(io.BytesIO(_get(api, people.docs_member2, commented, "xlsx").content))
    cell = next(
        c
        for row in book.worksheets[1].iter_rows()
        for c in row
        if c.value and "HYPERLINK" in str(c.value)
    )

    assert cell.data_type == "s"


def test_the_report_can_be_limited_to_a_round(people, api, commented):
    book = load_workbook(
        io.BytesIO(_get(api, people.docs_member2, commented, "xlsx", "?round=2").content)
    )

    assert len(list(book.worksheets[1].iter_rows(min_row=2))) == 3


def test_the_report_is_written_in_the_users_language(people, api, commented, settings):
    people.docs_member2.language = "en"
    people.docs_member2.save()

    text = _docx_text(_get(api, people.docs_member2, commented, "docx").content)

    assert "SUMMARY OF COMMENTS RECEIVED, TAKEN IN AND EXPLAINED" in text


def test_an_unknown_report_format_is_a_404(people, api, commented):
    assert _get(api, people.docs_member2, commented, "pdf").status_code == 404


def test_a_report_with_no_comments_still_opens(people, api, make_document):
    document = make_document()

    word = _get(api, people.docs_member, document, "docx")
    excel = _get(api, people.docs_member, document, "xlsx")

    assert "Comments received: 0." in _docx_text(word.content)
    assert load_workbook(io.BytesIO(excel.content)).worksheets[1].max_row == 1


def test_sources_and_sections_sort_as_a_vietnamese_reader_expects():
    from workflows.reports import sort_key

    sources = ["Ủy ban MTTQ quận", "Hội Cựu chiến binh", "Đảng ủy phường An Biên", "Chi bộ 10"]
    sources += ["Chi bộ 2", "Ấp Bắc", "An Dương"]
    sections = ["IX", "V", "II", "I", "X", "IV", "III.10", "III.2"]

    assert sorted(sources, key=sort_key) == [
        "An Dương",
        "Ấp Bắc",
        "Chi bộ 2",
        "Chi bộ 10",
        "Đảng ủy phường An Biên",
        "Hội Cựu chiến binh",
        "Ủy ban MTTQ quận",
    ]
    assert sorted(sections, key=sort_key) == ["I", "II", "III.2", "III.10", "IV", "V", "IX", "X"]
