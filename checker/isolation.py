"""Run one model's check in a child process, so a native crash, a runaway allocation or a hang costs that model only.

ifcopenshell is C++: a hostile file (a placement relative to itself, a degenerate solid) can segfault, abort or
allocate without end, and no Python `try` catches that. The parent forks a child per model (fork is fast: the
parent has already imported everything), caps the child's address space (RLIMIT_AS), waits with a wall-clock
deadline and reads the finished `CheckRun` back through a pipe. Whatever the child does, the parent kills and reaps
it and removes the scratch folder that held its temporary files (an unpacked .ifczip, a schema-patched copy).
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import gc
import multiprocessing
import os
import pickle
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TypeVar, cast

from checker.defaults import DEFAULT_MAX_MEMORY_GB, DEFAULT_TIMEOUT_S
from checker.errors import CheckerError

T = TypeVar("T")
GB = 1024**3
_EXIT_OUT_OF_MEMORY = 86  # the child's exit code after a MemoryError (sending a pickled error may need memory)
_SAMPLE_EVERY_S = 0.1  # how often the parent reads the child's memory size while it waits
_NEAR_LIMIT = 0.9  # a crash after the child's address space reached this share of its limit is the limit's doing
_PR_SET_PDEATHSIG = 1  # linux/prctl.h: the child gets a signal when its parent dies
# What was running when the child died, for the one error line.
_PHASE_CRASH = {
    "starting": "the checker crashed while starting on this file",
    "reading": "the IFC parser crashed on this file",
    "extracting": "geometry engine crashed on this file",
    "evaluating": "the checker crashed while evaluating the rules on this file",
    "ids": "ifctester crashed while running the IDS files on this file",
}


@dataclass(frozen=True)
class Limits:
    """Per-model limits of an isolated check: address space of the child (GB) and wall-clock time (s)."""

    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB
    timeout_s: float = DEFAULT_TIMEOUT_S


class IsolatedCheckError(CheckerError):
    """The child crashed (signal), ran out of its memory limit or overran its time limit; the message is one line."""

    def __init__(self, label: str, reason: str) -> None:
        super().__init__(f"{label}: {reason}")
        self.label = label
        self.reason = reason

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.label, self.reason))


class WorkerInternalError(Exception):
    """An unexpected Python exception in the child, carried back by name, message and traceback text."""

    def __init__(self, type_name: str, message: str, traceback_chunks: list[str]) -> None:
        super().__init__(message)
        self.type_name = type_name
        self.message = message
        self.traceback_chunks = traceback_chunks  # as traceback.format_exception gives them

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.type_name, self.message, self.traceback_chunks))


def run_isolated(
    task: Callable[..., T],
    args: tuple[Any, ...],
    label: str,
    limits: Limits,
    stop: threading.Event | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> T:
    """task(*args, on_phase=callback) in a child process; its return value, or its exception re-raised here.

    `stop` (set by another thread, e.g. a batch being interrupted) kills the child within _SAMPLE_EVERY_S.
    `on_phase` is called here with each phase the child enters ("reading", "extracting", ...), e.g. to show progress.

    Raises:
        IsolatedCheckError: the child died of a signal, exceeded `limits.max_memory_gb` or `limits.timeout_s`,
            or `stop` was set.
        CheckerError: what the task raised (a bad file stays one line).
        WorkerInternalError: any other exception of the task.
    """
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    scratch = tempfile.mkdtemp(prefix="greencheck-")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(  # type: ignore[attr-defined]
        target=_child_main,
        args=(writer, os.getpid(), scratch, limits.max_memory_gb, task, args),
        name=f"greencheck {label}",
        daemon=True,
    )
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        child.start()
        writer.close()
        return cast(T, _await_result(child, reader, label, limits, stop, on_phase))
    finally:
        try:
            _stop(child)
        finally:
            reader.close()
            shutil.rmtree(scratch, ignore_errors=True)


def _peak_bytes(pid: int | str | None) -> int:
    """VmPeak of a process from /proc (Linux; 0 elsewhere): the highest address-space size it reached."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmPeak:"):
            with contextlib.suppress(ValueError, IndexError):
                return int(line.split()[1]) * 1024
    return 0


def _near_limit(peak_bytes: int, max_memory_gb: float) -> bool:
    """ifcopenshell does not survive a refused allocation cleanly (it segfaults, aborts or reports a parse error),
    so a failure after the child's address space came within _NEAR_LIMIT of its limit is reported as the limit."""
    return peak_bytes >= _NEAR_LIMIT * max_memory_gb * GB


@dataclass
class _Progress:
    """What the parent knows about a running child: its phase and the highest address-space size it saw."""

    phase: str = "starting"
    peak_bytes: int = 0

    def sample(self, pid: int | None) -> None:
        self.peak_bytes = max(self.peak_bytes, _peak_bytes(pid))


