"""The one Settings object. Every knob is a ``PAYATLAS_*`` environment variable."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from payatlas.disclosure import Rule
from payatlas.errors import UnsafeSettings

PLACEHOLDER_KEYS = frozenset({"", "changeme", "change-me", "secret", "dev", "test", "password"})
DEV_API_KEY = "dev"


class Settings(BaseSettings):
    """PayAtlas settings, read from ``PAYATLAS_*`` environment variables (or passed directly)."""

    model_config = SettingsConfigDict(env_prefix="PAYATLAS_", extra="ignore")

    home: Path = Field(
        default_factory=lambda: Path(user_data_dir("payatlas", appauthor=False)),
        description="Directory holding the DuckDB store, rejects files and models.",
    )
    privacy_threshold: int = Field(
        default=5,
        ge=2,
        description="Smallest cohort that may be published (fewer rows: suppressed).",
    )
    privacy_salt: str = Field(
        default="payatlas-dev",
        description=(
            "Secret salt of the disclosure control's record keys (count rounding, pay noise); "
            "set it once per deployment and never change it."
        ),
    )
    api_key: str = Field(
        default=DEV_API_KEY,
        description="Bearer key for write endpoints; placeholders refused outside dev mode.",
    )
    dev_mode: bool = Field(default=True, description="Allow placeholder secrets (local use only).")
    seed: int = Field(default=42, description="Random seed for training and bootstraps.")
    max_upload_mb: int = Field(
        default=50, ge=1, description="Largest accepted upload body, in MiB."
    )
    threads: int = Field(default=2, ge=1, description="Threads for DuckDB and LightGBM.")

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if not self.dev_mode and self.api_key.strip().lower() in PLACEHOLDER_KEYS:
            raise UnsafeSettings(
                "PAYATLAS_API_KEY is a placeholder; set a real key or PAYATLAS_DEV_MODE=1"
            )
        return self

    @property
    def disclosure(self) -> Rule:
        """The disclosure rule in force (threshold and salt, :mod:`payatlas.disclosure`)."""
        return Rule.of(threshold=self.privacy_threshold, salt=self.privacy_salt)

    @property
    def store_path(self) -> Path:
        """The DuckDB database file."""
        return self.home / "payatlas.duckdb"

    @property
    def rejects_dir(self) -> Path:
        """Where each ingest writes the rows it rejected (one CSV per dataset version)."""
        return self.home / "rejects"

    @property
    def model_dir(self) -> Path:
        """Where trained models and the registry live."""
        return self.home / "models"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
