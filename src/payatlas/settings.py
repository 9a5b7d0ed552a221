"""The one Settings object. Every knob is a ``PAYATLAS_*`` environment variable."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from payatlas.disclosure import Rule
from payatlas.errors import UnsafeSettings

PLACEHOLDER_KEYS = frozenset({"", "changeme", "change-me", "secret", "dev", "test", "password"})
DEV_API_KEY = "dev"
#: the production rule for API keys (``PAYATLAS_DEV_MODE=0``)
MIN_KEY_CHARS = 32
MIN_KEY_BITS = 128
KEY_HINT = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


def key_entropy_bits(key: str) -> float:
    """A conservative estimate of a key's entropy in bits: its length times the smaller of the
    Shannon entropy of its characters and of the steps between neighbouring characters (so a
    repeated, alternating or sequential key such as ``abcdef...`` scores low, while a random one
    scores about its length times log2 of the alphabet it draws from)."""
    if len(key) < 2:
        return 0.0
    steps = [ord(b) - ord(a) for a, b in pairwise(key)]
    return len(key) * min(_shannon(list(key)), _shannon(steps))


def _shannon(items: Sequence[Hashable]) -> float:
    counts = Counter(items)
    total = len(items)
    return max(0.0, -sum(n / total * math.log2(n / total) for n in counts.values()))


def weak_key_reason(key: str) -> str | None:
    """Why ``key`` is too weak for production (None when it is strong enough)."""
    if key.strip().lower() in PLACEHOLDER_KEYS:
        return "is a placeholder"
    if len(key) < MIN_KEY_CHARS:
        return f"has {len(key)} characters (at least {MIN_KEY_CHARS} needed)"
    bits = key_entropy_bits(key)
    if bits < MIN_KEY_BITS:
        return f"has about {bits:.0f} bits of entropy (at least {MIN_KEY_BITS} needed)"
    return None


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
        default=50,
        ge=1,
        description="Largest accepted upload body, in MiB; also the most a compressed upload "
        "may expand to.",
    )
    max_upload_rows: int = Field(
        default=1_000_000, ge=1, description="Most data rows one upload to the API may hold."
    )
    threads: int = Field(default=2, ge=1, description="Threads for DuckDB and LightGBM.")
    retrain_on_ingest: bool = Field(
        default=False,
        description="Run `payatlas retrain` (challenger, gate, promote only on a win) after "
        "each survey ingest.",
    )
    shadow_refused: bool = Field(
        default=False,
        description="Serve a challenger the retrain refused in shadow beside the champion.",
    )

    @model_validator(mode="after")
    def _refuse_weak_keys(self) -> Settings:
        reason = None if self.dev_mode else weak_key_reason(self.api_key)
        if reason:
            raise UnsafeSettings(
                f"PAYATLAS_API_KEY {reason}; with PAYATLAS_DEV_MODE=0 the key needs at least "
                f"{MIN_KEY_CHARS} characters and {MIN_KEY_BITS} bits of entropy "
                f"(make one with: {KEY_HINT})"
            )
        return self

    @property
    def disclosure(self) -> Rule:
        """The disclosure rule in force (threshold and salt, :mod:`payatlas.disclosure`)."""
        return Rule.of(threshold=self.privacy_threshold, salt=self.privacy_salt)

    @property
    def weak_key(self) -> bool:
        """True when the API key would be refused in production (placeholder or weak)."""
        return weak_key_reason(self.api_key) is not None

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
