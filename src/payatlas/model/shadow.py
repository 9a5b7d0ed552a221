"""Shadow mode: a challenger scored beside the champion on live estimate requests, never returned.

The challenger in shadow is the MLflow alias ``shadow`` (``payatlas shadow ID``; ``payatlas
retrain --shadow`` puts a refused challenger there). For each ``POST /v1/estimate`` the API
hands the request to :func:`submit` after the answer is ready: it only puts the profile on a
bounded queue (a full queue drops the request, counted), and one background thread loads the
shadow model, estimates the same profile with it and appends one JSON line to
``models/shadow/<model id>.jsonl``: time, champion and shadow id, the resolved cohort (role
family, level, country: no free text) and both models' P10/P50/P90 in USD. The champion's
answer is never changed or delayed by more than the queue hand-off.

:func:`shadow_stats` summarises a shadow log (requests scored, median and mean absolute
difference of the P50 in log pay, share of shadow P50s inside the champion's P10-P90, width
ratio), shown by ``payatlas models``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import queue
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import payatlas.model.tracking as tracking
from payatlas.errors import PayAtlasError
from payatlas.model.registry import champion_id, load_model, shadow_id
from payatlas.output import Output
from payatlas.schema import Profile
from payatlas.settings import Settings

QUEUE_SIZE = 1024
BATCH = 256  # queued requests scored and appended together
SEEN_SIZE = 4096  # the shadow's answers to profiles seen before, per process
_seen: dict[tuple[str, int], tuple[dict[str, Any], str]] = {}
_queue: queue.Queue[tuple[str, Profile, dict[str, Any], Settings]] = queue.Queue(QUEUE_SIZE)
_state = {"dropped": 0, "scored": 0, "failed": 0}
_worker: list[threading.Thread] = []
_start = threading.Lock()
STATS_SIZE = 64  # shadow logs whose summary is kept, per process
#: per shadow log, its (mtime, size) when last read and its summary
_stats: dict[Path, tuple[tuple[int, int], ShadowStats]] = {}


def log_path(settings: Settings, model_id: str) -> Path:
    """The shadow log of one model."""
    return settings.model_dir / "shadow" / f"{model_id}.jsonl"


def submit(profile: Profile, answer: dict[str, Any], settings: Settings) -> bool:
    """Queue ``profile`` (and the champion's ``answer``) for scoring by the shadow model, if
    one is set and differs from the champion that answered; cheap (no model work here).
    Returns True when queued."""
    shadow = tracking.last_alias(settings, tracking.SHADOW)  # the answer just read the registry
    if shadow is None or shadow == answer.get("model_version"):
        return False
    _ensure_worker()
    try:
        _queue.put_nowait((shadow, profile, answer, settings))
    except queue.Full:
        _state["dropped"] += 1
        return False
    return True


def _ensure_worker() -> None:
    if _worker and _worker[0].is_alive():
        return
    with _start:
        if not (_worker and _worker[0].is_alive()):
            thread = threading.Thread(target=_run, name="payatlas-shadow", daemon=True)
            thread.start()
            _worker[:] = [thread]


def _run() -> None:
    while True:
        batch = [_queue.get()]  # then whatever else is queued, written in one append
        while len(batch) < BATCH:
            try:
                batch.append(_queue.get_nowait())
            except queue.Empty:
                break
        lines: dict[Path, list[str]] = {}
        at = json.dumps(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        for shadow, profile, answer, settings in batch:
            try:
                rest = _line_rest(shadow, profile, answer, settings)
                path = log_path(settings, shadow)
                lines.setdefault(path, []).append(f'{{"at": {at}, {rest}\n')
                _state["scored"] += 1
            except (PayAtlasError, OSError, ValueError):
                _state["failed"] += 1  # a shadow problem never reaches the caller
        for path, texts in lines.items():
            try:
                _append(path, texts)
            except OSError:
                _state["failed"] += len(texts)
        for _ in batch:
            _queue.task_done()


def _append(path: Path, texts: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:  # whole lines, appended
        out.write("".join(texts))


def stats_of_queue() -> dict[str, int]:
    """This process's shadow requests scored, dropped (queue full) and failed."""
    return dict(_state)


def drain(timeout: float = 10.0) -> None:
    """Wait until every queued request is scored (for tests and shutdown)."""
    deadline = dt.datetime.now() + dt.timedelta(seconds=timeout)
    while _queue.unfinished_tasks and dt.datetime.now() < deadline:
        threading.Event().wait(0.01)


def shadow_line(
    shadow: str, profile: Profile, answer: dict[str, Any], settings: Settings
) -> dict[str, Any]:
    """Estimate ``profile`` with the ``shadow`` model: the log line comparing it with the
    champion's ``answer``."""
    from payatlas.model.estimate import estimate_resolved
    from payatlas.model.profiles import resolve

    model = load_model(shadow, settings)
    est = estimate_resolved(model, resolve(profile, model), rule=settings.disclosure, reasons=False)
    return {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "champion": answer.get("model_version") or champion_id(settings),
        "shadow": shadow,
        "role_family": est.role_family,
        "level": est.level,
        "country": est.country,
        "champion_usd": [answer.get("p10"), answer.get("p50"), answer.get("p90")],
        "shadow_usd": [est.p10, est.p50, est.p90],
    }


def _line_rest(shadow: str, profile: Profile, answer: dict[str, Any], settings: Settings) -> str:
    """A log line without its time, as JSON text after ``{"at": ..., ``. A cached champion
    answer is one shared object per profile, so the text is remembered per (shadow, answer)."""
    key = (shadow, id(answer))
    found = _seen.get(key)
    if found is not None and found[0] is answer:
        return found[1]
    line = shadow_line(shadow, profile, answer, settings)
    line.pop("at")
    text = json.dumps(line, sort_keys=True)[1:]
    if len(_seen) >= SEEN_SIZE:
        _seen.clear()
    _seen[key] = (answer, text)  # holds the answer, so its id is not reused meanwhile
    return text


def score_one(profile: Profile, answer: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Estimate ``profile`` with the model in shadow and append the comparison to its log."""
    shadow = shadow_id(settings)
    if shadow is None:
        raise PayAtlasError("no model in shadow")
    line = shadow_line(shadow, profile, answer, settings)
    _append(log_path(settings, str(line["shadow"])), [json.dumps(line, sort_keys=True) + "\n"])
    return line


@dataclass(frozen=True, slots=True)
class ShadowStats(Output):
    """How a shadow model's answers compared with the champion's on live requests."""

    model_id: str
    requests: int
    champions: tuple[str, ...]
    median_abs_p50_log_diff: float | None
    mean_p50_log_diff: float | None  # shadow minus champion (> 0: the shadow says more)
    share_inside_champion_range: float | None
    width_ratio: float | None  # median of shadow P90/P10 over champion P90/P10
    first: str | None
    last: str | None
    source: str = "live POST /v1/estimate requests scored in shadow"


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def shadow_stats(settings: Settings, model_id: str) -> ShadowStats:
    """Summary of a model's shadow log (zero requests when it has none). A log unchanged since
    this process last read it (the same modification time and size) is not read again."""
    path = log_path(settings, model_id)
    try:
        st = path.stat()
    except OSError:
        return _summary(model_id, [])
    if not stat.S_ISREG(st.st_mode):
        return _summary(model_id, [])
    key = (st.st_mtime_ns, st.st_size)
    found = _stats.get(path)
    if found is not None and found[0] == key:
        return found[1]
    lines: list[dict[str, Any]] = []
    for text in path.read_text(encoding="utf-8").splitlines():
        try:
            lines.append(json.loads(text))
        except ValueError:
            continue  # a line cut by a crash
    summary = _summary(model_id, lines)
    if len(_stats) >= STATS_SIZE:
        _stats.clear()
    _stats[path] = (key, summary)  # read after the stat: never older than its key
    return summary


def _summary(model_id: str, lines: list[dict[str, Any]]) -> ShadowStats:
    diffs, inside, widths, champs = [], [], [], []
    for line in lines:
        c, s = line.get("champion_usd") or [], line.get("shadow_usd") or []
        if len(c) != 3 or len(s) != 3 or not all(isinstance(v, int | float) and v > 0
                                                 for v in (*c, *s)):  # fmt: skip
            continue
        diffs.append(math.log(s[1]) - math.log(c[1]))
        inside.append(c[0] <= s[1] <= c[2])
        widths.append((s[2] / s[0]) / (c[2] / c[0]))
        if line.get("champion") not in champs:
            champs.append(str(line.get("champion")))
    n = len(diffs)
    return ShadowStats(
        model_id=model_id,
        requests=n,
        champions=tuple(champs),
        median_abs_p50_log_diff=_median([abs(d) for d in diffs]),
        mean_p50_log_diff=sum(diffs) / n if n else None,
        share_inside_champion_range=sum(inside) / n if n else None,
        width_ratio=_median(widths),
        first=lines[0].get("at") if lines else None,
        last=lines[-1].get("at") if lines else None,
    )


def set_shadow(settings: Settings, model_id: str | None) -> str | None:
    """Serve ``model_id`` in shadow (None: stop); returns the previous shadow model."""
    import payatlas.model.tracking as tracking
    from payatlas.model.registry import get_record, registry_lock

    with registry_lock(settings):
        previous = shadow_id(settings)
        if model_id is None:
            tracking.delete_alias(settings, tracking.SHADOW)
        else:
            get_record(model_id, settings)  # ModelError for an unknown id
            tracking.set_alias(settings, tracking.SHADOW, model_id)
    return previous
