"""The bundled survey submissions as a model frame, for the benchmarks that study the model.

``bundled_frame(home)`` opens the store of ``home`` (ingesting the bundled aijobs.net snapshot
when it is empty) and yields the settings and the model frame; without ``home`` it works in a
temporary home that is removed afterwards. Used by ``calibration_study.py``, ``replay.py`` and
``rolling_backtest.py``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from payatlas.bundled import aijobs_path
from payatlas.ingest import ingest
from payatlas.model.data import load_frame
from payatlas.settings import Settings
from payatlas.store import Store


@contextmanager
def bundled_frame(
    home: Path | None = None, *, prefix: str = "payatlas-bench-"
) -> Iterator[tuple[Settings, pd.DataFrame]]:
    """(settings, model frame of the latest version) of ``home`` or of a temporary home."""
    temporary = home is None
    where = Path(tempfile.mkdtemp(prefix=prefix)) if home is None else home
    try:
        settings = Settings(home=where)
        with Store.open(settings) as store:
            if store.is_empty():
                ingest(aijobs_path(), store=store)
            frame = load_frame(store)
        yield settings, frame
    finally:
        if temporary:
            shutil.rmtree(where, ignore_errors=True)
