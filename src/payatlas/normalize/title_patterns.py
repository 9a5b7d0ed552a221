"""How a title is read: normalisation to plain ASCII words with common abbreviations expanded,
and the ordered family rules (first match wins).

A free-text title ("Sr. ML Engineer, NLP") is normalised to lowercase ASCII words, common
abbreviations are expanded ("ml" -> "machine learning", "sr" -> "senior", "cto" -> "chief
technology officer"), and :data:`RULES` is tried top to bottom: the first rule whose pattern
matches names the family. Manager rules come first but only fire when the title is a
people-manager title (see :func:`is_manager`), so "Lead Data Scientist" stays a data scientist
while "Data Science Manager" and "Data Lead" become data & analytics managers.
"""

from __future__ import annotations

import re
import unicodedata

from payatlas.normalize.title_scope import (
    HARD_OUT_OF_SCOPE,
    OUT,
    OUT_OF_SCOPE,
    nearest_family,
    plain_consultant,
    plain_manager,
    unknown_profession,
)

# --- normalisation -----------------------------------------------------------------------------
# (pattern, replacement) applied in order to the lowercased, punctuation-free title.
REWRITES: tuple[tuple[str, str], ...] = (
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
    (r"\b(donnees|datos|dados|daten)\b", "data"),
    (r"\b(engineer|developer|analyst|scientist) (de|des|of) data\b", r"data \1"),
    (r"\bsoftwareentwickler\w*", "software developer"),
    (r"\bmgmt\b", "management"),
    (r"\bmgr\b", "manager"),
)
_REWRITES_RE = tuple((re.compile(p), r) for p, r in REWRITES)


