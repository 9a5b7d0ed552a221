"""Which job postings an analysis reads: a validated filter, and what every result says about
its source ("job postings", the dataset versions and credits behind it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from payatlas.errors import InvalidInput
from payatlas.normalize.countries import to_alpha2
from payatlas.normalize.titles import SENIORITY_RANKS, resolve_role
from payatlas.store import Store

KIND = "job_posting"
LABEL = "job postings"
#: seniority value for a title without a seniority word
UNSTATED = "unstated"
PAY_LABEL = "advertised pay in job postings, not what people earn"


@dataclass(frozen=True, slots=True, kw_only=True)
class PostingSlice:
    """A filter over the postings: every field optional (None = any)."""

    family: str | None = None
    seniority: str | None = None
    country: str | None = None
    state: str | None = None
    remote: bool | None = None
    source: str | None = None

    @classmethod
    def parse(
        cls,
        *,
        family: str | None = None,
        seniority: str | None = None,
        country: str | None = None,
        state: str | None = None,
        remote: bool | None = None,
        source: str | None = None,
    ) -> PostingSlice:
        """Validate user input: a family slug, label or title; a seniority word; any country
        spelling; a state or province code."""
        fam = resolve_role(family) if family else None
        sen = seniority.strip().lower() if seniority else None
        if sen is not None and sen not in (*SENIORITY_RANKS, UNSTATED):
            raise InvalidInput(
                f"unknown seniority {seniority!r}; use one of: "
                + ", ".join((*SENIORITY_RANKS, UNSTATED)),
                field="seniority",
            )
        code = to_alpha2(country) if country else None
        st = state.strip().upper() if state else None
        if st is not None and not (1 <= len(st) <= 3 and st.isalpha()):
            raise InvalidInput(f"state must be a code such as TX, not {state!r}", field="state")
        return cls(family=fam, seniority=sen, country=code, state=st, remote=remote,
                   source=source.strip() if source else None)  # fmt: skip

    def where(self, alias: str = "p") -> tuple[str, list[Any]]:
        """SQL condition and parameters selecting this slice's postings."""
        conds: list[str] = ["1 = 1"]
        params: list[Any] = []
        simple = (("role_family", self.family), ("country", self.country),
                  ("state", self.state), ("source", self.source))  # fmt: skip
        for column, value in simple:
            if value is not None:
                conds.append(f"{alias}.{column} = ?")
                params.append(value)
        if self.seniority == UNSTATED:
            conds.append(f"{alias}.title_seniority IS NULL")
        elif self.seniority is not None:
            conds.append(f"{alias}.title_seniority = ?")
            params.append(self.seniority)
        if self.remote is not None:
            conds.append(f"{alias}.is_remote = ?")
            params.append(self.remote)
        return " AND ".join(conds), params

    def as_dict(self) -> dict[str, Any]:
        """The filter as given (None = any)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PostingSource:
    """One postings dataset version behind a result."""

    version: int
    source: str
    credit: str | None
    postings: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def sources_of(store: Store, slice: PostingSlice) -> list[PostingSource]:
    """The postings dataset versions (with credits) holding the slice's postings."""
    where, params = slice.where()
    rows = store.execute(
        f"SELECT p.dataset_version, p.source, s.credit, count(*) FROM postings p "
        f"LEFT JOIN dataset_sources s ON s.version = p.dataset_version WHERE {where} "
        "GROUP BY ALL ORDER BY 1",
        params,
    ).fetchall()
    return [PostingSource(int(v), str(src), cr, int(n)) for v, src, cr, n in rows]


def has_postings(store: Store) -> bool:
    """True when the store holds any job postings (False for a store without the postings
    tables: one made before they existed, opened read-only)."""
    tables = store.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'postings' AND NOT temporary"
    ).fetchall()
    if not tables[0][0]:
        return False
    row = store.execute("SELECT count(*) > 0 FROM (SELECT 1 FROM postings LIMIT 1)").fetchall()
    return bool(row[0][0])


def require_postings(store: Store) -> None:
    """Raise a clear error when the store holds no job postings."""
    from payatlas.errors import NoPostings

    if not has_postings(store):
        raise NoPostings(
            "no job postings are loaded in this store; `payatlas init` on a fresh home loads "
            "the bundled job postings beside the survey"
        )
