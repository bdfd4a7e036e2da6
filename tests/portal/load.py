"""Concurrent uploads to a live portal, each from its own thread and connection, timed from the upload's start to its
job's verdict: what tests/portal/test_load.py asserts and benchmarks/bench_portal.py records."""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.portal.live import Account, LiveServer, MemoryPeaks, post_files, wait_submission


@dataclass(frozen=True)
class Outcome:
    """One upload: what the portal answered and when (seconds since the load started)."""

    file: str
    project_id: int
    status_code: int
    submission_id: int
    revision: int
    job_ids: tuple[int, ...]
    created: bool
    state: str
    verdict: str
    attempts: tuple[int, ...]
    started_s: float
    uploaded_s: float
    finished_s: float

    @property
    def upload_latency_s(self) -> float:
        return self.uploaded_s - self.started_s

    @property
    def time_to_verdict_s(self) -> float:
        return self.finished_s - self.started_s


@dataclass(frozen=True)
class LoadResult:
    outcomes: list[Outcome]
    wall_s: float
    memory: MemoryPeaks

    @property
    def jobs(self) -> int:
        return sum(len(o.job_ids) for o in self.outcomes)

    @property
    def jobs_per_minute(self) -> float:
        return 60.0 * self.jobs / self.wall_s

    def upload_latency(self, share: float) -> float:
        return percentile([o.upload_latency_s for o in self.outcomes], share)

    def time_to_verdict(self, share: float) -> float:
        return percentile([o.time_to_verdict_s for o in self.outcomes], share)


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it (p95 of 20 = the 19th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def plan(accounts: list[Account], models: list[Path]) -> list[tuple[Account, Path]]:
    """Model i goes to project i mod n: distinct files everywhere, so no upload is deduplicated into another."""
    return [(accounts[number % len(accounts)], model) for number, model in enumerate(models)]


def run_load(
    server: LiveServer, uploads: list[tuple[Account, Path]], timeout_s: float, wait_for_verdicts: bool = True
) -> LoadResult:
    """Send every upload at once (one thread each, released together) and, unless told not to, wait for its
    verdict; the server's memory is sampled throughout."""
    memory = MemoryPeaks()
    sampler = memory.watch(server.pid)
    gate = threading.Barrier(len(uploads))
    origin = time.monotonic()

    def one(account: Account, model: Path) -> Outcome:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            gate.wait()
            started = time.monotonic() - origin
            response = post_files(client, account, model)
            uploaded = time.monotonic() - origin
            body: dict[str, Any] = response.json()
            if response.status_code in (200, 202) and wait_for_verdicts:
                body = wait_submission(client, account, body["id"], timeout_s)
            finished = time.monotonic() - origin
        jobs = body.get("jobs", [])
        return Outcome(
            file=model.name,
            project_id=account.project_id,
            status_code=response.status_code,
            submission_id=int(body.get("id", 0)),
            revision=int(body.get("revision", 0)),
            job_ids=tuple(job["id"] for job in jobs),
            created=bool(body.get("created", False)),
            state=str(body.get("state", body.get("detail", ""))),
            verdict=str(body.get("verdict", "")),
            attempts=tuple(job["attempts"] for job in jobs),
            started_s=started,
            uploaded_s=uploaded,
            finished_s=finished,
        )

    try:
        with ThreadPoolExecutor(max_workers=len(uploads)) as pool:
            outcomes = list(pool.map(lambda pair: one(*pair), uploads))
    finally:
        memory.stop()
        sampler.join()
    wall = max(o.finished_s for o in outcomes) - min(o.started_s for o in outcomes)
    return LoadResult(outcomes, wall, memory)
