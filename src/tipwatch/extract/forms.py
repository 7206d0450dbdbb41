"""Forms of exploitation named in the narrative (see :mod:`tipwatch.extract.lexical`)."""

from __future__ import annotations

import re

from tipwatch.extract.lexical import compile_table, find_values
from tipwatch.model import Fact, Narrative

KIND = "form"

TABLE = compile_table(
    {
        "sex_trafficking": [
            r"\bsex(?:ual)?[- ]traffick\w*",
            r"\bsex\s+traffickers?\b",
            r"\bcommercial\s+sex(?:ual)?\s+exploitation",
            r"\bforced\s+(?:into\s+)?prostitution",
            r"\bforced\s+(?:or\s+coerced\s+)?(?:into|to\s+engage\s+in)\s+(?:commercial\s+sex|prostitution)",
            r"\bsexual\s+exploitation",
            r"\bsexual(?:ly)?\s+exploit\w*",
            r"\bchild\s+sex\s+trafficking",
        ],
        "forced_labor": [
            r"\bforced\s+labou?r",
            r"\blabou?r\s+traffick\w*",
            r"\binvoluntary\s+servitude",
            r"\bforced\s+to\s+work\b",
            r"\bcompulsory\s+labou?r",
        ],
        "domestic_servitude": [
            r"\bdomestic\s+servitude",
            r"\bforced\s+domestic\s+(?:work|labou?r|service)",
            r"\bforced\s+(?:to\s+work\s+)?(?:in|into)\s+domestic\s+(?:work|service|labou?r)",
            # domestic workers who are then forced: "domestic workers ... subjected to forced labor"
            r"\bdomestic\s+(?:service|work|labou?r|servants?|workers?|helpers?|employees)\b"
            r"(?=[^.;]{0,200}\b(?:forced|servitude|bondage|victims\s+of\s+(?:human\s+)?trafficking|subjected\s+to\s+(?:forced|labou?r)|"
            r"labou?r\s+traffick))",
            # forced (labour) in domestic work: "forced, coerced, or defrauded into labor in ...,
            # domestic work", "trafficked into involuntary servitude as domestic workers",
            # "exploit victims of forced labor ... as caregivers in private homes"
            r"\b(?:forced|involuntary\s+servitude|subjected\s+to\s+(?:forced\s+labou?r|labou?r\s+"
            r"traffick\w*)|traffick\w*|exploit\w*)\b[^.;]{0,150}\b(?:domestic\s+(?:service|work|"
            r"labou?r|servants?|workers?|helpers?)|as\s+(?:\w+\s+){0,2}?(?:in|into)\s+private\s+"
            r"(?:homes|households|residences))\b",
        ],
        "debt_bondage": [
            r"\bdebt\s+bondage",
            r"\bbonded\s+labou?r",
            r"\bdebt[- ]based\s+coercion",
            r"\bpeonage\b",
            r"\bbonded\s+(?:workers|laborers|labourers)",
            r"\b(?:pay\s+off|repay|repaying|paying\s+off|work\s+off)\s+(?:\w+\s+){0,3}debts?\b",
            r"\bindebted",
            r"\bdebts?\s+(?:manipulation|coercion|servitude)",
            r"\b(?:exorbitant|large|inflated|fraudulent)\s+(?:\w+\s+)?debts?\b",
        ],
        "forced_marriage": [
            r"\bforced\s+(?:and\s+early\s+|or\s+early\s+|and\s+child\s+|or\s+child\s+)?marriages?",
            r"\bforced\s+(?:or\s+fraudulent|and\s+fraudulent)\s+marriages?",
            r"\bforced\s+to\s+marry",
            r"\bsold\s+as\s+brides",
            r"\bbride\s+(?:trafficking|kidnapping|sales?)",
            r"\bfraudulent\s+marriages?",
            # "sold into marriage", "forced into early marriage", "sell or force their daughters
            # into marriages", "forced into sex acts or early marriage"
            r"\b(?:sold|sells?|selling|forc(?:e|es|ed|ing)|coerc(?:e|es|ed|ing))\s+"
            r"(?:(?:or|and|forc\w*|coerc\w*|sell|their|his|her|its|some|many|young|the|these|"
            r"them|daughters?|girls?|women|children|minors|brides|underage|teenage|adolescent)\s+){0,4}?"
            r"into\s+(?:(?!entering|after|before|through|via|by\b)[\w-]+\s+){0,4}?marriages?\b",
            r"\b(?:forced|coerced)\s+(?:or|and)\s+(?:early|child)\s+marriages?",
        ],
        "forced_begging": [
            r"\bforced\s+(?:to\s+|into\s+)?beg(?:ging)?\b",
            r"\bforced\s+(?:street\s+)?begging",
            r"\bbegging\b",
            r"\bto\s+beg\b",
        ],
        "forced_criminality": [
            r"\bforced\s+(?:into\s+)?criminal(?:ity|\s+activit\w+)",
            r"\bforced\s+to\s+(?:commit\s+crimes?|engage\s+in\s+(?:criminal|illicit)\s+activit\w+|sell\s+drugs|"
            r"transport\s+drugs|steal|commit\s+(?:theft|petty\s+crime))",
            r"\bforced\s+(?:into\s+)?(?:petty\s+crime|drug\s+(?:trafficking|smuggling|dealing)|theft|"
            r"pickpocketing|shoplifting)",
            r"\bcannabis\s+(?:cultivation|farms?)\b",
            r"\b(?:online\s+)?scam\s+(?:operations?|centers?|compounds?)",
            r"\bcyber[- ]?scam",
            r"\bcriminal\s+activit\w+\b[^.;]{0,40}\bforced\b",
            r"\bforced\s+(?:to\s+)?(?:participate|work)\s+in\s+(?:criminal|illicit)",
            # coercion into crime in other words: "coerced into criminal behavior", "forced or
            # coerced to conduct criminal activity", "coerced criminal behavior"
            r"\b(?:forc(?:e|es|ed|ing)|coerc(?:e|es|ed|ing)|compel(?:s|led|ling)?)\s+(?:(?:or|and)\s+"
            r"(?:forc\w+|coerc\w+|compel\w*)\s+)?(?:(?!into\b|to\b)\w+\s+){0,2}?(?:(?:into|to)\s+)?(?:(?:conduct|commit|engage\s+in|carry\s+out|participate\s+in|"
            r"perform)\s+)?(?:criminal|illicit|illegal)\s+(?:activit\w+|behaviou?r|acts?|work)",
            # "forced to smuggle drugs", "compelled to fish illegally"
            r"\b(?:forc(?:e|es|ed|ing)|coerc(?:e|es|ed|ing)|compel(?:s|led|ling)?)\s+(?:(?!to\b)\w+\s+)"
            r"{0,2}?to\s+(?:smuggle|sell|transport|carry|traffic|"
            r"deliver|distribute|grow)\s+(?:illicit\s+|illegal\s+)?(?:drugs|narcotics|contraband)",
            r"\b(?:forced|coerced|compelled)\s+to\s+(?:\w+\s+){1,2}illegally\b",
            # "forced labor including assassinations, extortion, and drug trafficking"
            r"\bforced\s+(?:labou?r\s+|to\s+work\s+)?(?:\w+\s+){0,2}?(?:including|such\s+as|into|in)\s+"
            r"(?:[\w-]+,?\s+){0,3}?(?:assassinations?|extortion|robber(?:y|ies)|contract\s+killings?|"
            r"drug\s+(?:trafficking|smuggling|dealing|sales|trade))\b",
            # "exploit ... in forced labor, criminal activity, and sex trafficking"
            r"\bexploit\w*\b[^.;]{0,100}\b(?:in|into)\s+(?:(?:forced\s+labou?r|sex\s+trafficking|"
            r"forced\s+begging)(?:,|\s+and|\s+or)\s+)*(?:forced\s+)?criminal(?:ity|\s+activit\w+)",
            # victims made to run fraud: "forced to call people under false pretenses",
            # "telephone fraud operations", "made to run phone scams"
            r"\b(?:forced|coerced|compelled|made)\s+to\s+(?:call|phone|defraud|scam|deceive|run\s+"
            r"(?:\w+\s+)?(?:fraud|scams?))\b",
            r"\b(?:telephone|phone|online|internet|cyber)\s+(?:fraud|scam)\s+(?:operations?|rings?|"
            r"schemes?|facilit\w+|centers?|centres?|compounds?)\b",
            # children used in, or subjected to, drug trafficking (in a list of forms)
            r"\b(?:subjected\s+to|exploited\s+in|used\s+(?:in|for)|forced\s+(?:in)?to)\s+(?:[\w-]+,?\s+)"
            r"{0,8}?(?:drug\s+(?:trafficking|smuggling|dealing|sales|trade|couriers?)|petty\s+theft|"
            r"pickpocketing)\b",
            r"\b(?:children|boys|girls|minors|youths?)\s+(?:are\s+|were\s+)?(?:\w+\s+)?used\s+"
            r"(?:in|for|as)\s+(?:\w+\s+){0,2}?(?:drug\s+(?:trafficking|smuggling|dealing|sales|"
            r"trade|couriers?|mules?)|theft|robber(?:y|ies))\b",
        ],
        "child_soldiers": [
            r"\bchild\s+soldiers?",
            r"\bchild\s+combatants?",
            r"\b(?:recruitment|recruit\w*)\s+(?:and|or)\s+use\s+of\s+child(?:ren)?",
            r"\b(?:unlawful|forcible|forced)\s+recruitment\b[^.;]{0,60}\bchild",
            r"\bchild(?:ren)?\b[^.;]{0,60}\b(?:recruited|used)\s+(?:by|into)\s+(?:armed|militia|"
            r"security|government|non-state|terrorist)",
            r"\bchildren\s+(?:in|into)\s+armed\s+(?:groups?|forces)",
            r"\bChild\s+Soldiers\s+Prevention\s+Act",
            r"\bchild\s+recruitment\b",
            r"\bunderage\s+(?:soldiers|recruits|combatants)",
            r"\b(?:armed\s+groups?|militias?|armed\s+forces|security\s+forces|rebel\s+groups?)\b"
            r"[^.;]{0,80}\b(?:recruit\w*|use[ds]?|using|conscript\w*|abduct\w*)\b[^.;]{0,40}"
            r"\b(?:child(?:ren)?|boys|girls|minors)\b",
            r"\b(?:recruit\w*|use|conscript\w*)\s+(?:and\s+use\s+)?(?:of\s+)?(?:children|boys|minors)\b"
            r"[^.;]{0,60}\b(?:armed|militia|combat|fighters|soldiers)",
        ],
        "organ_removal": [
            r"\borgan\s+(?:removal|trafficking|harvesting)",
            r"\bremoval\s+of\s+(?:organs|an\s+organ|body\s+parts)",
            r"\btrafficking\s+in\s+(?:human\s+)?organs",
            r"\bfor\s+(?:the\s+purpose\s+of\s+)?(?:their\s+)?organs\b",
        ],
        "sex_tourism": [
            r"\b(?:child\s+)?sex\s+touris\w*",
            r"\bsex\s+tourists?",
        ],
    },
    triggers={
        "forced_begging": ("beg",),
        "forced_criminality": (
            "forc",
            "cannabis",
            "scam",
            "criminal",
            "coerc",
            "compel",
            "fraud",
            "drug",
            "made to",
            "pickpocket",
            "theft",
        ),
        "child_soldiers": ("soldier", "combatant", "recruit", "armed", "militia", "child"),
        "sex_tourism": ("touris",),
        "organ_removal": ("organ",),
    },
)


