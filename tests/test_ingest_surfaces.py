"""Ingest integrity through the CLI (`payatlas ingest ... --json`, a real subprocess) and the API
(POST /v1/ingest on a real uvicorn server) (#15): the counts add up, the store holds exactly the
accepted rows, hostile files get a one-line typed error (CLI) or a 4xx (API): no tracebacks, no
5xx, no server paths.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from payatlas_live import LiveServer, start

from payatlas.store import Store

EXE = Path(sys.executable).with_name("payatlas")
HEADER = "title,pay,currency,country,date\n"
MAPPING = (
    '[columns]\ntitle = "title"\npay = "pay"\ncurrency = "currency"\ncountry = "country"\n'
    'date = "date"\n'
)
ISSUE = (  # the issue's reproduction: 3 read, 12 accepted, 12 stored
    HEADER + "Data Scientist,100000,USD,US,2024-03-15\nData Engineer,120000,USD,US,15.03.2024\n"
    "Data Analyst,90000,USD,US,2024-03-15\n"
)

#: name -> (file bytes, rows the file holds; None: the file is refused)
FILES: dict[str, tuple[bytes, int | None]] = {
    "issue.csv": (ISSUE.encode(), 3),
    "latin1.csv": ((HEADER + "Datenanalyst Zürich,90000,CHF,CH,2024-03-15\n").encode("latin-1"), 1),
    "utf16.csv": (ISSUE.replace("Analyst", "Analyst – BI").encode("utf-16"), 3),
    "mixed.csv": (ISSUE.replace("\n", "\r\n", 2).encode(), 3),
    "rowid.csv": (("rowid," + ISSUE.replace("\nD", "\n1,D")).encode(), 3),
    "spellings.csv": (
        (
            HEADER + "Data Scientist,$100k,usd,usa,15.03.2024\nData Scientist,100000,USD,US,"
            '2024-03-15T10:00:00\nData Scientist,"100,000",USD,United States,2024/03/15\n'
            "Data Scientist,100000,XXX,none,2024-03-15\n"
        ).encode(),
        4,
    ),
    "quote.csv": ((HEADER + '"Data Scientist,100000,USD,US,2024-03-15\n' * 2).encode(), None),
    "object.json": (b'{\n "rows": [{"title": "x"}]\n}\n', None),
    "binary.csv": (bytes(range(256)) * 8, None),
}


def random_file(seed: int) -> bytes:
    """A small CSV of mixed spellings (the same generator idea as the library property test)."""
    rng = random.Random(seed)
    days = ["2024-03-15", "15.03.2024", "2024/03/15", "Mar 2024", "2023-01-02", "bad", ""]
    pays = ["100000", "100,000", "$100k", "€90K-€110K", "n/a", "", "1e400"]
    lines = [
        ",".join([
            rng.choice(["Data Scientist", "ML Engineer", "", "Basket Weaver"]),
            '"' + rng.choice(pays) + '"',
            rng.choice(["USD", "eur", "XXX", ""]),
            rng.choice(["US", "Germany", "none", "0", "12", ""]),
            rng.choice(days),
        ])
        for _ in range(rng.randint(1, 10))
    ]  # fmt: skip
    return (HEADER + "\n".join(lines) + "\n").encode()


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYATLAS_")}
    env["PAYATLAS_HOME"] = str(home)
    return env


def stored(home: Path) -> tuple[int, int]:
    """(records, rejects) in the store of ``home``."""
    with Store(home / "payatlas.duckdb", read_only=True) as s:
        row = s.execute(
            "SELECT (SELECT count(*) FROM record_rows), (SELECT count(*) FROM rejects)"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def cli_in_process(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    """Run the console-script entry point in this process: (exit code, stdout, stderr). Any
    exception other than the exit escapes and fails the test (that would be a traceback)."""
    from payatlas.cli import main

    monkeypatch.setattr(sys, "argv", ["payatlas", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_ingest_counts_add_up_and_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from payatlas.settings import get_settings

    home = tmp_path / "home"
    monkeypatch.setenv("PAYATLAS_HOME", str(home))
    get_settings.cache_clear()
    mapping = tmp_path / "m.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    records = rejects = 0
    cases = [*FILES.items(), *((f"random{i}.csv", (random_file(i), -1)) for i in range(5))]
    try:
        for name, (content, rows) in cases:
            path = tmp_path / name
            path.write_bytes(content)
            code, out, err = cli_in_process(
                capsys, monkeypatch, "ingest", str(path), "--mapping", str(mapping), "--json"
            )
            if rows is None:
                assert code == 2, (name, out, err)
                assert err.count("\n") == 1 and name in err and err.startswith("error:")
                continue
            assert code == 0, (name, err)
            report = json.loads(out)
            if rows >= 0:
                assert report["rows_read"] == rows, name
            assert report["accepted"] + report["rejected"] == report["rows_read"], name
            assert report["flagged"] <= report["accepted"]
            records, rejects = records + report["accepted"], rejects + report["rejected"]
            assert stored(home) == (records, rejects), name
            if name == "issue.csv":
                assert (report["accepted"], report["rejected"]) == (3, 0)
            if name == "spellings.csv":  # three spellings of one row, and one misread refused
                assert (report["accepted"], report["rejected"]) == (3, 1)
        again = ("ingest", str(tmp_path / "issue.csv"), "--mapping", str(mapping), "--json")
        code, _, err = cli_in_process(capsys, monkeypatch, *again)
        assert code == 1 and "already ingested with this mapping" in err
        code, out, _ = cli_in_process(capsys, monkeypatch, *again, "--force")
        assert code == 0 and json.loads(out)["accepted"] == 3
    finally:
        get_settings.cache_clear()


def test_cli_subprocess_issue_example_and_refusals(tmp_path: Path) -> None:
    """The issue's commands as a user runs them: the real console script."""
    home = tmp_path / "home"
    (tmp_path / "d.csv").write_bytes(FILES["issue.csv"][0])
    (tmp_path / "q.csv").write_bytes(FILES["quote.csv"][0])
    (tmp_path / "d.toml").write_text(MAPPING, encoding="utf-8")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(EXE), *args], env=env_for(home), capture_output=True, text=True, timeout=120,
            cwd=tmp_path,
        )  # fmt: skip

    done = cli("ingest", "d.csv", "--mapping", "d.toml", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["rows_read"], report["accepted"], report["rejected"]) == (3, 3, 0)
    assert stored(home) == (3, 0)
    done = cli("ingest", "q.csv", "--mapping", "d.toml")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "line 2 (row 1): a quote opens a cell" in done.stderr
    assert stored(home) == (3, 0)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real server on its own empty home (the session's shared server keeps its data)."""
    home = tmp_path_factory.mktemp("ingest-api") / "home"
    home.mkdir()
    live = start(home)
    yield live
    live.stop()


def test_api_ingest_counts_add_up_and_bad_files_are_4xx(server: LiveServer) -> None:
    mapping = ("m.toml", MAPPING.encode())
    records = rejects = 0
    with httpx.Client(base_url=server.url, timeout=60) as client:
        cases = [
            *FILES.items(),
            *((f"random{i}.csv", (random_file(100 + i), -1)) for i in range(3)),
        ]
        for name, (content, rows) in cases:
            files = {"file": (name, content), "mapping": mapping}
            r = client.post("/v1/ingest", files=files, headers=server.auth)
            assert r.status_code < 500, (name, r.text)
            assert str(server.home) not in r.text and "/tmp" not in r.text, r.text
            if rows is None:
                assert r.status_code == 422, (name, r.text)
                assert r.json()["detail"][0]["msg"]
                continue
            assert r.status_code == 200, (name, r.text)
            report = r.json()
            if rows >= 0:
                assert report["rows_read"] == rows, name
            assert report["accepted"] + report["rejected"] == report["rows_read"], name
            records, rejects = records + report["accepted"], rejects + report["rejected"]
            versions = client.get("/v1/data/versions").json()
            assert versions["records"] == records, name
            assert sum(v["rejected"] for v in versions["versions"]) == rejects
            if name == "issue.csv":
                assert (report["accepted"], report["rejected"]) == (3, 0)
        # the same upload again: a clear 409 without the server's temp path
        files = {"file": ("issue.csv", FILES["issue.csv"][0]), "mapping": mapping}
        r = client.post("/v1/ingest", files=files, headers=server.auth)
        assert r.status_code == 409 and "already ingested with this mapping" in r.text
        assert "payatlas-upload" not in r.text
        # a corrected mapping is a new version of the same content
        fixed = ("m.toml", (MAPPING + '[defaults]\nperiod = "year"\n').encode())
        r = client.post("/v1/ingest", files={"file": files["file"], "mapping": fixed},
                        headers=server.auth)  # fmt: skip
        assert r.status_code == 200, r.text
        # a mapping that is not UTF-8 is a 422 naming the mapping, not a 500
        bad = ("m.toml", '[source]\nname = "café"\n'.encode("latin-1") + MAPPING.encode())
        r = client.post("/v1/ingest", files={"file": files["file"], "mapping": bad},
                        headers=server.auth)  # fmt: skip
        assert r.status_code == 422 and "not UTF-8" in r.text, r.text
