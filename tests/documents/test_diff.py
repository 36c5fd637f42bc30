"""The diff between two versions' text, on known texts: hunks, line numbers, word segments,
HTML escaping; and the diff endpoint's defaults and refusals."""

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.documents.conftest import upload
from workflows.diff import diff_html, diff_texts, word_segments

OLD = "\n".join(
    [
        "BÁO CÁO CHÍNH TRỊ",
        "I. Đánh giá",
        "Tăng trưởng bình quân 10,5%/năm.",
        "Thu ngân sách vượt dự toán.",
        "Môi trường còn hạn chế.",
        "II. Phương hướng",
        "Phát triển đô thị văn minh.",
        "Chuyển đổi số.",
        "Cải cách hành chính.",
        "Xây dựng Đảng.",
        "III. Nhiệm vụ",
        "Kết luận.",
    ]
)


def _changes(result):
    return [line for hunk in result["hunks"] for line in hunk["lines"] if line["op"] != "equal"]


def test_identical_texts_have_no_hunks():
    result = diff_texts(OLD, OLD)

    assert result == {
        "identical": True,
        "stats": {"inserted": 0, "deleted": 0, "replaced": 0},
        "hunks": [],
    }
    assert "same text" in diff_html(result)


def test_an_inserted_paragraph():
    new = OLD.replace("Chuyển đổi số.", "Chuyển đổi số.\nKinh tế số chiếm 20% GRDP.")

    result = diff_texts(OLD, new)

    assert result["stats"] == {"inserted": 1, "deleted": 0, "replaced": 0}
    [hunk] = result["hunks"]
    assert (hunk["old_start"], hunk["old_count"], hunk["new_start"], hunk["new_count"]) == (
        6,
        6,
        6,
        7,
    )
    assert _changes(result) == [
        {"op": "insert", "old_line": None, "new_line": 9, "text": "Kinh tế số chiếm 20% GRDP."}
    ]
    # Three lines of context on either side.
    assert [line["text"] for line in hunk["lines"][:3]] == [
        "II. Phương hướng",
        "Phát triển đô thị văn minh.",
        "Chuyển đổi số.",
    ]


def test_a_deleted_paragraph():
    new = OLD.replace("Môi trường còn hạn chế.\n", "")

    result = diff_texts(OLD, new)

    assert _changes(result) == [
        {"op": "delete", "old_line": 5, "new_line": None, "text": "Môi trường còn hạn chế."}
    ]


def test_a_changed_paragraph_carries_the_changed_words():
    new = OLD.replace("Tăng trưởng bình quân 10,5%/năm.", "Tăng trưởng bình quân 11,2%/năm.")

    [change] = _changes(diff_texts(OLD, new))

    assert change["op"] == "replace"
    assert (change["old_line"], change["new_line"]) == (3, 3)
    assert change["segments"] == [
        {"op": "equal", "text": "Tăng trưởng bình quân "},
        {"op": "delete", "text": "10,5"},
        {"op": "insert", "text": "11,2"},
        {"op": "equal", "text": "%/năm."},
    ]


def test_changes_far_apart_make_separate_hunks():
    new = OLD.replace("I. Đánh giá", "I. Đánh giá kết quả").replace("Kết luận.", "Kết thúc.")

    result = diff_texts(OLD, new)

    assert len(result["hunks"]) == 2
    assert result["stats"]["replaced"] == 2


def test_a_rewritten_block_pairs_only_similar_paragraphs():
    old = "A\nTăng trưởng kinh tế khá\nB"
    new = "A\nMột đoạn hoàn toàn mới về quốc phòng\nTăng trưởng kinh tế khá cao\nB"

    changes = _changes(diff_texts(old, new))

    assert [c["op"] for c in changes] == ["insert", "replace"]
    assert changes[1]["segments"][-1] == {"op": "insert", "text": " cao"}


def test_from_nothing_everything_is_inserted():
    result = diff_texts("", "Một\nHai")

    assert result["stats"] == {"inserted": 2, "deleted": 0, "replaced": 0}


def test_html_escapes_what_people_wrote():
    result = diff_texts("<b>cũ</b>", "<script>alert(1)</script> mới")

    html = diff_html(result)

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.startswith('<div class="diff">')


def test_html_marks_deleted_and_inserted_words():
    html = diff_html(diff_texts("Tăng 10,5%", "Tăng 11,2%"))

    assert "<del>10,5</del>" in html
    assert "<ins>11,2</ins>" in html


