"""SIGINT and SIGTERM as an exception, so every `finally` on the way out runs (temp files removed, children killed).

Python turns SIGINT into KeyboardInterrupt but lets SIGTERM kill the process on the spot, skipping all cleanup;
here both raise `Interrupted` once, and a second signal during the cleanup is ignored so the cleanup finishes.
The exit code is 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM), as shells report a process killed by it.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The run was stopped by a signal; BaseException so that `except Exception` handlers let it through."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


@contextlib.contextmanager
def signals_as_exceptions() -> Iterator[None]:
    """Within the block, the first SIGINT / SIGTERM raises Interrupted; later ones are ignored. Outside the main thread
    (where Python cannot install handlers) the block runs unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised = False

    def handle(signum: int, frame: FrameType | None) -> None:
        nonlocal raised
        if raised:
            return
        raised = True
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, handle) for signum in HANDLED}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
