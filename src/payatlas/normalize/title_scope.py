"""Title scope: which titles belong to professions outside AI, data and software, and which
in-scope titles the taxonomy has no family for.

:func:`~payatlas.normalize.title_patterns.match_family` reads a normalised title in this order:

1. :data:`HARD_OUT_OF_SCOPE` -- another profession's title that holds a word which is evidence
   elsewhere ("Curriculum Developer", "Medical Coder", "Data Science Lecturer");
2. the evidence rules (an AI, data or software area named outright);
3. :data:`OUT_OF_SCOPE` -- the vocabulary of other professions (health, education, trades,
   non-software engineering, natural sciences, finance, law, sales, hospitality, ...);
4. the general rules ("Consultant", "Systems Engineer", "Manager"), a manager or consultant title
   only when it names no area (:func:`plain_manager`: "Catering Manager" is not a manager here);
5. in-scope titles with no family ("Architect", "Product Designer", "Technical Writer",
   "Postdoctoral Fellow", a bare "Engineer"): no family, and :func:`nearest_family` names the
   family whose pay is nearest;
6. :func:`unknown_profession`: a job title whose qualifying words name nothing in scope
   ("Acoustical Engineer", "Kennel Attendant", "Winemaker") is out of scope too.

A generic word alone ("Engineer", "Scientist", "Analyst", "Researcher") is never evidence for
a family. The measured precision and recall on a labelled set of real titles are in
``docs/data.md`` and held by ``tests/test_title_scope.py``.
"""

from __future__ import annotations

import re

OUT = "out_of_scope"