def test_word_segments_keep_numbers_whole():
    assert word_segments("đạt 95,5%", "đạt 97,0%") == [
        {"op": "equal", "text": "đạt "},
        {"op": "delete", "text": "95,5"},
        {"op": "insert", "text": "97,0"},
        {"op": "equal", "text": "%"},
    ]


@pytest.fixture
def drafted(people, make_document, add_version):
    document = make_document()
    add_version(document, "Mở đầu\nTăng trưởng 10,5%")
    add_version(document, "Mở đầu\nTăng trưởng 11,2%")
    add_version(document, "Mở đầu\nTăng trưởng 11,2%\nKết luận")
    return document


def test_the_diff_defaults_to_the_latest_and_the_one_before(people, api, drafted):
    response = api(people.docs_member2).get(f"/api/v1/documents/{drafted.pk}/diff/")

    assert response.status_code == 200
    assert (response.json()["from"]["number"], response.json()["to"]["number"]) == (2, 3)
    assert response.json()["stats"] == {"inserted": 1, "deleted": 0, "replaced": 0}


def test_any_two_versions_can_be_compared(people, api, drafted):
    response = api(people.docs_member2).get(f"/api/v1/documents/{drafted.pk}/diff/?from=1&to=3")

    assert response.json()["stats"] == {"inserted": 1, "deleted": 0, "replaced": 1}


def test_the_diff_as_html(people, api, drafted):
    response = api(people.docs_member2).get(
        f"/api/v1/documents/{drafted.pk}/diff/?from=1&to=2&format=html"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "<del>10,5</del>" in response.content.decode()


def test_a_missing_version_is_a_404(people, api, drafted):
    response = api(people.docs_member2).get(f"/api/v1/documents/{drafted.pk}/diff/?from=1&to=9")

    assert response.status_code == 404


def test_a_bad_version_number_is_a_400(people, api, drafted):
    response = api(people.docs_member2).get(f"/api/v1/documents/{drafted.pk}/diff/?from=x")

    assert response.status_code == 400
    assert "from" in response.json()


def test_one_version_is_not_enough(people, api, make_document, add_version):
    document = make_document()
    add_version(document)

    response = api(people.docs_member).get(f"/api/v1/documents/{document.pk}/diff/")

    assert (response.status_code, response.json()["code"]) == (409, "diff_needs_two_versions")


def test_a_pdf_has_no_text_to_compare(people, api, make_document, add_version):
    document = make_document()
    add_version(document)
    pdf = b"%PDF-1.4\n%%EOF\n"
    api(people.docs_member).post(
        f"/api/v1/documents/{document.pk}/versions/",
        {"file": upload("a.pdf", pdf)},
        format="multipart",
    )

    response = api(people.docs_member).get(f"/api/v1/documents/{document.pk}/diff/")

    assert (response.status_code, response.json()["code"]) == (409, "version_without_text")


# Paragraphs drawn from a small vocabulary, so that texts share lines and words.
_WORDS = st.sampled_from(["Đảng", "bộ", "quận", "10,5%", "tăng", "trưởng", "<b>", "đạt", "."])
_LINES = st.lists(st.lists(_WORDS, min_size=0, max_size=6).map(" ".join), max_size=12)


@hypothesis_settings(max_examples=200, deadline=None)
@given(old=_LINES, new=_LINES)
def test_the_diff_rebuilds_both_texts(old, new):
    a, b = "\n".join(old), "\n".join(new)
    result = diff_texts(a, b, context=10_000)

    rebuilt_old, rebuilt_new = {}, {}
    for hunk in result["hunks"]:
        for line in hunk["lines"]:
            if line["op"] == "replace":
                rebuilt_old[line["old_line"]] = line["old_text"]
                rebuilt_new[line["new_line"]] = line["new_text"]
                segments = line["segments"]
                assert (
                    "".join(s["text"] for s in segments if s["op"] != "insert") == line["old_text"]
                )
                assert (
                    "".join(s["text"] for s in segments if s["op"] != "delete") == line["new_text"]
                )
                continue
            if line["old_line"] is not None:
                rebuilt_old[line["old_line"]] = line["text"]
            if line["new_line"] is not None:
                rebuilt_new[line["new_line"]] = line["text"]
    lines_a, lines_b = (a.split("\n") if a else []), (b.split("\n") if b else [])
    assert result["identical"] == (lines_a == lines_b)
    if not result["identical"]:
        assert [rebuilt_old[i] for i in sorted(rebuilt_old)] == lines_a
        assert [rebuilt_new[i] for i in sorted(rebuilt_new)] == lines_b
        assert sorted(rebuilt_old) == list(range(1, len(lines_a) + 1))
        assert sorted(rebuilt_new) == list(range(1, len(lines_b) + 1))