#: a sentence about the government's work (prevention, training, campaigns)
_GOVERNMENT_WORK = re.compile(
    r"\b(?:government|authorities|ministry|campaigns?|training|trained|awareness|prevent\w*|"
    r"demand|efforts?|funded|provided|nap|action\s+plan|code\s+of\s+conduct|address\w*|"
    r"combat\w*)\b"
)
#: ... that still says the practice occurs
_OCCURS = re.compile(
    r"\b(?:engag\w+|occur\w*|reported(?!\s+(?:any|no))|found|involv\w+|travel\w*|"
    r"destination|exploit\w*|subjected|increas\w+\s+in|problem|prevalen\w+|cases?\s+of|"
    r"convict\w*|prosecut\w*|arrest\w*)\b"
)
_NAMED_DOMESTIC = re.compile(
    r"domestic\s+servitude|forced\s+(?:to\s+work\s+)?(?:in\s+|into\s+)?domestic"
)
_VULNERABLE = re.compile(r"\bvulnerab\w*|\bat\s+risk\b|\brisks?\s+of\b")


def _prevention_only(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Sex tourism named only as a target of the government's work ("campaigns to prevent
    child sex tourism", "did not address child sex tourism"), not as found in the country."""
    sa, sb = sent
    return bool(_GOVERNMENT_WORK.search(low, sa, sb)) and not _OCCURS.search(low, sa, sb)


def _only_vulnerable(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Domestic work named in a clause about who is vulnerable, not who is forced (the form
    named outright, "vulnerable to domestic servitude", still counts)."""
    if _NAMED_DOMESTIC.match(low, start, end):
        return False
    if _prevention_only(low, start, end, sent):
        return True
    sa, _sb = sent
    clause = max(low.rfind(";", sa, start), low.rfind(":", sa, start), sa)
    return bool(_VULNERABLE.search(low, clause, start))


#: a sentence about the law: what it criminalizes and its penalties
_LAW = re.compile(
    r"\b(?:criminaliz\w*|prohibit\w*|penalt(?:y|ies)|prescrib\w*|punishable|statutes?|"
    r"sections?\s+\d|articles?\s+\d|code|act)\b"
)
#: ... that also says the practice occurs
_HAPPENS = re.compile(
    r"\b(?:subjected|exploit\w*|forced\s+(?:to|into)|found|reported|identified|cases?\s+of|"
    r"held\s+in|suffer\w*|endur\w*|vulnerab\w*|convict\w*|prosecut\w*|investigat\w*)\b"
)


def _law_only(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """A form named only as an offence in the law ("section 118 criminalized debt bondage",
    "penalties for debt bondage were not sufficiently stringent"), not as occurring."""
    sa, sb = sent
    return bool(_LAW.search(low, sa, sb)) and not _HAPPENS.search(low, sa, sb)


VETOES = {
    "sex_tourism": _prevention_only,
    "domestic_servitude": _only_vulnerable,
    "debt_bondage": _law_only,
}


def extract(n: Narrative) -> list[Fact]:
    return find_values(n, KIND, TABLE, vetoes=VETOES)
