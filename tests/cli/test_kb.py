"""`samenspel kb import` / `kb export` and `samenspel eval kb`, run as real processes."""

from __future__ import annotations

import json
import shutil

from sqlalchemy import select

from samenspel.db.migrate import upgrade
from samenspel.knowledge.models import Article
from samenspel.knowledge.queries import list_versions
from samenspel.settings import Settings
from tests.cli.test_cli import samenspel
from tests.factories import DEMO_KNOWLEDGE, run_db

ARTICLE = """---
id: {id}
title: {title}
language: nl
group: {id}
tags: [afval]
---
## Kosten
{body}
"""


def write(folder, id_, title="Grofvuil laten ophalen", body="De eerste vier keer per jaar is gratis."):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{id_}.md").write_text(ARTICLE.format(id=id_, title=title, body=body), encoding="utf-8")


def articles(data_dir):
    settings = Settings(environment="test", data_dir=data_dir)
    upgrade(settings)

    async def work(db):
        return set((await db.scalars(select(Article.id))).all())

    return run_db(settings, work)


def test_import_applies_fully_or_not_at_all(tmp_path):
    kb = tmp_path / "kb"
    write(kb, "grofvuil")
    write(kb, "paspoort", title="Paspoort aanvragen", body="Maak een afspraak.")
    (kb / "kapot.md").write_text("---\nid: kapot\ntitle: Kapot\nlanguage: nederlands\n---\nTekst\n", encoding="utf-8")
    result = samenspel("kb", "import", str(kb), data_dir=tmp_path / "data")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    expected = "unknown language code 'nederlands'; expected ISO 639-1 such as 'nl' or 'en'"
    assert lines[0] == f"error: {kb / 'kapot.md'}, line 1: {expected}"
    assert articles(tmp_path / "data") == set()  # the two good articles were not imported either


def test_reimport_updates_by_id_and_records_a_version(tmp_path):
    kb, data = tmp_path / "kb", tmp_path / "data"
    write(kb, "grofvuil")
    first = samenspel("kb", "import", str(kb), data_dir=data)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "imported 1 articles: 1 new, 0 updated, 0 unchanged"
    again = samenspel("kb", "import", str(kb), data_dir=data)
    assert again.stdout.strip() == "imported 1 articles: 0 new, 0 updated, 1 unchanged"
    write(kb, "grofvuil", body="De eerste drie keer per jaar is gratis.")
    changed = samenspel("kb", "import", str(kb), data_dir=data)
    assert changed.stdout.strip() == "imported 1 articles: 0 new, 1 updated, 0 unchanged"

    async def versions(db):
        return [(v.number, v.source, "drie" in v.body) for v in await list_versions(db, "grofvuil")]

    assert run_db(Settings(environment="test", data_dir=data), versions) == [(2, "import", True), (1, "import", False)]


def test_export_writes_markdown_that_imports_unchanged(tmp_path):
    data = tmp_path / "data"
    assert samenspel("kb", "import", str(DEMO_KNOWLEDGE), data_dir=data).returncode == 0
    out = tmp_path / "export"
    exported = samenspel("kb", "export", str(out), data_dir=data)
    assert exported.returncode == 0
    assert exported.stdout.strip() == f"exported 46 articles to {out}"
    assert len(list(out.glob("*.md"))) == 46
    again = samenspel("kb", "import", str(out), data_dir=data)
    assert again.stdout.strip() == "imported 46 articles: 0 new, 0 updated, 46 unchanged"


def test_csv_and_jsonl_import(tmp_path):
    csv = tmp_path / "kb.csv"
    csv.write_text(
        "id,title,body,language,group,tags\nwoz,WOZ-bezwaar,Maak bezwaar binnen zes weken.,nl,woz,belasting\n"
    )
    jsonl = tmp_path / "kb.jsonl"
    jsonl.write_text(json.dumps({"id": "woz-en", "title": "WOZ objection", "body": "Object within six weeks.",
                                 "language": "en", "group": "woz"}) + "\n")  # fmt: skip
    result = samenspel("kb", "import", str(csv), str(jsonl), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert articles(tmp_path / "data") == {"woz", "woz-en"}


def test_eval_kb_prints_both_systems_side_by_side(tmp_path):
    questions = tmp_path / "questions.jsonl"
    shutil.copy(DEMO_KNOWLEDGE.parent / "questions" / "dev.jsonl", questions)
    result = samenspel("eval", "kb", str(questions), "--kb", str(DEMO_KNOWLEDGE), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert table[0].split(" | ")[1:4] == ["top-1", "top-3", "MRR"]
    assert table[1].startswith("| samenspel |")
    assert table[2].startswith("| plain BM25 (baseline) |")
    ours = float(table[1].split(" | ")[1].rstrip("%"))
    baseline = float(table[2].split(" | ")[1].rstrip("%"))
    assert ours > baseline


def test_eval_kb_refuses_a_bad_questions_file(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"text": "hoi"}\n')
    result = samenspel("eval", "kb", str(questions), "--kb", str(DEMO_KNOWLEDGE), data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert "line 1" in result.stderr