def _await_result(
    child: Any,
    reader: Connection,
    label: str,
    limits: Limits,
    stop: threading.Event | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> object:
    """Read phases and the result until the child reports, dies, overruns the deadline or `stop` is set."""
    deadline = time.monotonic() + limits.timeout_s
    progress = _Progress()
    while True:
        if stop is not None and stop.is_set():
            raise IsolatedCheckError(label, "stopped before the check finished")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise IsolatedCheckError(label, f"exceeded the time limit of {limits.timeout_s:g} s")
        progress.sample(child.pid)
        ready = wait([reader, child.sentinel], min(remaining, _SAMPLE_EVERY_S))
        if reader in ready:
            try:
                with gc_paused():  # a CheckRun of 3,000 buildings is ~1M objects: GC passes would triple the time
                    kind, payload = reader.recv()
            except EOFError:  # the child is gone without a result
                raise _death(child, label, progress, limits) from None
            if kind == "phase":
                progress.phase = payload
                if on_phase is not None:
                    on_phase(payload)
            elif kind == "result":
                return payload
            else:
                raise payload
        elif ready:
            raise _death(child, label, progress, limits)


def _death(child: Any, label: str, progress: _Progress, limits: Limits) -> IsolatedCheckError:
    """Why the child ended without a result: the memory limit (see _near_limit), a signal, or an exit code."""
    child.join()
    code = child.exitcode
    crashed = code is not None and code < 0
    if code == _EXIT_OUT_OF_MEMORY or (crashed and _near_limit(progress.peak_bytes, limits.max_memory_gb)):
        return IsolatedCheckError(label, f"exceeded the memory limit of {limits.max_memory_gb:g} GB")
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return IsolatedCheckError(label, f"{_PHASE_CRASH.get(progress.phase, _PHASE_CRASH['starting'])} ({name})")
    return IsolatedCheckError(label, f"the checker process ended unexpectedly (exit code {code})")


def _stop(child: Any) -> None:
    """Kill the child if it still runs and reap it, whatever happened (also on SIGINT / SIGTERM in the parent)."""
    if child.pid is None:
        return
    if child.is_alive():
        child.kill()
    child.join()
    child.close()


def _child_main(
    writer: Connection,
    parent_pid: int,
    scratch: str,
    max_memory_gb: float,
    task: Callable[..., object],
    args: tuple[Any, ...],
) -> None:
    """The child: limits first, then the task; the result or error goes back through the pipe."""
    _detach_from_terminal_signals(parent_pid)
    faulthandler.disable()  # a crash is the parent's one error line, not a Python stack dump on the shared stderr
    tempfile.tempdir = scratch  # the loader's temporary files land where the parent removes them
    _limit_memory(max_memory_gb)
    gc.freeze()  # the parent's objects are never garbage here: GC passes skip them (and leave their pages shared)
    try:
        result = task(*args, on_phase=lambda phase: writer.send(("phase", phase)))
        with gc_paused():
            writer.send(("result", result))
    except MemoryError:
        os._exit(_EXIT_OUT_OF_MEMORY)
    except CheckerError as exc:
        if _near_limit(_peak_bytes("self"), max_memory_gb):  # a refused allocation reported as "cannot be parsed"
            os._exit(_EXIT_OUT_OF_MEMORY)
        writer.send(("error", _portable(exc)))
    except Exception as exc:  # noqa: BLE001 - everything unexpected goes back as one internal error
        if _near_limit(_peak_bytes("self"), max_memory_gb):  # e.g. RuntimeError("std::bad_alloc")
            os._exit(_EXIT_OUT_OF_MEMORY)
        chunks = traceback.format_exception(exc)
        writer.send(("error", WorkerInternalError(type(exc).__name__, str(exc), chunks)))
    finally:
        writer.close()


def _portable(exc: CheckerError) -> CheckerError:
    """The error itself when it survives pickling, else a plain CheckerError with the same one-line message.

    The round trip only tests an exception object this process just raised (nothing read from a file is unpickled);
    the parent receives it over the child's own pipe."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - an exception class whose __init__ does not take its message
        return CheckerError(str(exc))
    return exc


def _detach_from_terminal_signals(parent_pid: int) -> None:
    """Ctrl-C reaches the whole process group: the parent decides (it kills the child), so the child ignores SIGINT
    and takes the default SIGTERM; and it dies with the parent, so no check outlives a killed greencheck."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)


def _limit_memory(max_memory_gb: float) -> None:
    """Cap the child's address space: an allocation beyond it fails (MemoryError) instead of taking the machine."""
    wanted = int(max_memory_gb * GB)
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    with contextlib.suppress(ValueError, OSError):  # a platform that cannot cap address space still isolates
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection within the block (pickling or unpickling a large result makes no cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def private_tempdir() -> Iterator[Path]:
    """A folder of our own for every temporary file of the run (tempfile.tempdir points there), removed at the end
    whatever ends the run: an interrupted in-process check leaves no unpacked model in the system temp folder."""
    previous = tempfile.tempdir
    folder = Path(tempfile.mkdtemp(prefix="greencheck-run-"))
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)
