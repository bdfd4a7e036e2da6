"""A fork server that runs `greencheck` the way its console script does, once per request, in a forked child.

Why: a fresh `greencheck` process costs ~1.2 s of imports, which would leave CI room for only a few dozen fuzz
examples. This server imports checker.cli once, then forks a child per request, so each example costs only its own
check. The child is a real process: a segfault, an abort, a hang or a runaway allocation in it kills only the
child, and the server (and pytest) report it as the example's failure. It is started by tests/hostile/fuzzing.py.

Protocol: one JSON request per line on stdin {"argv", "cwd", "stdout", "stderr", "timeout", "memory"}; one JSON
reply per line on stdout {"rc", "signal", "timed_out", "seconds"}. The child's stdin is /dev/null and its file
descriptors 1 and 2 go to the named files, so native writes (ifcopenshell's own logger) are captured too.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
import traceback
from typing import Any


def _child(request: dict[str, Any]) -> None:
    """In the forked child: redirect, limit memory, run the CLI as the console script would, never return."""
    code = 1
    try:
        os.setpgid(0, 0)  # its own group, so a timeout kills whatever it spawned too
        os.chdir(request["cwd"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, name in ((1, "stdout"), (2, "stderr")):
            target = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        if request.get("memory"):
            resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        from checker.cli import main

        sys.argv = ["greencheck", *request["argv"]]
        try:
            main(args=request["argv"], prog_name="greencheck")
            code = 0
        except SystemExit as exc:  # what the interpreter does with sys.exit(value)
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:  # noqa: BLE001 - an uncaught exception: traceback and exit 1, as the interpreter does
            traceback.print_exc()
            code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110 - a closed or broken stream must not change the exit code
                pass
        os._exit(code)


def _wait(pid: int, timeout: float) -> dict[str, Any]:
    """Wait for the child at most `timeout` seconds; kill its whole process group after that."""
    start = time.monotonic()
    timed_out = False
    status = 0
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - start > timeout:
            timed_out = True
            os.killpg(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(0.005)
    try:
        os.killpg(pid, signal.SIGKILL)  # grandchildren the CLI left behind
    except (ProcessLookupError, PermissionError):
        pass
    return {
        "rc": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "timed_out": timed_out,
        "seconds": round(time.monotonic() - start, 3),
    }


def serve() -> None:
    # The imports are the cost every child shares. checker.cli itself is light (its commands import the checking
    # machinery when they run, for a fast --help), so what `check` and `rulesets validate` import is loaded here.
    import checker.api
    import checker.cli
    import checker.model.ids_run
    import checker.report.provenance
    import checker.rules.review
    import checker.terminal  # noqa: F401
    from checker.report.html import _environment
    from checker.rules.texts import zh_text

    _environment().get_template("report.html.j2")  # compiled once, not in every child
    zh_text("warm")  # the phrase catalogue's regexes, compiled once

    protocol = sys.stdout
    protocol.write(json.dumps({"ready": True}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request)
        protocol.write(json.dumps(_wait(pid, float(request["timeout"]))) + "\n")
        protocol.flush()


if __name__ == "__main__":
    serve()