# fmt: off
#: titles of other professions (health, education, trades, non-software engineering, the natural
#: sciences, finance, law, sales, hospitality, ...): checked after EVIDENCE_RULES, so "Clinical
#: Data Manager" is a data manager and "Financial Data Analyst" a data analyst, while "Financial
#: Analyst", "Medical Laboratory Scientist" and "Mechanical Engineer" are out of scope
_OUT_OF_SCOPE = (
    # health and care
    r"\b(nurse|nurses|nursing|rn|lpn|lvn|cna|np|physician|physicians|doctor|surgeon|surgical|"
    r"surgery|dentist|dental|hygienist|orthodont\w*|pharmacist|pharmacy|pharmacists|"
    r"therapist|therapists|therapy|physiotherap\w*|physical therapist|chiropract\w*|"
    r"medical|medicine|clinical|clinician|clinic|caregiver|care giver|paramedic|emt|"
    r"radiolog\w*|radiographer|sonographer|ultrasound|mri|phlebotom\w*|optometrist|optician|"
    r"veterinar\w*|vet|psycholog\w*|psychiatr\w*|counselor|counsellor|counseling|"
    r"social worker|social work|case manager|caseworker|midwife|anesthesi\w*|pediatric\w*|"
    r"paediatric\w*|oncolog\w*|cardiolog\w*|cardiac|respiratory|occupational therapist|"
    r"pathologist|dietitian|dietician|nutritionist|patient|patients|hospital|hospice|"
    r"home health|health aide|nursing assistant|medical assistant|dermatolog\w*|neurolog\w*|"
    r"obstetric\w*|gynec\w*|urolog\w*|audiologist|podiatrist|hospitalist|physician assistant|"
    r"pharmaceutical sales|behavioral health|mental health|rehabilitation|rehab|"
    r"dialysis|icu|emergency room|med surg|lab tech|laboratory|"
    r"histolog\w*|cytolog\w*|immunolog\w*|microbiolog\w*|toxicolog\w*|pharmacolog\w*|"
    r"epidemiolog\w*|public health|healthcare assistant|support worker|youth worker|"
    r"childcare|child care|daycare|nanny|babysitter|doula|massage|cosmetolog\w*|"
    r"hairdresser|hair stylist|barber|esthetician|beautician|fitness|personal trainer|"
    r"athletic coach|sports coach|head coach|assistant coach|lifeguard)\b|"
    # education and academia
    r"\b(teacher|teachers|teaching|tutor|tutoring|professor|lecturer|instructor|faculty|"
    r"school|kindergarten|preschool|pre k|librarian|library|dean|provost|curriculum|"
    r"academic advisor|admissions|registrar|educator|education|paraprofessional|"
    r"substitute|principal of|head teacher|headteacher|chair of|department chair)\b|"
    # trades, logistics, facilities, hospitality, retail
    r"\b(electrician|plumber|plumbing|carpenter|carpentry|welder|welding|machinist|mechanic|"
    r"mechanics|hvac|janitor|janitorial|custodian|custodial|cleaner|cleaning|housekeeper|"
    r"housekeeping|painter|roofer|roofing|mason|masonry|bricklayer|construction|foreman|"
    r"laborer|labourer|forklift|warehouse|picker|packer|assembler|assembly|fabricator|"
    r"installer|lineman|line worker|crane|truck|trucking|driver|drivers|courier|"
    r"delivery driver|delivery associate|"
    r"dispatcher|pilot|flight attendant|aircraft|avionics|airframe|cabin crew|chef|cook|"
    r"cooks|kitchen|dishwasher|server|servers|waiter|waitress|bartender|barista|"
    r"restaurant|hotel|concierge|front desk|receptionist|cashier|retail|store|"
    r"shop|merchandiser|stocker|grocery|butcher|baker|bakery|landscaper|landscaping|"
    r"groundskeeper|gardener|landscape architect|farm|farmer|agricultur\w*|agronom\w*|"
    r"forestry|forester|"
    r"fisher\w*|security guard|security officer|guard|police|officer|firefighter|"
    r"correctional|sheriff|deputy|detective|soldier|military|army|navy|marine|"
    r"maintenance|facilities|facility|groundskeeping|upholsterer|tailor|seamstress|"
    r"jeweler|locksmith|glazier|pipefitter|steamfitter|boilermaker|millwright|"
    r"tool and die|cnc|lathe|operator|operators|production worker|manufacturing|"
    r"plant|factory|shipping|receiving|inventory clerk|stock clerk|mail|postal|"
    r"transit|bus|railroad|conductor|machine operator)\b|"
    # engineering that is not software
    r"\b(mechanical|civil|structural|electrical|electronics?|chemical|petroleum|mining|"
    r"geotechnical|environmental|process engineer|industrial|aerospace|aeronautical|"
    r"automotive|vehicle|vehicles|biomedical engineer|nuclear|materials|metallurg\w*|"
    r"piping|quality engineer|quality assurance engineer|reliability engineer|"
    r"packaging|design engineer|manufacturing engineer|production engineer|"
    r"hardware|rf|antenna|power systems|power electronics|substation|transmission|"
    r"hydraulic|thermal|propulsion|powertrain|chassis|drilling|reservoir|"
    r"wellsite|offshore|subsea|pipeline engineer|water|wastewater|surveyor|surveying|"
    r"architectural|draftsman|drafter|cad|estimator|building|hvac engineer|"
    r"commissioning|instrumentation|controls engineer|plc|semiconductor|"
    r"validation engineer|test technician|field technician|technician)\b|"
    # natural and social sciences outside computing
    r"\b(chemist|chemistry|biologist|biology|biological|biochemist\w*|physicist|geologist|"
    r"geophysicist|geoscientist|geoscience|ecologist|ecology|botanist|zoologist|"
    r"food scientist|soil|marine biologist|astronomer|neuroscien\w*|genetic\w*|"
    r"genomic\w*|molecular|cell|cellular|protein|assay|formulation|materials scientist|"
    r"imaging scientist|physical scientist|life science\w*|biotech\w*|bioprocess\w*|"
    r"applications? scientists?|research technologists?|"
    r"histotechnologist|anthropolog\w*|archaeolog\w*|sociolog\w*|historian|linguist|"
    r"translator|interpreter|economist)\b|"
    # finance, accounting, law, HR, sales, marketing, administration
    r"\b(accountant|accountants|accounting|bookkeeper|bookkeeping|auditor|audit|tax|payroll|"
    r"controller|comptroller|treasury|treasurer|financial analyst|finance analyst|"
    r"financial advisor|financial planner|financial|finance|credit|loan|loans|mortgage|"
    r"underwriter|underwriting|actuary|actuarial|banker|banking|teller|investment|"
    r"equity research|wealth|insurance|claims|billing|collections|accounts payable|"
    r"accounts receivable|budget analyst|cost analyst|attorney|lawyer|paralegal|legal|"
    r"counsel|solicitor|barrister|litigation|notary|compliance|contracts|contract manager|"
    r"recruiter|recruiting|recruitment|talent acquisition|human resources|hr generalist|"
    r"hr business partner|hr manager|hr coordinator|benefits|compensation analyst|"
    r"sales representative|sales rep|sales associate|account executive|account manager|"
    r"business development|sales manager|sales director|salesperson|sales|"
    r"real estate|realtor|leasing|property manager|broker|buyer|purchasing|procurement|"
    r"marketing manager|marketing coordinator|marketing specialist|marketing director|"
    r"marketing|brand|public relations|communications|copywriter|journalist|reporter|"
    r"editor|content writer|copy writer|grant writer|medical writer|author|content creator|"
    r"social media|event|events|office|clerk|"
    r"secretary|administrative|admin assistant|executive assistant|personal assistant|"
    r"assistant to|receptionist|customer service|call center|"
    r"customer support representative|"
    r"operations associate|logistics|supply chain manager|fleet|travel|tourism|"
    r"photographer|videographer|graphic designer|interior designer|fashion|"
    r"artist|musician|actor|dancer|producer|animator|illustrator|florist|"
    r"pastor|minister|priest|chaplain|clergy|church|volunteer|fundraising|"
    r"grant writer|nonprofit|non profit|policy analyst|policy|government|"
    r"city planner|urban planner|planner|immigration|paraeducator|caretaker|fp and a|"
    r"bank|pharmaceutical|pharma|regulatory|analytical|process development|safety|ranger|"
    r"hydrologist|meteorologist|museum|curator|archivist|judge|sheet metal|lab|inspector|"
    r"instructional|equity research|production supervisor|power systems|vehicle systems|"
    r"oil and gas|oilfield)\b"
)
#: another profession's title even though it holds a word that is evidence elsewhere
#: ("Curriculum Developer", "Medical Coder", "Field Engineer, Oil and Gas"): checked first
_HARD_OUT_OF_SCOPE = (
    r"\b(curriculum|business|real estate|property|course|training|content|photo|land) "
    r"developers?\b|\bmedical (coder|coding)\b|\bcoding specialist\b|\bequity research\b|"
    r"\b(professor|lecturer|teacher|teachers|teaching|instructor|tutor|faculty)\b|"
    r"\b(personal|executive|administrative) assistants?\b|\bassistant to\b"
)


