"""Storage: the embedded DuckDB store, its schema and dataset versions."""

from payatlas.store.duckdb_store import DatasetVersion, Store

__all__ = ["DatasetVersion", "Store"]
