"""Who may apply a plan, preview and apply a re-date, cancel and transfer: the congress's
leaders (the head or a deputy of the standing committee or steering board, or staff); anyone
else in the congress gets a 403 and nothing happens; someone outside it gets a 404."""

import pytest

from congress.models import Congress
from workflows.models import Task


@pytest.fixture
def applied(world, post, small_template):
    post(world.steering_head, world.congress, "apply-plan", template=small_template.pk)
    return small_template


def _calls(world, small_template, successor):
    congress = world.congress.pk
    return {
        "apply": (
            "post",
            f"/api/v1/congresses/{congress}/apply-plan/",
            {"template": small_template.pk},
        ),
        "preview": (
            "get",
            f"/api/v1/congresses/{congress}/redate-preview/",
            {"opens_on": "2025-10-09"},
        ),
        "redate": ("post", f"/api/v1/congresses/{congress}/redate/", {"opens_on": "2025-10-09"}),
        "cancel": (
            "post",
            f"/api/v1/congresses/{congress}/transitions/cancel/",
            {"reason": "Dừng"},
        ),
        "transfer": (
            "post",
            f"/api/v1/congresses/{congress}/transfer/",
            {"successor_congress": successor.congress.pk},
        ),
    }


def _call(api, user, method, path, body):
    client = api(user)
    if method == "get":
        return client.get(path, body)
    return client.post(path, body, format="json")


@pytest.mark.parametrize("action", ["apply", "preview", "redate", "cancel", "transfer"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("docs_head", 403),
        ("docs_member", 403),
        ("personnel_member", 403),
        ("outsider", 404),
    ],
)
def test_only_the_congress_leaders_act_on_the_whole_plan(
    world, api, small_template, successor, trail, action, who, expected
):
    method, path, body = _calls(world, small_template, successor)[action]
    before = (trail(), Task.objects.count())

    response = _call(api, getattr(world, who), method, path, body)

    assert response.status_code == expected, response.json()
    assert (trail(), Task.objects.count()) == before
    assert Congress.objects.get(pk=world.congress.pk).status == "planning"


@pytest.mark.parametrize("who", ["steering_head", "staff"])
@pytest.mark.parametrize("action", ["apply", "preview", "redate", "cancel", "transfer"])
def test_the_steering_board_head_and_staff_may(world, api, small_template, successor, who, action):
    method, path, body = _calls(world, small_template, successor)[action]

    response = _call(api, getattr(world, who), method, path, body)

    assert response.status_code in (200, 201), response.json()


def test_a_standing_committee_leader_outside_the_steering_board_does_not_plan_tasks(
    world, post, small_template, trail
):
    """The task rules hold for a plan too (ARCHITECTURE §4: body leaders and the steering
    board plan tasks)."""
    before = trail()

    response = post(world.sc_head, world.congress, "apply-plan", template=small_template.pk)

    assert response.status_code == 403
    assert response.json()["code"] == "plan_forbidden"
    assert "Tiểu ban Văn kiện" in response.json()["detail"]
    assert Task.objects.count() == 0 and trail() == before


def test_a_standing_committee_leader_may_redate_and_transfer(world, api, post, applied, successor):
    from tests.factories import MembershipFactory

    preview = api(world.sc_head).get(
        f"/api/v1/congresses/{world.congress.pk}/redate-preview/", {"opens_on": "2025-10-09"}
    )
    redate = post(world.sc_head, world.congress, "redate", opens_on="2025-10-09")
    MembershipFactory(body=successor.sc, user=world.sc_head, role="head")
    transfer = post(
        world.sc_head, world.congress, "transfer", successor_congress=successor.congress.pk
    )

    assert (preview.status_code, redate.status_code, transfer.status_code) == (200, 200, 200)
    assert Congress.objects.get(pk=world.congress.pk).status == "transferred"
