"""A real `greencheck serve` stopped in the middle of a check, on SQLite and PostgreSQL: killed outright (SIGKILL) it
leaves the job `running`, and the next start queues it again and finishes it with nothing uploaded lost; stopped
with SIGTERM it exits 0 within seconds and leaves the job for the next start."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from checker.portal.db import Database
from checker.portal.jobs import requeue_interrupted
from checker.portal.store import BlobStore
from tests.portal.live import (
    Account,
    LiveServer,
    alive,
    job_rows,
    post_files,
    process_tree,
    seed_accounts,
    sha256_of,
    synthetic_model,
    wait_job,
    wait_submission,
)

MODEL_MB = 5  # about 3 s of checking on one core: long enough to be caught running, short enough for CI


@pytest.fixture(scope="module")
def big_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_model(tmp_path_factory.mktemp("models") / "office-block-5mb.ifc", MODEL_MB)


@pytest.fixture
def live_server(db_url: str, tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Make a server on the test's database (stopped at the end, before the database is dropped)."""
    made: list[LiveServer] = []

    def make(*options: str) -> LiveServer:
        server = LiveServer(tmp_path / "data", db_url, tmp_path / "serve.log", "--jobs", "1", *options)
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


def _caught_running(server: LiveServer, account: Account, model: Path) -> tuple[dict, list[int]]:  # type: ignore[type-arg]
    """Upload `model`, wait until its job runs in an isolated child: (the upload's answer, the child's pids)."""
    with httpx.Client(base_url=server.url, timeout=60) as client:
        created = post_files(client, account, model, note="caught mid-check")
        assert created.status_code == 202, created.text
        job = wait_job(client, account, created.json()["jobs"][0]["id"], ("running", "done", "failed"), 60)
        assert job["status"] == "running", job
        deadline = time.monotonic() + 10
        while len(children := process_tree(server.pid)[1:]) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert children, "no isolated child appeared for the running job"
        return created.json(), children


def test_a_job_killed_with_the_server_is_queued_again_and_finishes(
    live_server: Callable[..., LiveServer], db_url: str, tmp_path: Path, big_model: Path
) -> None:
    [account] = seed_accounts(tmp_path / "data", db_url, 1)
    server = live_server()
    server.start()
    created, children = _caught_running(server, account, big_model)
    job_id = created["jobs"][0]["id"]

    server.signal(signal.SIGKILL)
    assert server.wait(10) == -signal.SIGKILL
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in children), "the isolated check outlived its server"
    [row] = job_rows(db_url)
    assert (row["id"], row["status"], row["attempts"], row["verdict"]) == (job_id, "running", 1, None)

    server.start()  # same data folder, same database, same port
    with httpx.Client(base_url=server.url, timeout=60) as client:
        body = wait_submission(client, account, created["id"], 120)
        [job] = body["jobs"]
        assert (job["id"], job["status"], job["attempts"], job["error"]) == (job_id, "done", 2, "")
        # the synthetic block fails three Beijing rules and lacks the data for others: incomplete, as the CLI says
        assert job["verdict"] == "incomplete" and body["verdict"] == "incomplete"
        assert job["counts"]["fail"] == 3
        report = client.get(f"/api/v1/jobs/{job_id}/report.json", headers=account.headers).json()
    assert report["model"]["file"] == big_model.name
    assert "1 job(s) interrupted by a restart were queued again" in server.log()

    # Nothing uploaded was lost: the stored file is byte for byte what was sent, under the hash the API returned.
    [stored] = created["files"]
    assert stored["sha256"] == sha256_of(big_model) and stored["size"] == big_model.stat().st_size
    assert sha256_of(BlobStore(tmp_path / "data" / "blobs").path(stored["sha256"])) == stored["sha256"]
    assert list((tmp_path / "data" / "blobs" / "tmp").iterdir()) == []


def test_sigterm_stops_the_server_cleanly_and_leaves_the_job_to_the_next_start(
    live_server: Callable[..., LiveServer], db_url: str, tmp_path: Path, big_model: Path
) -> None:
    [account] = seed_accounts(tmp_path / "data", db_url, 1)
    server = live_server()
    server.start()
    created, children = _caught_running(server, account, big_model)

    started = time.monotonic()
    server.signal(signal.SIGTERM)
    assert server.wait(15) == 0
    assert time.monotonic() - started < 10
    assert "greencheck portal stopped" in server.log() and "Traceback" not in server.log()
    assert not any(alive(pid) for pid in children), "the isolated check outlived its server"
    [row] = job_rows(db_url)
    assert (row["status"], row["attempts"]) == ("running", 1)  # not failed: a stop is not the model's fault

    db = Database(db_url)
    try:
        assert requeue_interrupted(db) == 1
    finally:
        db.dispose()
    [row] = job_rows(db_url)
    assert (row["status"], row["attempts"], row["error"]) == ("queued", 1, "")
