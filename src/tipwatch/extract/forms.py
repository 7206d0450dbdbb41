"""Forms of exploitation named in the narrative (see :mod:`tipwatch.extract.lexical`)."""

from __future__ import annotations

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
            r"\bdomestic\s+(?:service|work|labou?r|servants?|workers?|helpers?|employees)\b"
            r"(?=[^.;]{0,150}\b(?:forced|exploit|traffick|subjected|servitude|abuse))",
            r"\b(?:forced\s+labou?r|exploit\w*|traffick\w*|subjected)\b[^.;]{0,150}\bdomestic\s+"
            r"(?:service|work|labou?r|servants?|workers?|helpers?)\b",
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
        ],
        "forced_begging": [
            r"\bforced\s+(?:to\s+|into\s+)?beg(?:ging)?\b",
            r"\bforced\s+(?:street\s+)?begging",
            r"\bbegging\b",
            r"\bto\s+beg\b",
        ],
        "forced_criminality": [
            r"\bforced\s+criminal(?:ity|\s+activit\w+)",
            r"\bforced\s+to\s+(?:commit\s+crimes?|engage\s+in\s+(?:criminal|illicit)\s+activit\w+|sell\s+drugs|"
            r"transport\s+drugs|steal|commit\s+(?:theft|petty\s+crime))",
            r"\bforced\s+(?:into\s+)?(?:petty\s+crime|drug\s+(?:trafficking|smuggling|dealing)|theft|"
            r"pickpocketing|shoplifting)",
            r"\bcannabis\s+(?:cultivation|farms?)\b",
            r"\b(?:online\s+)?scam\s+(?:operations?|centers?|compounds?)",
            r"\bcyber[- ]?scam",
            r"\bcriminal\s+activit\w+\b[^.;]{0,40}\bforced\b",
            r"\bforced\s+(?:to\s+)?(?:participate|work)\s+in\s+(?:criminal|illicit)",
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
        "forced_criminality": ("forced", "cannabis", "scam", "criminal"),
        "child_soldiers": ("soldier", "combatant", "recruit", "armed", "militia", "child"),
        "sex_tourism": ("touris",),
        "organ_removal": ("organ",),
    },
)


def extract(n: Narrative) -> list[Fact]:
    return find_values(n, KIND, TABLE)
