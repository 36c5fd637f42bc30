"""Every task transition of ARCHITECTURE §4 through the API: who may do it, who may not, from
which states, with which input; and a refused attempt leaves no trace."""

import pytest
from django.contrib.contenttypes.models import ContentType

from notifications.models import Event
from workflows import rules
from workflows.models import AuditEntry, Task

S = Task.Status
ALL_STATES = [s.value for s in S]
NAMES = [
    "approve",
    "block",
    "cancel",
    "complete",
    "reopen",
    "return",
    "start",
    "submit",
    "unblock",
]

# name: (source states, target, requires_review, input, who may, who may not, rule)
TRANSITIONS = {
    "start": (
        [S.TODO],
        S.IN_PROGRESS,
        True,
        {},
        ["docs_member"],
        ["docs_head", "docs_deputy", "docs_member2", "steering_head", "sc_head", "staff"],
        rules.is_assignee,
    ),
    "submit": (
        [S.IN_PROGRESS],
        S.IN_REVIEW,
        True,
        {"note": "Đã hoàn thành dự thảo lần 1"},
        ["docs_member"],
        ["docs_head", "docs_deputy", "docs_member2", "steering_head"],
        rules.is_assignee,
    ),
    "approve": (
        [S.IN_REVIEW],
        S.DONE,
        True,
        {},
        ["docs_head", "docs_deputy", "steering_head", "staff"],
        ["docs_member", "docs_member2", "sc_head", "personnel_member"],
        rules.may_review_task,
    ),
    "return": (
        [S.IN_REVIEW],
        S.IN_PROGRESS,
        True,
        {"reason": "Bổ sung số liệu kinh tế - xã hội"},
        ["docs_head", "docs_deputy", "steering_head"],
        ["docs_member", "docs_member2", "sc_head"],
        rules.may_review_task,
    ),
    "complete": (
        [S.IN_PROGRESS],
        S.DONE,
        False,
        {},
        ["docs_member"],
        ["docs_head", "docs_deputy", "docs_member2"],
        rules.is_assignee,
    ),
    "block": (
        [S.IN_PROGRESS],
        S.BLOCKED,
        True,
        {"reason": "Chờ số liệu của Chi cục Thống kê"},
        ["docs_member"],
        ["docs_head", "docs_member2", "steering_head"],
        rules.is_assignee,
    ),
    "unblock": (
        [S.BLOCKED],
        S.IN_PROGRESS,
        True,
        {},
        ["docs_member", "docs_head", "docs_deputy", "steering_head"],
        ["docs_member2", "sc_head", "personnel_member"],
        rules.is_assignee_or_leader,
    ),
    "cancel": (
        [S.TODO, S.IN_PROGRESS, S.IN_REVIEW, S.BLOCKED],
        S.CANCELLED,
        True,
        {"reason": "Nội dung đã gộp vào nhiệm vụ khác"},
        ["docs_head", "docs_deputy", "steering_head"],
        ["docs_member", "docs_member2", "sc_head"],
        rules.may_manage_task,
    ),
    "reopen": (
        [S.DONE, S.CANCELLED],
        S.TODO,
        True,
        {},
        ["docs_head", "docs_deputy", "steering_head"],
        ["docs_member", "docs_member2", "sc_head"],
        rules.may_manage_task,
    ),
}

ALLOWED = [
    (name, source, actor)
    for name, (sources, *_, allowed, _refused, _rule) in TRANSITIONS.items()
    for source in sources
    for actor in allowed
]
REFUSED = [(name, actor) for name, (*_, refused, _rule) in TRANSITIONS.items() for actor in refused]
WRONG_STATE = [
    (name, state)
    for name, (sources, *_rest) in TRANSITIONS.items()
    for state in ALL_STATES
    if state not in sources
]


def url(task, name):
    return f"/api/v1/tasks/{task.pk}/transitions/{name}/"


def assert_unchanged(task, trail, before):
    status, version = task.status, task.version
    task.refresh_from_db()
    assert (task.status, task.version) == (status, version)
    assert trail() == before


def history(task):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Task), object_id=task.pk
        ).values_list("transition", "from_state", "to_state", "actor__username", "note")
    )


@pytest.mark.parametrize(("name", "source", "actor"), ALLOWED)
def test_permitted_user_moves_task(world, api, make_task, name, source, actor):
    _sources, target, requires_review, payload, *_ = TRANSITIONS[name]
    task = make_task(status=source, requires_review=requires_review, version=3)
    last_event = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0

    response = api(getattr(world, actor)).post(url(task, name), payload)

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == target
    assert response.json()["version"] == 4
    task.refresh_from_db()
    assert (task.status, task.version) == (target, 4)
    note = payload.get("note") or payload.get("reason") or ""
    assert history(task) == [(name, source, target, actor, note)]
    events = list(Event.objects.filter(id__gt=last_event))
    assert [(e.type, e.object_kind, e.object_id) for e in events] == [
        ("task.transitioned", "task", task.pk)
    ]
    assert events[0].payload["status"] == target
    assert events[0].payload["version"] == 4
    assert events[0].payload["transition"] == name
    assert events[0].payload["from_status"] == source
    assert events[0].actor == getattr(world, actor)


