"""The admin pages of plan templates and targets open for staff, with their inlines."""

import pytest

from congress.models import Resolution, Target, TargetResult


@pytest.fixture
def admin_client_for(client, world):
    world.staff.is_superuser = True
    world.staff.save(update_fields=["is_superuser"])
    client.force_login(world.staff)
    return client


def test_plan_template_pages_open_with_their_items(admin_client_for, builtin):
    changelist = admin_client_for.get("/admin/congress/plantemplate/")
    change = admin_client_for.get(f"/admin/congress/plantemplate/{builtin.pk}/change/")
    item = admin_client_for.get(f"/admin/congress/planitem/{builtin.items.first().pk}/change/")

    assert (changelist.status_code, change.status_code, item.status_code) == (200, 200, 200)
    assert builtin.items.get(key="superior_review").title in change.content.decode()


def test_target_pages_open_with_results_and_their_status(admin_client_for, world):
    resolution = Resolution.objects.create(
        organization=world.org, code="10-NQ/QU", title="NQ năm 2024", term="2020-2025"
    )
    target = Target.objects.create(
        resolution=resolution, code="1", name="Thu ngân sách", target_value=100
    )
    TargetResult.objects.create(target=target, period="six_months", year=2024, value=95)

    pages = [
        admin_client_for.get(f"/admin/congress/resolution/{resolution.pk}/change/"),
        admin_client_for.get(f"/admin/congress/target/{target.pk}/change/"),
        admin_client_for.get("/admin/congress/target/"),
    ]

    assert [p.status_code for p in pages] == [200, 200, 200]
    assert "Thu ngân sách" in pages[0].content.decode()
