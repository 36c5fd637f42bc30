"""The schedule's forward and backward passes on hand-checked plans (workflows/schedule.py).

The textbook network, all in June 2026 (no public holiday), today Monday 1/6:

    A(2) -> B(3) -> C(4) -> G(1)        the long chain: 2 + 3 + 4 + 1 = 10 working days
    A    -> D(2) -> E(2) -> G           the short one: E waits for D and F
    F(1) -> E

Earliest (working-day numbers, 0 = Mon 1/6): A 0-1, B 2-4, C 5-8, D 2-3, F 0-0, E 4-5, G 9-9.
With G due Fri 12/6 (day 9): slack A, B, C, G = 0; D, E = 3; F = 6.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congress.workdays import WorkingCalendar
from workflows.models import Task
from workflows.schedule import Node, schedule_compute

S = Task.Status
MONDAY = date(2026, 6, 1)
NO_EXCEPTIONS = WorkingCalendar({})
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def textbook(g_due=date(2026, 6, 12)) -> list[Node]:
    def node(key, duration, *after, due=None):
        return Node(
            id=ord(key),
            title=key,
            body_id=1,
            status=S.TODO,
            duration=duration,
            due_on=due,
            predecessors=[ord(a) for a in after],
        )

    return [
        node("A", 2),
        node("B", 3, "A"),
        node("C", 4, "B"),
        node("D", 2, "A"),
        node("F", 1),
        node("E", 2, "D", "F"),
        node("G", 1, "C", "E", due=g_due),
    ]


def run(nodes, today=MONDAY, calendar=NO_EXCEPTIONS, milestones=None, delay=None):
    return schedule_compute(
        nodes, today=today, calendar=calendar, milestones=milestones or {}, delay=delay
    )


def by_key(schedule) -> dict[str, Node]:
    return {n.title: n for n in schedule.nodes.values()}


def test_the_textbook_network_has_its_known_critical_chain_and_slacks():
    schedule = run(textbook())
    nodes = by_key(schedule)

    assert {k: (n.es, n.ef) for k, n in nodes.items()} == {
        "A": (0, 1),
        "B": (2, 4),
        "C": (5, 8),
        "D": (2, 3),
        "F": (0, 0),
        "E": (4, 5),
        "G": (9, 9),
    }
    assert {k: n.slack for k, n in nodes.items()} == {
        "A": 0,
        "B": 0,
        "C": 0,
        "D": 3,
        "E": 3,
        "F": 6,
        "G": 0,
    }
    assert [chr(i) for i in schedule.critical_path] == ["A", "B", "C", "G"]
    assert schedule.date(nodes["G"].ef) == date(2026, 6, 12)
    assert schedule.date(nodes["E"].lf) == date(2026, 6, 11)  # day 8


def test_a_due_date_earlier_than_its_chain_allows_gives_negative_slack_along_the_chain():
    nodes = by_key(run(textbook(g_due=date(2026, 6, 10))))  # two working days too early

    assert {k: nodes[k].slack for k in "ABCG"} == {"A": -2, "B": -2, "C": -2, "G": -2}
    assert nodes["D"].slack == 1


def test_the_what_if_delay_moves_every_task_after_it():
    plain = by_key(run(textbook()))
    delayed = by_key(run(textbook(), delay=(ord("B"), 3)))

    assert delayed["B"].ef == plain["B"].ef + 3
    assert delayed["G"].ef == plain["G"].ef + 3
    assert delayed["G"].slack == -3
    assert delayed["D"].ef == plain["D"].ef  # not after B


def test_a_delay_that_makes_its_branch_the_longest_moves_the_critical_path_onto_it():
    # D(2) delayed by 5 works as D(7): A(2) + D(7) + E(2) + G(1) = 12 working days, 2 more
    # than G's due day allows (day 9); the old chain A-B-C-G keeps its 10 days (slack 0).
    # By hand: G ef 11 lf 9; E ef 10 lf 8 ls 7; D ef 8 lf 6 ls 0; C ef 8 lf 8 ls 5;
    # B ef 4 lf 4 ls 2; A ef 1 lf min(2, 0) - 1 = -1; F ef 0 lf 6.
    schedule = run(textbook(), delay=(ord("D"), 5))
    nodes = by_key(schedule)

    assert {k: n.slack for k, n in nodes.items()} == {
        "A": -2,
        "B": 0,
        "C": 0,
        "D": -2,
        "E": -2,
        "F": 6,
        "G": -2,
    }
    assert [chr(i) for i in schedule.critical_path] == ["A", "D", "E", "G"]
    assert schedule.critical == {ord(k) for k in "ADEG"}


def test_a_delay_within_the_branch_slack_takes_that_slack_from_the_tasks_before_it():
    # E(2) delayed by 2 works as E(4): E ef 7 lf 8 ls 5, so D (before E) must finish by day
    # 4 (ef 3: slack 1, not 3) and F by day 4 (ef 0: slack 4, not 6).
    nodes = by_key(run(textbook(), delay=(ord("E"), 2)))
    assert {k: n.slack for k, n in nodes.items()} == {
        "A": 0,
        "B": 0,
        "C": 0,
        "D": 1,
        "E": 1,
        "F": 4,
        "G": 0,
    }


def test_a_delayed_first_task_is_late_with_every_task_after_it():
    # A(2) + 4 = A(6): the long chain needs 14 days for G due on day 9.
    nodes = by_key(run(textbook(), delay=(ord("A"), 4)))
    assert {k: n.slack for k, n in nodes.items()} == {
        "A": -4,
        "B": -4,
        "C": -4,
        "D": -1,
        "E": -1,
        "F": 6,
        "G": -4,
    }


def test_working_days_skip_tet_and_the_30_4_1_5_holidays():
    calendar = WorkingCalendar({})
    tet = Node(id=1, title="tet", body_id=1, status=S.TODO, duration=3, starts_on=date(2026, 2, 13))
    schedule = run([tet], today=date(2026, 2, 13), calendar=calendar)
    # Fri 13/2, then the Tết days off (16-20/2), then Mon 23/2 and Tue 24/2.
    assert schedule.date(schedule.nodes[1].ef) == date(2026, 2, 24)

    may = Node(id=2, title="may", body_id=1, status=S.TODO, duration=2, starts_on=date(2026, 4, 29))
    schedule = run([may], today=date(2026, 4, 29), calendar=calendar)
    # Wed 29/4, then Thu 30/4 and Fri 1/5 are holidays: Mon 4/5.
    assert schedule.date(schedule.nodes[2].ef) == date(2026, 5, 4)


def test_a_moved_day_off_does_not_count():
    calendar = WorkingCalendar({date(2026, 6, 2): "day_off"})
    task = Node(id=1, title="t", body_id=1, status=S.TODO, duration=2, starts_on=MONDAY)
    schedule = run([task], calendar=calendar)
    assert schedule.date(schedule.nodes[1].ef) == date(2026, 6, 3)


def test_done_and_in_progress_tasks():
    done = Node(
        id=1, title="done", body_id=1, status=S.DONE, duration=5, completed_on=date(2026, 5, 28)
    )
    going = Node(
        id=2,
        title="going",
        body_id=1,
        status=S.IN_PROGRESS,
        duration=5,
        started_on=date(2026, 5, 27),  # Wed: Wed, Thu, Fri done by Monday 1/6 -> 2 left
        predecessors=[1],
    )
    late = Node(
        id=3,
        title="late",
        body_id=1,
        status=S.IN_PROGRESS,
        duration=2,
        started_on=date(2026, 5, 20),  # over its duration already: at least 1 from today
    )
    after = Node(id=4, title="after", body_id=1, status=S.TODO, duration=1, predecessors=[1, 2])
    schedule = run([done, going, late, after])
    nodes = schedule.nodes

    assert schedule.date(nodes[1].ef) == date(2026, 5, 28)
    assert nodes[1].slack is None  # done: fixed, never critical
    assert schedule.date(nodes[2].ef) == date(2026, 6, 2)
    assert schedule.date(nodes[3].ef) == date(2026, 6, 1)
    assert schedule.date(nodes[4].es) == date(2026, 6, 3)


def test_tasks_without_dependencies_nor_dates_are_not_scheduled():
    alone = Node(id=1, title="alone", body_id=1, status=S.TODO, duration=3)
    dated = Node(id=2, title="dated", body_id=1, status=S.TODO, duration=3, due_on=MONDAY)
    schedule = run([alone, dated])
    assert schedule.unscheduled == [1]
    assert list(schedule.nodes) == [2]


def test_milestones_bound_the_tasks_anchored_on_them():
    review = date(2026, 6, 5)  # Friday: day 4
    nodes = textbook(g_due=None)
    for node in nodes:
        node.milestone = "superior_review" if node.title == "G" else None
    schedule = run(nodes, milestones={"superior_review": review, "opening": date(2026, 7, 1)})
    milestone = {m.key: m for m in schedule.milestones}["superior_review"]

    assert schedule.date(milestone.forecast) == date(2026, 6, 12)
    assert milestone.slack == -5
    assert by_key(schedule)["G"].slack == -5
    assert {m.key: m.forecast for m in schedule.milestones}["opening"] is None


def _random_plan(draw_sizes):
    durations, links, dues = draw_sizes
    nodes = []
    for i, duration in enumerate(durations):
        predecessors = sorted({j for j in links.get(i, []) if j < i})
        due = MONDAY + timedelta(days=dues[i]) if dues[i] is not None else None
        nodes.append(
            Node(
                id=i + 1,
                title=str(i),
                body_id=1,
                status=S.TODO,
                duration=duration,
                due_on=due,
                predecessors=[p + 1 for p in predecessors],
            )
        )
    return nodes


plans = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(1, 15), min_size=n, max_size=n),
        st.dictionaries(st.integers(0, n - 1), st.lists(st.integers(0, n - 1), max_size=3)),
        st.lists(st.one_of(st.none(), st.integers(0, 90)), min_size=n, max_size=n),
    )
)


@settings(max_examples=150, deadline=None)
@given(plans)
def test_properties_of_the_passes(plan):
    schedule = run(_random_plan(plan))
    nodes = schedule.nodes
    slacks = [n.slack for n in nodes.values() if n.slack is not None]
    path_slacks = {nodes[i].slack for i in schedule.critical_path}
    if slacks:
        assert len(path_slacks) == 1
        assert min(slacks) == path_slacks.pop()  # every slack >= the critical path's
    for node in nodes.values():
        for predecessor in node.predecessors:
            assert node.ef >= nodes[predecessor].ef + 1 > nodes[predecessor].ef


@settings(max_examples=150, deadline=None)
@given(plans, st.integers(0, 11), st.integers(1, 20))
def test_delaying_a_task_never_makes_any_forecast_earlier(plan, which, days):
    plain = run(_random_plan(plan))
    nodes = _random_plan(plan)
    delayed = run(nodes, delay=(which % len(nodes) + 1, days))
    for task_id, node in plain.nodes.items():
        assert delayed.nodes[task_id].ef >= node.ef


def test_a_due_datetime_is_read_in_vietnam_time():
    # 23:30 on 11/6 in Hanoi is 16:30 UTC: the due day is the 11th, not the 12th or the 10th.
    due = datetime.combine(date(2026, 6, 11), time(23, 30), HANOI)
    from workflows.schedule import _local_date

    assert _local_date(due) == date(2026, 6, 11)


@pytest.mark.parametrize(
    ("starts_on", "due", "expected"),
    [
        (None, None, 1),
        (date(2026, 6, 1), datetime(2026, 6, 5, 17, tzinfo=HANOI), 5),
        (date(2026, 6, 5), datetime(2026, 6, 8, 17, tzinfo=HANOI), 2),
        (date(2026, 6, 8), datetime(2026, 6, 5, 17, tzinfo=HANOI), 1),
    ],
)
def test_default_duration_counts_the_working_days_from_start_to_due(starts_on, due, expected):
    from workflows.schedule import default_duration_days

    assert default_duration_days(starts_on, due, NO_EXCEPTIONS) == expected


@settings(max_examples=200, deadline=None)
@given(plans, st.integers(0, 11), st.integers(1, 20))
def test_delaying_a_task_by_d_is_the_same_as_giving_it_d_more_working_days(plan, which, days):
    nodes = _random_plan(plan)
    task_id = which % len(nodes) + 1
    delayed = run(nodes, delay=(task_id, days))
    longer = _random_plan(plan)
    longer[task_id - 1].duration += days
    expected = run(longer)
    assert {i: (n.ef, n.lf, n.slack) for i, n in delayed.nodes.items()} == {
        i: (n.ef, n.lf, n.slack) for i, n in expected.nodes.items()
    }
    assert delayed.critical == expected.critical
    assert delayed.critical_path == expected.critical_path
