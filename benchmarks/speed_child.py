"""One measurement in a fresh process, for bench_speed.py: `open`, `check` (split by stage) or `ifctester`.

    python benchmarks/speed_child.py open|check|ifctester MODEL RESULT.json [--geometry-limit N] [--ids FILE]

Writes its figures as JSON to RESULT.json, with this process's peak RSS (VmHWM, see peak_rss_mb). Times are taken
inside the process around the work (imports, and the ruleset for `check`, are timed apart), so a small file's ratio
is not made of interpreter start-up.

How `check` is split, with checker/ untouched (the hooks live in this process only):
- open, rules: `check_file`'s on_phase callback ("reading" -> "extracting" -> "evaluating" -> returned);
- geometry: wall time inside any function or method defined in checker.model.geometry, wherever it was imported
  (the functions are replaced in every checker module and dict that holds them; nested calls count once; a
  generator counts the time of each step). Tessellated shapes and iterator passes are counted on
  ifcopenshell.geom.iterator;
- facts: time inside checker.model.extract.EXTRACTORS (per extractor too), geometry taken out;
- index: the rest of the extracting phase (global ids, placements, ModelIndex, grouping by building, project facts);
- JSON, HTML: checker.report.render(run, "json" / "html", lang).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import inspect
import json
import pkgutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GEOMETRY = "checker.model.geometry"
KEEP_DUNDER = ("__call__", "__iter__", "__next__")


class Timer:
    """Seconds per key; a span opened inside an open span of the same key is not counted again."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.depth: dict[str, int] = defaultdict(int)
        self.counts: dict[str, int] = defaultdict(int)

    @contextlib.contextmanager
    def span(self, key: str) -> Iterator[None]:
        self.depth[key] += 1
        start = time.perf_counter()
        try:
            yield
        finally:
            self.depth[key] -= 1
            if not self.depth[key]:
                spent = time.perf_counter() - start
                self.totals[key] += spent
                if key == "geometry" and self.depth["extractor"]:
                    self.totals["geometry in extractors"] += spent

    def wrap(self, key: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def steps(*args: Any, **kwargs: Any) -> Iterator[Any]:
                inner = fn(*args, **kwargs)
                while True:
                    with self.span(key):
                        try:
                            item = next(inner)
                        except StopIteration:
                            return
                    yield item

            return steps

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.span(key):
                return fn(*args, **kwargs)

        return timed


def install_hooks(timer: Timer) -> None:
    """Time geometry and extractors, count tessellations (see the module docstring)."""
    import checker.api  # noqa: F401 - everything check_file imports, before its functions are replaced
    import checker.model

    for module in pkgutil.iter_modules(checker.model.__path__):
        importlib.import_module(f"checker.model.{module.name}")
    geometry = sys.modules[GEOMETRY]
    wrappers: dict[int, Callable[..., Any]] = {}
    for value in list(vars(geometry).values()):
        if inspect.isfunction(value) and value.__module__ == GEOMETRY:
            wrappers[id(value)] = timer.wrap("geometry", value)
        elif inspect.isclass(value) and value.__module__ == GEOMETRY:
            for name, method in list(vars(value).items()):
                if inspect.isfunction(method) and (not name.startswith("__") or name in KEEP_DUNDER):
                    setattr(value, name, timer.wrap("geometry", method))
    for module in [m for name, m in list(sys.modules.items()) if name.startswith("checker") and m is not None]:
        for holder in (vars(module), *(v for v in vars(module).values() if isinstance(v, dict))):
            for name, value in list(holder.items()):
                if inspect.isfunction(value) and id(value) in wrappers:
                    holder[name] = wrappers[id(value)]
    extract = sys.modules["checker.model.extract"]
    for name, extractor in list(getattr(extract, "EXTRACTORS", {}).items()):
        extract.EXTRACTORS[name] = _timed_extractor(timer, name, extractor)
    _count_tessellations(timer)


def _timed_extractor(timer: Timer, name: str, extractor: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        with timer.span("extractor"), timer.span(f"extractor {name}"):
            return extractor(*args, **kwargs)

    return timed


def _count_tessellations(timer: Timer) -> None:
    import ifcopenshell.geom

    class CountingIterator(ifcopenshell.geom.iterator):  # type: ignore[misc, name-defined]
        def initialize(self) -> Any:
            timer.counts["iterator passes"] += 1
            return super().initialize()

        def get(self) -> Any:
            timer.counts["shapes"] += 1
            return super().get()

    ifcopenshell.geom.iterator = CountingIterator
    create_shape = ifcopenshell.geom.create_shape

    def counted(*args: Any, **kwargs: Any) -> Any:
        timer.counts["create_shape calls"] += 1
        return create_shape(*args, **kwargs)

    ifcopenshell.geom.create_shape = counted


def measure_open(path: Path) -> dict[str, Any]:
    import ifcopenshell

    start = time.perf_counter()
    model = ifcopenshell.open(str(path))
    seconds = time.perf_counter() - start
    return {"open_s": seconds, "schema": model.schema}


def measure_check(path: Path, geometry_limit: int | None, lang: str) -> dict[str, Any]:
    """check_file + JSON + HTML in this process, split by stage."""
    timer = Timer()
    install_hooks(timer)
    from checker.api import check_file
    from checker.errors import CheckerError
    from checker.report import render
    from checker.rules.loader import load_ruleset

    start = time.perf_counter()
    ruleset = load_ruleset()
    marks: dict[str, float] = {"start": time.perf_counter()}
    result: dict[str, Any] = {"ruleset_s": marks["start"] - start, "outcome": "checked"}
    try:
        run = check_file(
            path, ruleset, "bench", geometry_limit, on_phase=lambda p: marks.setdefault(p, time.perf_counter())
        )
        marks["checked"] = time.perf_counter()
        json_bytes = render(run, "json", lang)
        marks["json"] = time.perf_counter()
        html_bytes = render(run, "html", lang)
        marks["html"] = time.perf_counter()
        if path.stat().st_size < 5e6:  # the first render compiles the templates: how much of it is that
            render(run, "html", lang)
            result["html_again"] = time.perf_counter() - marks["html"]
        result.update(json_mb=len(json_bytes) / 1e6, html_mb=len(html_bytes) / 1e6, verdict=run.summary.verdict)
    except CheckerError as exc:
        marks.setdefault("failed", time.perf_counter())
        result["outcome"] = f"refused: {getattr(exc, 'reason', None) or str(exc).splitlines()[0]}"
    result.update(stages(marks, timer))
    return result


def stages(marks: dict[str, float], timer: Timer) -> dict[str, Any]:
    """Seconds per stage from the phase marks and the timer (a stage not reached is None)."""
    end = max(marks.values())

    def between(first: str, then: str) -> float | None:
        return (marks.get(then, end) - marks[first]) if first in marks else None

    extracting = between("extracting", "evaluating")
    geometry = timer.totals.get("geometry", 0.0)
    in_extractors = timer.totals.get("geometry in extractors", 0.0)
    extractors = timer.totals.get("extractor", 0.0)
    return {
        "total_s": end - marks["start"],
        "open": between("reading", "extracting"),
        "index": None if extracting is None else extracting - extractors - (geometry - in_extractors),
        "facts": None if extracting is None else extractors - in_extractors,
        "geometry": geometry,
        "rules": between("evaluating", "checked"),
        "json": between("checked", "json") if "json" in marks else None,
        "html": between("json", "html") if "html" in marks else None,
        "extractors": {k.removeprefix("extractor "): v for k, v in timer.totals.items() if k.startswith("extractor ")},
        "counts": dict(timer.counts),
    }


def measure_ifctester(path: Path, ids_path: Path) -> dict[str, Any]:
    """What `ifctester` does for a user: open the model, validate the IDS, build the JSON report."""
    import ifcopenshell
    from ifctester import ids, reporter

    start = time.perf_counter()
    model = ifcopenshell.open(str(path))
    opened = time.perf_counter()
    spec = ids.open(str(ids_path))
    spec.validate(model)
    validated = time.perf_counter()
    report = reporter.Json(spec)
    report.report()
    text = report.to_string()
    done = time.perf_counter()
    return {
        "open_s": opened - start,
        "validate_s": validated - opened,
        "report_s": done - validated,
        "total_s": done - start,
        "json_mb": len(text.encode("utf-8")) / 1e6,
        "specifications": {s.name: bool(s.status) for s in spec.specifications},
    }


def peak_rss_mb() -> float:
    """VmHWM, this process's peak resident memory since exec (MiB). Not getrusage: Linux starts an exec'd child's
    ru_maxrss at its parent's peak, so a benchmark parent that once held a big model would inflate every child."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("open", "check", "ifctester"))
    parser.add_argument("model", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--geometry-limit", type=int, default=None)
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--ids", type=Path)
    args = parser.parse_args()
    if args.kind == "open":
        figures = measure_open(args.model)
    elif args.kind == "check":
        figures = measure_check(args.model, args.geometry_limit, args.lang)
    else:
        figures = measure_ifctester(args.model, args.ids)
    figures["rss_mb"] = peak_rss_mb()
    args.result.write_text(json.dumps(figures), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
