"""Ranges that recalibrate without retraining: the champion's adaptation updated on survey ingest.

Survey submissions arrive with their pay, so each new survey version is one batch of the online
update of :mod:`payatlas.model.adaptive`: the champion's *static* P10/P90 for the new records,
the share of them below and above, one step per level. The shifts are written to the
champion's folder (``adaptive.json``, atomically) and used by every estimate from then on (the
registry re-reads the file when it changes; cached estimates are keyed on it). A version is used
once, and never one the model was trained on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import payatlas.model.tracking as tracking
from payatlas.model.adaptive import ADAPTIVE_FILE, Adaptation
from payatlas.model.artifact import dump_json, read_adaptation
from payatlas.model.calibration import QUANTILES
from payatlas.model.data import load_frame
from payatlas.model.registry import champion_id, get_record, load_model, registry_lock
from payatlas.settings import Settings

if TYPE_CHECKING:
    from payatlas.store import Store


@dataclass(frozen=True, slots=True)
class RangeUpdate:
    """One update of the champion's ranges from a survey version."""

    model_id: str
    data_version: int
    rows: int
    static_coverage: float  # the static 80% range's coverage of the new records
    adaptation: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "model_id": self.model_id,
            "data_version": self.data_version,
            "rows": self.rows,
            "static_coverage": self.static_coverage,
            "adaptation": self.adaptation,
            "reason": f"ranges adapted to {self.rows:,} survey submissions of dataset version "
            f"{self.data_version} (static 80% coverage on them {self.static_coverage:.3f})",
            "source": "survey submissions of the new dataset version",
        }


def adapt_champion(store: Store, settings: Settings, *, version: int) -> RangeUpdate | None:
    """Update the champion's range adaptation with the records of dataset ``version`` (None
    when there is no champion, the version was seen or trained on, or it holds no records)."""
    champ = champion_id(settings)
    if champ is None:
        return None
    record = get_record(champ, settings)
    folder = settings.model_dir / champ
    adaptation = read_adaptation(folder) or Adaptation()
    if version <= record.data_version or version in adaptation.versions:
        return None
    previous = store.record_count(version - 1) if version > 1 else 0
    frame = load_frame(store, version=version).iloc[previous:].reset_index(drop=True)
    if not len(frame):
        return None
    static = load_model(champ, settings).with_adaptation(None)
    q = static.log_quantiles(frame)
    lo, hi = q[:, QUANTILES.index(0.10)], q[:, QUANTILES.index(0.90)]
    y = frame["y"].to_numpy()
    adaptation.update(frame["level"], y, lo, hi)
    adaptation.versions.append(int(version))
    dump_json(adaptation.as_dict(), folder / ADAPTIVE_FILE)
    update = RangeUpdate(
        model_id=champ,
        data_version=int(version),
        rows=len(frame),
        static_coverage=float(((y >= lo) & (y <= hi)).mean()),
        adaptation=adaptation.as_dict(),
    )
    # recorded in the registry too: this changes the serving key, so cached estimates made
    # with the old ranges (in this process or a running server) are not served again
    with registry_lock(settings):
        tracking.append_log(settings, "adaptive", update.as_dict())
    return update
