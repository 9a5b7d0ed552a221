"""Official statistics and filings beside PayAtlas' own data, each in its own tables.

- kind ``official``: BLS OEWS (metro x occupation wage percentiles, employment, location quotients,
  2022-2025 medians, the national series), BEA regional price parities, World Bank PPP factors;
- kind ``filing``: H-1B LCA aggregates (an employer's intended wage, at or above the prevailing
  wage, which is a legal floor; neither is market pay).

They ship in the package (``payatlas/data``), are loaded into the store by ``payatlas init``
(or ``payatlas data load-official``) and are never mixed into the survey records.
"""

from payatlas.official.crosswalk import CROSSWALK, H1B_BUCKETS, SocMatch, soc_for
from payatlas.official.datasets import DATASETS, Dataset
from payatlas.official.load import OfficialLoad, ensure_official, load_official

__all__ = [
    "CROSSWALK",
    "DATASETS",
    "H1B_BUCKETS",
    "Dataset",
    "OfficialLoad",
    "SocMatch",
    "ensure_official",
    "load_official",
    "soc_for",
]
