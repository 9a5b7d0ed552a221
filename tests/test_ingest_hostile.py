"""Hostile and awkward files through the library (#15, item 4, reader parts): any encoding is read
or refused with a clear message; CSV errors name the line; huge lines and cells are bounded;
DuckDB's own names (``rowid``) are ordinary columns; a bad mapping file names itself. Whatever
happens, the error is a typed :class:`~payatlas.errors.InvalidInput` and the store is unchanged.
"""

from __future__ import annotations

import codecs
import gzip
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payatlas.errors import InvalidInput, InvalidMapping, UnreadableFile
from payatlas.ingest import IngestReport, ingest, load_mapping
from payatlas.ingest.encoding import detect
from payatlas.ingest.mapping import mapping_from_dict
from payatlas.store import Store

MAPPING = mapping_from_dict(
    {
        "columns": {"title": "title", "pay": "pay", "country": "country", "year": "year"},
        "defaults": {"currency": "EUR"},
    }
)
HEADER = "title,pay,country,year\n"
TITLES = ["Ingénieur Données", "Datenanalyst Zürich", "Data Scientist – NLP", "Científico"]
TEXT = HEADER + "".join(f"{t},{60_000 + i},FR,2024\n" for i, t in enumerate(TITLES))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "x.duckdb")
    yield s
    s.close()


def titles(db: Store, version: int = 1) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT raw_title FROM records WHERE dataset_version = ? ORDER BY source_row",
            [version],
        ).fetchall()
    ]


def accounted(db: Store, report: IngestReport) -> None:
    assert report.accepted + report.rejected == report.rows_read
    v = report.dataset_version
    stored = db.execute(
        "SELECT (SELECT count(*) FROM records WHERE dataset_version = ?) + "
        "(SELECT count(*) FROM rejects WHERE dataset_version = ?)",
        [v, v],
    ).fetchone()
    assert stored == (report.rows_read,)


ENCODED = {
    "latin-1": TEXT.replace("–", "-").encode("latin-1"),
    "cp1252": TEXT.encode("cp1252"),
    "utf-8-bom": codecs.BOM_UTF8 + TEXT.encode(),
    "utf-16-bom": TEXT.encode("utf-16"),
    "utf-16-be-bom": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "utf-16-le-no-bom": TEXT.encode("utf-16-le"),
    "utf-32-bom": TEXT.encode("utf-32"),
}


@pytest.mark.parametrize("name", ENCODED)
def test_any_common_encoding_loads_every_row_correctly(
    db: Store, tmp_path: Path, name: str
) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(ENCODED[name])
    report = ingest(path, store=db, mapping=MAPPING)
    accounted(db, report)
    assert report.rejected == 0
    expected = [t.replace("–", "-") if name == "latin-1" else t for t in TITLES]
    assert titles(db) == expected


def test_gzipped_cp1252_file(db: Store, tmp_path: Path) -> None:
    path = tmp_path / "f.csv.gz"
    path.write_bytes(gzip.compress(TEXT.encode("cp1252")))
    report = ingest(path, store=db, mapping=MAPPING)
    assert report.encoding == "cp1252" and titles(db) == TITLES


def test_latin1_bytes_past_the_sample_are_found(db: Store, tmp_path: Path) -> None:
    """The first 64 KB are ASCII; the Latin-1 byte comes later: the file is read again as
    a code page instead of rejecting that row."""
    lines = [f"Data Scientist {i},{60_000 + i},FR,2024\n" for i in range(3000)]
    text = HEADER + "".join(lines) + "Datenanalyst Zürich,70000,CH,2024\n"
    path = tmp_path / "late.csv"
    path.write_bytes(text.encode("latin-1"))
    report = ingest(path, store=db, mapping=MAPPING)
    assert (report.rows_read, report.rejected) == (3001, 0)
    assert titles(db)[-1] == "Datenanalyst Zürich"


def test_mapping_names_the_encoding(db: Store, tmp_path: Path) -> None:
    text = HEADER + "Инженер данных,100000,RU,2024\nАналитик данных,90000,RU,2024\n"
    path = tmp_path / "ru.csv"
    path.write_bytes(text.encode("cp1251"))
    mapping = mapping_from_dict(
        {"source": {"encoding": "windows-1251"}, "columns": MAPPING.columns,
         "defaults": MAPPING.defaults}
    )  # fmt: skip
    report = ingest(path, store=db, mapping=mapping)
    assert report.encoding == "cp1251"
    assert titles(db) == ["Инженер данных", "Аналитик данных"]
    with pytest.raises(InvalidMapping, match="unknown text encoding"):
        mapping_from_dict({"source": {"encoding": "klingon"}, "columns": MAPPING.columns})


def test_binary_file_is_refused_clearly(db: Store, tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(UnreadableFile, match="zero bytes: it is binary") as err:
        ingest(path, store=db, mapping=MAPPING)
    assert err.value.file == str(path)
    assert db.is_empty()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("obj.json", '{\n  "data": [{"title": "x"}]\n}\n', "one object, not records"),
        ("n.json", "42\n", "holds '42'"),
        ("s.json", '"hello"', "not records"),
    ],
)
def test_json_that_is_not_records_is_a_clear_error(
    db: Store, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnreadableFile, match=message):
        ingest(path, store=db, mapping=MAPPING)
    assert db.is_empty()


def test_unclosed_quote_names_its_line(db: Store, tmp_path: Path) -> None:
    text = HEADER + "Data Scientist,100000,FR,2024\n" + '"Data Engineer,90000,FR,2024\n' * 2
    path = tmp_path / "q.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnreadableFile, match=r"line 3 \(row 2\): a quote opens a cell") as err:
        ingest(path, store=db, mapping=MAPPING)
    assert "sniffing" not in str(err.value)
    assert db.is_empty()


