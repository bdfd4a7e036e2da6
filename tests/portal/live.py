"""A real `greencheck serve` in its own process on a loopback port, for what a TestClient cannot show: a server
killed mid-check and started again, concurrent clients on real sockets, the memory of the server and its children.

Used by tests/portal/test_restart.py, tests/portal/test_load.py and benchmarks/bench_portal.py.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from checker.portal.access import Actor, create_api_token
from checker.portal.db import Database, Job, User
from checker.portal.service import create_project
from checker.portal.settings import PortalSettings
from checker.portal.users import add_user

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"
FINISHED = ("done", "failed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Account:
    """A project and the API token a CI system uploads to it with."""

    project_id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def seed_accounts(data_dir: Path, db_url: str, projects: int, owner: str = "ci-applicant") -> list[Account]:
    """An applicant with `projects` projects and a token for each, made through the library (the schema migrated)."""
    settings = PortalSettings(data_dir=data_dir, db_url=db_url)
    add_user(settings, owner, PASSWORD, "applicant", organisation="Load Test Design Institute")
    db = Database(settings.database_url)
    try:
        with db.session() as session:
            user = session.scalar(select(User).where(User.username == owner))
            assert user is not None
            actor = Actor(user=user)
            accounts = []
            for number in range(projects):
                name = f"Project {number + 1}"
                project = create_project(session, actor, name, default_ruleset=settings.default_ruleset)
                accounts.append(Account(project.id, create_api_token(session, actor, project, f"ci-{number + 1}")))
            return accounts
    finally:
        db.dispose()


def job_rows(db_url: str) -> list[dict[str, Any]]:
    """Every job as the database holds it, read by a connection of our own (not the server's)."""
    db = Database(db_url)
    try:
        with db.session() as session:
            return [
                {"id": j.id, "status": j.status, "attempts": j.attempts, "verdict": j.verdict, "error": j.error}
                for j in session.scalars(select(Job).order_by(Job.id))
            ]
    finally:
        db.dispose()


def process_tree(root: int) -> list[int]:
    """`root` and every process descending from it, from /proc (children come and go: a snapshot)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def _status_kb(pid: int) -> dict[str, int]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in lines) if k in ("VmRSS", "VmHWM")}


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class MemoryPeaks:
    """Sampled every 0.1 s while it runs: the server's own peak (VmHWM), the largest child's, and the largest sum of
    the resident sets of the server and all its descendants at one moment (isolated checks, Dask workers)."""

    server_hwm_kb: int = 0
    child_hwm_kb: int = 0
    tree_rss_kb: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self, root: int) -> None:
        total = 0
        for pid in process_tree(root):
            kb = _status_kb(pid)
            total += kb.get("VmRSS", 0)
            if pid == root:
                self.server_hwm_kb = max(self.server_hwm_kb, kb.get("VmHWM", 0))
            else:
                self.child_hwm_kb = max(self.child_hwm_kb, kb.get("VmHWM", 0))
        self.tree_rss_kb = max(self.tree_rss_kb, total)

    def watch(self, root: int) -> threading.Thread:
        def loop() -> None:
            while not self._stop.wait(0.1):
                self.sample(root)

        thread = threading.Thread(target=loop, name="memory-sampler", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()


class LiveServer:
    """`python -m checker serve` on `data_dir` and `db_url`, on one port kept across restarts; its output in a log."""

    def __init__(self, data_dir: Path, db_url: str, log_path: Path, *options: str) -> None:
        self.data_dir, self.db_url, self.log_path, self.options = data_dir, db_url, log_path, options
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout_s: float = 60.0) -> None:
        """Start the server and wait until /api/v1/health answers."""
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
        command = [sys.executable, "-m", "checker", "serve", "--data", str(self.data_dir), "--db", self.db_url]
        command += ["--port", str(self.port), *self.options]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"greencheck serve exited with {self.process.returncode}: {self.log()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"greencheck serve did not answer within {timeout_s:.0f} s: {self.log()[-2000:]}")

    def signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def wait(self, timeout_s: float) -> int:
        assert self.process is not None
        return self.process.wait(timeout_s)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers; safe to call twice."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def post_files(client: httpx.Client, account: Account, *paths: Path, note: str = "") -> httpx.Response:
    files = [("files", (path.name, path.read_bytes(), "application/octet-stream")) for path in paths]
    return client.post(
        f"/api/v1/projects/{account.project_id}/submissions", headers=account.headers, files=files, data={"note": note}
    )


def wait_submission(client: httpx.Client, account: Account, submission_id: int, timeout_s: float) -> dict[str, Any]:
    """Long-poll the submission until every job finished (or the time is up): its last state."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = max(1.0, min(30.0, deadline - time.monotonic()))
        response = client.get(
            f"/api/v1/submissions/{submission_id}", params={"wait": left}, headers=account.headers, timeout=left + 30
        )
        body: dict[str, Any] = response.json()
        if body["state"] in FINISHED or time.monotonic() > deadline:
            return body


def wait_job(
    client: httpx.Client, account: Account, job_id: int, states: tuple[str, ...], timeout_s: float
) -> dict[str, Any]:
    """Poll a job every 50 ms until its status is one of `states` (or the time is up): its last state."""
    deadline = time.monotonic() + timeout_s
    while True:
        body: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}", headers=account.headers).json()
        if body["status"] in states or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def synthetic_model(path: Path, mb: float) -> Path:
    """A deterministic office block of about `mb` MB (benchmarks/synthetic.py: same arguments, same bytes)."""
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "synthetic.py"), "--mb", str(mb), "-o", str(path)],
        check=True,
        capture_output=True,
        cwd=REPO / "benchmarks",
    )
    return path
