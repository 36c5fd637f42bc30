"""Plan templates through the API: everyone reads them, staff write them (items by key), a
cycle or a dangling reference is refused, the built-in template can be copied to adapt."""

from congress.models import PlanItem, PlanTemplate
from congress.plan_builtin import KEY

ITEMS = [
    {"key": "outline", "title": "Đề cương", "body_kind": "documents", "offset_days": 40},
    {
        "key": "draft",
        "title": "Dự thảo lần 1",
        "body_kind": "documents",
        "anchor": "item",
        "after": "outline",
        "offset_days": 10,
    },
    {
        "key": "venue",
        "title": "Hội trường",
        "body_kind": "organization",
        "offset_days": 10,
        "depends_on": ["outline"],
        "requires_review": False,
    },
]


def test_everyone_reads_the_builtin_template(world, api, builtin):
    response = api(world.docs_member).get("/api/v1/plan-templates/")

    assert response.status_code == 200
    [template] = [t for t in response.json()["results"] if t["key"] == KEY]
    assert template["builtin"] is True
    assert len(template["items"]) == 46
    review = next(i for i in template["items"] if i["key"] == "superior_review")
    assert (review["anchor"], review["offset_days"], review["depends_on"]) == (
        "superior_review",
        0,
        ["superior_submit"],
    )
    draft2 = next(i for i in template["items"] if i["key"] == "draft2")
    assert (draft2["anchor"], draft2["after"]) == ("item", "draft1_opinion")


def test_staff_create_a_template_with_items_by_key(world, api):
    response = api(world.staff).post(
        "/api/v1/plan-templates/",
        {"name": "Đại hội chi bộ", "level": "cell", "items": ITEMS},
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert [i["key"] for i in data["items"]] == ["outline", "draft", "venue"]
    draft = PlanItem.objects.get(template_id=data["id"], key="draft")
    assert (draft.after.key, draft.offset_days) == ("outline", 10)
    venue = PlanItem.objects.get(template_id=data["id"], key="venue")
    assert [d.key for d in venue.depends_on.all()] == ["outline"]
    assert venue.requires_review is False


def test_a_non_staff_user_cannot_write_templates(world, api):
    response = api(world.steering_head).post(
        "/api/v1/plan-templates/", {"name": "Kế hoạch", "items": ITEMS}, format="json"
    )

    assert response.status_code == 403
    assert not PlanTemplate.objects.filter(name="Kế hoạch").exists()


def test_a_cycle_or_a_dangling_key_is_refused(world, api):
    cycle = [
        {**ITEMS[0], "depends_on": ["venue"]},
        ITEMS[2],
    ]
    dangling = [{**ITEMS[0], "depends_on": ["nowhere"]}]

    responses = [
        api(world.staff).post(
            "/api/v1/plan-templates/", {"name": "X", "items": items}, format="json"
        )
        for items in (cycle, dangling)
    ]

    assert [r.status_code for r in responses] == [400, 400]
    assert "items" in responses[0].json() and "items" in responses[1].json()
    assert not PlanTemplate.objects.filter(name="X").exists()


def test_updating_items_keeps_those_tasks_came_from(world, api, post):
    created = api(world.staff).post(
        "/api/v1/plan-templates/", {"name": "Chi bộ", "items": ITEMS}, format="json"
    )
    template = created.json()["id"]
    post(world.steering_head, world.congress, "apply-plan", template=template)

    refused = api(world.staff).patch(
        f"/api/v1/plan-templates/{template}/", {"items": ITEMS[:1]}, format="json"
    )
    renamed = api(world.staff).patch(
        f"/api/v1/plan-templates/{template}/",
        {"name": "Chi bộ (sửa)", "items": [{**ITEMS[0], "offset_days": 45}, *ITEMS[1:]]},
        format="json",
    )

    assert refused.status_code == 409
    assert refused.json()["code"] == "plan_item_in_use"
    assert renamed.status_code == 200
    assert PlanItem.objects.get(template_id=template, key="outline").offset_days == 45


def test_staff_copy_the_builtin_template_to_adapt_it(world, api, builtin):
    response = api(world.staff).post(
        f"/api/v1/plan-templates/{builtin.pk}/copy/", {"name": "Kế hoạch phường"}, format="json"
    )

    assert response.status_code == 201
    copy = PlanTemplate.objects.get(pk=response.json()["id"])
    assert (copy.name, copy.builtin, copy.key) == ("Kế hoạch phường", False, None)
    assert copy.items.count() == builtin.items.count()
    rehearsal = copy.items.get(key="rehearsal")
    assert sorted(d.key for d in rehearsal.depends_on.all()) == [
        "decor",
        "logistics",
        "printing",
        "security",
    ]
    assert all(d.template_id == copy.pk for d in rehearsal.depends_on.all())


def test_listing_templates_costs_a_constant_number_of_queries(
    world, api, builtin, django_assert_max_num_queries
):
    client = api(world.docs_member)
    client.get("/api/v1/plan-templates/")  # warm up the token and roles

    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/plan-templates/")

    assert response.status_code == 200


def test_an_item_written_without_its_anchor_is_dated_from_the_opening(world, api):
    created = api(world.staff).post(
        "/api/v1/plan-templates/", {"name": "Chi bộ", "items": ITEMS}, format="json"
    )
    template = created.json()["id"]
    items = [ITEMS[0], {"key": "draft", "title": "Dự thảo", "body_kind": "documents"}]

    response = api(world.staff).patch(
        f"/api/v1/plan-templates/{template}/", {"items": items}, format="json"
    )

    assert response.status_code == 200
    draft = PlanItem.objects.get(template_id=template, key="draft")
    assert (draft.anchor, draft.after) == ("opening", None)