#: another profession's title even though it holds a word that is evidence elsewhere
HARD_OUT_OF_SCOPE = re.compile(_HARD_OUT_OF_SCOPE)
#: the vocabulary of other professions
OUT_OF_SCOPE = re.compile(_OUT_OF_SCOPE)

def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: seniority, grade and posting noise words: not a qualifier of what the job is
_STOP = _wordset("""
senior junior lead leader staff principal head chief vp intern interns internship trainee
graduate apprentice entry level mid i ii iii iv v vi 1 2 3 4 5 of the and or for in at to with a
an on remote hybrid onsite contract temporary temp full part time m f d w x h now hiring us usa
uk new grad experienced expert team global regional national deputy general executive assistant
associate sr jr de del la le des
""")
#: generic job nouns: alone (with only _STOP words) they are an in-scope title with no family
_GENERIC = {
    "engineer": "software_engineer", "engineers": "software_engineer",
    "engineering": "software_engineer", "developer": "software_engineer",
    "developers": "software_engineer", "technologist": "software_engineer",
    "analyst": "data_analyst", "analysts": "data_analyst", "specialist": "data_analyst",
    "scientist": "research_scientist", "scientists": "research_scientist",
    "researcher": "research_scientist", "researchers": "research_scientist",
    "research": "research_scientist", "architect": "solutions_architect",
    "administrator": "devops_engineer",
}
#: qualifiers that keep a generic noun in scope ("Customer Success Engineer", "Cloud Architect")
_IN_SCOPE_WORDS = _wordset("""
technical technology technologies tech digital computing computer computers it information
systems system cloud cyber product ux ui design innovation platform platforms internet online
ecommerce saas api apis integration integrations automation solutions solution network networks
enterprise application applications implementation success customer quantum optimization
simulation algorithm algorithms search ranking growth performance build release tools game games
gameplay graphics rendering video streaming ads advertising payments fintech blockchain crypto
web3 scientific computational numerical modeling modelling sre infra devops hacker founder
cofounder co owner partner entrepreneur freelancer freelance independent startup mathematician
mathematics math physics data database databases analytics analysis bigdata dataanalytics secops
vision sas erp sap peoplesoft oracle salesforce workday crm scm metadata informatics gis
statistics statistical ai
""")
#: words a plain manager / consultant title may also hold ("Operations Manager", "Strategy
#: Consultant"): business functions that every industry has
_BUSINESS_WORDS = _wordset("""
operations operational strategy strategic program programme programs project projects general
managing business transformation innovation change planning delivery growth partnerships partner
alliances engagement client services service solutions digital commercial special pmo country
site division unit group department enterprise people management consulting practice independent
freelance technical technology manager managers head director directors chief supervisor lead
leader team consultant consultants associate associates advisor adviser advisory senior
principal
""")
_JOB_NOUNS = _wordset("""
worker workers attendant attendants agent agents aide aides coordinator clerk operator
supervisor officer representative rep associate trader inspector planner hand guide captain crew
member professional technician technologist therapist director manager designer architect
engineer specialist analyst scientist consultant advisor examiner appraiser enumerator maker
finisher setter handler selector dealer groomer keeper logger anchor host publisher lobbyist
missionary rabbi imam nun monk bailiff deckhand roustabout sommelier bellhop busser valet nanny
fitter hand
""")
#: nouns too broad for the fallback: an analyst or specialist of an unknown area is left
#: unmatched ("other"), not out of scope ("Calypso Analyst", "Measurement Analyst")
_OPEN_NOUNS = frozenset({"analyst", "analysts", "specialist", "specialists", "consultant"})
_AGENTIVE = re.compile(r"[a-z]{3,}(ist|er|or|ian)$")


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w not in _STOP]


