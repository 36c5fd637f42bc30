"""On PostgreSQL the search reads the GIN indexes of workflows/migrations/0006_search_indexes
(a search over every text would parse each of them: docs/DECISIONS.md, Search)."""

import pytest
from django.db import connection

from congress.search import matching, ranked, search_text
from tests.documents.conftest import add_version, make_document, people  # noqa: F401
from workflows.models import Comment, DocumentVersion, Task
from workflows.selectors import search as selectors

pytestmark = [
    pytest.mark.postgres,
]


def plan(queryset) -> str:
    """The plan when the table may not be read whole nor through a b-tree scan with a filter
    (which the planner prefers for a near-empty table once statistics say so): a GIN index
    over the very expression searched is the one way left, if it matches."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
    return queryset.explain()


def test_the_searched_expressions_are_those_indexed(db):
    """The expressions must be the indexed ones, character for character, or PostgreSQL
    parses every text again."""
    query = search_text("bao cao chinh tri")
    tasks = ranked(Task.objects.all(), query, title=["title"], body=["description"])
    comments = ranked(
        Comment.objects.all(), query, title=["section", "source"], body=["text", "response"]
    )
    versions = matching(DocumentVersion.objects.all(), query, "text")
    assert "search_task" in plan(tasks)
    assert "search_comment" in plan(comments)
    assert "search_version" in plan(versions)


def test_the_personnel_work_stays_out_through_the_index(
    people,  # noqa: F811
    make_document,  # noqa: F811
    add_version,  # noqa: F811
):
    secret = make_document(body=people.personnel, kind="personnel_plan", title="Đề án")
    add_version(secret, "Phương án nhân sự tái cử")
    shown = make_document(title="Báo cáo")
    add_version(shown, "Nhân sự của Tiểu ban Văn kiện")
    found = selectors.search(people.docs_member, "nhan su", kinds=("documents",))
    assert [hit.id for hit in found.groups["documents"].hits] == [shown.pk]


def test_a_version_of_two_million_characters_is_stored_and_found(
    people,  # noqa: F811
    make_document,  # noqa: F811
    add_version,  # noqa: F811
):
    # Unique words: a whole text's tsvector would pass the 1 MB limit and refuse the row.
    text = "Chuyển đổi số " + " ".join(f"w{n}" for n in range(265_000))
    assert len(text) > 2_000_000
    document = make_document(title="Phụ lục số liệu")
    add_version(document, text)
    found = selectors.search(people.docs_member, "chuyen doi so", kinds=("documents",))
    assert [hit.id for hit in found.groups["documents"].hits] == [document.pk]


def test_any_text_of_the_searched_length_fits_a_tsvector(db):
    from congress.search import VECTOR_CHARS, vector_sql

    # One-character words of 4 bytes (astral plane): the most that the limit lets through.
    worst = " ".join(chr(0x20000 + n) for n in range(VECTOR_CHARS // 2 + 1))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_column_size({vector_sql([('%s', None)])})", [worst])
        assert 700_000 < cursor.fetchone()[0] < 1_048_576
