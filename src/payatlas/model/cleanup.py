"""Start-up housekeeping for the model registry: remove what killed writers left behind.

Under the crash-safe layout (:mod:`payatlas.durable`) a killed ``train`` or ``promote`` leaves at
most staging debris in ``PAYATLAS_HOME/tmp`` (or a hidden staging file beside ``registry.json`` or
a ``meta.json``), which no reader lists. Earlier versions staged models as ``models/.staging-*``
and the registry as ``models/registry.json.PID.tmp``; those are cleared too.
"""

from __future__ import annotations

import re
from pathlib import Path

from payatlas.durable import clean_stale, pid_alive, remove
from payatlas.settings import Settings

_LEGACY_TMP = re.compile(r"^(?:registry|meta)\.json\.(\d+)\.tmp$")


def clean_models(settings: Settings) -> list[Path]:
    """Remove dead writers' staging debris from the home's ``tmp`` folder, the models folder and
    each model folder; return what was removed. Cheap: one listing of each folder."""
    models = settings.model_dir
    folders = [p for p in models.iterdir() if p.is_dir()] if models.is_dir() else []
    removed = clean_stale(settings.home, also=(models, *folders))
    for folder in (models, *folders):
        for entry in folder.iterdir() if folder.is_dir() else ():
            if _legacy_debris(entry, top=folder == models):
                remove(entry)
                removed.append(entry)
    return removed


def _legacy_debris(entry: Path, *, top: bool) -> bool:
    if top and entry.name.startswith(".staging-") and entry.is_dir():
        return True
    found = _LEGACY_TMP.match(entry.name)
    return found is not None and not pid_alive(int(found.group(1)))
