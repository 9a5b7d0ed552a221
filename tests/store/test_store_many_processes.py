"""One store, many processes: the real server, four CLI readers and one CLI writer on the same
home for 60 s, with API reads and API ingests on the side. Every command must succeed, and every
ingest must be in the store afterwards (nothing lost, nothing doubled)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from payatlas_live import API_KEY, server_env, start, train_champion

EXE = Path(sys.executable).with_name("payatlas")
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
SECONDS = 60.0
READERS = (
    ("benchmark", "--by", "level", "--json"),
    ("trend", "--json"),
    ("data", "show", "--json"),
    ("indicators", "--json"),
)
ACME_ACCEPTED = 9  # rows of docs/examples/acme_survey.csv the mapping accepts


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *args], env=server_env(home), capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_server_four_cli_readers_and_a_cli_writer_for_60_s(
    tmp_path: Path, bundled_db: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(bundled_db, home / "payatlas.duckdb")
    train_champion(home)
    base_records = 51_081
    server = start(home)
    failures: list[str] = []
    counts = {"reads": 0, "api_reads": 0}
    cli_sources: list[str] = []
    api_sources: list[str] = []
    waits: list[str] = []
    stop = time.monotonic() + SECONDS
    lock = threading.Lock()

    def unique_copy(tag: str) -> Path:
        """The example file with one extra, unmapped column naming this ingest: the same content
        twice would be refused as a repeat (#15), and each ingest here is a new file."""
        lines = (EXAMPLES / "acme_survey.csv").read_text(encoding="utf-8").splitlines()
        path = tmp_path / f"{tag}.csv"
        path.write_text(
            "\n".join([lines[0] + ",Batch", *(f"{line},{tag}" for line in lines[1:])]) + "\n",
            encoding="utf-8",
        )
        return path

    def reader(args: tuple[str, ...]) -> None:
        while time.monotonic() < stop:
            got = cli(home, *args)
            with lock:
                if got.returncode != 0:
                    failures.append(f"{' '.join(args)}: {got.returncode} {got.stderr[-500:]}")
                else:
                    json.loads(got.stdout)  # a whole JSON answer
                    counts["reads"] += 1
                waits.extend(line for line in got.stderr.splitlines() if "waiting for" in line)

    def writer() -> None:
        n = 0
        while time.monotonic() < stop:
            n += 1
            source = f"cli-writer-{n}"
            got = cli(
                home, "ingest", str(unique_copy(source)),
                "--mapping", str(EXAMPLES / "acme_mapping.toml"), "--source", source, "--json",
            )  # fmt: skip
            with lock:
                if got.returncode != 0:
                    failures.append(f"ingest {source}: {got.returncode} {got.stderr[-500:]}")
                else:
                    assert json.loads(got.stdout)["accepted"] == ACME_ACCEPTED
                    cli_sources.append(source)
                waits.extend(line for line in got.stderr.splitlines() if "waiting for" in line)

    def api_client() -> None:
        n = 0
        with httpx.Client(base_url=server.url, timeout=120) as http:
            while time.monotonic() < stop:
                for path in ("/v1/benchmarks?by=level", "/v1/data/versions", "/healthz"):
                    r = http.get(path)
                    with lock:
                        if r.status_code != 200:
                            failures.append(f"GET {path}: {r.status_code} {r.text[:300]}")
                        else:
                            counts["api_reads"] += 1
                n += 1
                if n % 10 == 0:  # a write through the server too, now and then
                    source = f"api-writer-{n}"
                    with (
                        open(unique_copy(source), "rb") as data,
                        open(EXAMPLES / "acme_mapping.toml", "rb") as mapping,
                    ):
                        r = http.post(
                            "/v1/ingest",
                            headers={"Authorization": f"Bearer {API_KEY}"},
                            files={"file": data, "mapping": mapping},
                            data={"source": source},
                        )
                    with lock:
                        if r.status_code != 200:
                            failures.append(f"POST ingest {source}: {r.status_code} {r.text}")
                        else:
                            api_sources.append(source)

    threads = [threading.Thread(target=reader, args=(args,)) for args in READERS]
    threads += [threading.Thread(target=writer), threading.Thread(target=api_client)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=SECONDS + 400)
        assert server.proc.poll() is None, "the server died"
        assert not failures, failures[:5]
        assert counts["reads"] >= len(READERS), counts
        assert cli_sources and api_sources, (cli_sources, api_sources)

        # nothing lost: one version per ingest, every accepted row there, seen by the server too
        versions = json.loads(cli(home, "data", "versions", "--json").stdout)
        written = sorted(v["source"] for v in versions[1:])
        assert written == sorted(cli_sources + api_sources)
        assert [v["version"] for v in versions] == list(range(1, len(versions) + 1))
        expected = base_records + ACME_ACCEPTED * (len(cli_sources) + len(api_sources))
        assert json.loads(cli(home, "data", "show", "--json").stdout)["records"] == expected
        served = httpx.get(server.url + "/v1/data/versions", timeout=60).json()
        assert served["latest"] == len(versions) and served["records"] == expected
    finally:
        server.stop()
    print(f"\n{counts}, {len(cli_sources)} CLI + {len(api_sources)} API ingests, "
          f"{len(waits)} 'waiting for' lines, e.g. {waits[:1]}")  # fmt: skip
