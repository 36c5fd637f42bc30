"""Whom a body's work may be given to (congress.selectors.members_seeing_work_of and
assignable_people): the query form agrees with the rule in memory."""

from congress.models import Membership
from congress.roles import roles_of
from congress.selectors import assignable_people, may_see_work_of, members_seeing_work_of
from tests.factories import MembershipFactory, UserFactory


def test_who_may_see_a_bodys_work_agrees_with_the_rule_in_memory(world):
    everyone = [
        world.sc_head,
        world.steering_head,
        world.docs_head,
        world.docs_member,
        world.personnel_member,
        world.outsider,
    ]
    secretary = UserFactory(username="thu.ky")
    MembershipFactory(body=world.steering, user=secretary, role=Membership.Role.SECRETARY)
    everyone.append(secretary)
    for body in (world.personnel, world.docs):
        query = set(members_seeing_work_of(body).values_list("pk", flat=True))
        rule = {
            u.pk
            for u in everyone
            if may_see_work_of(u, body) and roles_of(u).in_congress(body.congress_id)
        }
        assert query & {u.pk for u in everyone} == rule
    seen = {u.username for u in assignable_people(world.docs_head, world.personnel)}
    assert seen == {"sc_head", "steering_head", "personnel_member"}
