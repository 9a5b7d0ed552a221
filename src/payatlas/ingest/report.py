"""The ingest report: what was read, kept, flagged and rejected (and why)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class IngestReport:
    """Returned by :func:`payatlas.ingest`; ``accepted`` includes the flagged rows."""

    dataset_version: int
    source: str
    file: str
    file_sha256: str
    format: str
    adapter: str
    rows_read: int
    accepted: int
    flagged: int
    rejected: int
    by_role_family: dict[str, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rejects_file: str | None = None
    encoding: str = "utf-8"  # the text encoding the file was read in ("binary": Parquet)
    mapping_sha256: str = ""  # Mapping.fingerprint(): with file_sha256, what a repeat matches

    @property
    def other_share(self) -> float:
        """Share of accepted rows whose title mapped to no role family."""
        return self.by_role_family.get("other", 0) / self.accepted if self.accepted else 0.0

    @property
    def accounted(self) -> bool:
        """Every row read is either accepted or rejected."""
        return self.accepted + self.rejected == self.rows_read

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (what ``--json`` prints)."""
        out = asdict(self)
        out["other_share"] = round(self.other_share, 5)
        return out
