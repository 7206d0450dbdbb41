"""The report's PDF: WeasyPrint renders parts of the HTML in parallel processes, pypdf joins them.

One WeasyPrint render of the whole report is single-threaded; almost all of the report's time
is spent there. The HTML is cut into parts at country pages (each country already starts a new
page, so the pages are the same as in one render), the parts are rendered at the same time in
forked processes, and the part PDFs are joined. What a one-piece render would have done across
parts is redone at the join:

* links from one part into another (the tier lists link every country page): each part carries
  empty placeholders for the anchors it lacks, so WeasyPrint keeps the links; the joined PDF's
  named destinations are then rebuilt from the parts that really hold each anchor;
* the page footer ("page 12 of 207") needs the total page count: the parts are rendered
  without it and the footer is written onto every page of the joined PDF.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

#: where the country pages start (the template writes exactly this for each country)
ARTICLE = '<article class="country" id="c-'
#: parts render without the margin-box footer; the join writes it (it needs the page total)
NO_FOOTER_CSS = "<style>@page { @bottom-center { content: none; } }</style></head>"
#: footer position and look on an A4 page (points), matching the report's CSS footer
FOOTER_Y = 26.0
FOOTER_SIZE = 8.0
FOOTER_RGB = (0.4, 0.4, 0.467)

_ID = re.compile(r'\bid="([^"]+)"')
_DATA_URI = re.compile(r'"data:[^"]*"')
_INLINE_SVG = re.compile(r"<svg.*?</svg>", re.S)
#: cost of a character of inline SVG (the world map) against a character of HTML text, from
#: timing the parts of the 2023 report: the map's path data draws cheaper than text lays out
SVG_CHAR_COST = 0.35


def workers() -> int:
    """Processes to render with: ``TIPWATCH_PDF_WORKERS``, else the CPU count (at most 4)."""
    env = os.environ.get("TIPWATCH_PDF_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(4, os.cpu_count() or 1))


def _weight(html: str) -> float:
    """Rough render cost of some HTML: its length without embedded images, inline SVG cheaper."""
    text = _DATA_URI.sub('""', html)
    svg = sum(len(m) for m in _INLINE_SVG.findall(text))
    return len(text) - svg + SVG_CHAR_COST * svg


def split_html(html: str, parts: int) -> list[tuple[str, set[str]]]:
    """Cut the report into ``parts`` documents at country-page boundaries, of similar weight.

    Returns (document, ids it holds itself). Every part is a complete document (same head and
    styles, without the page footer); anchors that live in other parts are added as empty
    blocks at the end so that links into them survive the render.
    """
    starts = [m.start() for m in re.finditer(re.escape(ARTICLE), html)]
    parts = max(1, min(parts, len(starts)))
    if parts == 1:
        return [(html.replace("</head>", NO_FOOTER_CSS, 1), set(_ID.findall(html)))]
    head_end = html.index("<body>") + len("<body>")
    tail_start = html.rindex("</body>")
    head, tail = html[:head_end], html[tail_start:]
    # cut points: after the front matter + first countries, balanced by weight
    total = _weight(html[head_end:tail_start])
    cuts, acc, last = [], 0, head_end
    for s in starts[1:]:
        acc += _weight(html[last:s])
        last = s
        if acc >= total * (len(cuts) + 1) / parts and len(cuts) < parts - 1:
            cuts.append(s)
    bodies, prev = [], head_end
    for c in cuts:
        bodies.append(html[prev:c])
        prev = c
    bodies.append(html[prev:tail_start])
    # the section wrappers cut open by the split are closed and reopened
    docs = []
    all_ids = set(_ID.findall(html))
    for i, body in enumerate(bodies):
        if i > 0:
            body = '<section class="countries-continued">' + body
        if i < len(bodies) - 1:
            body = body + "</section>"
        own = set(_ID.findall(body))
        stubs = "".join(f'<div id="{a}" style="height:0"></div>' for a in sorted(all_ids - own))
        docs.append((head.replace("</head>", NO_FOOTER_CSS, 1) + body + stubs + tail, own))
    return docs


#: CPU seconds of each part of the last :func:`render_parts` (the benchmark reads them)
last_cpu_seconds: list[float] = []


def _render(html: str, base_url: str, out: str) -> tuple[int, float, float]:
    """Render one document: (pages, seconds, CPU seconds of this process)."""
    from weasyprint import HTML

    start, cpu = time.perf_counter(), time.process_time()
    document = HTML(string=html, base_url=base_url).render()
    document.write_pdf(out)
    return len(document.pages), time.perf_counter() - start, time.process_time() - cpu


def _child(html: str, base_url: str, out: str, conn) -> None:  # noqa: ANN001 - a Pipe end
    try:
        conn.send(("ok", _render(html, base_url, out)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def render_parts(docs: list[str], base_url: str, folder: Path,
                 report: Callable[[str], None]) -> list[Path]:
    """Render each document to ``folder/part-N.pdf``, all at once (the first in this process)."""
    import weasyprint  # noqa: F401 - imported before forking, so no child imports it again

    paths = [folder / f"part-{i}.pdf" for i in range(len(docs))]
    last_cpu_seconds.clear()
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - not Linux
        for i, doc in enumerate(docs):
            pages, seconds, cpu = _render(doc, base_url, str(paths[i]))
            last_cpu_seconds.append(cpu)
            report(f"  PDF part {i + 1}/{len(docs)}: {pages} pages ({seconds:.1f} s)")
        return paths
    ctx = multiprocessing.get_context("fork")
    # Everything alive now (the report's data, garbage of earlier renders) is collected once and
    # frozen: neither this process nor the forked ones scan it again in their own collections,
    # and the children do not copy its pages by touching it.
    gc.collect()
    gc.freeze()
    try:
        return _render_forked(ctx, docs, base_url, paths, report)
    finally:
        gc.unfreeze()


def _render_forked(ctx, docs: list[str], base_url: str, paths: list[Path],  # noqa: ANN001
                   report: Callable[[str], None]) -> list[Path]:
    children = []
    for i in range(1, len(docs)):
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(docs[i], base_url, str(paths[i]), send))
        proc.start()
        send.close()
        children.append((i, proc, recv))
    try:
        pages, seconds, cpu = _render(docs[0], base_url, str(paths[0]))
        last_cpu_seconds.append(cpu)
        report(f"  PDF part 1/{len(docs)}: {pages} pages ({seconds:.1f} s)")
        for i, proc, recv in children:
            try:
                status, value = recv.recv()
            except EOFError:
                status, value = "error", f"the render process ended with code {proc.exitcode}"
            proc.join()
            if status != "ok":
                raise RuntimeError(f"PDF part {i + 1}: {value}")
            last_cpu_seconds.append(value[2])
            report(f"  PDF part {i + 1}/{len(docs)}: {value[0]} pages ({value[1]:.1f} s)")
    finally:
        for _, proc, _ in children:
            if proc.is_alive():
                proc.terminate()
            proc.join()
    return paths


# Helvetica advance widths (1/1000 em) for the footer's characters; Helvetica is one of the
# PDF's standard fonts, so the footer embeds nothing.
_HELVETICA = dict(zip(
    " 0123456789abcdefghijklmnopqrstuvwxyzIPRT—().,-:",
    [278, *[556] * 10, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556,
     556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 278, 667, 722, 611, 1000,
     333, 333, 278, 278, 333, 278],
    strict=True))


def _footer_stream(text: str, page_width: float) -> bytes:
    width = sum(_HELVETICA.get(ch, 556) for ch in text) * FOOTER_SIZE / 1000
    x = (page_width - width) / 2
    raw = text.encode("cp1252", errors="replace")
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    r, g, b = FOOTER_RGB
    return (f"q BT /TwFooter {FOOTER_SIZE:g} Tf {r:g} {g:g} {b:g} rg {x:.2f} {FOOTER_Y:g} Td "
            .encode() + b"(" + raw + b") Tj ET Q")


def join(parts: list[Path], owners: list[set[str]], out: Path, footer: str,
         title: str = "") -> int:
    """Join the part PDFs into ``out``: links across parts and the page footer fixed.

    ``footer`` is formatted with ``page`` and ``pages``. Returns the page count.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        Fit,
        NameObject,
    )

    writer = PdfWriter()
    anchors: list[tuple[str, int, float | None]] = []
    offset = 0
    for path, own in zip(parts, owners, strict=True):
        reader = PdfReader(path)
        for name, dest in reader.named_destinations.items():
            if name in own:  # not a placeholder for an anchor of another part
                page = reader.get_destination_page_number(dest)
                anchors.append((name, offset + page, dest.top))
        writer.append(reader, import_outline=False)
        offset += len(reader.pages)
    if "/Names" in writer._root_object:
        del writer._root_object["/Names"]
    for name, page, top in sorted(anchors):
        writer.add_named_destination(name, page, Fit.xyz(top=top))
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }))
    total = len(writer.pages)
    for i, page in enumerate(writer.pages, start=1):
        width = float(page.mediabox.width)
        streams = []
        for data in (b"q", b"Q", _footer_stream(footer.format(page=i, pages=total), width)):
            stream = DecodedStreamObject()
            stream.set_data(data)
            streams.append(writer._add_object(stream))
        contents = page.get("/Contents")
        old = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) \
            else ([contents] if contents is not None else [])
        page[NameObject("/Contents")] = ArrayObject([streams[0], *old, streams[1], streams[2]])
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
        fonts[NameObject("/TwFooter")] = font
    writer.add_metadata({"/Title": title, "/Creator": "tipwatch"} if title
                        else {"/Creator": "tipwatch"})
    with open(out, "wb") as fh:
        writer.write(fh)
    return total


def write_pdf(html: str, out: Path, base_url: str, footer: str,
              report: Callable[[str], None], parts: int | None = None, title: str = "") -> int:
    """Render ``html`` to ``out`` in ``parts`` processes; returns the page count."""
    split = split_html(html, parts or workers())
    folder = out.parent / f".{out.name}.parts"
    folder.mkdir(exist_ok=True)
    try:
        paths = render_parts([d for d, _ in split], base_url, folder, report)
        start = time.perf_counter()
        pages = join(paths, [own for _, own in split], out, footer, title=title)
        report(f"  PDF joined: {pages} pages ({time.perf_counter() - start:.1f} s)")
        return pages
    finally:
        for p in folder.glob("*"):
            p.unlink()
        folder.rmdir()
