"""Run a batch's checks on a Dask distributed cluster (`greencheck batch --scheduler tcp://HOST:PORT | local`).

Every job becomes one task; the task runs on a worker the same isolated child a local batch runs
(checker.isolation.run_isolated), so a model that segfaults or overruns its memory or time limit costs its own row
and never the Dask worker. Workers read the model from its resolved absolute path: the models must be on a file
system every worker reaches at the same path. Only the summary entry and the report bytes come back; this process
writes the reports, the manifest and the summaries exactly as a local batch does. dask is an optional extra
(`greencheck[dask]`), imported only here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import pickle
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from checker.api import now_utc
from checker.batch.runner import BatchOptions, Checked, ErrorLine, Job, JobDone, Runner, largest_first
from checker.batch.summary import ModelEntry
from checker.errors import CheckerError
from checker.isolation import Limits, WorkerInternalError, run_isolated
from checker.rules.schema import Ruleset

LOCAL = "local"  # --scheduler local: a LocalCluster in this process with --jobs single-threaded worker processes
CONNECT_TIMEOUT_S = 10.0  # an unreachable scheduler is one error line after this long, not a hang
_STOP_POLL_S = 0.5  # how often a task asks whether the batch was interrupted
DASK_MISSING = "--scheduler needs Dask: install greencheck[dask] (pip install 'greencheck[dask]')"


class ClusterError(CheckerError):
    """Dask is not installed, or the scheduler cannot be reached."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError(DASK_MISSING) from None
    return distributed


@contextlib.contextmanager
def connect(scheduler: str, jobs: int) -> Iterator[Any]:  # a distributed.Client (dask is optional: typed loosely)
    """A client of the scheduler at `scheduler` (or of a new LocalCluster of `jobs` workers), closed on exit.

    Raises:
        ClusterError: dask is missing, or nothing answers at `scheduler` within CONNECT_TIMEOUT_S.
    """
    distributed = _distributed()
    debugging = logging.getLogger().getEffectiveLevel() <= logging.DEBUG
    logging.getLogger("distributed").setLevel(logging.INFO if debugging else logging.ERROR)  # Dask logs INFO
    if scheduler == LOCAL:
        with (
            distributed.LocalCluster(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                memory_limit=0,  # each model's child has its own limit (--max-memory); the worker itself is small
                dashboard_address=":0",  # a free port: no clash with another cluster on this machine
                silence_logs=logging.ERROR,
            ) as cluster,
            distributed.Client(cluster, set_as_default=False) as client,
        ):
            yield client
        return
    _probe(distributed, scheduler)
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - whatever the comm layer raises, the batch ends with one line
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {_first_line(exc)}") from None
    with client:
        yield client


def _probe(distributed: Any, scheduler: str) -> None:
    """Open and close one connection first: a Client that fails to connect lingers and blocks the exit for seconds."""

    async def probe() -> None:
        comm = await distributed.comm.connect(scheduler, timeout=CONNECT_TIMEOUT_S)
        await comm.close()

    try:
        asyncio.run(probe())
    except Exception as exc:  # noqa: BLE001 - refused, timed out, a bad address, something else answering
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _portable(exc: Exception) -> Exception:
    """The error itself when it survives pickling (it travels back through Dask), else the same name and message.

    The round trip only tests an exception object this worker just raised; nothing read from a file is unpickled."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - an exception class whose __init__ does not take its message
        return WorkerInternalError(type(exc).__name__, str(exc), traceback.format_exception(exc))
    return exc


def _allow_children() -> None:
    """A Dask nanny starts its worker as a daemonic process, and multiprocessing refuses children to those. The rule
    keeps children from outliving their parent; the isolated child dies with the worker anyway (PR_SET_PDEATHSIG in
    checker.isolation), so the task lifts it for the worker it runs in."""
    process = multiprocessing.current_process()
    if process.daemon:
        process.daemon = False


def _watch_stop(event_name: str, stop: threading.Event, finished: threading.Event) -> None:
    """Set `stop` (which kills the child) when the batch's Dask Event is set: the parent was interrupted."""
    distributed = _distributed()
    with contextlib.suppress(Exception):  # no scheduler to ask: the task runs on to its own limits
        interrupted = distributed.Event(event_name)
        while not finished.is_set():
            if interrupted.wait(timeout=_STOP_POLL_S):
                stop.set()
                return


def check_on_worker(
    task: Callable[..., Checked],
    path: str,
    label: str,
    ruleset: Ruleset,
    geometry_limit: int | None,
    limits: Limits,
    stop_event: str,
) -> Checked | Exception:
    """The Dask task: one isolated check of the model at `path` on this worker, stopped if the batch is.

    A failure comes back as the result, not raised: a bad file is an expected outcome, not a failed task for Dask
    to log with its traceback on the worker."""
    _allow_children()
    stop, finished = threading.Event(), threading.Event()
    threading.Thread(target=_watch_stop, args=(stop_event, stop, finished), daemon=True).start()
    try:
        checked = run_isolated(task, (Path(path), ruleset, now_utc(), geometry_limit), label, limits, stop)
    except Exception as exc:  # noqa: BLE001 - every failure is the parent's one error row
        return _portable(exc)
    finally:
        finished.set()
    return CheckerError(f"{label}: stopped") if stop.is_set() else checked


class DaskRunner(Runner):
    """Submits one task per job to the cluster and writes each result as it arrives."""

    def __init__(self, client: Any, ruleset: Ruleset, options: BatchOptions, error_line: ErrorLine) -> None:
        super().__init__(ruleset, options, error_line)
        self.client: Any = client  # distributed.Client, whose methods are untyped

    def run_all(self, jobs: list[Job], on_done: JobDone) -> None:
        """Largest file first; on_done runs in the calling thread as each job finishes. Ctrl-C cancels every task
        and kills the children already running."""
        if not jobs:
            return
        distributed = _distributed()
        batch = uuid.uuid4().hex
        interrupted = distributed.Event(f"greencheck-stop-{batch}", client=self.client)
        [ruleset] = self.client.scatter([self.ruleset], broadcast=True, hash=False)  # sent once, not per task
        futures = {
            self._submit(job, ruleset, interrupted.name, f"greencheck-{batch}-{number}"): job
            for number, job in enumerate(largest_first(jobs))
        }
        try:
            for future in distributed.as_completed(futures, loop=self.client.loop):
                job = futures[future]
                on_done(job, self._collect(job, future))
        except BaseException:
            with contextlib.suppress(Exception):
                interrupted.set()
                self.client.cancel(list(futures), force=True)
            raise
        finally:
            with contextlib.suppress(Exception):
                self.client.cancel([ruleset])

    def _submit(self, job: Job, ruleset: Any, stop_event: str, key: str) -> Any:
        path = str(job.model.resolve())  # the worker's working folder is not ours
        options = self.options
        arguments = (self.task(job), path, str(job.model), ruleset, options.geometry_limit, options.limits, stop_event)
        return self.client.submit(check_on_worker, *arguments, key=key, pure=False, retries=0)

    def _collect(self, job: Job, future: Any) -> ModelEntry:
        try:
            result = future.result()
            if isinstance(result, Exception):
                raise result
            return self.store(result)
        except Exception as exc:  # noqa: BLE001 - one bad file (or a lost worker) is one error row
            return self.failed(job, exc, job.model.resolve())
