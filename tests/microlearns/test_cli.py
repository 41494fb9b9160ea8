"""`flask microlearns import FILE`: CSV and JSON, bad rows reported, idempotent."""

import json
from pathlib import Path

from sqlalchemy import func, select

from forum.extensions import db
from forum.microlearns import services
from forum.microlearns.models import Microlearn

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "microlearns-sample.csv"

HEADER = "key,title,objective,format,content_url,duration_minutes,tags\n"
GOOD = (
    "fire-safety,Fire safety basics,Leave the building safely when the alarm "
    "sounds.,video,https://learning.example.com/fire,3,fire-safety\n"
)


def count() -> int:
    """Return how many microlearns exist."""
    return db.session.scalar(select(func.count()).select_from(Microlearn))


def run_import(runner, path):
    """Run the import command on a file."""
    return runner.invoke(args=["microlearns", "import", str(path)])


def test_sample_file_imports(runner):
    """The documented sample CSV imports cleanly, every row."""
    result = run_import(runner, SAMPLE)
    assert result.exit_code == 0, result.output
    rows = SAMPLE.read_text().count("\n") - 1
    assert count() == rows == 6
    assert f"{rows} added, 0 updated, 0 unchanged, 0 refused." in result.output
    item = services.get_microlearn("dementia-care-101")
    assert [tag.name for tag in item.tags] == ["communication", "dementia"]


def test_importing_twice_changes_nothing_and_changed_rows_update(runner, tmp_path):
    """The second run of the same file changes nothing; an edited row updates."""
    path = tmp_path / "items.csv"
    path.write_text(HEADER + GOOD)
    assert run_import(runner, path).exit_code == 0
    first = services.get_microlearn("fire-safety")
    second = run_import(runner, path)
    assert "0 added, 0 updated, 1 unchanged, 0 refused." in second.output
    assert first.edited_at is None

    path.write_text(HEADER + GOOD.replace(",3,", ",7,"))
    third = run_import(runner, path)
    assert "0 added, 1 updated, 0 unchanged" in third.output
    db.session.expire_all()
    assert services.get_microlearn("fire-safety").duration_minutes == 7
    assert count() == 1


def test_bad_rows_are_reported_by_line_and_good_rows_imported(runner, tmp_path):
    """Each bad row is named with its line and reason; the good ones still import."""
    path = tmp_path / "items.csv"
    path.write_text(
        HEADER + GOOD + "Bad Key!,A title here,An objective of some length,video,"
        "https://x.example.com,3,\n"
        + "\n"
        + 'quiz-1,"A quiz with a\nline break in its title",Answer five questions '
        "right.,quiz,ftp://x.example.com,2,\n"
        + GOOD.replace("fire-safety,", "fire-safety-2,")
        + GOOD
    )
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "line 3: key:" in result.output
    assert "line 5: content_url:" in result.output
    assert "line 8: key: “fire-safety” is also on line 2" in result.output
    assert "2 added, 0 updated, 0 unchanged, 3 refused." in result.output
    assert count() == 2


def test_json_imports_with_item_lines(runner, tmp_path):
    """A JSON array imports too; a bad item is named by the line it starts on."""
    items = [
        {
            "key": "hand-hygiene",
            "title": "Hand hygiene in six steps",
            "objective": "Wash your hands in the six WHO steps.",
            "format": "interactive",
            "content_url": "https://learning.example.com/hands",
            "duration_minutes": 2,
            "tags": ["infection-control", "hygiene"],
            "updated": "2024-01-31",
        },
        {"key": "no-title", "format": "video"},
    ]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items, indent=2))
    result = run_import(runner, path)
    assert result.exit_code == 1
    second_item_line = path.read_text().split("\n").index("  {", 2) + 1
    assert f"line {second_item_line}: title:" in result.output
    item = services.get_microlearn("hand-hygiene")
    assert item.duration_minutes == 2
    assert [tag.name for tag in item.tags] == ["hygiene", "infection-control"]
    assert item.updated_on.isoformat() == "2024-01-31"


def test_format_is_detected_from_content(runner, tmp_path):
    """A file without a known extension is read as JSON when it looks like JSON."""
    path = tmp_path / "export.txt"
    path.write_text(
        '[{"key": "ab", "title": "Short one", "objective": "Learn a short thing.",'
        ' "format": "other", "content_url": "https://x.example.com/ab"}]'
    )
    assert run_import(runner, path).exit_code == 0
    assert services.get_microlearn("ab").format == "other"


def test_broken_files_are_refused_with_a_reason(runner, tmp_path):
    """A header without required columns, an unknown column or broken JSON fails."""
    cases = {
        "missing.csv": ("key,title\nab,Some title\n", "lacks the columns"),
        "unknown.csv": (HEADER.strip() + ",colour\n", "unknown column colour"),
        "broken.json": ('[{"key": "ab",\n  "title": }]', "Line 2: the JSON is broken"),
        "object.json": ('{"key": "ab"}', "must be one array"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        result = run_import(runner, path)
        assert result.exit_code == 1, name
        assert message in result.output, (name, result.output)
    assert count() == 0


def test_excel_byte_order_mark_is_ignored(runner, tmp_path):
    """A CSV saved by Excel as "CSV UTF-8" starts with a BOM; it still imports."""
    path = tmp_path / "items.csv"
    path.write_bytes(("\ufeff" + HEADER + GOOD).encode("utf-8"))
    assert run_import(runner, path).exit_code == 0
    assert count() == 1
