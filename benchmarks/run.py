"""`make bench`: seed the scale data set into a fresh PostgreSQL database, run the benchmarks,
print the figures and write benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py                 # everything, full scale
    .venv/bin/python benchmarks/run.py --scale 0.05    # a small data set, while developing
    .venv/bin/python benchmarks/run.py --only 1,3 --reuse   # some benchmarks, data kept

It starts its own redis-server on 127.0.0.1:6390 (never the machine's Redis on 6379), and the
servers and worker each benchmark needs; it stops all of them before it ends.
"""

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import env

RESULTS = env.BASE_DIR / "benchmarks" / "RESULTS.md"
FACTS = env.VAR_DIR / "facts.json"
BENCHMARKS = {
    "1": "benchmarks.bench_task_list",
    "2": "benchmarks.bench_reminders",
    "3": "benchmarks.bench_fanout",
    "4": "benchmarks.bench_concurrency",
    "5": "benchmarks.bench_outbox",
    "6": "benchmarks.bench_schedule",
    "7": "benchmarks.bench_pages",
    "8": "benchmarks.bench_oversight",
}


def create_database() -> None:
    import psycopg

    admin = env.database_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{env.DB_NAME}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{env.DB_NAME}"')


def wait_for_quiet(limit: float, patience: float) -> str:
    """Wait (up to `patience` seconds) until the 1-minute load average is below `limit`;
    returns the load average it starts with."""
    import os

    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        print(f"  load average {env.load()}: waiting for it to fall below {limit}", flush=True)
        time.sleep(20)
    return env.load()


def header(machine: dict, seeding: str) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (benchmarks/run.py); the figures are those of the last run. "
        "Every server, worker and redis-server was started by the run on 127.0.0.1 and stopped "
        "at its end. The machine is shared: the load average at the start of each benchmark is "
        "given (the figures are noisier when it is high).",
        "",
        "| machine | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in machine.items()]
    lines += ["", seeding, ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the data set")
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8", help="benchmarks to run, e.g. 1,3")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument("--load-limit", type=float, default=1.5)
    parser.add_argument("--patience", type=float, default=600, help="seconds to wait for quiet")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()

    from benchmarks.processes import RedisServer, started
    from benchmarks.seed import Facts, Sizes, seed

    env.VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not args.reuse:
        create_database()
    env.django_setup()
    from django.core.management import call_command

    print("machine:", flush=True)
    machine = env.machine()
    for key, value in machine.items():
        print(f"  {key}: {value}")
    sections = []
    with started(RedisServer()):
        if args.reuse and FACTS.exists():
            facts = Facts.from_json(FACTS.read_text())
        else:
            call_command("migrate", verbosity=0)
            print("seeding...", flush=True)
            facts = seed(Sizes.scaled(args.scale))
            FACTS.write_text(facts.to_json())
        counts = facts.counts
        seeding = (
            f"Data set: {counts.get('congress_congress', 0):,} congresses, "
            f"{counts.get('workflows_task', 0):,} open tasks, "
            f"{counts.get('congress_user', 0):,} users, "
            f"{counts.get('congress_membership', 0):,} memberships, "
            f"{counts.get('workflows_document', 0):,} documents, "
            f"{counts.get('notifications_event', 0):,} past events; the large congress has "
            f"{facts.sizes['large_tasks']:,} tasks, {facts.sizes['large_documents']:,} "
            f"documents and 600 members. Seeded with COPY in {facts.seconds:.1f} s."
        )
        print(seeding, flush=True)
        for number in args.only.split(","):
            module = __import__(BENCHMARKS[number.strip()], fromlist=["run"])
            load = wait_for_quiet(args.load_limit, args.patience)
            print(f"\n=== benchmark {number} (load average {load})", flush=True)
            try:
                section = module.run(facts)
            except Exception:
                traceback.print_exc()
                from benchmarks.report import Section

                section = Section(f"{number}. failed")
                section.notes.append(
                    "The benchmark failed:\n```\n" + traceback.format_exc() + "```"
                )
            section.load = load
            print(section.markdown(), flush=True)
            sections.append(section)
    from benchmarks.findings import FINDINGS
    from benchmarks.report import write

    write(args.results, header(machine, seeding), sections, FINDINGS)
    print(f"\nwritten to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
