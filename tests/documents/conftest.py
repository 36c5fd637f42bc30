"""Fixtures for the document tests: the shared world plus the reviewers of every step, uploads
kept in a temporary MEDIA_ROOT, Word files built on the fly, and a helper to walk a document
through the API."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.models import Membership
from tests.factories import MembershipFactory, UserFactory
from workflows.models import Document

Role = Membership.Role
S = Document.Status

# username -> (body key in the world, role): the people ARCHITECTURE §4 names for each step.
REVIEWERS = {
    "sc_deputy": ("sc", Role.DEPUTY),
    "sc_secretary": ("sc", Role.SECRETARY),
    "sc_member": ("sc", Role.MEMBER),
    "steering_deputy": ("steering", Role.DEPUTY),
    "steering_secretary": ("steering", Role.SECRETARY),
    "steering_member": ("steering", Role.MEMBER),
    "personnel_head": ("personnel", Role.HEAD),
    "docs_secretary": ("docs", Role.SECRETARY),
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded drafts go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def people(world):
    """The world, plus the secretaries, deputies and members the document rules care about."""
    extra = {}
    for username, (body_key, role) in REVIEWERS.items():
        extra[username] = UserFactory(username=username)
        MembershipFactory(body=getattr(world, body_key), user=extra[username], role=role)
    return SimpleNamespace(**vars(world), **extra)


def docx_bytes(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    from docx import Document as WordDocument

    word = WordDocument()
    for text in paragraphs:
        word.add_paragraph(text)
    if table:
        grid = word.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def make_document(people):
    """A document built straight in a state (the rules are exercised through the API)."""

    def make(**kwargs):
        kwargs.setdefault("body", people.docs)
        kwargs.setdefault("kind", Document.Kind.POLITICAL_REPORT)
        kwargs.setdefault("title", "Báo cáo chính trị Đại hội XXV")
        kwargs.setdefault("rapporteur", people.docs_member)
        kwargs.setdefault("created_by", people.docs_head)
        kwargs.setdefault("congress", kwargs["body"].congress)
        return Document.objects.create(**kwargs)

    return make


@pytest.fixture
def add_version():
    """A text version in the document's current round, added straight to the database."""
    from django.core.files.base import ContentFile

    from workflows.models import DocumentVersion

    def add(document, text="Dự thảo", *, author=None, round=None):
        number = document.versions.count() + 1
        version = DocumentVersion(
            document=document,
            number=number,
            round=round or document.round,
            original_name=f"du-thao-{number}.md",
            file_type="md",
            size=len(text.encode()),
            sha256="0" * 64,
            text=text,
            author=author,
        )
        version.file.save(f"test/{document.pk}-{number}.md", ContentFile(text.encode()), False)
        version.save()
        return version

    return add


@pytest.fixture
def act(api):
    """`act(user, document, name, **body)`: POST a transition; returns the response."""

    def post(user, document, name, **body):
        return api(user).post(
            f"/api/v1/documents/{document.pk}/transitions/{name}/", body, format="json"
        )

    return post
