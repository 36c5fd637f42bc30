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


DRAFT = "\n".join(
    [
        "BÁO CÁO CHÍNH TRỊ",
        "PHẦN THỨ NHẤT: KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT",
        "I. Về phát triển kinh tế",
        "Tăng trưởng bình quân 10,5%/năm.",
        "II. Về văn hóa - xã hội",
        "1. Giáo dục",
        "III. Về xây dựng Đảng",
        "PHẦN THỨ HAI: PHƯƠNG HƯỚNG, NHIỆM VỤ 2025-2030",
        "A. Mục tiêu tổng quát",
        "B. Các chỉ tiêu chủ yếu",
    ]
)


@pytest.fixture
def sectioned(people, make_document, add_version):
    """Comments whose sections, sorted alphabetically, would read B, A, I, II, III, Phần...:
    the report follows the draft instead."""
    document = make_document(status=S.DRAFTING, round=2)
    add_version(document, "Dự thảo lần 1", round=1)
    version = add_version(document, DRAFT, round=2)
    for section, disposition in [
        ("B. Các chỉ tiêu chủ yếu", "accepted"),
        ("Phần thứ hai", "not_accepted"),
        ("III", "pending"),
        ("II.1", "partly_accepted"),
        ("Phần thứ nhất", "accepted"),
        ("I", "accepted"),
        ("A. Mục tiêu tổng quát", "pending"),
        ("", "accepted"),
        ("I", "not_accepted"),
    ]:
        Comment.objects.create(
            version=version,
            source="Đảng ủy phường An Biên",
            section=section,
            text=f"Góp ý {section or 'chung'}",
            disposition=disposition,
        )
    return document


def test_sections_come_in_the_order_of_the_draft(people, api, sectioned):
    word = WordDocument(io.BytesIO(_get(api, people.docs_member2, sectioned, "docx").content))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]

    assert headings == [
        "General comments",
        "Phần thứ nhất",
        "I",
        "II.1",
        "III",
        "Phần thứ hai",
        "A. Mục tiêu tổng quát",
        "B. Các chỉ tiêu chủ yếu",
    ]


def test_the_excel_comments_follow_the_order_of_the_draft(people, api, sectioned):
    book = load_workbook(io.BytesIO(_get(api, people.docs_member2, sectioned, "xlsx").content))
    rows = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))

    assert [(row[0], row[1]) for row in rows] == [
        (1, "General comments"),
        (2, "Phần thứ nhất"),
        (3, "I"),
        (4, "I"),
        (5, "II.1"),
        (6, "III"),
        (7, "Phần thứ hai"),
        (8, "A. Mục tiêu tổng quát"),
        (9, "B. Các chỉ tiêu chủ yếu"),
    ]


def test_the_report_opens_with_the_counts_by_disposition_source_and_section(people, api, sectioned):
    text = _docx_text(_get(api, people.docs_member2, sectioned, "docx").content)

    assert "Comments received: 9." in text
    assert "Of which: accepted 4; partly accepted 1; not accepted 2; pending 2." in text
    assert "Đảng ủy phường An Biên | 4 | 1 | 2 | 2 | 9" in text
    assert "Section | Accepted | Partly accepted | Not accepted | Pending | Total" in text
    assert "I | 1 | 0 | 1 | 0 | 2" in text
    assert "II.1 | 0 | 1 | 0 | 0 | 1" in text
    assert text.index("I | 1 | 0 | 1 | 0 | 2") < text.index("II.1 | 0 | 1 | 0 | 0 | 1")
    assert text.count("Total | 4 | 1 | 2 | 2 | 9") == 2  # under the sources and the sections


def test_the_excel_overview_counts_by_disposition_source_and_section(people, api, sectioned):
    book = load_workbook(io.BytesIO(_get(api, people.docs_member2, sectioned, "xlsx").content))
    rows = [row for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)]

    assert rows[:5] == [
        ("Comments received", 9, None, None, None, None),
        ("Accepted", 4, None, None, None, None),
        ("Partly accepted", 1, None, None, None, None),
        ("Not accepted", 2, None, None, None, None),
        ("Pending", 2, None, None, None, None),
    ]
    sections = rows[
        rows.index(("Section", "Accepted", "Partly accepted", "Not accepted", "Pending", "Total"))
        + 1 :
    ]
    assert [row[0] for row in sections] == [
        "General comments",
        "Phần thứ nhất",
        "I",
        "II.1",
        "III",
        "Phần thứ hai",
        "A. Mục tiêu tổng quát",
        "B. Các chỉ tiêu chủ yếu",
        "Total",
    ]
    assert sections[-1] == ("Total", 4, 1, 2, 2, 9)


def test_the_excel_headers_are_in_the_users_language(people, api, commented):
    people.docs_member2.language = "vi"
    people.docs_member2.save()

    book = load_workbook(io.BytesIO(_get(api, people.docs_member2, commented, "xlsx").content))
    overview, sheet = book.worksheets
    headers = [cell.value for cell in sheet[1]]

    assert (overview.title, sheet.title) == ("Tổng hợp chung", "Ý kiến")
    # The last heading ("Received at") waits for its entry in the catalog.
    assert headers[:9] == [
        "STT",
        "Phần, mục",
        "Đơn vị, cá nhân góp ý",
        "Phiên bản",
        "Lần dự thảo",
        "Nội dung góp ý",
        "Kết quả tiếp thu",
        "Giải trình",
        "Người giải trình",
    ]
    assert sheet["G2"].value in {"Tiếp thu", "Tiếp thu một phần", "Không tiếp thu", "Chưa xử lý"}
    assert "Ý kiến chung" in [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_without_the_text_sections_sort_by_ordinal_words_and_numerals():
    from workflows.ordering import document_order

    names = ["Phần thứ mười", "Phần thứ hai", "Phần thứ tư", "Phần thứ nhất", "Phần thứ ba"]
    names += ["Chương mười một", "Chương chín", "Chương hai mươi mốt", "Chương mười lăm"]
    names += ["IX", "IV", "X", "II.10", "II.2"]

    assert document_order(names) == [
        "II.2",
        "II.10",
        "IV",
        "IX",
        "X",
        "Chương chín",
        "Chương mười một",
        "Chương mười lăm",
        "Chương hai mươi mốt",
        "Phần thứ nhất",
        "Phần thứ hai",
        "Phần thứ ba",
        "Phần thứ tư",
        "Phần thứ mười",
    ]


def test_a_section_the_draft_no_longer_holds_comes_after_the_one_before_it():
    from workflows.ordering import document_order

    text = "I. Kinh tế\nnội dung\nIII. Xây dựng Đảng\nIV. Quốc phòng"

    assert document_order(["IV", "II", "III", "Lời nói đầu", "I"], text) == [
        "I",
        "II",  # removed from the draft: after I, before III
        "III",
        "IV",
        "Lời nói đầu",  # not in the text either: words come after numbered parts
    ]


def test_number_words_count_only_after_a_heading_word():
    from workflows.reports import sort_key

    # "tư tưởng" (ideology) is a word, not the number four.
    assert sorted(["Công tác tư tưởng", "Công tác tổ chức"], key=sort_key) == [
        "Công tác tổ chức",
        "Công tác tư tưởng",
    ]
    assert sorted(["Mục năm", "Mục 4", "Mục hai"], key=sort_key) == ["Mục hai", "Mục 4", "Mục năm"]
