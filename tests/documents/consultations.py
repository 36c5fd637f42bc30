"""Helpers of the consultation tests: a draft put out for comment through the services, and
invitations made through them, with the link each one got."""

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from workflows.demo.documents import ROUND_TWO
from workflows.services.documents import document_transition
from workflows.services.invitations import invitation_create

DRAFT = "\n".join(ROUND_TWO)  # the demo's political report, round two
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def hanoi(*args) -> datetime:
    return datetime(*args, tzinfo=HANOI)


def out_for_comment(people, make_document, add_version, closes_at, *, text=DRAFT, **kwargs):
    """A political report with one draft, walked to `consultation` by the people allowed to."""
    document = make_document(**kwargs)
    add_version(document, text, author=people.docs_member)
    document_transition(actor=people.docs_member, document_id=document.pk, name="submit")
    document_transition(actor=people.docs_head, document_id=document.pk, name="approve")
    document_transition(
        actor=people.steering_head,
        document_id=document.pk,
        name="open_consultation",
        consultation_closes_at=closes_at,
    )
    document.refresh_from_db()
    return document


def invite(people, document, name, email, **kwargs):
    """(invitation, the path of its page) made by the rapporteur."""
    issued = invitation_create(
        actor=people.docs_member, document_id=document.pk, name=name, email=email, **kwargs
    )
    return issued.invitation, urlsplit(issued.url).path