def _qualifiers_in_scope(words: list[str]) -> bool:
    return all(w in _GENERIC or w in _IN_SCOPE_WORDS for w in words)


#: in-scope titles with no family of their own -> the family whose pay is nearest
NEAREST: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), family) for p, family in (
        (r"\b(postdoc|postdoctoral|post doctoral|post doc|fellow|fellowship|phd)\b",
         "research_scientist"),
        (r"\btechnical writer\b|\bdocumentation (engineer|specialist)\b", "software_engineer"),
        (r"\b(product|ux|ui|user experience|user interface|interaction|visual|web|digital|"
         r"service|experience|app|mobile)( \w+)? designer\b|\bdesign technologist\b",
         "product_manager"),
        (r"\bscrum master\b|\bagile coach\b|\brelease manager\b", "engineering_manager"),
    )
)


def nearest_family(text: str) -> str | None:
    """For a normalised in-scope title no rule gives a family ("Architect", "Product Designer",
    "Postdoctoral Fellow", a bare "Engineer"): the family whose pay is nearest, else None."""
    for pattern, family in NEAREST:
        if pattern.search(text):
            return family
    words = _words(text)
    nouns = [_GENERIC[w] for w in words if w in _GENERIC]
    if nouns and _qualifiers_in_scope(words):
        return nouns[-1]
    return None


def plain_manager(text: str) -> bool:
    """A manager title that names no area, or only a business function every industry has."""
    return all(w in _BUSINESS_WORDS or w in _IN_SCOPE_WORDS for w in _words(text))


def plain_consultant(text: str) -> bool:
    """A consultant / associate / advisor title that names no area outside business."""
    return plain_manager(text)


def unknown_profession(text: str) -> bool:
    """A job title no rule knows whose qualifying words name nothing in scope ("Acoustical
    Engineer", "Kennel Attendant", "Winemaker"): another profession's."""
    words = _words(text)
    if not words or any(w in _IN_SCOPE_WORDS for w in words):
        return False
    return any(
        (w in _JOB_NOUNS or w in _GENERIC or _AGENTIVE.match(w)) and w not in _OPEN_NOUNS
        for w in words
    )
# fmt: on
