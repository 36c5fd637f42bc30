"""Who the superior level is (congress.roles, SUPERIOR and REVIEWER): the city's standing
committee follows every congress under the city, its reviewers the congress they are named
for; none of them is in a body of it, so the personnel subcommittee's work stays hidden."""

from congress.roles import roles_of
from congress.selectors import congresses_visible_to
from workflows.selectors.tasks import tasks_visible_to


def test_the_citys_standing_committee_follows_every_congress_under_the_city(world, city):
    for user in (city.head, city.member):
        roles = roles_of(user)
        assert roles.follows_from_above(world.congress.pk)
        assert roles.follows_from_above(city.sibling.pk)
        assert not roles.follows_from_above(city.congress.pk)  # its own: a member there
        seen = set(congresses_visible_to(user).values_list("pk", flat=True))
        assert {world.congress.pk, city.sibling.pk, city.congress.pk} <= seen
        assert world.other_congress.pk not in seen  # Ngô Quyền is not under the city here
    assert roles_of(city.head).decides_for_superior(world.congress.pk)
    assert not roles_of(city.member).decides_for_superior(world.congress.pk)


def test_the_superior_sees_no_personnel_task(world, city, make_task):
    shown = make_task(title="Dự thảo báo cáo")
    hidden = make_task(body=world.personnel, assignee=world.personnel_member, title="Nhân sự")
    for user in (city.head, city.reviewer, city.personnel_reviewer, city.office):
        visible = set(tasks_visible_to(user).values_list("pk", flat=True))
        assert shown.pk in visible
        assert hidden.pk not in visible


def test_a_reviewer_reviews_the_kinds_they_are_named_for(world, city):
    reviewer, personnel = roles_of(city.reviewer), roles_of(city.personnel_reviewer)
    assert reviewer.reviews_for_superior(world.congress.pk, "political_report")
    assert not reviewer.reviews_for_superior(world.congress.pk, "personnel_plan")
    assert personnel.reviews_for_superior(world.congress.pk, "personnel_plan")
    assert not personnel.reviews_for_superior(world.congress.pk, "political_report")
    assert not reviewer.reviews_for_superior(city.sibling.pk, "political_report")
    assert roles_of(city.member).reviews_for_superior(world.congress.pk, "personnel_plan")
    # A sibling district's people see nothing of Lê Chân.
    assert not roles_of(city.sibling_head).in_congress(world.congress.pk)


def test_naming_a_reviewer_takes_effect_at_once_through_the_auth_cache(world, city, api):
    from congress.models import SuperiorReviewer

    late = city.sibling_head
    assert api(late).get(f"/api/v1/congresses/{world.congress.pk}/").status_code == 404
    SuperiorReviewer.objects.create(congress=world.congress, user=late)
    assert api(late).get(f"/api/v1/congresses/{world.congress.pk}/").status_code == 200
    SuperiorReviewer.objects.filter(user=late).delete()
    assert api(late).get(f"/api/v1/congresses/{world.congress.pk}/").status_code == 404


def test_following_congresses_from_above_keeps_the_landing_page_on_ones_own(world, city, client):
    # The city's head follows two districts and sits in the city's own standing committee:
    # they land on the city's congress, not on a chooser of three.
    client.force_login(city.head)
    assert client.get("/").url == f"/congresses/{city.congress.pk}/"
    # The city's office follows both districts and sits nowhere: it chooses.
    client.force_login(city.office)
    assert client.get("/").url == "/congresses/"
