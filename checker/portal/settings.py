"""What one portal instance is configured with (`greencheck serve` options), validated by pydantic."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from checker.defaults import DEFAULT_MAX_MEMORY_GB, DEFAULT_RULESET, DEFAULT_TIMEOUT_S
from checker.portal.db import sqlite_url

DEFAULT_DATA_DIR = Path("portal-data")
DEFAULT_MAX_UPLOAD_MB = 512  # the biggest real export of the corpus is 27 MB; a 160 MB model checks in minutes


class PortalSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    data_dir: Path = DEFAULT_DATA_DIR
    db_url: str | None = Field(None, description="postgresql://user:pw@host/db; none: SQLite in the data folder")
    jobs: int = Field(2, ge=1, description="checks run at once (threads, each waiting on an isolated child)")
    scheduler: str | None = Field(None, description="a Dask scheduler address, or 'local' for a LocalCluster")
    max_upload_mb: int = Field(DEFAULT_MAX_UPLOAD_MB, ge=1, description="per request, all files together")
    uploads_per_minute: int = Field(30, ge=1, description="per user or API token")
    logins_per_minute: int = Field(10, ge=1, description="failed sign-ins per address and name")
    session_hours: float = Field(12.0, gt=0)
    secure_cookies: bool = Field(False, description="cookies only over HTTPS (set when behind a TLS proxy)")
    default_ruleset: str = DEFAULT_RULESET
    timeout_s: float = Field(DEFAULT_TIMEOUT_S, gt=0, description="per file")
    max_memory_gb: float = Field(DEFAULT_MAX_MEMORY_GB, gt=0, description="per file")
    geometry_limit: int | None = None
    poll_interval_s: float = Field(0.5, gt=0, description="how often an idle worker looks for queued jobs")

    @property
    def database_url(self) -> str:
        return self.db_url or sqlite_url(self.data_dir)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"
