"""Career view: pay by career rung for a family in a country, and common moves between families.

Rungs (junior, mid, senior, staff/principal, lead/manager, director/head) are derived from title
words and the level by :func:`payatlas.normalize.seniority.career_rung`; :func:`rung_sql` is the
same rule over stored records (one definition: it is generated from the same tables).
"""

from __future__ import annotations

from payatlas.normalize.levels import normalize_level, years_to_level
from payatlas.normalize.seniority import (
    CAREER_RUNGS,
    LEVEL_RUNG,
    SENIORITY_RUNG,
    career_rung,
)
from payatlas.normalize.titles import ROLE_FAMILIES, classify_title

MANAGER_FAMILIES: tuple[str, ...] = tuple(f.slug for f in ROLE_FAMILIES if f.group == "management")


def title_rung(title: str, *, level: str | None = None, years: float | None = None) -> str | None:
    """The rung of a free-text title with an optional explicit level and years of experience.

    An explicit level wins over years; either wins over the level the title's intern/junior/senior
    word implies; title words above senior win over both (see ``career_rung``)."""
    info = classify_title(title)
    lv = normalize_level(level) if level is not None else None
    if lv is None and years is not None:
        lv = years_to_level(years)
    manager = info.family in MANAGER_FAMILIES
    return career_rung(seniority=info.seniority, level=lv or info.level, manager=manager)


def rung_sql() -> str:
    """SQL (over ``records``) for a record's rung, the rule of ``career_rung`` (the stored
    ``level`` already applies the field-over-title precedence)."""
    words = " ".join(f"WHEN title_seniority = '{w}' THEN '{r}'" for w, r in SENIORITY_RUNG.items())
    managers = ", ".join(f"'{f}'" for f in MANAGER_FAMILIES)
    levels = " ".join(f"WHEN level = '{lv}' THEN '{r}'" for lv, r in LEVEL_RUNG.items())
    return (
        f"(CASE {words} WHEN role_family IN ({managers}) THEN "
        "(CASE WHEN level = 'executive' THEN 'director_head' ELSE 'lead_manager' END) "
        f"{levels} END)"
    )


__all__ = ["CAREER_RUNGS", "MANAGER_FAMILIES", "rung_sql", "title_rung"]
