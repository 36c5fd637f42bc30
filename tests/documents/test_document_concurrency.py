"""Two reviewers approving the same step at the same moment: the row lock lets exactly one
win and the other gets a 409, even when the loser could approve the next step too. Needs
PostgreSQL (real row locks across connections)."""

import threading
import time

import pytest
from django.db import connections

from congress.errors import Conflict
from notifications.models import Event
from tests.factories import MembershipFactory
from workflows.models import AuditEntry, Document
from workflows.services import documents as services

S = Document.Status

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    """Run the calls in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as error:  # the losing side's Conflict is the point of the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


@pytest.fixture
def slow_commit(monkeypatch):
    """The winner holds the row lock a moment longer, so the other really waits on it."""
    original = services.event_record

    def slow(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(services, "event_record", slow)


def _split(results):
    won = [r for r in results if isinstance(r, Document)]
    lost = [r for r in results if not isinstance(r, Document)]
    return won, lost


@pytest.mark.parametrize("round_", range(3))
def test_two_reviewers_approving_with_the_version_they_saw(
    people, make_document, add_version, round_
):
    document = make_document(status=S.SUBCOMMITTEE_REVIEW, version=4)
    add_version(document)

    won, lost = _split(
        race(
            lambda: services.document_transition(
                actor=people.docs_head, document_id=document.pk, name="approve", version=4
            ),
            lambda: services.document_transition(
                actor=people.docs_deputy, document_id=document.pk, name="approve", version=4
            ),
        )
    )

    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], Conflict)
    assert (lost[0].status, lost[0].code) == (409, "stale_version")
    document.refresh_from_db()
    assert (document.status, document.version) == (S.STEERING_REVIEW, 5)
    assert AuditEntry.objects.filter(object_id=document.pk, transition="approve").count() == 1
    assert Event.objects.filter(type="document.transitioned").count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_a_leader_of_every_step_cannot_approve_two_steps_by_racing(
    people, make_document, add_version, slow_commit, round_
):
    # One person often heads the subcommittee, the steering board and the standing committee:
    # a double click must not carry the document through two steps.
    MembershipFactory(body=people.steering, user=people.docs_deputy, role="deputy")
    document = make_document(status=S.SUBCOMMITTEE_REVIEW, kind=Document.Kind.RESOLUTION)
    add_version(document)

    won, lost = _split(
        race(
            lambda: services.document_transition(
                actor=people.docs_head, document_id=document.pk, name="approve"
            ),
            lambda: services.document_transition(
                actor=people.docs_deputy, document_id=document.pk, name="approve"
            ),
        )
    )

    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], Conflict), lost[0]
    assert lost[0].status == 409
    document.refresh_from_db()
    assert (document.status, document.version) == (S.STEERING_REVIEW, 2)


def test_a_comment_racing_an_adoption_is_either_answered_first_or_refused(
    people, make_document, add_version, slow_commit
):
    document = make_document(status=S.STANDING_COMMITTEE_REVIEW, kind=Document.Kind.RESOLUTION)
    add_version(document)

    results = race(
        lambda: services.document_transition(
            actor=people.sc_head, document_id=document.pk, name="approve"
        ),
        lambda: services.document_comment_add(
            actor=people.sc_member, document_id=document.pk, text="Góp ý phút chót"
        ),
    )

    document.refresh_from_db()
    pending = document.pending_comments()
    # Either the adoption came first (then the comment is on a document in superior review),
    # or the comment came first and the adoption saw it pending and was refused.
    if isinstance(results[0], Document):
        assert document.status == S.SUPERIOR_REVIEW
    else:
        assert (results[0].code, pending, document.status) == (
            "comments_pending",
            1,
            S.STANDING_COMMITTEE_REVIEW,
        )
