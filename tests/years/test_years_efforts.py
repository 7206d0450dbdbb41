"""Effort facts: the issue's examples, the overall finding, and quality on the labelled set."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract_helpers import nar
from tipwatch.analysis.effort_quality import PILLARS, baseline, load_labels, score
from tipwatch.extract import efforts

LABELS = Path(__file__).resolve().parents[1] / "devset_efforts" / "labels.yaml"


def _items(intro: str) -> set[tuple[str, str, str]]:
    return {(f.value["pillar"], f.value["topic"], f.value["polarity"])
            for f in efforts.extract(nar("MDA", intro=intro))}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The government did not make any known attempts to protect trafficking victims.",
     {("protection", "shelters_services", "failing")}),
    ("The government reported no efforts to identify or assist trafficking victims.",
     {("protection", "victim_identification", "failing"),
      ("protection", "shelters_services", "failing")}),
    ("The government provided no discernible protection services.",
     {("protection", "shelters_services", "failing")}),
    ("There were no assurances that victims were exempt from being penalized for unlawful acts "
     "traffickers compelled them to commit.", {("protection", "non_penalization", "failing")}),
    ("The government convicted more traffickers and opened two shelters.",
     {("prosecution", "convictions", "effort"), ("protection", "shelters_services", "effort")}),
    ("Police continued to arrest and deport potential victims, but the government trained "
     "border guards.", {("protection", "non_penalization", "failing"),
                        ("prosecution", "training", "effort")}),
])
def test_the_issues_examples_come_out(sentence, expected):
    assert _items(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a law that does not protect victims from prosecution: legislation and non-penalization
    # failing, not a prosecution
    ("The country's law does not protect victims from prosecution for crimes they were forced "
     "to commit.", {("prosecution", "legislation", "failing"),
                    ("protection", "non_penalization", "failing")}),
    # suspended sentences are a failing of convictions
    ("Many suspended sentences undercut the deterrent of the new convictions.",
     {("prosecution", "convictions", "failing")}),
    # the purpose of a training is not a topic of its own; "prosecutors" are people
    ("It gave no training to judges and prosecutors to investigate and prosecute cases.",
     {("prosecution", "training", "failing")}),
    # a victim's part in a case is not law enforcement done
    ("Shelters were closed to victims who cooperated with prosecution.",
     {("protection", "shelters_services", "failing")}),
    # a concession inside a sentence ends at its comma
    ("Begging is legal there and while officials amended the labour code, there were few "
     "shelters for adults.", {("prosecution", "legislation", "effort"),
                             ("protection", "shelters_services", "failing")}),
    # enforcing a law is law enforcement, not legislation; "unevenly" is a failing
    ("Courts enforced the anti-trafficking law unevenly and prosecuted some cases as fraud.",
     {("prosecution", "prosecutions", "failing")}),
    # other words for the topics
    ("The ministry adopted a law prohibiting debt bondage and a national anti-trafficking "
     "strategy, and increased indictments.", {("prosecution", "legislation", "effort"),
                                              ("prevention", "national_action_plan", "effort"),
                                              ("prosecution", "prosecutions", "effort")}),
    ("Officers identified and referred to care many more adult victims.",
     {("protection", "victim_identification", "effort")}),
    # holdout-4, now seen: victims named before the act; a reported number is data
    ("Some adult victims of forced labour were detained and prosecuted as illegal workers.",
     {("protection", "non_penalization", "failing")}),
    ("The ministry did not report the number of prosecutions or sentences.", set()),
    ("Observers noted the need to improve victim screening, and the action plan remained in "
     "development.", {("protection", "victim_identification", "failing"),
                      ("prevention", "national_action_plan", "failing")}),
    ("Police arrested children exploited in begging and often incarcerated them.",
     {("protection", "non_penalization", "failing")}),
    ("The state granted temporary residence to victims. New rules bar employers with labour "
     "violations from recruiting migrant workers.",
     {("protection", "shelters_services", "effort"),
      ("prevention", "labour_recruitment", "effort")}),
    # web-1 (report years 2020-2024), now seen: the abbreviations of the newer reports
    ("Officials adopted a new NAP for 2024-2028 and launched a revised NRM.",
     {("prevention", "national_action_plan", "effort"),
      ("protection", "victim_identification", "effort")}),
    ("The government's draft NAP remained pending adoption.",
     {("prevention", "national_action_plan", "failing")}),
    # officials among the convicted, named after a list or by their post
    ("Courts convicted five traffickers, including two border officers.",
     {("prosecution", "convictions", "effort"), ("prosecution", "official_complicity", "effort")}),
    ("Prosecutors indicted a provincial official for trafficking.",
     {("prosecution", "prosecutions", "effort"), ("prosecution", "official_complicity", "effort")}),
    # sentences below the law are a failing of convictions, not a law
    ("Penalties for complicit officials were lower than those mandated by law.",
     {("prosecution", "convictions", "failing"),
      ("prosecution", "official_complicity", "failing")}),
    ("It raised the prescribed penalty for forced labour.",
     {("prosecution", "legislation", "effort")}),
    # a concession that only reports the situation names no government act
    ("Despite reports that criminal groups forced children to commit crimes, police screened "
     "them for trafficking.", {("protection", "victim_identification", "effort")}),
    # less is a failing; recognition is identification; data are reporting
    ("The ministry provided less funding for shelters.",
     {("protection", "shelters_services", "failing")}),
    ("Authorities recognized more trafficking victims.",
     {("protection", "victim_identification", "effort")}),
    ("It changed how it collects investigation and identification statistics.", set()),
    ("Inspectors revised the rules for employment brokers.",
     {("prevention", "labour_recruitment", "effort")}),
])
def test_phrasings_of_the_seen_batches(sentence, expected):
    assert _items(sentence) == expected


def test_overall_finding_increasing_or_not():
    def overall(intro: str) -> dict:
        return next(f.value for f in efforts.extract(nar("MDA", intro=intro))
                    if f.value["topic"] == "overall")

    o = overall("The government did not demonstrate overall increasing efforts compared to the "
                "previous reporting period.")
    assert o["increasing"] is False and o["polarity"] == "failing"
    o = overall("The government demonstrated increasing efforts compared to the previous "
                "reporting period.")
    assert o["increasing"] is True and o["polarity"] == "effort"
    o = overall("The government is not making significant efforts to do so.")
    assert o["significant"] is False and o["increasing"] is None


def test_dev_batch_meets_the_target_and_beats_the_baseline():
    labels = load_labels(LABELS)
    assert len(labels) >= 25
    ours, base = score(labels, "dev"), score(labels, "dev", baseline)
    for p in PILLARS:
        assert ours["pillars"][p]["precision"] >= 0.90, (p, ours["pillars"][p])
        assert ours["pillars"][p]["recall"] >= 0.90, (p, ours["pillars"][p])
        assert ours["pillars"][p]["f1"] >= base["pillars"][p]["f1"]
    assert ours["overall_accuracy"] >= 0.95


#: batches scored once and then worked on (now seen; docs/extraction.md, "Effort facts"):
#: (narratives, F1 floor per pillar, overall-finding accuracy floor) - floors against
#: regressions, not estimates for unseen text
SEEN = {"holdout-1": (9, 0.95, 1.0), "holdout-2": (10, 0.95, 1.0), "holdout-3": (10, 0.95, 1.0),
        "holdout-4": (12, 0.95, 1.0), "holdout-5": (24, 0.95, 1.0), "holdout-6": (24, 0.95, 1.0),
        "holdout-7": (26, 0.93, 1.0), "holdout-8": (30, 0.92, 1.0), "holdout-9": (10, 0.95, 1.0),
        "factbook-1": (36, 0.93, 1.0), "factbook-2": (36, 0.89, 1.0),
        "factbook-3": (40, 0.95, 0.95), "factbook-4": (28, 0.95, 0.89),
        "factbook-5": (30, 0.94, 0.96), "factbook-6": (30, 0.92, 1.0),
        "factbook-7": (20, 0.87, 0.95)}


@pytest.mark.parametrize("batch", sorted(SEEN))
def test_seen_batches_do_not_fall_below_their_recorded_figures(batch):
    n, floor, overall = SEEN[batch]
    seen = score(load_labels(LABELS), batch)
    assert seen["narratives"] == n
    assert all(seen["pillars"][p]["f1"] >= floor for p in PILLARS), (batch, seen["pillars"])
    assert seen["overall_accuracy"] >= overall



WEB_LABELS = LABELS.parent / "labels_web.yaml"


def test_the_labels_of_fetched_pages_hold_items_urls_and_hashes_but_no_text():
    web = load_labels(WEB_LABELS)
    assert len(web) >= 30 and {e["batch"] for e in web} == {"web-1"}
    topics = {t: p for t, (p, _) in efforts.TOPICS.items()}
    for e in web:
        kind, year, iso3 = e["doc_id"].split(":")
        assert kind == "web" and 2019 <= int(year) <= 2025 and len(iso3) == 3
        assert e["url"].startswith(("http://", "https://"))
        assert len(e["sha256"]) == 64 and int(e["sha256"], 16) >= 0
        assert set(e) <= {"doc_id", "batch", "url", "sha256", "overall", "efforts", "locators"}
        for item in e["efforts"]:
            pillar, topic, pol = item.split("/")
            assert topics[topic] == pillar and pol in ("effort", "failing"), item
        assert set(e["locators"]) == set(e["efforts"])
    assert len({e["doc_id"].split(":")[2] for e in web}) == len(web)  # one text a country


def _write_texts(folder: Path, batch: str) -> list[dict]:
    """The intros of a labelled 2018 batch as ``<ISO3>_2018.txt`` files, labels as web entries."""
    from tipwatch.analysis.effort_quality import intro_sha256
    from tipwatch.ingest import load_path, load_tip2018

    nars = {n.doc_id: n for n in load_tip2018()}
    out = []
    for e in load_labels(LABELS):
        if e["batch"] != batch:
            continue
        n = nars[e["doc_id"]]
        intro = n.sections["intro"].strip()
        path = folder / f"{n.country}_2018.txt"
        path.write_text(f"{n.name.upper()} (Tier 2)\n\n{intro}\n", encoding="utf-8")
        (read,) = load_path(path, "txt", year=2018)
        out.append({**e, "doc_id": f"web:2018:{n.country}", "batch": "web-test",
                    "sha256": intro_sha256(read)})
    return out


def test_a_batch_of_fetched_texts_scores_as_the_same_intros_do(tmp_path):
    from tipwatch.analysis.effort_quality import load_texts

    web = _write_texts(tmp_path, "holdout-4")
    got = score(web, "web-test", narratives=load_texts(tmp_path, web))
    want = score(load_labels(LABELS), "holdout-4")
    assert got["narratives"] == want["narratives"] == 12
    assert got["pillars"] == want["pillars"]
    assert got["overall_accuracy"] == want["overall_accuracy"]


def test_a_fetched_text_that_is_not_the_labelled_one_is_refused(tmp_path):
    from tipwatch.analysis.effort_quality import load_texts
    from tipwatch.errors import MalformedInputError

    web = _write_texts(tmp_path, "holdout-4")
    first = tmp_path / f"{web[0]['doc_id'].split(':')[2]}_2018.txt"
    first.write_text(first.read_text(encoding="utf-8").replace(" the ", " a ", 1),
                     encoding="utf-8")
    with pytest.raises(MalformedInputError, match="intro differs from the labelled text"):
        load_texts(tmp_path, web)
    first.unlink()
    with pytest.raises(MalformedInputError, match="missing"):
        load_texts(tmp_path, web)
