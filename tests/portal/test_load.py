"""A bounded load test on loopback, on SQLite and PostgreSQL: 20 uploads of the bundled samples at once to a real
`greencheck serve --jobs 2`; every job finishes, none is lost or checked twice, and the same uploads sent again
return the same jobs. The figures (latency, jobs a minute, memory) are recorded by benchmarks/bench_portal.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.portal.conftest import SAMPLES
from tests.portal.live import LiveServer, job_rows, seed_accounts
from tests.portal.load import plan, run_load

UPLOADS = 20
PROJECTS = 4
BOUND_S = 150.0  # all 20 verdicts; about 20 s on an idle 2-core machine, so only a machine in real trouble hits it


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "data", db_url, tmp_path / "serve.log", "--jobs", "2")
    yield live
    live.stop()


def test_twenty_concurrent_uploads_all_finish_and_none_is_lost(server: LiveServer, db_url: str, tmp_path: Path) -> None:
    accounts = seed_accounts(tmp_path / "data", db_url, PROJECTS)
    models = sorted(SAMPLES.glob("*.ifc"))[:UPLOADS]
    assert len(models) == UPLOADS
    uploads = plan(accounts, models)
    server.start()

    first = run_load(server, uploads, timeout_s=BOUND_S)
    assert [o.status_code for o in first.outcomes] == [202] * UPLOADS, [o.state for o in first.outcomes]
    assert all(o.created for o in first.outcomes)
    assert [o.state for o in first.outcomes] == ["done"] * UPLOADS  # every bundled sample checks (none crashes)
    assert all(o.verdict in ("compliant", "non_compliant", "incomplete", "not_applicable") for o in first.outcomes)
    assert first.wall_s < BOUND_S
    # Each project numbered its five revisions 1..5, however the uploads raced for the next number.
    revisions: dict[int, list[int]] = defaultdict(list)
    for outcome in first.outcomes:
        revisions[outcome.project_id].append(outcome.revision)
    assert sorted(sorted(numbers) for numbers in revisions.values()) == [[1, 2, 3, 4, 5]] * PROJECTS

    jobs = job_rows(db_url)
    job_ids = sorted(j for o in first.outcomes for j in o.job_ids)
    assert len(jobs) == UPLOADS and [j["id"] for j in jobs] == job_ids  # one job per file, none lost, none extra
    assert {(j["status"], j["attempts"], j["error"]) for j in jobs} == {("done", 1, "")}  # each checked once

    again = run_load(server, uploads, timeout_s=BOUND_S, wait_for_verdicts=False)
    assert [o.status_code for o in again.outcomes] == [200] * UPLOADS
    assert not any(o.created for o in again.outcomes)
    assert [(o.submission_id, o.job_ids) for o in again.outcomes] == [
        (o.submission_id, o.job_ids) for o in first.outcomes
    ]
    assert len(job_rows(db_url)) == UPLOADS
    assert "Traceback" not in server.log()
