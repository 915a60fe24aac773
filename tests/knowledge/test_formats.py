"""Reading knowledge-base files: every problem names the file, the line and what was wrong."""

from __future__ import annotations

import json

import pytest

from samenspel.knowledge.formats import ImportProblems, read_articles, to_markdown

GOOD = """---
id: grofvuil-ophalen
title: Grofvuil laten ophalen
language: nl
group: grofvuil
tags: [afval, grofvuil]
---
## Kosten
De eerste vier keer per jaar is gratis.
"""


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(paths):
    with pytest.raises(ImportProblems) as caught:
        read_articles(paths)
    return [str(p) for p in caught.value.problems]


def test_a_markdown_folder_is_read_with_its_front_matter(tmp_path):
    write(tmp_path, "a.md", GOOD)
    (article,) = read_articles([tmp_path])
    assert (article.id, article.title, article.language, article.group) == (
        "grofvuil-ophalen",
        "Grofvuil laten ophalen",
        "nl",
        "grofvuil",
    )
    assert article.tags == ["afval", "grofvuil"]
    assert article.body.startswith("## Kosten")


def test_missing_front_matter_names_file_and_line(tmp_path):
    path = write(tmp_path, "kapot.md", "# Geen front matter\nTekst")
    assert problems_of([path]) == [f"{path}, line 1: expected a front-matter block starting with '---'"]


def test_duplicate_id_names_both_places(tmp_path):
    first = write(tmp_path, "a.md", GOOD)
    second = write(tmp_path, "b.md", GOOD.replace("group: grofvuil", "group: grofvuil-2"))
    (problem,) = problems_of([tmp_path])
    assert problem.startswith(f"{second}, line 1: duplicate id 'grofvuil-ophalen'")
    assert str(first) in problem


def test_unknown_language_code_and_empty_body(tmp_path):
    path = write(tmp_path, "a.md", GOOD.replace("language: nl", "language: dutch"))
    assert "unknown language code 'dutch'" in problems_of([path])[0]
    empty = write(tmp_path, "b.md", GOOD.split("---\n## Kosten", maxsplit=1)[0] + "---\n\n  \n")
    assert problems_of([empty]) == [f"{empty}, line 1: empty body: the article has no text"]


def test_bad_yaml_points_at_its_line(tmp_path):
    path = write(tmp_path, "a.md", GOOD.replace("title: Grofvuil laten ophalen", "title: [niet dicht"))
    (problem,) = problems_of([path])
    assert problem.startswith(f"{path}, line ")
    assert "not valid YAML" in problem
    assert int(problem.split("line ")[1].split(":")[0]) in (3, 4)


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    write(tmp_path, "a.md", "geen front matter")
    write(tmp_path, "b.md", GOOD.replace("language: nl", "language: xx"))
    with pytest.raises(ImportProblems) as caught:
        read_articles([tmp_path])
    assert len(caught.value.problems) == 2
    assert "(and 1 more problems)" in caught.value.message


def test_csv_rows_are_numbered_by_their_line_even_with_multiline_bodies(tmp_path):
    path = write(
        tmp_path,
        "kb.csv",
        "id,title,body,language,group,tags\n"
        'paspoort,Paspoort aanvragen,"Regel een\nafspraak.",nl,paspoort,burgerzaken;reizen\n'
        "idkaart,ID-kaart,,nl,idkaart,\n",
    )
    (problem,) = problems_of([path])
    assert problem == f"{path}, line 4: empty body: the article has no text"
    ok = write(tmp_path, "ok.csv", "id,title,body,language,tags\nx,X,Tekst,en,a;b\n")
    (article,) = read_articles([ok])
    assert (article.group, article.tags, article.language) == ("x", ["a", "b"], "en")


def test_csv_without_the_required_header_says_which_columns(tmp_path):
    path = write(tmp_path, "kb.csv", "id,title,language\nx,X,nl\n")
    assert problems_of([path]) == [
        f"{path}, line 1: the header lacks body; expected id,title,body,language[,group,tags]"
    ]


def test_jsonl_lines(tmp_path):
    good = {"id": "a", "title": "A", "body": "Tekst", "language": "nl", "tags": ["x"]}
    path = write(tmp_path, "kb.jsonl", json.dumps(good) + "\n{kapot\n" + json.dumps({**good, "id": "b"}) + "\n")
    (problem,) = problems_of([path])
    assert problem.startswith(f"{path}, line 2: not valid JSON")


def test_unknown_files_and_fields_are_refused(tmp_path):
    other = write(tmp_path, "kb.docx", "x")
    assert "unsupported file type .docx" in problems_of([other])[0]
    typo = write(tmp_path, "a.md", GOOD.replace("language: nl", "languge: nl"))
    messages = problems_of([typo])
    assert any("unknown field 'languge'" in m for m in messages)
    assert any("missing 'language'" in m for m in messages)


def test_export_format_reads_back_the_same(tmp_path):
    (article,) = read_articles([write(tmp_path, "a.md", GOOD)])
    text = to_markdown(
        id=article.id,
        title=article.title,
        language=article.language,
        group=article.group,
        tags=article.tags,
        body=article.body,
        status="published",
    )
    out = tmp_path / "out"
    out.mkdir()
    (again,) = read_articles([write(out, "a.md", text)])
    assert (again.id, again.title, again.body, again.tags, again.status) == (
        article.id,
        article.title,
        article.body,
        article.tags,
        "published",
    )
