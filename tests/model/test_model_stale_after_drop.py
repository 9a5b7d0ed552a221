"""Dropping a dataset version marks the models trained on its rows stale (#10): read from the
store's fingerprints, shown by `payatlas models` and the drop's own report."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from payatlas_types import check

from payatlas.ingest import ingest
from payatlas.model.listing import ModelView, registry_view
from payatlas.model.stale import drop_dataset_version, stale_models
from payatlas.settings import Settings
from payatlas.store import Store

EXE = Path(sys.executable).with_name("payatlas")


def test_models_trained_on_dropped_rows_are_stale(model_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(model_home, home)
    settings = Settings(home=home)
    extra = tmp_path / "extra.csv"
    extra.write_text("title,pay,country,date\nData Scientist,120000,US,2024-05-01\n")
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[source]\nname = "extra"\n[columns]\ntitle = "title"\npay = "pay"\n'
        'country = "country"\ndate = "date"\n[defaults]\ncurrency = "USD"\nperiod = "year"\n'
    )
    with Store.open(settings) as store:
        assert ingest(extra, store=store, mapping=mapping).dataset_version == 2
        assert stale_models(store, settings) == []
        later = drop_dataset_version(store, 2, settings=settings)  # the champion never saw it
        assert later.stale_models == [] and not later.champion_stale and later.advice is None
        first = drop_dataset_version(store, 1, settings=settings)
        assert first.records == 51_081
        assert first.champion_stale and len(first.stale_models) == 1
        assert "payatlas train" in (first.advice or "")
        view = registry_view(settings, store)
        assert [m.stale for m in view.models] == [True]
    env = {**os.environ, "PAYATLAS_HOME": str(home)}
    got = subprocess.run([str(EXE), "models", "--json"], env=env, capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    assert got.returncode == 0, got.stderr
    assert [m["stale"] for m in json.loads(got.stdout)] == [True]
    # --json lists the models as GET /v1/models does: the library's ModelView (#9)
    assert [m.model_id for m in check(list[ModelView], json.loads(got.stdout))] == [
        m.model_id for m in view.models
    ]