@pytest.mark.parametrize(("name", "actor"), REFUSED)
def test_user_without_the_role_is_refused_and_nothing_changes(
    world, api, make_task, trail, name, actor
):
    sources, _target, requires_review, payload, _allowed, _refused, rule = TRANSITIONS[name]
    task = make_task(status=sources[0], requires_review=requires_review)
    before = trail()

    response = api(getattr(world, actor)).post(url(task, name), payload)

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "transition_forbidden"
    assert body["transition"] == name
    assert body["who_may"] == str(rule.description)
    assert_unchanged(task, trail, before)


@pytest.mark.parametrize(("name", "state"), WRONG_STATE)
def test_transition_from_wrong_state_is_conflict(world, api, make_task, trail, name, state):
    sources, _target, requires_review, payload, allowed, *_ = TRANSITIONS[name]
    task = make_task(status=state, requires_review=requires_review)
    before = trail()

    response = api(getattr(world, allowed[0])).post(url(task, name), payload)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["status"] == state
    assert body["allowed_from"] == sorted(sources)
    assert_unchanged(task, trail, before)


@pytest.mark.parametrize(
    ("name", "state", "field", "payload"),
    [
        ("submit", S.IN_PROGRESS, "note", {}),
        ("submit", S.IN_PROGRESS, "note", {"note": "   "}),
        ("submit", S.IN_PROGRESS, "note", {"reason": "a reason is not a note"}),
        ("block", S.IN_PROGRESS, "reason", {}),
        ("block", S.IN_PROGRESS, "reason", {"reason": "\n\t "}),
        ("block", S.IN_PROGRESS, "reason", {"note": "a note is not a reason"}),
    ],
)
def test_assignee_transition_without_required_text_is_bad_request(
    world, api, make_task, trail, name, state, field, payload
):
    task = make_task(status=state)
    before = trail()

    response = api(world.docs_member).post(url(task, name), payload)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()[field] == [f"“{name}” needs a {field}."]
    assert_unchanged(task, trail, before)


@pytest.mark.parametrize(
    ("name", "state"),
    [("return", S.IN_REVIEW), ("cancel", S.TODO), ("cancel", S.BLOCKED)],
)
def test_leader_transition_without_reason_is_bad_request(world, api, make_task, trail, name, state):
    task = make_task(status=state)
    before = trail()

    response = api(world.docs_head).post(url(task, name), {"reason": ""})

    assert response.status_code == 400
    assert response.json()["reason"] == [f"“{name}” needs a reason."]
    assert_unchanged(task, trail, before)


def test_unknown_transition_name_is_json_not_found(world, api, make_task, trail):
    task = make_task(status=S.IN_REVIEW)
    before = trail()

    response = api(world.docs_head).post(url(task, "publish"), {})

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "unknown_transition"
    assert response.json()["known"] == NAMES
    assert_unchanged(task, trail, before)


@pytest.mark.parametrize("name", ["Approve", "approve1", "return_", "a" * 41])
def test_malformed_transition_name_is_json_not_found(world, api, make_task, trail, name):
    task = make_task(status=S.IN_REVIEW)
    before = trail()

    response = api(world.docs_head).post(url(task, name), {})

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] in {"not_found", "unknown_transition"}
    assert_unchanged(task, trail, before)


def test_start_with_open_dependency_is_conflict(world, api, make_task, trail):
    first = make_task(status=S.IN_REVIEW)
    task = make_task(status=S.TODO, depends_on=[first])
    before = trail()

    response = api(world.docs_member).post(url(task, "start"), {})

    assert response.status_code == 409
    assert response.json()["code"] == "dependency_open"
    assert response.json()["transition"] == "start"
    assert_unchanged(task, trail, before)


def test_start_allowed_once_every_dependency_is_done(world, api, make_task):
    first = make_task(status=S.DONE)
    second = make_task(status=S.IN_REVIEW)
    task = make_task(status=S.TODO, depends_on=[first, second])
    member, head = api(world.docs_member), api(world.docs_head)

    assert member.get(f"/api/v1/tasks/{task.pk}/").json()["available_transitions"] == []
    assert head.post(url(second, "approve"), {}).status_code == 200
    assert member.get(f"/api/v1/tasks/{task.pk}/").json()["available_transitions"] == ["start"]

    response = member.post(url(task, "start"), {})

    assert response.status_code == 200
    assert response.json()["status"] == S.IN_PROGRESS


def test_stale_version_is_conflict_and_changes_nothing(world, api, make_task, trail):
    task = make_task(status=S.IN_REVIEW, version=5)
    before = trail()

    response = api(world.docs_head).post(url(task, "approve"), {"version": 4})

    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert response.json()["current_version"] == 5
    assert_unchanged(task, trail, before)


