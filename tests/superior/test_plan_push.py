"""The superior directs (issue 22, flow 1): the city's office pushes a plan template to the
congresses under it with a date to apply it by; each congress's leaders are told and see it as
the proposed plan; the city sees who applied it and when. Nobody else pushes."""

import re
from datetime import date

import pytest
import time_machine

from congress.models import PlanDirective
from congress.plans import builtin_template_install
from notifications.models import Notification
from tests.factories import MembershipFactory
from workflows.services.plans import plan_apply

TODAY = date(2025, 6, 2)


@pytest.fixture
def template(db):
    return builtin_template_install()


def _url(city):
    return f"/api/v1/organizations/{city.org.pk}/plan-directives/"


@time_machine.travel("2025-06-02 09:00 +0700", tick=False)
def test_the_citys_office_pushes_a_plan_and_sees_who_applied_it(
    world, city, template, api, django_capture_on_commit_callbacks
):
    from congress.models import Membership

    MembershipFactory(body=city.sibling_docs, user=world.sc_head, role=Membership.Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        pushed = api(city.office).post(
            _url(city),
            {"template": template.pk, "deadline": "2025-06-30", "congresses": [world.congress.pk]},
            format="json",
        )
    assert pushed.status_code == 201, pushed.json()
    assert [d["congress"] for d in pushed.json()] == [world.congress.pk]
    # Lê Chân's leaders are told, with a link to their plan page.
    told = Notification.objects.get(recipient=world.sc_head)
    assert told.title == f"Plan from the superior level: {template.name}"
    assert told.link == f"/congresses/{world.congress.pk}/plan/"
    assert not Notification.objects.filter(recipient=world.docs_member).exists()

    # The plan page proposes it.
    from django.test import Client

    page = Client()
    page.force_login(world.sc_head)
    text = page.get(f"/congresses/{world.congress.pk}/plan/").content.decode()
    assert "asks this congress to apply the plan" in text
    assert "30/06/2025" in text

    listed = api(city.office).get(_url(city)).json()
    assert listed[0]["applied_at"] is None
    plan_apply(actor=world.steering_head, congress_id=world.congress.pk, template_id=template.pk)
    listed = api(city.office).get(_url(city)).json()
    assert listed[0]["applied_at"] is not None
    text = page.get(f"/congresses/{world.congress.pk}/plan/").content.decode()
    assert "asks this congress to apply the plan" not in text


@time_machine.travel("2025-06-02 09:00 +0700", tick=False)
def test_pushing_to_every_congress_under_the_city_and_again_moves_the_date(
    world, city, template, api
):
    first = api(city.office).post(
        _url(city), {"template": template.pk, "deadline": "2025-06-30"}, format="json"
    )
    assert first.status_code == 201
    assert {d["congress"] for d in first.json()} == {world.congress.pk, city.sibling.pk}
    again = api(city.office).post(
        _url(city), {"template": template.pk, "deadline": "2025-07-15"}, format="json"
    )
    assert again.status_code == 201
    assert set(PlanDirective.objects.values_list("deadline", flat=True)) == {date(2025, 7, 15)}


@time_machine.travel("2025-06-02 09:00 +0700", tick=False)
def test_bad_input_is_a_400_that_says_what(world, city, template, api):
    client = api(city.office)
    past = client.post(_url(city), {"template": template.pk, "deadline": "2025-05-01"})
    assert past.status_code == 400 and "deadline" in past.json()
    elsewhere = client.post(
        _url(city),
        {
            "template": template.pk,
            "deadline": "2025-06-30",
            "congresses": [world.other_congress.pk],
        },
        format="json",
    )
    assert elsewhere.status_code == 400 and "congresses" in elsewhere.json()
    no_template = client.post(_url(city), {"template": 999999, "deadline": "2025-06-30"})
    assert no_template.status_code == 400 and "template" in no_template.json()


def test_nobody_but_the_office_pushes(world, city, template, api):
    body = {"template": template.pk, "deadline": "2030-06-30"}
    for user in (city.head, city.reviewer, world.sc_head):
        assert api(user).post(_url(city), body).status_code in (403, 404), user.username
    assert api(world.outsider).get(_url(city)).status_code == 404


@time_machine.travel("2025-06-02 09:00 +0700", tick=False)
def test_the_push_page_keeps_the_form_on_an_error_and_pushes(world, city, template, client):
    client.force_login(city.office)
    page = client.get("/superior/plans/")
    assert page.status_code == 200
    assert world.congress.title in page.content.decode()
    wrong = client.post("/superior/plans/", {"template": template.pk, "deadline": "01/05/2025"})
    assert wrong.status_code == 200
    assert "The date to apply it by has passed already." in wrong.content.decode()
    done = client.post(
        "/superior/plans/",
        {"template": template.pk, "deadline": "30/06/2025", "congresses": [city.sibling.pk]},
    )
    assert done.status_code == 302, [
        line for line in done.content.decode().splitlines() if "error" in line
    ]
    assert list(PlanDirective.objects.values_list("congress", flat=True)) == [city.sibling.pk]


def test_the_push_pages_organization_chooser_needs_no_inline_script(city, template, client):
    """The CSP (`script-src 'self'`) blocks a handler attribute, and the browser reports an
    error: the chooser submits itself on a change as every filter form does (web/js/app.js)."""
    client.force_login(city.office)
    html = client.get("/superior/plans/").content.decode()
    chooser = re.search(r'<form method="get" class="filters">.*?</form>', html, re.S)
    assert chooser and 'id="organization"' in chooser.group()
    assert not re.search(r"\son[a-z]+=", html)
