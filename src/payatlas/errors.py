"""Typed errors. The CLI and API turn these into one-line messages / 4xx responses."""

from __future__ import annotations


class PayAtlasError(Exception):
    """Base class for every error PayAtlas raises on purpose."""


class InvalidInput(PayAtlasError, ValueError):
    """A value supplied by the user (or a file) cannot be used.

    ``file``, ``row`` and ``field`` say where, when known.
    """

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.file = file
        self.row = row
        self.field = field
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class InvalidSalary(InvalidInput):
    """A pay string or number cannot be parsed into an amount."""


class UnknownCountry(InvalidInput):
    """A country name or code does not resolve to an ISO 3166-1 country."""


class UnknownCurrency(InvalidInput):
    """A currency has no exchange rate PayAtlas can use."""


class UnknownRole(InvalidInput):
    """A role or title cannot be mapped to a role family."""


class UnknownVersion(InvalidInput):
    """A dataset version the store does not hold."""


class InvalidMapping(InvalidInput):
    """A column-mapping (TOML) file is malformed or names missing columns."""


class UnreadableFile(InvalidInput):
    """A file cannot be read or its format cannot be recognised."""


class InputTooLarge(InvalidInput):
    """A file holds more (decompressed) bytes or rows than the limits allow (API: 413)."""


class StoreError(PayAtlasError):
    """The store is missing, locked, or in an unexpected state."""


class DuplicateFile(StoreError):
    """The same file content was already ingested with the same mapping."""


class EmptyStore(StoreError):
    """An operation needs data, and the store holds none."""


class NoPostings(EmptyStore):
    """A job-postings query on a store that holds no job postings (API: 409)."""


class ModelError(PayAtlasError):
    """Training, loading or promoting a model failed."""


class NoChampion(ModelError):
    """No model has been promoted yet, so nothing can be estimated."""


class PromotionRefused(ModelError):
    """A candidate model is worse than the champion on the backtest."""


class UnsafeSettings(PayAtlasError):
    """Settings that are refused outside dev mode (e.g. a placeholder API key)."""


class BacktestUnavailable(PromotionRefused):
    """A promotion needs a like-for-like backtest that cannot be run (the candidate's dataset
    version is not in the store, or its split cannot be reproduced)."""


class StoreBusy(StoreError):
    """Another process holds the store (a write in progress) and did not let go in time."""
