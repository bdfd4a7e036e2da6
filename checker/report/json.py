"""The canonical machine-readable report: the whole `CheckRun`, never truncated.

Keys are sorted and the layout fixed so two runs on the same model diff cleanly; the JSON Schema
of this output is committed as docs/report.schema.json and regenerated with
`python -m checker.report.json --write-schema docs/report.schema.json`.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from checker.report.base import check_language
from checker.rules.results import CheckRun


def _finite(data: Any) -> Any:
    """NaN/inf become null, as pydantic's own JSON does; bare NaN would make the file invalid JSON."""
    if isinstance(data, float) and not math.isfinite(data):
        return None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_finite(value) for value in data]
    return data


def dumps(data: Any) -> str:
    """The house JSON layout: UTF-8 text (no \\u escapes for Chinese), sorted keys, 2-space indent."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n"


class JsonReporter:
    """`CheckRun` as JSON; the language is irrelevant because I18n fields carry both."""

    format_id = "json"
    suffix = ".json"

    def render(self, run: CheckRun, lang: str = "en") -> bytes:
        check_language(lang)
        data = _finite(run.model_dump(mode="json", by_alias=True))
        return dumps(data).encode("utf-8")


def report_json_schema() -> dict[str, Any]:
    """JSON Schema of the report, straight from the result model so the two cannot drift apart."""
    return CheckRun.model_json_schema(by_alias=True)


def schema_text() -> str:
    """The exact text committed as docs/report.schema.json."""
    return dumps(report_json_schema())


def main(argv: list[str] | None = None) -> int:
    """Developer entry point that regenerates the committed schema after a result-model change."""
    parser = argparse.ArgumentParser(prog="python -m checker.report.json", description=main.__doc__)
    parser.add_argument("--write-schema", metavar="PATH", required=True, help="where to write the JSON Schema")
    args = parser.parse_args(argv)
    Path(args.write_schema).write_text(schema_text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
