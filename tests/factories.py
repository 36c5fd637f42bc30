"""factory_boy factories for the congress world. Tasks are built straight in any state: the
state machine's own rules are exercised through the transition service and the API."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from congress.models import Body, CalendarDay, Congress, Membership, Organization
from workflows.models import Task

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "Chuan-bi-Dai-hoi-2025"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Văn {n}")
    last_name = "Nguyễn"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    language = "en"  # tests read in the source language; tests/test_i18n.py checks "vi"
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Đảng bộ phường {n}")
    level = Organization.Level.WARD


class CongressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Congress

    organization = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: n + 1)
    term_start = 2025
    term_end = 2030
    opens_on = date(2025, 9, 18)
    venue = "Hội trường Quận ủy"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    congress = factory.SubFactory(CongressFactory)
    kind = Body.Kind.DOCUMENTS
    name = factory.Sequence(lambda n: f"Tiểu ban {n}")
    confidential = factory.LazyAttribute(lambda b: b.kind in Body.CONFIDENTIAL_BY_DEFAULT)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    body = factory.SubFactory(BodyFactory)
    congress = factory.LazyAttribute(lambda t: t.body.congress)
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    description = "Chuẩn bị nội dung"
    due_at = factory.Sequence(lambda n: datetime(2025, 8, 1, 17, 0, tzinfo=HANOI) + timedelta(n))
    status = Task.Status.TODO
    requires_review = True

    @factory.post_generation
    def depends_on(self, create, extracted, **kwargs):
        if create and extracted:
            self.depends_on.set(extracted)


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay

    kind = CalendarDay.Kind.DAY_OFF
    note = "Quyết định của Chính phủ"
