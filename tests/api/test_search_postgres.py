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
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes"),
]


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
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
