"""Vietnamese order and diacritic-free matching (congress.collation)."""

import unicodedata

from congress.collation import fold, people_sorted, sort_key
from congress.models import Membership
from congress.roles import roles_of
from congress.selectors import assignable_people, may_see_work_of, members_seeing_work_of
from tests.factories import MembershipFactory, UserFactory


def test_letters_sort_in_the_vietnamese_alphabet_and_tones_after():
    words = ["Đào", "Dũng", "Ân", "Anh", "Ăn", "Zuân", "dạu", "dáu", "dau", "dàu", "Hương", "Hùng"]
    assert sorted(words, key=sort_key) == [
        "Anh", "Ăn", "Ân", "dau", "dàu", "dáu", "dạu", "Dũng", "Đào", "Hùng", "Hương", "Zuân"
    ]  # fmt: skip


def test_decomposed_and_composed_names_sort_alike():
    name = "Nguyễn Thị Hương"
    assert sort_key(unicodedata.normalize("NFD", name)) == sort_key(name)
    assert fold(unicodedata.normalize("NFD", name)) == "nguyen thi huong"


def test_fold_reads_without_diacritics():
    assert fold("Báo cáo CHÍNH TRỊ của Đảng bộ") == "bao cao chinh tri cua dang bo"


def test_people_sort_by_given_name_then_family_and_middle(db):
    people = [
        UserFactory(username="c", first_name="Trần Văn", last_name="Đức"),
        UserFactory(username="a", first_name="Lê Thị", last_name="Dung"),
        UserFactory(username="b", first_name="Phạm", last_name="Dung"),
    ]
    assert [u.username for u in people_sorted(people)] == ["a", "b", "c"]


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
