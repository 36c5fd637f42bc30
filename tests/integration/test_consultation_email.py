"""The invitation of an outside organization reaches a real SMTP server (aiosmtpd), sent after
the commit of the invitation, and the link it carries opens the organization's page."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from tests.documents.conftest import add_version, make_document, people  # noqa: F401
from tests.documents.consultations import out_for_comment
from tests.integration.services import wait_for
from workflows.models import ConsultationInvitation
from workflows.services.invitations import invitation_create

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TO = "vanphong.anbien@lechan.example"


def test_the_invitation_email_reaches_the_smtp_server_with_a_working_link(
    people,  # noqa: F811
    make_document,  # noqa: F811
    add_version,  # noqa: F811
    smtp_server,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "http://testserver"
    report = out_for_comment(
        people, make_document, add_version, timezone.now() + timedelta(days=10)
    )

    issued = invitation_create(
        actor=people.docs_member, document_id=report.pk, name="Đảng ủy phường An Biên", email=TO
    )

    (message,) = wait_for(
        lambda: smtp_server.messages(to=TO, containing=report.title),
        what="the invitation email at the SMTP server",
    )
    text = message.get_body(("plain",)).get_content()
    assert issued.url in text
    assert message["Reply-To"] == people.docs_member.email or not people.docs_member.email
    invitation = ConsultationInvitation.objects.get()
    assert (invitation.send_attempts, invitation.last_error) == (1, "")
    assert invitation.sent_at is not None
    path = urlsplit(re.search(r"http://testserver(/consult/\S+/)", text).group(0)).path
    page = Client().get(path)
    assert page.status_code == 200
    assert "Đảng ủy phường An Biên" in page.content.decode()
