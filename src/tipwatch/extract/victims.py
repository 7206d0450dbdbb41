"""Victim groups named in the narrative (see :mod:`tipwatch.extract.lexical`)."""

from __future__ import annotations

from tipwatch.extract.lexical import compile_table, find_values
from tipwatch.model import Fact, Narrative

KIND = "victim_group"

TABLE = compile_table(
    {
        "men": [r"\bmen\b", r"\bmale\s+(?:victims|adults|workers)"],
        "women": [r"\bwomen\b", r"\bfemale\s+(?:victims|adults|workers)"],
        "children": [
            r"\bchildren\b",
            r"\bchild\s+(?:victims|labou?r|trafficking|sex)",
            r"\bminors\b",
        ],
        "boys": [r"\bboys\b"],
        "girls": [r"\bgirls\b"],
        "adults": [r"\badults\b"],
        "migrants": [r"\bmigrants?\b", r"\bmigrant\s+workers\b"],
        "refugees": [r"\brefugees?\b"],
        "asylum_seekers": [r"\basylum[- ]seekers?\b"],
        "idps": [r"\binternally\s+displaced", r"\bIDPs?\b", r"\bdisplaced\s+persons\b"],
        "domestic_workers": [
            r"\bdomestic\s+(?:workers?|helpers?|servants?|employees)\b",
            r"\bdomestic\s+(?:work|service|servitude|labou?r)\b",
            r"\bhousehold\s+workers?\b",
            r"\bmaids?\b",
        ],
        "fishermen": [
            r"\bfishermen\b",
            r"\bfishers?\b",
            r"\bfishing\s+(?:vessels?|boats?|industry|sector|fleets?)\b",
            r"\bfishing\b",
        ],
        "agricultural_workers": [
            r"\bagricultur\w*",
            r"\bfarms?\b",
            r"\bplantations?\b",
            r"\bcotton\s+(?:harvest|fields?)",
            r"\bfarmworkers?\b",
        ],
        "construction_workers": [r"\bconstruction\b"],
        "factory_workers": [
            r"\bfactor(?:y|ies)\b",
            r"\bmanufacturing\b",
            r"\bgarment\b",
            r"\btextile",
        ],
        "mine_workers": [r"\bmin(?:es|ing)\b", r"\bminers\b", r"\bmine\b", r"\bquarr(?:y|ies)\b"],
        "indigenous": [
            r"\bindigenous\b",
            r"\bAmerindian",
            r"\bFirst\s+Nations\b",
            r"\bAboriginal\b",
        ],
        "lgbtqi": [r"\bLGBT\w*", r"\bLBGT\w*", r"\btransgender\b", r"\bgay\s+men\b"],
        "persons_with_disabilities": [r"\bdisabilit(?:y|ies)\b", r"\bdisabled\b"],
        "stateless": [r"\bstateless", r"\bwithout\s+(?:legal\s+)?(?:nationality|citizenship)\b"],
        "street_children": [
            r"\bstreet\s+children\b",
            r"\bchildren\s+(?:living|working)\s+(?:on|in)\s+the\s+streets?\b",
        ],
        "students": [r"\bstudents?\b", r"\btalibe\b", r"\bpupils\b"],
    }
)


#: sections that describe the government's work rather than who is exploited
EXCLUDED = ("recommendations", "prevention")


def extract(n: Narrative) -> list[Fact]:
    return find_values(n, KIND, TABLE, exclude_sections=EXCLUDED)
