"""Every table of the store and of the user's corpus file: columns, types, one line each.

``STORE`` lists the tables ``tipwatch build`` writes, ``CORPUS`` the tables of the user's
corpus file (``var/corpus.duckdb``, written by ``tipwatch ingest``/``fetch``). :func:`ddl`
gives the ``CREATE TABLE`` of a table created from its column list; tables written from a
data frame or a query get the same columns (``tests/store/test_schema.py`` checks a real
build against this module, and docs/architecture.md against it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    #: SQL after the type in a generated DDL (``NOT NULL``, ``PRIMARY KEY``, a default)
    constraint: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    #: SQL appended after the columns in a generated DDL (a composite primary key)
    extra: str = ""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _t(name: str, description: str, *cols: tuple[str, ...], extra: str = "") -> Table:
    return Table(name, description, tuple(Column(*c) for c in cols), extra)


V, INT, B, BIG = "VARCHAR", "INTEGER", "BOOLEAN", "BIGINT"

_FACT_COLUMNS = (
    ("doc_id", V, "the narrative's document id (source:year:ISO3)", "NOT NULL"),
    ("source", V, "the corpus the narrative comes from (an id of `sources`)"),
    ("country", V, "the country's canonical name"),
    ("iso3", V, "the narrative's country", "NOT NULL"),
    ("year", INT, "report year", "NOT NULL"),
    ("kind", V, "fact kind (tier, victims, law_enforcement, cited_country, ...)", "NOT NULL"),
    ("value", V, "a code or JSON text"),
    ("direction", V, "for cited countries: from, to, within or none"),
    ("note", V, "extractor note"),
    ("section", V, "the narrative section the span is in"),
    ("start", INT, "span start in the narrative text"),
    ("end", INT, "span end in the narrative text"),
    ("extractor_version", V, "version of the extractor that found it"),
    ("source_file", V, "the file the narrative was read from"),
    ("source_sha256", V, "that file's sha256"),
    ("rule_id", V, "the pattern rule that matched"),
)

STORE: tuple[Table, ...] = (
    _t("countries", "the country identity table (data/countries.csv)",
       ("iso3", V, "ISO 3166-1 alpha-3 (or a project code)"), ("name", V, "canonical name"),
       ("iso2", V, "ISO alpha-2"), ("cow", INT, "Correlates of War code"),
       ("region", V, "State Department bureau: AF, EAP, EUR, NEA, SCA, WHA"),
       ("in_panel", B, "placed in at least one report"), ("aliases", "VARCHAR[]", "other names")),
    _t("placements", "one row per country x report year",
       ("iso3", V, "country"), ("name", V, "canonical name"),
       ("country", V, "the spelling in the source"), ("year", INT, "report year"),
       ("tier", V, "1, 2, 2WL, 3, special or 1or2"), ("source", V, "source of the tier"),
       ("basis", V, "read or deduced"), ("evidence", V, "where the tier was read"),
       ("all_sources", V, "every source's tier"), ("note", V, "research note"),
       ("flag_text_mentions_waiver", V, "the text mentions a waiver"),
       ("flag_text_policy_or_pattern", V, "the text names a policy or pattern"),
       ("flag_text_source", V, "the text the flags were read from")),
    _t("stated_totals", "country counts the sources state per tier and year",
       ("year", INT, "report year"), ("category", V, "tier, 2+2WL or total"),
       ("stated", INT, "the stated count"), ("source", V, "where it is stated"),
       ("note", V, "note")),
    _t("sources", "every source behind the tables (data/sources.yml, corpora, the user's corpus)",
       ("id", V, "source id"), ("publisher", V, "publisher"), ("origin", V, "where it comes from"),
       ("licence", V, "licence"), ("kind", V, "kind of source"), ("basis", V, "read or deduced"),
       ("rows", BIG, "rows taken from it"), ("sha256", V, "JSON: file -> sha256")),
    _t("years", "every report year 2001..latest with its status and tier counts",
       ("year", BIG, "report year"), ("status", V, "complete, partial or missing"),
       ("n_placements", BIG, "placements"), ("n_1", BIG, "Tier 1"), ("n_2", BIG, "Tier 2"),
       ("n_2wl", BIG, "Tier 2 Watch List"), ("n_3", BIG, "Tier 3"),
       ("n_special", BIG, "special cases"), ("n_1or2", BIG, "Tier 1 or 2 (unresolved)"),
       ("n_deduced", BIG, "placements deduced, not read"),
       ("stated_total", BIG, "the total the sources state"), ("reason", V, "why not complete")),
    _t("data_checks", "findings of the panel's data checks",
       ("severity", V, "error or warning"), ("check", V, "check name"),
       ("year", INT, "report year (or none)"), ("message", V, "what was found")),
    _t("build_info", "the build's time and the imported research file",
       ("built_at", "TIMESTAMP WITH TIME ZONE", "when the store was built"),
       ("imported_sha256", V, "sha256 of the imported research CSV"),
       ("placements", INT, "placements in the bundled panel")),
    _t("law", "the dated law of data/law.yaml",
       ("parameter", V, "parameter name"), ("from_year", INT, "first report year it holds"),
       ("to_year", INT, "last report year it holds"), ("value", V, "JSON value"),
       ("citation", V, "statute citation"), ("reading", V, "the project's reading"),
       ("description", V, "what it means")),
    _t("events", "audit events (rules/audit.py; docs/rules.md)",
       ("iso3", V, "country"), ("name", V, "country name"), ("year", INT, "report year"),
       ("event", V, "event kind (rules.audit.EVENTS)"), ("tier", V, "tier that year"),
       ("detail", V, "plain-language detail"), ("streak", INT, "watch-list streak"),
       ("first_year", INT, "first year of the run"), ("last_year", INT, "last year of the run"),
       ("next_tier", V, "tier the next year"), ("waiver_no", INT, "waiver number in the run"),
       ("reason", V, "reason code"), ("statute", V, "statute citation"),
       ("derivation", V, "rule, memo, panel or list"), ("certain", B, "holds under every reading"),
       ("basis", V, "basis of the placements involved"), ("sources", V, "year=source list"),
       ("evidence", V, "published evidence")),
    _t("panel_variables", "streaks and the statutory position per placement",
       ("iso3", V, "country"), ("year", INT, "report year"),
       ("tier_streak", INT, "years on this tier"),
       ("watch_list_streak", INT, "consecutive watch-list years"),
       ("watch_list_counted", INT, "watch-list years the law counts"),
       ("auto_downgrade_next_year", B, "the law requires Tier 3 next year"),
       ("waiver_available_next_year", B, "a waiver is still available"),
       ("waivers_used", INT, "waivers used in the run"),
       ("next_year_law", INT, "report year of the law that applies next"),
       extra=", PRIMARY KEY (iso3, year)"),
    _t("facts", "facts extracted from the narratives (bundled and the user's corpus)",
       *_FACT_COLUMNS),
    _t("flows", "directed country pairs named in a narrative (from/to cited-country facts)",
       ("origin_iso3", V, "origin country"), ("destination_iso3", V, "destination country"),
       ("year", INT, "report year"), ("doc_id", V, "narrative"),
       ("narrative_iso3", V, "the narrative's country"), ("mentions", BIG, "mentions"),
       ("section", V, "first section"), ("start", INT, "first span start"),
       ("end", INT, "first span end"), ("extractor_version", V, "extractor version")),
    _t("cited_by", "the cited-by index: which narratives name a country",
       ("cited_iso3", V, "the country named"), ("citing_iso3", V, "the narrative's country"),
       ("year", INT, "report year"), ("doc_id", V, "narrative"), ("mentions", BIG, "mentions"),
       ("directions", V, "directions, comma-separated"),
       ("first_start", INT, "first span start"), ("extractor_version", V, "extractor version")),
    _t("corpus_info", "the user's corpus file merged into this build (one row, or none)",
       ("path", V, "corpus file"), ("sha256", V, "its sha256"), ("size", BIG, "bytes"),
       ("mtime", V, "modification time"), ("documents", INT, "documents in it"),
       ("merged", INT, "documents merged"), ("skipped", INT, "documents skipped"),
       ("facts", INT, "facts merged"), ("years", V, "report years, comma-separated")),
    _t("corpus_skipped", "corpus documents not merged, with the reason",
       ("doc_id", V, "document"), ("iso3", V, "country as stored"),
       ("year", V, "year as stored"), ("reason", V, "why it was skipped")),
    _t("corpus_placements", "placements read or deduced from the user's corpus",
       ("iso3", V, "country"), ("year", INT, "report year"), ("doc_id", V, "document"),
       ("tier", V, "tier"), ("read_from", V, "tier line or transition phrase"),
       ("outcome", V, "added, agrees or conflict"), ("evidence", V, "quote locator"),
       ("note", V, "note")),
    _t("conflicts", "where the user's corpus disagrees with the bundled panel",
       ("iso3", V, "country"), ("name", V, "country name"), ("year", INT, "report year"),
       ("kind", V, "placement or transition"), ("panel_tier", V, "the panel's tier"),
       ("panel_source", V, "the panel's source"), ("corpus_tier", V, "the corpus's tier(s)"),
       ("doc_id", V, "document"), ("evidence", V, "quote locator"),
       ("phrase", V, "the transition phrase"), ("rule", V, "the rule applied"),
       ("note", V, "note")),
    _t("meta", "key/value: build_id (hash of code, data and corpus) and built_at",
       ("key", V, "build_id or built_at"), ("value", V, "its value")),
)

CORPUS: tuple[Table, ...] = (
    _t("narratives", "the user's ingested narratives",
       ("doc_id", V, "document id", "PRIMARY KEY"), ("iso3", V, "country", "NOT NULL"),
       ("year", INT, "report year", "NOT NULL"), ("source", V, "format/source", "NOT NULL"),
       ("name", V, "country name as written"), ("origin", V, "file@offset"),
       ("text", V, "the narrative text", "NOT NULL"),
       ("spans", V, "JSON: section -> [start, end]", "NOT NULL"), ("meta", V, "JSON metadata"),
       ("ingested_at", "TIMESTAMP", "when it was ingested", "DEFAULT current_timestamp")),
    _t("facts", "facts extracted from the user's narratives", *_FACT_COLUMNS),
    _t("sources", "one row per fetched page or ingested file",
       ("source_id", V, "url or path", "PRIMARY KEY"), ("url", V, "page address"),
       ("path", V, "local file"), ("year", INT, "report year"), ("iso3", V, "country"),
       ("fetched_at", V, "when it was fetched"), ("http_status", INT, "HTTP status"),
       ("etag", V, "ETag"), ("last_modified", V, "Last-Modified"), ("bytes", BIG, "size"),
       ("sha256", V, "sha256 of the bytes"), ("status", V, "stored, unchanged, failed, ..."),
       ("doc_ids", V, "JSON list of documents"), ("warnings", V, "JSON list of warnings"),
       ("recorded_at", "TIMESTAMP", "when it was recorded", "DEFAULT current_timestamp")),
)

TABLES: dict[str, Table] = {t.name: t for t in STORE}
CORPUS_TABLES: dict[str, Table] = {t.name: t for t in CORPUS}


def ddl(name: str, *, corpus: bool = False, replace: bool = False,
        if_not_exists: bool = False) -> str:
    """``CREATE TABLE`` for table ``name`` of the store (or of the corpus file)."""
    table = (CORPUS_TABLES if corpus else TABLES)[name]
    cols = ", ".join(
        f'"{c.name}" {c.type}' + (f" {c.constraint}" if c.constraint else "")
        for c in table.columns
    )
    head = "CREATE OR REPLACE TABLE" if replace else "CREATE TABLE"
    if if_not_exists:
        head += " IF NOT EXISTS"
    return f"{head} {name} ({cols}{table.extra})"
