"""The content of the demo microlearns: a small page or a one-page PDF for each.

A real catalogue links to videos, documents and courses elsewhere; the demo has
none of those, and a dead link would be the first thing a visitor clicks. So each
demo microlearn's content is a file the app serves itself, under
static/demo/learn/, built from its entry in forum/demo/data.py: a one-page PDF for
the "pdf" format, a short HTML page standing in for the video, quiz or article
otherwise. The files are committed; after changing the demo catalogue, rebuild
them with ``python -m forum.demo.content`` (a test checks they match).
"""

import sys
import textwrap
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CONTENT_DIR = ROOT / "static" / "demo" / "learn"
URL_PREFIX = "/static/demo/learn/"
FORMAT_LABELS = {
    "video": "Video",
    "pdf": "PDF",
    "article": "Article",
    "podcast": "Podcast",
    "quiz": "Quiz",
    "interactive": "Interactive",
    "other": "Other",
}
STAND_IN = {
    "video": "the video plays here",
    "podcast": "the recording plays here",
    "quiz": "the quiz runs here",
    "interactive": "the walkthrough runs here",
    "article": "the full article is here",
    "other": "the printable card is here",
}


def file_name(spec: dict) -> str:
    """Return the name of a demo microlearn's content file."""
    return f"{spec['key']}.{'pdf' if spec['format'] == 'pdf' else 'html'}"


def content_url(spec: dict) -> str:
    """Return the path on this site where a demo microlearn's content is served."""
    return URL_PREFIX + file_name(spec)


def _version(spec: dict) -> str:
    """Return the version the content is at: the latest one the demo publishes."""
    from forum.demo import data

    published = [
        new["version"] for new in data.NEW_VERSIONS if new["microlearn"] == spec["key"]
    ]
    return published[-1] if published else spec["version"]


def _facts(spec: dict) -> str:
    """Return the format, duration and version of an item as one line."""
    return (
        f"{FORMAT_LABELS[spec['format']]} · {spec['duration_minutes']} min · "
        f"version {_version(spec)} · {spec['source']}"
    )


def html_page(spec: dict) -> bytes:
    """Return the demo page that stands in for a microlearn's content."""
    points = "\n".join(f"        <li>{escape(point)}</li>" for point in spec["points"])
    title = escape(spec["title"])
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>{title} · Knowhow demo content</title>
  <link rel="stylesheet" href="/static/css/app.css">
</head>
<body>
  <main id="main" class="container">
    <div class="narrow">
      <p class="breadcrumb"><a href="/learn/{spec["key"]}">‹ Back to Knowhow</a></p>
      <p class="ml-meta">{escape(_facts(spec))}</p>
      <h1>{title}</h1>
      <p class="ml-objective-lead"><span class="ml-objective-label">Objective</span>
        {escape(spec["objective"])}</p>
      <p class="flash flash-info">Demo content: in a real catalogue
        {STAND_IN[spec["format"]]}. What it covers:</p>
      <ul>
{points}
      </ul>
      <p class="ml-open"><a class="button button-primary" href="/learn/{spec["key"]}">
        Questions and ratings on Knowhow</a></p>
    </div>
  </main>
</body>
</html>
""".encode()


def _pdf_text(text: str) -> bytes:
    """Return text as a PDF string literal in WinAnsi encoding."""
    raw = text.encode("cp1252", errors="replace")
    return (
        b"("
        + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        + b")"
    )


def pdf_document(spec: dict) -> bytes:
    """Return a one-page A4 PDF with a demo microlearn's objective and points."""
    lines: list[tuple[str, float, str]] = [("F2", 20, spec["title"])]
    lines.append(("F1", 10, _facts(spec)))
    lines.append(("F1", 8, ""))
    lines.append(("F2", 13, "Objective"))
    lines += [("F1", 11, line) for line in textwrap.wrap(spec["objective"], 80)]
    lines.append(("F1", 8, ""))
    lines.append(("F2", 13, "Key points"))
    for point in spec["points"]:
        wrapped = textwrap.wrap(point, 76)
        lines.append(("F1", 11, f"-  {wrapped[0]}"))
        lines += [("F1", 11, f"   {rest}") for rest in wrapped[1:]]
    lines.append(("F1", 8, ""))
    lines.append(
        (
            "F1",
            9,
            "Demo content: this page stands in for the real document in the "
            "Knowhow demo.",
        )
    )
    lines.append(("F1", 9, f"Questions and ratings: /learn/{spec['key']}"))
    stream = [b"BT", b"56 786 Td"]
    for font, size, text in lines:
        stream.append(f"/{font} {size:g} Tf".encode())
        stream.append(_pdf_text(text) + b" Tj")
        stream.append(f"0 -{size * 1.45:.1f} Td".encode())
    stream.append(b"ET")
    content = b"\n".join(stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Title " + _pdf_text(spec["title"]) + b" /Producer (Knowhow demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def build(spec: dict) -> bytes:
    """Return the content file of a demo microlearn."""
    return pdf_document(spec) if spec["format"] == "pdf" else html_page(spec)


def write_files(directory: Path = CONTENT_DIR) -> list[Path]:
    """Write every demo microlearn's content file; remove files of no item."""
    from forum.demo import data

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in data.MICROLEARNS:
        path = directory / file_name(spec)
        path.write_bytes(build(spec))
        written.append(path)
    for stale in set(directory.iterdir()) - set(written):
        stale.unlink()
    return written


if __name__ == "__main__":
    paths = write_files()
    sys.stdout.write(f"Wrote {len(paths)} files to {CONTENT_DIR}\n")