def test_current_version_is_accepted(world, api, make_task):
    task = make_task(status=S.IN_REVIEW, version=5)

    response = api(world.docs_head).post(url(task, "approve"), {"version": 5})

    assert response.status_code == 200
    assert response.json()["version"] == 6


def test_second_approval_with_the_same_version_is_stale(world, api, make_task):
    task = make_task(status=S.IN_REVIEW, version=2)

    first = api(world.docs_head).post(url(task, "approve"), {"version": 2})
    second = api(world.docs_deputy).post(url(task, "approve"), {"version": 2})

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["code"] == "stale_version"


def test_head_cannot_approve_own_task(world, api, make_task, trail):
    task = make_task(status=S.IN_REVIEW, assignee=world.docs_head)
    before = trail()

    response = api(world.docs_head).post(url(task, "approve"), {})

    assert response.status_code == 403
    assert response.json()["who_may"] == str(rules.may_review_task.description)
    assert_unchanged(task, trail, before)


def test_head_cannot_return_own_task(world, api, make_task, trail):
    task = make_task(status=S.IN_REVIEW, assignee=world.docs_head)
    before = trail()

    response = api(world.docs_head).post(url(task, "return"), {"reason": "tự trả lại"})

    assert response.status_code == 403
    assert_unchanged(task, trail, before)


def test_steering_head_cannot_approve_own_task(world, api, make_task, trail):
    task = make_task(status=S.IN_REVIEW, body=world.steering, assignee=world.steering_head)
    before = trail()

    response = api(world.steering_head).post(url(task, "approve"), {})

    assert response.status_code == 403
    assert_unchanged(task, trail, before)


def test_deputy_approves_the_heads_task(world, api, make_task):
    task = make_task(status=S.IN_REVIEW, assignee=world.docs_head)

    response = api(world.docs_deputy).post(url(task, "approve"), {})

    assert response.status_code == 200
    assert response.json()["status"] == S.DONE


def test_complete_refused_when_task_requires_review(world, api, make_task, trail):
    task = make_task(status=S.IN_PROGRESS, requires_review=True)
    before = trail()

    response = api(world.docs_member).post(url(task, "complete"), {})

    assert response.status_code == 409
    assert response.json()["code"] == "review_required"
    assert_unchanged(task, trail, before)


def test_submit_refused_when_task_does_not_require_review(world, api, make_task, trail):
    task = make_task(status=S.IN_PROGRESS, requires_review=False)
    before = trail()

    response = api(world.docs_member).post(url(task, "submit"), {"note": "xong"})

    assert response.status_code == 409
    assert response.json()["code"] == "review_not_required"
    assert_unchanged(task, trail, before)


def test_complete_and_approve_set_completed_at_and_reopen_clears_it(world, api, make_task):
    task = make_task(status=S.IN_PROGRESS, requires_review=False)

    done = api(world.docs_member).post(url(task, "complete"), {}).json()
    reopened = api(world.docs_head).post(url(task, "reopen"), {}).json()

    assert done["completed_at"] is not None
    assert reopened["completed_at"] is None
    assert reopened["status"] == S.TODO


def test_full_review_cycle_is_recorded_in_order(world, api, make_task):
    task = make_task(status=S.TODO)
    member, head = api(world.docs_member), api(world.docs_head)

    steps = [
        (member, "start", {}),
        (member, "submit", {"note": "Dự thảo lần 1"}),
        (head, "return", {"reason": "Thiếu phần đánh giá"}),
        (member, "submit", {"note": "Dự thảo lần 2"}),
        (head, "approve", {}),
    ]
    for client, name, payload in steps:
        assert client.post(url(task, name), payload).status_code == 200

    assert history(task) == [
        ("start", "todo", "in_progress", "docs_member", ""),
        ("submit", "in_progress", "in_review", "docs_member", "Dự thảo lần 1"),
        ("return", "in_review", "in_progress", "docs_head", "Thiếu phần đánh giá"),
        ("submit", "in_progress", "in_review", "docs_member", "Dự thảo lần 2"),
        ("approve", "in_review", "done", "docs_head", ""),
    ]
    task.refresh_from_db()
    assert (task.status, task.version) == (S.DONE, 6)


def test_unassigned_task_cannot_be_started_by_anyone(world, api, make_task, trail):
    task = make_task(status=S.TODO, assignee=None)
    before = trail()

    for user in (world.docs_head, world.docs_member, world.staff):
        assert api(user).post(url(task, "start"), {}).status_code == 403

    assert_unchanged(task, trail, before)


def test_anonymous_transition_is_unauthorized(world, api, make_task, trail):
    task = make_task(status=S.IN_REVIEW)
    before = trail()

    response = api().post(url(task, "approve"), {})

    assert response.status_code == 401
    assert_unchanged(task, trail, before)
