"""The role-family taxonomy (data only): each family's slug, label, group and description.

Which titles land in which family is decided by the rules in
:mod:`payatlas.normalize.title_patterns`; the families and their coverage of the bundled data are
described in ``docs/taxonomy.md``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RoleFamily:
    slug: str
    label: str
    group: str  # "ai_ml" | "data" | "software" | "management" | "other" | "out_of_scope"
    description: str


# fmt: off
_F = RoleFamily
ROLE_FAMILIES: tuple[RoleFamily, ...] = (
    _F("ml_engineer", "ML Engineer", "ai_ml",
       "Machine-learning, deep-learning, computer-vision and NLP engineers and developers."),
    _F("mlops_engineer", "MLOps Engineer", "ai_ml",
       "MLOps and ML infrastructure / platform / performance engineers."),
    _F("ai_engineer", "AI Engineer", "ai_ml",
       "AI and GenAI/LLM engineers, developers and specialists; AI and ML architects."),
    _F("prompt_engineer", "Prompt Engineer", "ai_ml", "Prompt engineers and prompt designers."),
    _F("research_scientist", "Research Scientist", "ai_ml",
       "Research scientists, ML/AI scientists and researchers."),
    _F("applied_scientist", "Applied Scientist", "ai_ml",
       "Applied scientists and applied ML/AI scientists."),
    _F("research_engineer", "Research Engineer", "ai_ml",
       "Research engineers, including AI/ML research engineers."),
    _F("ai_product_manager", "AI Product Manager", "ai_ml",
       "Product managers and product owners of AI/ML products."),
    _F("data_scientist", "Data Scientist", "data",
       "Data and decision scientists, quantitative researchers and analysts, statisticians, "
       "statistical programmers, computational biologists."),
    _F("data_engineer", "Data Engineer", "data",
       "Data, big-data, ETL, data-integration, -platform and -pipeline engineers and developers."),
    _F("analytics_engineer", "Analytics Engineer", "data", "Analytics engineers."),
    _F("data_analyst", "Data Analyst", "data",
       "Data, business, product, marketing, research and insight analysts."),
    _F("business_intelligence", "Business Intelligence", "data",
       "BI analysts, developers and engineers, Power BI/Tableau, data visualisation roles."),
    _F("data_architect", "Data Architect", "data", "Data architects and data modelers."),
    _F("data_operations", "Data Operations & Governance", "data",
       "Data specialists, data management, quality, governance, operations and master data."),
    _F("software_engineer", "Software Engineer", "software",
       "Software engineers and developers (back end, front end, full stack, QA), technical "
       "leads, members of technical staff."),
    _F("devops_engineer", "DevOps / Infrastructure Engineer", "software",
       "DevOps, SRE, platform, cloud, infrastructure, systems and security engineers; DBAs."),
    _F("solutions_architect", "Solutions Architect / Engineer", "software",
       "Solutions architects and engineers, sales engineers, developer advocates."),
    _F("robotics_engineer", "Robotics Engineer", "software",
       "Robotics and autonomous-systems engineers and technicians."),
    _F("ai_ml_manager", "AI/ML Manager", "management",
       "Managers, leads, heads, directors and executives of AI / ML teams."),
    _F("data_manager", "Data & Analytics Manager", "management",
       "Managers, leads, heads, directors and executives of data, data-science, analytics "
       "and BI teams."),
    _F("engineering_manager", "Engineering Manager", "management",
       "Engineering / software / technology managers, directors, VPs and CTOs."),
    _F("manager", "Manager", "management",
       "Managers, directors and executives whose title names no data, AI or engineering area."),
    _F("product_manager", "Product Manager", "other",
       "Product managers and product owners (data products and unspecified)."),
    _F("consultant", "Consultant / Associate", "other",
       "Consultants and untitled 'Associate' roles (consulting and finance grades)."),
    _F("other", "Other", "other", "Titles no rule recognises."),
)
#: titles of other professions (Social Worker, Mechanical Engineer, Associate Professor): kept
#: and flagged at ingest, left out of AI/ML analytics and training unless asked for by name
OUT_OF_SCOPE = _F("out_of_scope", "Out of scope", "out_of_scope",
                  "Titles of professions outside AI, data and software (health, education, "
                  "trades, non-software engineering, natural sciences, finance, law, sales).")
del _F
# fmt: on
#: every family slug a title can get, including ``out_of_scope`` (ROLE_FAMILIES is the taxonomy)
FAMILY_BY_SLUG: dict[str, RoleFamily] = {f.slug: f for f in (*ROLE_FAMILIES, OUT_OF_SCOPE)}
#: what PayAtlas covers, for messages that refuse an out-of-scope title
COVERAGE = (
    "AI/ML, data and software roles and their managers "
    "(e.g. ML Engineer, Data Scientist, Data Analyst, Software Engineer, Engineering Manager)"
)
