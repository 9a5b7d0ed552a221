"""Job titles -> role families, seniority words and experience levels.

A free-text title ("Sr. ML Engineer, NLP") is normalised to lowercase ASCII words, common
abbreviations are expanded ("ml" -> "machine learning", "sr" -> "senior", "cto" -> "chief
technology officer"), and an ordered rule table is tried top to bottom: the first rule whose
pattern matches names the family. Manager rules come first but only fire when the title is a
people-manager title (see :func:`_is_manager`), so "Lead Data Scientist" stays a data scientist
while "Data Science Manager" and "Data Lead" become data & analytics managers.

Levels: a title can *imply* a level through its seniority words (``title_level_to_level``), but
an explicit level field (EN/MI/SE/EX, "senior", ...) always wins over the title. Applying that
precedence is the caller's job; this module only reports what each source says.

The taxonomy, the rule order and the measured coverage are described in ``docs/taxonomy.md``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from payatlas.errors import InvalidInput, UnknownRole


@dataclass(frozen=True, slots=True)
class RoleFamily:
    slug: str
    label: str
    group: str  # "ai_ml" | "data" | "software" | "management" | "other"
    description: str


@dataclass(frozen=True, slots=True)
class TitleInfo:
    family: str
    seniority: str | None
    level: str | None
    matched: bool


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
       "Data, business, product, marketing, research and insight analysts; untitled analysts."),
    _F("business_intelligence", "Business Intelligence", "data",
       "BI analysts, developers and engineers, Power BI/Tableau, data visualisation roles."),
    _F("data_architect", "Data Architect", "data", "Data architects and data modelers."),
    _F("data_operations", "Data Operations & Governance", "data",
       "Data specialists, data management, quality, governance, operations and master data."),
    _F("software_engineer", "Software Engineer", "software",
       "Software engineers and developers (back end, front end, full stack, QA), untitled "
       "engineers, technical leads, members of technical staff."),
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
del _F
# fmt: on
FAMILY_BY_SLUG: dict[str, RoleFamily] = {f.slug: f for f in ROLE_FAMILIES}

LEVELS: tuple[str, ...] = ("entry", "mid", "senior", "executive")
LEVEL_CODES: dict[str, str] = {"EN": "entry", "MI": "mid", "SE": "senior", "EX": "executive"}

# --- normalisation -----------------------------------------------------------------------------
# (pattern, replacement) applied in order to the lowercased, punctuation-free title.
_REWRITES: tuple[tuple[str, str], ...] = (
    (r"\bmember of (the )?technical staff\b", "mts"),
    (r"\bartificial intelligence\b", "ai"),
    (r"\b(ml ops|ml operations|machine learning ops|machine learning operations)\b", "mlops"),
    (r"\bmle\b", "machine learning engineer"),
    (r"\bml\b", "machine learning"),
    (r"\bbusiness intelligence\b", "bi"),
    (r"\bnatural language processing\b", "nlp"),
    (r"\b(gen ai|generative ai)\b", "genai"),
    (r"\blarge language models?\b|\bllms\b", "llm"),
    (r"\b(sr|snr)\b", "senior"),
    (r"\b(jr|jnr)\b", "junior"),
    (r"\b(vice president|svp|evp)\b", "vp"),
    (r"\bdev ops\b", "devops"),
    (r"\bfull stack\b", "fullstack"),
    (r"\bfront end\b", "frontend"),
    (r"\bback end\b", "backend"),
    (r"\b(swe|sde)\b", "software engineer"),
    (r"\bsre\b", "site reliability engineer"),
    (r"\bdba\b", "database administrator"),
    (r"\b(viz|visualisation)\b", "visualization"),
    (r"\bcto\b", "chief technology officer"),
    (r"\bcdo\b", "chief data officer"),
    (r"\bcaio\b", "chief ai officer"),
    (r"\bcao\b", "chief analytics officer"),
    (r"\bcio\b", "chief information officer"),
    (r"\bcpo\b", "chief product officer"),
    (r"\b(ceo|coo|cfo)\b", "chief executive officer"),
    (r"\b(ingenieur|ingeniero|engenheiro)\b", "engineer"),
    (r"\b(entwickler|desarrollador|developpeur)\b", "developer"),
    (r"\b(analista|analyste)\b", "analyst"),
)
_REWRITES_RE = tuple((re.compile(p), r) for p, r in _REWRITES)


_MAX_TITLE = 200


def _normalise(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    for pattern, replacement in _REWRITES_RE:
        text = pattern.sub(replacement, text)
    return text


# --- family rules ------------------------------------------------------------------------------
_AI = r"\b(ai|machine learning|deep learning|computer vision|nlp|mlops|genai|llm)\b"
_DATA = r"\b(data|analytics|bi|insights?|statistics|reporting)\b"
_ENG = (
    r"\b(engineering|engineers?|software|technology|technical|development|platform|"
    r"infrastructure|devops|it|tech|qa|security|information)\b"
)
_STRONG_MANAGER = re.compile(
    r"\b(manager|managers|head|director|directors|vp|chief|team lead|team leader|supervisor)\b"
)
_WEAK_LEAD = re.compile(r"\blead(er)?\b")
_IC_NOUN = re.compile(
    r"\b(engineer|developer|scientist|analyst|architect|researcher|programmer|specialist|"
    r"designer|consultant|modell?er|administrator|technician|statistician|tech lead|"
    r"technical lead)\b"
)

# (family, pattern[, also]): first match wins. ``also`` is an extra pattern the title must match
# too, or _MANAGER: the title must be a people-manager title (see _is_manager).
_MANAGER = "<manager>"
# fmt: off
_RULES: tuple[tuple[str, ...], ...] = (
    ("solutions_architect", r"\btechnical account manager\b"),
    ("ai_product_manager", r"\bproduct (manager|owner|lead|management)\b", _AI),
    ("ai_product_manager", r"\b(head|director|vp|chief) (of )?product\b", _AI),
    ("product_manager", r"\bproduct (manager|owner|lead|management)\b"),
    ("product_manager", r"\b(head|director|vp|chief) (of )?product\b"),
    ("ai_ml_manager", _AI, _MANAGER),
    ("data_manager", _DATA, _MANAGER),
    ("engineering_manager", _ENG, _MANAGER),
    ("prompt_engineer", r"\bprompt\b"),
    ("mlops_engineer", r"\b(mlops|llmops|aiops)\b|\b(machine learning|ai) (infrastructure|infra|"
                       r"platform|performance|systems|deployment)\b"),
    ("research_engineer", r"\bresearch engineer"),
    ("applied_scientist", r"\bapplied ((machine learning|ai) )?scientist\b"),
    ("research_scientist", rf"\bresearch scientist\b|{_AI} (research )?(scientist|researcher)\b"),
    ("analytics_engineer", r"\banalytics engineer(ing)?\b|\bdbt\b"),
    ("business_intelligence", r"\bbi\b|\b(tableau|looker|qlik|qlikview|microstrategy)\b|"
                              r"\bdata visualization\b"),
    ("data_architect", r"\bdata (warehouse )?architect|\bdata modell?(er|ing)\b|"
                       r"\bdatabase architect"),
    ("data_scientist", r"\bdata scien(tist|ce)\b|\bdecision scien|\bquant(itative)?\b|"
                       r"\b(bio)?statistic|\bbioinformatic|\bcomputational (biolog|scien)|"
                       r"\beconometric"),
    ("data_engineer", r"\bdata( \w+)? (engineer|engineering|developer)\b|\bbig data\b|"
                      r"\b(etl|elt|dataops|databricks|snowflake|spark|hadoop)\b|"
                      r"\bdatabase (engineer|developer)\b"),
    ("data_operations", r"\bdata (governance|quality|management|operations|ops|integrity|"
                        r"stewardship|steward|entry|specialist|coordinator|integration|"
                        r"protection|privacy|administrator|operator|associate|technician|"
                        r"clerk|curator|annotator|annotation|labell?er|labell?ing)\b|"
                        r"\bmaster data\b"),
    ("data_analyst", r"\banaly(st|sts|tics|sis)\b|\binsights?\b|\breporting\b|"
                     r"\bresearch (associate|assistant)\b|\bdata strateg(ist|y)\b"),
    ("ai_engineer", r"\barchitect\b", _AI),
    ("ml_engineer", r"\b(machine learning|deep learning|computer vision|machine vision|nlp|"
                    r"speech recognition|reinforcement learning)\b"),
    ("ai_engineer", r"\b(ai|genai|llm|chatbot|conversational)\b"),
    ("research_scientist", r"\b(scientist|researcher)\b"),
    ("robotics_engineer", r"\brobot(s|ic|ics)?\b|\bautonomous\b|\bmechatronics?\b"),
    ("solutions_architect", r"\bsolutions? (architect|engineer|consultant)\b|"
                            r"\b(sales|pre ?sales|customer|field) engineer\b|"
                            r"\bdeveloper (advocate|relations|evangelist)\b|\bdevrel\b|"
                            r"\btechnical specialist\b|\bforward deployed\b"),
    ("devops_engineer", r"\b(devops|site reliability|platform|cloud|infrastructure|infra|"
                        r"systems?|network|security|cybersecurity|kubernetes|administrator|"
                        r"sysadmin)\b"),
    ("consultant", r"\b(consultant|consulting|associate|advisor|adviser)\b"),
    ("software_engineer", r"\b(software|developer|programmer|coder|backend|frontend|fullstack|"
                          r"web|mobile|ios|android|python|java|golang|javascript|qa|tester|"
                          r"test|mts|tech lead|technical lead|engineer|engineering)\b"),
    ("manager", r".", _MANAGER),
    ("data_analyst", r"\bdata\b"),
    ("research_scientist", r"\bresearch\b"),
)
# fmt: on


def _compile(rule: tuple[str, ...]) -> tuple[str, re.Pattern[str], re.Pattern[str] | None, bool]:
    family, pattern, *also = rule
    extra = re.compile(also[0]) if also and also[0] != _MANAGER else None
    return family, re.compile(pattern), extra, also == [_MANAGER]


_RULES_RE = tuple(_compile(rule) for rule in _RULES)


def _is_manager(text: str) -> bool:
    """A people-manager title: manager/head/director/VP/chief/team lead, or a bare "lead"."""
    if _STRONG_MANAGER.search(text):
        return True
    return bool(_WEAK_LEAD.search(text)) and not _IC_NOUN.search(text)


# --- seniority ---------------------------------------------------------------------------------
SENIORITY_RANKS: tuple[str, ...] = (
    "intern", "junior", "senior", "staff", "principal", "lead", "head", "director", "vp", "chief",
)  # fmt: skip
_SENIORITY_WORDS: tuple[tuple[str, str], ...] = (
    ("intern", r"\b(intern|interns|internship|stagiaire|praktikant|werkstudent|working student|"
               r"apprentice|apprenticeship|trainee|co op)\b"),
    ("junior", r"\b(junior|entry level|graduate|grad|new grad)\b"),
    ("senior", r"\bsenior\b"),
    ("staff", r"\bstaff\b"),
    ("principal", r"\bprincipal\b"),
    ("lead", r"\blead(er)?\b"),
    ("head", r"\bhead\b"),
    ("director", r"\bdirector\b"),
    ("vp", r"\bvp\b"),
    ("chief", r"\bchief\b"),
)  # fmt: skip
_SENIORITY_RE = tuple((word, re.compile(p)) for word, p in _SENIORITY_WORDS)
_SENIORITY_LEVEL: dict[str, str] = {
    "intern": "entry", "junior": "entry",
    "senior": "senior", "staff": "senior", "principal": "senior", "lead": "senior",
    "head": "executive", "director": "executive", "vp": "executive", "chief": "executive",
}  # fmt: skip


def _seniority(text: str) -> str | None:
    """The highest-ranked seniority word in a normalised title (``SENIORITY_RANKS`` order)."""
    found = None
    for word, pattern in _SENIORITY_RE:
        if pattern.search(text):
            found = word  # patterns are in rank order, so the last hit is the highest
    return found


def title_level_to_level(seniority: str | None) -> str | None:
    """Level implied by a seniority word: intern/junior -> entry; senior/staff/principal/lead ->
    senior; head/director/vp/chief -> executive; None -> None. No title word implies "mid".

    Raises InvalidInput for a word that is not one of ``SENIORITY_RANKS``.
    """
    if seniority is None:
        return None
    try:
        return _SENIORITY_LEVEL[seniority.strip().lower()]
    except KeyError:
        raise InvalidInput(f"unknown seniority word {seniority!r}", field="seniority") from None


@lru_cache(maxsize=8192)
def classify_title(title: str) -> TitleInfo:
    """Role family, seniority word and implied level of a free-text job title.

    Never raises: text no rule recognises gets family "other" with ``matched=False``. Only the
    first 200 characters are read (no real title is longer; this bounds the cost of arbitrary
    input). The level is only what the title's words imply; an explicit level field
    (EN/MI/SE/EX, ...) must win over it, which is the caller's job.
    """
    text = _normalise(title[:_MAX_TITLE]) if isinstance(title, str) else ""
    seniority = _seniority(text)
    level = title_level_to_level(seniority)
    is_manager = _is_manager(text)
    for family, pattern, also, manager_only in _RULES_RE:
        if manager_only and not is_manager:
            continue
        if pattern.search(text) and (also is None or also.search(text)):
            return TitleInfo(family=family, seniority=seniority, level=level, matched=True)
    return TitleInfo(family="other", seniority=seniority, level=level, matched=False)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_BY_KEY: dict[str, str] = {
    **{_key(f.slug): f.slug for f in ROLE_FAMILIES},
    **{_key(f.label): f.slug for f in ROLE_FAMILIES},
}


def resolve_role(text: str) -> str:
    """A user's role input -> family slug.

    Accepts a family slug ("ml_engineer", "ml-engineer"), a family label in any case ("data
    scientist") or any job title ("Senior NLP Engineer"); a near-miss of a slug or label (typo)
    is accepted when it is at least 90% similar. Raises UnknownRole when the text maps to "other"
    and is not literally "other".
    """
    key = _key(text) if isinstance(text, str) else ""
    if not key:
        raise UnknownRole("empty role", field="role")
    if key in _BY_KEY:
        return _BY_KEY[key]
    family = classify_title(text).family
    if family != "other":
        return family
    best = max(_BY_KEY, key=lambda k: (fuzz.ratio(key, k), k))
    if fuzz.ratio(key, best) >= 90 and _BY_KEY[best] != "other":
        return _BY_KEY[best]
    raise UnknownRole(
        f"cannot map role {text!r} to a role family; use a job title or one of: "
        + ", ".join(f.slug for f in ROLE_FAMILIES),
        field="role",
    )


# --- explicit levels ---------------------------------------------------------------------------
_LEVEL_WORDS: dict[str, str] = {
    **{code.lower(): level for code, level in LEVEL_CODES.items()},
    **{level: level for level in LEVELS},
    **{word: level for word, level in _SENIORITY_LEVEL.items()},
    "entry level": "entry", "entrylevel": "entry", "jr": "entry", "internship": "entry",
    "trainee": "entry", "graduate": "entry", "grad": "entry", "new grad": "entry",
    "beginner": "entry", "early career": "entry", "apprentice": "entry", "fresher": "entry",
    "mid level": "mid", "midlevel": "mid", "intermediate": "mid", "middle": "mid",
    "associate": "mid", "regular": "mid", "experienced": "mid",
    "sr": "senior", "snr": "senior", "senior level": "senior", "expert": "senior",
    "mid senior": "senior", "mid senior level": "senior",
    "exec": "executive", "executive level": "executive", "vice president": "executive",
    "c level": "executive", "cxo": "executive", "director level": "executive",
}  # fmt: skip
_YEARS_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*\+?\s*(?:years?|yrs?|y)?$")


def years_to_level(years: float) -> str:
    """Level from years of experience: < 2 entry, 2 to < 5 mid, 5 or more senior.

    Years alone never give "executive": executive is a role (head, director, VP, C-level), not
    a tenure, and a 20-year individual contributor is paid as a senior. Raises InvalidInput for
    negative or non-finite values.
    """
    if isinstance(years, bool) or not isinstance(years, int | float) or not math.isfinite(years):
        raise InvalidInput(f"years of experience must be a number, got {years!r}", field="years")
    if years < 0:
        raise InvalidInput(f"years of experience cannot be negative: {years!r}", field="years")
    if years < 2:
        return "entry"
    return "mid" if years < 5 else "senior"


def normalize_level(value: str | int | None) -> str | None:
    """An explicit experience-level value -> "entry" | "mid" | "senior" | "executive".

    Accepts the aijobs codes EN/MI/SE/EX, the level names, and common words in any case
    (junior, intermediate, staff, lead, director, vice president, ...). A number, or a string
    such as "7", "3.5 years" or "10+", is read as years of experience (:func:`years_to_level`).
    None and blank strings give None; anything else raises InvalidInput.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"unknown experience level {value!r}", field="experience_level")
    if isinstance(value, int | float):
        return years_to_level(value)
    if not isinstance(value, str):
        raise InvalidInput(f"unknown experience level {value!r}", field="experience_level")
    key = _key(value)
    if not key and not value.strip():
        return None
    if key in _LEVEL_WORDS:
        return _LEVEL_WORDS[key]
    years = _YEARS_RE.match(value.strip().lower())
    if years:
        return years_to_level(float(years.group(1)))
    raise InvalidInput(
        f"unknown experience level {value!r}; expected EN/MI/SE/EX or entry/mid/senior/executive",
        field="experience_level",
    )
