"""Role families <-> SOC occupations (OEWS) and H-1B title buckets, reviewed by hand.

Each family gets the closest of the 21 SOC occupations the bundled OEWS extract covers, with
``match`` saying how close: ``direct`` (the SOC is the family's occupation) or ``proxy`` (the
nearest occupation BLS publishes; labelled so wherever it is shown). Families no SOC in the
extract fits (robotics, product management, generic managers, other) have none. The table is
documented in docs/methodology.md ("SOC crosswalk"); a test checks every family is listed there.
"""

from __future__ import annotations

from dataclasses import dataclass

from payatlas.errors import InvalidInput
from payatlas.normalize.titles import FAMILY_BY_SLUG, resolve_role

SOC_TITLES: dict[str, str] = {
    "11-3021": "Computer and Information Systems Managers",
    "13-1082": "Project Management Specialists",
    "15-1211": "Computer Systems Analysts",
    "15-1212": "Information Security Analysts",
    "15-1221": "Computer and Information Research Scientists",
    "15-1231": "Computer Network Support Specialists",
    "15-1232": "Computer User Support Specialists",
    "15-1241": "Computer Network Architects",
    "15-1242": "Database Administrators",
    "15-1243": "Database Architects",
    "15-1244": "Network and Computer Systems Administrators",
    "15-1251": "Computer Programmers",
    "15-1252": "Software Developers",
    "15-1253": "Software Quality Assurance Analysts and Testers",
    "15-1254": "Web Developers",
    "15-1255": "Web and Digital Interface Designers",
    "15-1299": "Computer Occupations, All Other",
    "15-2031": "Operations Research Analysts",
    "15-2041": "Statisticians",
    "15-2051": "Data Scientists",
    "41-9031": "Sales Engineers",
}


@dataclass(frozen=True, slots=True)
class SocMatch:
    """A family's closest SOC occupation and how close it is."""

    family: str
    soc: str
    match: str  # "direct" | "proxy"
    why: str

    @property
    def occupation(self) -> str:
        return SOC_TITLES[self.soc]

    @property
    def label(self) -> str:
        """e.g. "SOC 15-1252 Software Developers (proxy for ML Engineer)"."""
        base = f"SOC {self.soc} {self.occupation}"
        if self.match == "proxy":
            return f"{base} (proxy for {FAMILY_BY_SLUG[self.family].label})"
        return base

    def as_dict(self) -> dict[str, str]:
        return {"family": self.family, "soc": self.soc, "occupation": self.occupation,
                "match": self.match, "why": self.why, "label": self.label}  # fmt: skip


_M = SocMatch
# fmt: off
CROSSWALK: dict[str, SocMatch] = {m.family: m for m in (
    _M("data_scientist", "15-2051", "direct", "SOC 15-2051 is Data Scientists"),
    _M("software_engineer", "15-1252", "direct", "SOC 15-1252 is Software Developers"),
    _M("ml_engineer", "15-1252", "proxy",
       "no SOC for ML engineers; BLS codes most of them as Software Developers"),
    _M("ai_engineer", "15-1252", "proxy", "no SOC for AI engineers; closest: Software Developers"),
    _M("mlops_engineer", "15-1252", "proxy",
       "no SOC for MLOps; closest: Software Developers"),
    _M("prompt_engineer", "15-1252", "proxy",
       "no SOC for prompt engineers; closest: Software Developers"),
    _M("research_scientist", "15-1221", "direct",
       "SOC 15-1221 is Computer and Information Research Scientists"),
    _M("applied_scientist", "15-1221", "proxy",
       "applied scientists are coded with research scientists"),
    _M("research_engineer", "15-1221", "proxy",
       "research engineers are coded with research scientists"),
    _M("data_engineer", "15-1243", "proxy",
       "no SOC for data engineers; closest: Database Architects (data architecture and pipelines)"),
    _M("data_architect", "15-1243", "direct", "SOC 15-1243 is Database Architects"),
    _M("analytics_engineer", "15-1243", "proxy",
       "no SOC for analytics engineers; closest: Database Architects"),
    _M("data_analyst", "15-2051", "proxy",
       "no SOC for data analysts in the extract; O*NET files many under 15-2051"),
    _M("business_intelligence", "15-2051", "proxy",
       "O*NET 15-2051.01 Business Intelligence Analysts sits in 15-2051"),
    _M("data_operations", "15-1242", "proxy",
       "data management and operations: closest is Database Administrators"),
    _M("devops_engineer", "15-1244", "proxy",
       "DevOps/SRE/infrastructure: closest is Network and Computer Systems Administrators"),
    _M("solutions_architect", "15-1299", "proxy",
       "O*NET 15-1299.08 Computer Systems Engineers/Architects sits in 15-1299"),
    _M("engineering_manager", "11-3021", "direct",
       "SOC 11-3021 is Computer and Information Systems Managers"),
    _M("ai_ml_manager", "11-3021", "proxy", "AI/ML managers are coded as computing managers"),
    _M("data_manager", "11-3021", "proxy", "data managers are coded as computing managers"),
    _M("consultant", "15-1211", "proxy",
       "technology consultants: closest is Computer Systems Analysts"),
)}
# fmt: on
del _M
#: families without an OEWS occupation in the extract, and why
NO_SOC: dict[str, str] = {
    "robotics_engineer": "robotics engineers are SOC 17-2199, not in the bundled extract",
    "product_manager": "product managers have no SOC of their own (11-2021 / 11-3021 mix)",
    "ai_product_manager": "product managers have no SOC of their own",
    "manager": "a manager of no named area has no single SOC",
    "other": "titles no rule recognises",
}
#: H-1B LCA title buckets (the filing aggregates' keys) -> role family
H1B_BUCKETS: dict[str, str] = {
    "mlEng": "ml_engineer",
    "dataEng": "data_engineer",
    "analyticsEng": "analytics_engineer",
    "dataAnalyst": "data_analyst",
    "devops": "devops_engineer",
    "sre": "devops_engineer",
    "platformEng": "devops_engineer",
    "cloudEng": "devops_engineer",
    "infraEng": "devops_engineer",
    "frontend": "software_engineer",
    "backend": "software_engineer",
    "fullstack": "software_engineer",
    "mobile": "software_engineer",
    "productMgr": "product_manager",
    "techProductMgr": "product_manager",
    "productOwner": "product_manager",
}


def family_of(role: str) -> str:
    """A role text or family slug -> family slug (UnknownRole for text no rule maps)."""
    return role if role in FAMILY_BY_SLUG else resolve_role(role)


def soc_for(role: str) -> SocMatch:
    """The closest SOC occupation for a role (text or family); InvalidInput when none fits."""
    family = family_of(role)
    if family in CROSSWALK:
        return CROSSWALK[family]
    raise InvalidInput(
        f"no OEWS occupation for {FAMILY_BY_SLUG[family].label}: {NO_SOC.get(family, '')}",
        field="role",
    )
