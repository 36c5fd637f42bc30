"""6. The plan's schedule (workflows/schedule.py) of the large congress, in-process, as its
standing committee's head sees it (the whole plan): the forward and backward passes over every
task and dependency. Baseline in the same run: the same rows read with the same queries and
nothing computed."""

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.report import Section
from benchmarks.seed import Facts

ROUNDS = 7


def _timed(function) -> tuple[float, int]:
    walls = []
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            function()
            walls.append(time.perf_counter() - started)
    return statistics.median(walls) * 1000, len(queries.captured_queries)


def run(facts: Facts) -> Section:
    from congress.models import Body, Congress
    from workflows.models import Task
    from workflows.schedule import congress_schedule, schedule_data

    congress = Congress.objects.get(pk=facts.large_congress)
    head = (
        get_user_model()
        .objects.filter(
            memberships__body__congress=congress,
            memberships__body__kind=Body.Kind.STANDING_COMMITTEE,
        )
        .first()
    )
    tasks = Task.objects.filter(congress=congress).count()
    links = Task.depends_on.through.objects.filter(from_task__congress=congress).count()

    def rows_only():
        list(
            Task.objects.filter(congress=congress).values_list(
                "id", "title", "body_id", "status", "duration_days", "starts_on", "due_at"
            )
        )
        list(
            Task.depends_on.through.objects.filter(from_task__congress=congress).values_list(
                "from_task_id", "to_task_id"
            )
        )

    def schedule():
        head.__dict__.pop("_congress_roles", None)
        schedule_data(congress, congress_schedule(head, congress))

    baseline_ms, baseline_queries = _timed(rows_only)
    schedule_ms, schedule_queries = _timed(schedule)
    section = Section(f"6. The schedule of a {tasks:,}-task congress")
    section.table(
        ["what", "median ms", "queries"],
        [
            ["baseline: read the task and dependency rows", f"{baseline_ms:.0f}", baseline_queries],
            ["schedule: passes, critical path, API answer", f"{schedule_ms:.0f}", schedule_queries],
        ],
    )
    section.notes.append(
        f"{tasks:,} tasks and {links:,} dependencies; {ROUNDS} rounds, median; in-process on "
        "the seeded PostgreSQL database, as the standing committee's head (sees everything)."
    )
    section.goal(
        "schedule of the 20,000-task congress under 300 ms",
        schedule_ms < 300,
        f"{schedule_ms:.0f} ms",
    )
    return section