def plain_words(text: str) -> str:
    """Lowercase letters and digits, everything else one space (a lookup key for user input)."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def normalise_title(title: str) -> str:
    """A title as plain lowercase ASCII words, with the :data:`REWRITES` applied in order."""
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
    r"\b(engineering|engineers?|software|technology|technical|platform|"
    r"infrastructure|devops|it|tech|qa|security|information)\b"
)
#: engineering words that name software / IT (not mechanical or civil) engineering
_ENG_STRONG = (
    r"\b(software|technology|technical|devops|it|qa|information|information security|"
    r"cybersecurity|platform|infrastructure|cloud|site reliability|tech)\b"
)
#: words that put a consultant / associate / advisor title in software, IT or data
_TECH = (
    r"\b(software|it|technology|technical|sap|erp|crm|salesforce|oracle|cloud|digital|"
    r"developer|devops|security|cybersecurity|systems?|network|infrastructure|platform)\b"
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
# too, or MANAGER: the title must be a people-manager title (see is_manager).
# EVIDENCE rules name an AI, data or software area outright and are tried first; a title none of
# them matches is checked against :data:`OUT_OF_SCOPE` (other professions) before the GENERAL
# rules, whose words ("manager", "consultant", "systems", "test") are weaker evidence. No rule
# fires on a generic word alone: a bare "Engineer", "Scientist", "Analyst" or "Researcher" gets
# no family (see :data:`NEAREST`).
MANAGER = "<manager>"
_QUALIFIED_ANALYST = (
    r"\b(data|business|product|marketing|insights?|reporting|bi|research|quantitative|"
    r"statistical|web|digital|growth|pricing|operations|performance|systems|technical|it|crm|"
    r"sales|customer|people|hr|workforce|supply chain|commercial|revenue|strategy|strategic|"
    r"decision|ecommerce|e commerce|data quality|process|programmatic|media|search|"
    r"trust and safety|fraud|security|information security|cyber ?security|soc|threat|"
    r"intelligence|planning|inventory|demand|reporting and|analytics)( \w+){0,2} analysts?\b"
)
# fmt: off
EVIDENCE_RULES: tuple[tuple[str, ...], ...] = (
    ("solutions_architect", r"\btechnical account manager\b"),
    ("ai_product_manager", r"\bproduct (manager|owner|lead|management)\b", _AI),
    ("ai_product_manager", r"\b(head|director|vp|chief) (of )?product\b", _AI),
    ("ai_ml_manager", _AI, MANAGER),
    ("product_manager", r"\bproduct (manager|owner|lead|management)\b", _DATA),
    ("data_manager", _DATA, MANAGER),
    ("prompt_engineer", r"\bprompt\b"),
    ("mlops_engineer", r"\b(mlops|llmops|aiops)\b|\b(machine learning|ai) (infrastructure|infra|"
                       r"platform|performance|systems|deployment)\b"),
    ("research_engineer", r"\bresearch engineer"),
    ("applied_scientist", r"\bapplied ((machine learning|ai) )?scientist\b"),
    ("research_scientist", rf"{_AI} (research )?(scientist|researcher)\b"),
    ("research_scientist", r"\bresearch scientist\b", _AI),
    ("analytics_engineer", r"\banalytics engineer(ing)?\b|\bdbt\b"),
    ("business_intelligence", r"\bbi\b|\b(tableau|looker|qlik|qlikview|microstrategy)\b|"
                              r"\bdata visualization\b"),
    ("data_architect", r"\bdata (warehouse )?architect|\bdata modell?(er|ing)\b|"
                       r"\bdatabase architect"),
    ("data_scientist", r"\bdata scien(tists?|ce)\b|\bdecision scien|\bquant(itative)?\b|"
                       r"\b(bio)?statistic|\bbioinformatic|\bcomputational (biolog|scien)|"
                       r"\beconometric"),
    ("data_engineer", r"\bdata( \w+)? (engineers?|engineering|developers?)\b|"
                      r"^(\w+ )?engineer data\b|\bbig data\b|"
                      r"\b(etl|elt|dataops|databricks|snowflake|spark|hadoop)\b|"
                      r"\bdatabase (engineer|developer)\b"),
    ("data_operations", r"\bdata (governance|quality|management|operations|ops|integrity|"
                        r"stewardship|steward|entry|specialist|coordinator|integration|"
                        r"protection|privacy|administrator|operator|associate|technician|"
                        r"clerk|curator|annotator|annotation|labell?er|labell?ing)\b|"
                        r"\bmaster data\b"),
    ("data_analyst", _QUALIFIED_ANALYST + r"|\banalytics\b|\bdata analysis\b|\binsights?\b|"
                     r"\bdata strateg(ist|y)\b"),
    ("ai_engineer", r"\barchitect\b", _AI),
    ("ml_engineer", r"\b(machine learning|deep learning|computer vision|machine vision|nlp|"
                    r"speech recognition|reinforcement learning)\b"),
    ("ai_engineer", r"\b(ai|genai|llm|chatbot|conversational)\b"),
    ("research_scientist", r"\bcomputer scien(tist|ce) research|\bcomputer scientist\b"),
    ("engineering_manager", _ENG_STRONG, MANAGER),
    ("robotics_engineer", r"\brobot(s|ic|ics)?\b|\bautonomous\b|\bmechatronics?\b"),
    ("solutions_architect", r"\bsolutions? (architect|engineer|consultant)\b|"
                            r"\b(sales|pre ?sales|customer) engineer\b|"
                            r"\bdeveloper (advocate|relations|evangelist)\b|\bdevrel\b|"
                            r"\btechnical specialist\b|\bforward deployed\b"),
    ("devops_engineer", r"\b(devops|devsecops|site reliability|cloud|kubernetes|sysadmin|"
                        r"cybersecurity|cyber security|information security|infosec|"
                        r"(database|system|systems|network|server|it|linux|unix|windows|elasticsearch|"
                        r"splunk|oracle|sap|salesforce|servicenow|cloud|active directory) "
                        r"administrator|(network|security|infrastructure|platform|support|"
                        r"production support|network security|server|data center) engineer|"
                        r"(technical|it|application|production) support|helpdesk|help desk)\b"),
    ("consultant", r"\b(consultant|consulting|associate|advisor|adviser)\b", _TECH),
    ("software_engineer", r"\b(software|developer|developers|programmer|programming|coder|"
                          r"backend|frontend|fullstack|ios|android|python|java|golang|"
                          r"javascript|typescript|mts|sql|firmware|embedded software)\b"),
)
GENERAL_RULES: tuple[tuple[str, ...], ...] = (
    ("research_scientist", r"\bresearch scientist\b"),
    ("data_analyst", r"\breporting\b|\bresearch (associate|assistant)\b|\banalysis\b"),
    ("product_manager", r"\bproduct (manager|owner|lead|management)\b"),
    ("product_manager", r"\b(head|director|vp|chief) (of )?product\b"),
    ("engineering_manager", _ENG, MANAGER),
    ("robotics_engineer", r"\brobot(s|ic|ics)?\b|\bautonomous\b|\bmechatronics?\b"),
    ("solutions_architect", r"\bsolutions? (architect|engineer|consultant)\b|"
                            r"\b(sales|pre ?sales|customer|field) engineer\b|"
                            r"\bdeveloper (advocate|relations|evangelist)\b|\bdevrel\b|"
                            r"\btechnical specialist\b|\bforward deployed\b"),
    ("devops_engineer", r"\b(devops|devsecops|site reliability|platform|cloud|infrastructure|infra|"
                        r"systems?|network|security|cybersecurity|kubernetes|sysadmin|"
                        r"database administrator|it administrator|linux|unix)\b"),
    ("consultant", r"\b(consultant|consulting|associate|advisor|adviser)\b"),
    ("software_engineer", r"\b(software|developer|programmer|coder|backend|frontend|fullstack|"
                          r"web|mobile|ios|android|python|java|golang|javascript|qa|tester|"
                          r"test|mts|tech lead|technical lead|computer|firmware|embedded|"
                          r"application|applications|salesforce|servicenow)\b"),
    ("manager", r".", MANAGER),
    ("data_analyst", r"\bdata\b"),
    ("research_scientist", r"\bresearch\b"),
)
RULES: tuple[tuple[str, ...], ...] = EVIDENCE_RULES + GENERAL_RULES

# fmt: on


def _compile(rule: tuple[str, ...]) -> tuple[str, re.Pattern[str], re.Pattern[str] | None, bool]:
    family, pattern, *also = rule
    extra = re.compile(also[0]) if also and also[0] != MANAGER else None
    return family, re.compile(pattern), extra, also == [MANAGER]


_EVIDENCE_RE = tuple(_compile(rule) for rule in EVIDENCE_RULES)
_GENERAL_RE = tuple(_compile(rule) for rule in GENERAL_RULES)


def is_manager(text: str) -> bool:
    """A people-manager title: manager/head/director/VP/chief/team lead, or a bare "lead"."""
    if _STRONG_MANAGER.search(text):
        return True
    return bool(_WEAK_LEAD.search(text)) and not _IC_NOUN.search(text)


def _first(
    rules: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None, bool], ...],
    text: str,
    manager: bool,
) -> str | None:
    for family, pattern, also, manager_only in rules:
        if manager_only and not manager:
            continue
        if pattern.search(text) and (also is None or also.search(text)):
            return family
    return None


def match_family(text: str) -> str | None:
    """The family of a normalised title, or None (see :mod:`~payatlas.normalize.title_scope`
    for the order: evidence rules, other professions, general rules, in-scope titles with no
    family, and the fallback for unknown professions)."""
    if HARD_OUT_OF_SCOPE.search(text):
        return OUT
    manager = is_manager(text)
    family = _first(_EVIDENCE_RE, text, manager)
    if family is not None:
        return family
    if OUT_OF_SCOPE.search(text):
        return OUT
    for family, pattern, also, manager_only in _GENERAL_RE:
        if manager_only and not manager:
            continue
        if not pattern.search(text) or (also is not None and not also.search(text)):
            continue
        # "Catering Manager", "Inventory Associate": a manager or associate of something
        # PayAtlas does not cover is not a manager / consultant here
        if (family == "manager" and not plain_manager(text)) or (
            family == "consultant" and not plain_consultant(text)
        ):
            continue
        return family
    if nearest_family(text) is None and unknown_profession(text):
        return OUT
    return None
