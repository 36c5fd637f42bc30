# ruff: noqa: F811  (pytest fixtures imported from tests/documents/conftest.py)
"""Every object endpoint answers 404 to someone who may not see the object: an outsider (a
member of another organization's congress) for the congress's objects, a documents member for
the personnel subcommittee's. Nothing changes behind a refused write."""

import pytest

from tests.documents.conftest import add_version, make_document, media_root, people  # noqa: F401
from workflows.models import Document, Task

GETS = [
    "/api/v1/congresses/{congress}/",
    "/api/v1/congresses/{congress}/dashboard/",
    "/api/v1/congresses/{congress}/redate-preview/?opens_on=2027-03-08",
    "/api/v1/congresses/{congress}/progress-report.docx",
    "/api/v1/congresses/{congress}/progress-report.xlsx",
    "/api/v1/bodies/{body}/",
    "/api/v1/bodies/{body}/members/",
    "/api/v1/organizations/{organization}/",
    "/api/v1/organizations/{organization}/targets/",
    "/api/v1/organizations/{organization}/oversight/",
    "/api/v1/organizations/{organization}/oversight.xlsx",
    "/api/v1/users/{user}/",
    "/api/v1/tasks/{task}/",
    "/api/v1/tasks/{task}/history/",
    "/api/v1/tasks/{task}/comments/",
    "/api/v1/documents/{document}/",
    "/api/v1/documents/{document}/versions/",
    "/api/v1/documents/{document}/versions/1/",
    "/api/v1/documents/{document}/versions/1/file/",
    "/api/v1/documents/{document}/diff/?from=1&to=2",
    "/api/v1/documents/{document}/comments/",
    "/api/v1/documents/{document}/history/",
    "/api/v1/documents/{document}/comment-summary/docx/",
    "/api/v1/documents/{document}/comment-summary/xlsx/",
]
WRITES = [
    ("patch", "/api/v1/congresses/{congress}/", {"venue": "x"}),
    ("post", "/api/v1/congresses/{congress}/transitions/cancel/", {"reason": "x"}),
    ("post", "/api/v1/congresses/{congress}/redate/", {"opens_on": "2027-04-01"}),
    ("patch", "/api/v1/bodies/{body}/", {"name": "x"}),
    ("post", "/api/v1/bodies/{body}/members/", {"user": "{user}", "role": "member"}),
    ("patch", "/api/v1/tasks/{task}/", {"title": "x"}),
    ("post", "/api/v1/tasks/{task}/transitions/cancel/", {"reason": "x"}),
    ("post", "/api/v1/tasks/{task}/comments/", {"text": "x"}),
    ("patch", "/api/v1/documents/{document}/", {"title": "x"}),
    ("post", "/api/v1/documents/{document}/versions/", {"text": "x"}),
    ("post", "/api/v1/documents/{document}/comments/", {"text": "x", "version": 1}),
    ("post", "/api/v1/documents/{document}/transitions/withdraw/", {"reason": "x"}),
]


@pytest.fixture
def objects(people, make_task, make_document, add_version):
    task = make_task()
    document = make_document()
    add_version(document, "Phần thứ nhất")
    add_version(document, "Phần thứ nhất, sửa")
    return {
        "congress": people.congress.pk,
        "body": people.docs.pk,
        "organization": people.org.pk,
        "user": people.docs_member.pk,
        "task": task.pk,
        "document": document.pk,
    }


@pytest.fixture
def secret_objects(people, make_task, make_document, add_version):
    task = make_task(body=people.personnel, assignee=people.personnel_member)
    document = make_document(
        body=people.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự",
        rapporteur=people.personnel_member,
    )
    add_version(document, "Danh sách")
    add_version(document, "Danh sách, sửa")
    return {"task": task.pk, "document": document.pk}


def _fill(template, ids):
    return template.format(**ids)


@pytest.mark.parametrize("path", GETS)
def test_an_outsider_gets_404_on_every_object(people, api, objects, path):
    response = api(people.outsider).get(_fill(path, objects))
    assert response.status_code == 404, response.content[:200]


@pytest.mark.parametrize(("method", "path", "data"), WRITES)
def test_an_outsider_cannot_write_any_object(people, api, objects, method, path, data):
    payload = {k: _fill(v, objects) if isinstance(v, str) else v for k, v in data.items()}
    before = (
        Task.objects.get(pk=objects["task"]).version,
        Document.objects.get(pk=objects["document"]).version,
    )
    response = getattr(api(people.outsider), method)(_fill(path, objects), payload, format="json")
    assert response.status_code == 404, response.content[:200]
    assert before == (
        Task.objects.get(pk=objects["task"]).version,
        Document.objects.get(pk=objects["document"]).version,
    )


@pytest.mark.parametrize("path", [p for p in GETS if "{task}" in p or "{document}" in p])
def test_a_documents_member_gets_404_on_every_personnel_object(people, api, secret_objects, path):
    response = api(people.docs_member).get(_fill(path, secret_objects))
    assert response.status_code == 404, response.content[:200]
