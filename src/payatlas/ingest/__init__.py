"""Ingest: readers (format sniffing), adapters/mappings, money parsing, the pipeline."""

from payatlas.ingest.mapping import Mapping, load_mapping
from payatlas.ingest.pipeline import ingest
from payatlas.ingest.report import IngestReport

__all__ = ["IngestReport", "Mapping", "ingest", "load_mapping"]