def test_mixed_line_endings_are_read(db: Store, tmp_path: Path) -> None:
    text = (HEADER.replace("\n", "\r\n") + "Data Scientist,100000,FR,2024\r\n"
            "Data Engineer,90000,FR,2024\nData Analyst,80000,FR,2024\r\n"
            "ML Engineer,70000,FR,2024\r")  # fmt: skip
    path = tmp_path / "m.csv"
    path.write_bytes(text.encode())
    report = ingest(path, store=db, mapping=MAPPING)
    accounted(db, report)
    assert titles(db) == ["Data Scientist", "Data Engineer", "Data Analyst", "ML Engineer"]


def test_line_over_2mb_is_one_reject_naming_its_row(db: Store, tmp_path: Path) -> None:
    huge = "x" * (2 * 1024 * 1024 + 10)
    text = (HEADER + "Data Scientist,100000,FR,2024\n" + f"Data {huge},90000,FR,2024\n"
            "Data Analyst,80000,FR,2024\n")  # fmt: skip
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8")
    report = ingest(path, store=db, mapping=MAPPING)
    accounted(db, report)
    assert (report.rows_read, report.accepted, report.rejected) == (3, 2, 1)
    row, reason = db.execute("SELECT source_row, reason FROM rejects").fetchone()
    assert row == 2 and "Maximum line size" in reason


@pytest.mark.parametrize("column", ["pay", "title", "country"])
def test_a_1mb_cell_is_quick(db: Store, tmp_path: Path, column: str) -> None:
    # #15: a 1 MB cell took 33 s (DuckDB's sniffer re-reading the sample)
    big = {"pay": "1" * 1_000_000, "title": "Data " + "x" * 1_000_000, "country": "F" * 10**6}
    cells = {"title": "Data Engineer", "pay": "90000", "country": "FR", column: big[column]}
    text = (HEADER + "Data Scientist,100000,FR,2024\n"
            f"{cells['title']},{cells['pay']},{cells['country']},2024\n")  # fmt: skip
    path = tmp_path / "cell.csv"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    report = ingest(path, store=db, mapping=MAPPING)
    assert time.perf_counter() - started < 10
    accounted(db, report)
    assert report.rows_read == 2


def test_duckdb_names_are_ordinary_columns(db: Store, tmp_path: Path) -> None:
    text = ('rowid,ROWID,select,"from",order,title,pay,country,year,"a ""quoted"" name"\n'
            "1,2,3,4,5,Data Scientist,100000,FR,2024,q\n"
            "6,7,8,9,10,Data Engineer,90000,FR,2024,r\n")  # fmt: skip
    path = tmp_path / "rowid.csv"
    path.write_text(text, encoding="utf-8")
    mapping = mapping_from_dict(
        {"columns": {**MAPPING.columns, "city": "rowid", "company": "a \"quoted\" name",
                     "industry": "ROWID_2"}, "defaults": MAPPING.defaults}
    )  # fmt: skip
    report = ingest(path, store=db, mapping=mapping)
    accounted(db, report)
    got = db.execute("SELECT city, company, industry FROM records ORDER BY source_row").fetchall()
    assert got == [("1", "q", "2"), ("6", "r", "7")]
    raw = db.execute("SELECT raw FROM rejects").fetchall()
    assert raw == []


def test_mapping_that_is_not_utf8_names_the_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes('[source]\nname = "café"\n[columns]\ntitle = "t"\n'.encode("latin-1"))
    with pytest.raises(InvalidMapping, match="line 2: the mapping file is not UTF-8") as err:
        load_mapping(path)
    assert err.value.file == str(path)


def test_encoding_detection_rules() -> None:
    assert detect("Zürich".encode(), file="f") == "utf-8"
    assert detect("Zürich, Genève".encode("latin-1"), file="f") == "cp1252"
    assert detect(b"\xff\xfet\x00", file="f") == "utf-16"
    assert detect("Инженер данных Аналитик".encode("cp1251"), file="f") != "cp1252"
    mostly = ("Zürich " * 20).encode() + b"\xff"
    assert detect(mostly, file="f") == "utf-8"  # a broken byte in UTF-8 text: that row fails


# -- fuzz: random text in random encodings, line ends and quoting --------------------------------

cells = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=12
)
lines = st.lists(st.tuples(cells, st.integers(0, 300_000), cells), min_size=1, max_size=8)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=lines,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    quote=st.booleans(),
    tail=st.sampled_from(["", '"', "\x00", "\ufeff", ",,,,"]),
)
def test_fuzz_files_are_read_or_refused_with_a_typed_error(
    db: Store,
    tmp_path: Path,
    rows: list[tuple[str, int, str]],
    encoding: str,
    newline: str,
    quote: bool,
    tail: str,
) -> None:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if quote else text

    body = HEADER.rstrip("\n") + newline
    body += "".join(f"{cell(t)},{p},{cell(c)},2024{newline}" for t, p, c in rows) + tail
    path = tmp_path / "fuzz.csv"
    path.write_bytes(body.encode(encoding, errors="replace"))
    before = db.execute("SELECT count(*) FROM dataset_versions").fetchone()
    try:
        report = ingest(path, store=db, mapping=MAPPING, allow_same_file=True)
    except InvalidInput as exc:  # refused: clearly, naming the file, and nothing written
        assert exc.file and exc.reason
        assert db.execute("SELECT count(*) FROM dataset_versions").fetchone() == before
        return
    accounted(db, report)
