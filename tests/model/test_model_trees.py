"""The compiled forest (payatlas.model.trees) predicts what LightGBM's boosters predict, on real
rows with missing values and unseen or out-of-range categories, for both objectives the
estimator averages; a model loaded without LightGBM gives the same quantiles, ladder and
estimates as one that parses its boosters; forest.npz is deterministic and rebuilt when stale."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from payatlas.model.artifact import FittedModel
from payatlas.model.trees import FOREST_FILE, Forest, compile_texts, load_forest
from payatlas.settings import Settings
from payatlas.store import Store


@pytest.fixture(scope="module")
def two_objectives(bundled_db: Path) -> tuple[list[Any], np.ndarray]:
    """Boosters fitted as the estimator fits them (L2 with the monotone level, L1 without),
    small, on the first 3,000 bundled rows; and a feature matrix of other real rows with
    missing and out-of-range values."""
    from payatlas.model.data import load_frame
    from payatlas.model.features import encode
    from payatlas.model.train import DEFAULT_PARAMS, fit_point

    with Store(bundled_db, read_only=True) as store:
        frame = load_frame(store)
    params = {**DEFAULT_PARAMS, "num_boost_round": 40, "learning_rate": 0.1}
    boosters, enc = fit_point(frame.iloc[:3000], params=params, seed=7, threads=1)
    x = encode(frame.iloc[3000:4500], enc)
    rng = np.random.default_rng(3)
    odd = x.copy()
    odd[rng.random(odd.shape) < 0.2] = np.nan  # missing anywhere, categorical or numeric
    odd[:40, 0] = -0.5  # truncates to category 0
    odd[40:80, 1] = 1e6  # a category beyond every bitset
    odd[80:120, 3] = -3.0  # negative category: right
    odd[120:160, 6] = 0.0  # zero
    odd[160:200, 6] = 1e-40  # read as zero by LightGBM
    return boosters, np.vstack([x, odd])


def test_forest_equals_lightgbm_for_both_objectives(
    two_objectives: tuple[list[Any], np.ndarray],
) -> None:
    boosters, x = two_objectives
    assert np.isnan(x).any()
    texts = [b.model_to_string() for b in boosters]
    assert [t.split("objective=", 1)[1].split("\n", 1)[0] for t in texts] == [
        "regression",
        "regression_l1",
    ]
    forest = compile_texts(texts)
    assert (forest.cat_words > 0).any(), "the boosters split on categories"
    for one, text in zip(boosters, texts, strict=True):  # each objective alone
        alone = compile_texts([text]).predict(x)
        np.testing.assert_allclose(alone, one.predict(x), rtol=0, atol=1e-9)
    mean = (boosters[0].predict(x) + boosters[1].predict(x)) / 2
    got = forest.predict(x)
    np.testing.assert_allclose(got, mean, rtol=0, atol=1e-9)
    assert np.array_equal(got, mean)  # summed in LightGBM's order: the very same floats
    np.testing.assert_array_equal(forest.predict(x[:1]), mean[:1])  # a single row too


def test_forest_file_is_deterministic_and_rebuilt_when_stale(
    two_objectives: tuple[list[Any], np.ndarray], tmp_path: Path
) -> None:
    boosters, x = two_objectives
    texts = [b.model_to_string() for b in boosters]
    assert compile_texts(texts).to_bytes() == compile_texts(texts).to_bytes()
    first = load_forest(tmp_path, texts)  # missing: compiled and written
    assert first is not None and (tmp_path / FOREST_FILE).is_file()
    again = Forest.from_file(tmp_path / FOREST_FILE)
    np.testing.assert_array_equal(again.predict(x), first.predict(x))
    (tmp_path / FOREST_FILE).write_bytes(b"not a zip")  # corrupt: recompiled
    assert load_forest(tmp_path, texts) is not None
    assert Forest.from_file(tmp_path / FOREST_FILE).digest == first.digest
    other = load_forest(tmp_path, texts[:1])  # other boosters: the stale file is replaced
    assert other is not None and other.digest != first.digest
    assert Forest.from_file(tmp_path / FOREST_FILE).digest == other.digest


def test_a_model_without_lightgbm_answers_as_one_with_it(
    model_settings: Settings, bundled_store: Store, tmp_path: Path
) -> None:
    from payatlas.model.data import load_frame
    from payatlas.model.estimate import estimate_resolved
    from payatlas.model.profiles import resolve
    from payatlas.model.registry import champion_id
    from payatlas.schema import Profile

    source = model_settings.model_dir / str(champion_id(model_settings))
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    (folder / FOREST_FILE).unlink()  # an older folder: compiled on first load
    lean = FittedModel.load(folder)
    assert lean._boosters is None and lean.forest is not None
    assert (folder / FOREST_FILE).is_file()
    full = FittedModel.load(folder, boosters=True)
    assert full._boosters is not None

    frame = load_frame(bundled_store).iloc[:200]
    np.testing.assert_allclose(lean.log_quantiles(frame), full.log_quantiles(frame), atol=1e-9)
    assert lean._boosters is None  # 200 rows x 4 levels x 2 (US): still the forest
    profiles = [
        Profile(role="ML Engineer", country="DE", level="senior"),
        Profile(role="Data Scientist", country="IN"),  # level assumed
        Profile(role="Prompt Whisperer", country="BR", level="entry", remote=100),  # unseen title
        Profile(role="Data Engineer", country="US", level="executive", company_size="S"),
    ]
    rows = [resolve(p, lean).row() for p in profiles]
    np.testing.assert_allclose(
        lean.log_quantiles_rows(rows), full.log_quantiles_rows(rows), rtol=0, atol=1e-9
    )
    rule = model_settings.disclosure
    for p in profiles:
        a = estimate_resolved(lean, resolve(p, lean), rule=rule).as_dict()
        b = estimate_resolved(full, resolve(p, full), rule=rule).as_dict()
        assert a == b
    assert lean._boosters is None  # reasons included: no LightGBM needed

    big = load_frame(bundled_store).iloc[:2000]  # over FOREST_ROWS: LightGBM is loaded
    np.testing.assert_array_equal(lean.point(big), full.point(big))
    assert lean._boosters is not None


def test_a_cli_estimate_imports_neither_lightgbm_nor_pandas(model_home: Path) -> None:
    """``payatlas estimate`` (a fresh process) answers from the compiled forest: its JSON is the
    library's estimate from LightGBM's boosters, and LightGBM, pandas and SciPy stay unloaded."""
    import json
    import os
    import subprocess
    import sys

    from payatlas.model.estimate import estimate_resolved
    from payatlas.model.profiles import resolve
    from payatlas.model.registry import champion_id
    from payatlas.schema import Profile
    from payatlas.store import Store as OwnStore

    args = ["estimate", "--role", "ML Engineer", "--country", "DE", "--level", "senior", "--json"]
    code = (
        "import sys\n"
        f"sys.argv = ['payatlas', *{args!r}]\n"
        "from payatlas.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('lightgbm', 'pandas', 'scipy', 'sklearn')\n"
        "sys.stderr.write('LOADED=' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "PAYATLAS_HOME": str(model_home)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stderr.rsplit("LOADED=", 1)[1] == ""
    settings = Settings(home=model_home)
    full = FittedModel.load(settings.model_dir / str(champion_id(settings)), boosters=True)
    profile = Profile(role="ML Engineer", country="DE", level="senior")
    want = estimate_resolved(full, resolve(profile, full), rule=settings.disclosure)
    from payatlas.model.posting_evidence import attach

    with OwnStore(settings.store_path, read_only=True) as store:
        want = attach(want, store, threshold=settings.privacy_threshold)
    assert json.loads(done.stdout) == json.loads(json.dumps(want.as_dict()))
