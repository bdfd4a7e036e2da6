"""Benchmark: the review portal under a burst of CI uploads, on loopback.

    .venv/bin/python benchmarks/bench_portal.py [--uploads 20] [--projects 4] [--jobs 2] [--postgres URL] [--no-dask]

Each configuration starts a fresh `greencheck serve --jobs N` (data folder in a temporary directory), creates one
applicant with --projects projects and a token each, then sends --uploads uploads at once (one thread and connection
each, released together) of distinct bundled samples, and long-polls each until its verdict. Configurations: SQLite
with the local process pool; PostgreSQL (a fresh database on the server at --postgres or GREENCHECK_TEST_POSTGRES,
an admin URL as .ci/postgres prints) when given; SQLite with `--scheduler local` (a Dask LocalCluster the portal
starts) unless --no-dask. Measured: upload latency (request sent -> 202), time to verdict (request sent -> every job
finished, queueing included), jobs a minute over the burst, and memory sampled from /proc every 0.1 s: the server
process's peak (VmHWM), the largest child's (an isolated check, a Dask worker) and the peak of the summed resident
memory of the whole process tree. Prints the table and writes benchmarks/RESULTS_PORTAL.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import secrets
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from tests.portal.live import LiveServer, job_rows, seed_accounts  # noqa: E402
from tests.portal.load import LoadResult, plan, run_load  # noqa: E402

SAMPLES = REPO / "sample_models"
TIMEOUT_S = 600.0


@contextmanager
def fresh_postgres(admin_url: str) -> Iterator[str]:
    """A new database on the server of `admin_url`, dropped afterwards."""
    import psycopg

    name = f"gc_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(label: str, db_url: str | None, data: Path, args: argparse.Namespace, *options: str) -> dict[str, object]:
    db_url = db_url or f"sqlite:///{data / 'portal.sqlite3'}"
    accounts = seed_accounts(data, db_url, args.projects)
    models = sorted(SAMPLES.glob("*.ifc"))
    uploads = plan(accounts, [models[number % len(models)] for number in range(args.uploads)])
    server = LiveServer(data, db_url, data.parent / f"{label}.log", "--jobs", str(args.jobs), *options)
    load_before = os.getloadavg()[0]
    server.start(timeout_s=120)
    try:
        result = run_load(server, uploads, TIMEOUT_S)
    finally:
        server.stop()
    jobs = job_rows(db_url)
    return row(label, result, jobs, load_before)


def row(label: str, result: LoadResult, jobs: list[dict[str, object]], load_before: float) -> dict[str, object]:
    statuses = [str(j["status"]) for j in jobs]
    return {
        "configuration": label,
        "uploads": len(result.outcomes),
        "jobs": len(jobs),
        "done": statuses.count("done"),
        "failed": statuses.count("failed"),
        "wall (s)": round(result.wall_s, 1),
        "jobs/min": round(result.jobs_per_minute, 1),
        "upload p50 (s)": round(result.upload_latency(0.5), 2),
        "upload p95 (s)": round(result.upload_latency(0.95), 2),
        "verdict p50 (s)": round(result.time_to_verdict(0.5), 1),
        "verdict p95 (s)": round(result.time_to_verdict(0.95), 1),
        "server peak (MB)": round(result.memory.server_hwm_kb / 1024),
        "largest child (MB)": round(result.memory.child_hwm_kb / 1024),
        "tree peak (MB)": round(result.memory.tree_rss_kb / 1024),
        "load before": round(load_before, 1),
    }


def median_row(measured: list[dict[str, object]]) -> dict[str, object]:
    """Each figure's median over the runs of one configuration (counts too: a lost job shows in any run)."""
    row: dict[str, object] = {"configuration": measured[0]["configuration"], "runs": len(measured)}
    for key in list(measured[0])[1:]:
        values = [float(r[key]) for r in measured]  # type: ignore[arg-type]
        middle = statistics.median(values)
        row[key] = round(middle, 2) if isinstance(measured[0][key], float) else int(middle)
    row["all runs: jobs done / uploads"] = " ".join(f"{r['done']}/{r['uploads']}" for r in measured)
    return row


def markdown(rows: list[dict[str, object]], args: argparse.Namespace) -> str:
    header = list(rows[0])
    lines = [
        "# `greencheck serve`: a burst of CI uploads on loopback",
        "",
        f"{args.uploads} uploads at once (one thread and connection each) of distinct bundled samples into "
        f"{args.projects} projects, `--jobs {args.jobs}`; medians of {args.repeat} interleaved runs; "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, machine shared with other sessions. "
        "Made by `benchmarks/bench_portal.py`.",
        "",
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
    ]
    lines += ["| " + " | ".join(str(r[key]) for key in header) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--projects", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get("GREENCHECK_TEST_POSTGRES"), help="an admin URL")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster configuration")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration; the table gives medians")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS_PORTAL.md")
    args = parser.parse_args(argv)
    distinct = math.lcm(args.projects, len(list(SAMPLES.glob("*.ifc"))))
    if args.uploads > distinct:
        parser.error(f"at most {distinct} uploads are distinct with {args.projects} projects: add projects")

    configurations: list[tuple[str, bool, tuple[str, ...]]] = [("sqlite", False, ())]
    if args.postgres:
        configurations.append(("postgresql", True, ()))
    if not args.no_dask:
        configurations.append(("sqlite + dask local", False, ("--scheduler", "local")))
    runs: dict[str, list[dict[str, object]]] = {label: [] for label, _, _ in configurations}
    with tempfile.TemporaryDirectory(prefix="greencheck-bench-portal-") as scratch:
        for number in range(args.repeat):  # interleaved, so a busy minute on the machine hits every configuration
            for label, on_postgres, options in configurations:
                data = Path(scratch) / f"{label.replace(' ', '-')}-{number}"
                if on_postgres:
                    with fresh_postgres(args.postgres) as url:
                        runs[label].append(measure(label, url, data, args, *options))
                else:
                    runs[label].append(measure(label, None, data, args, *options))
                print(runs[label][-1], flush=True)
    rows = [median_row(measured) for measured in runs.values()]
    text = markdown(rows, args)
    print(text)
    args.out.write_text(text + "\n" + _notes(args.out))
    return 0


def _notes(path: Path) -> str:
    """The notes the results file already has (from '## Notes' on), kept under the new table."""
    old = path.read_text() if path.exists() else ""
    return old[old.index("## Notes") :] if "## Notes" in old else "## Notes\n"


if __name__ == "__main__":
    raise SystemExit(main())
