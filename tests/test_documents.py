"""Reading article files: newsgraph.documents."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from newsgraph.documents import find_article_files, read_article, read_articles
from newsgraph.errors import InputError

BODY = "Mayor Chen Hua visited Lanshan Robotics Co., Ltd. on Tuesday. He saw a welding robot.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def input_error(path: Path) -> str:
    """The message of the InputError that reading ``path`` raises, checked to be one line naming the file."""
    with pytest.raises(InputError) as info:
        read_article(path)
    message = str(info.value)
    assert "\n" not in message
    assert path.name in message
    return message


# ---------------------------------------------------------------- front matter and titles

def test_documents_front_matter_fields(articles_dir: Path) -> None:
    path = articles_dir / "governor-okafor-brightwater.md"
    article = read_article(path)
    assert article.key == "governor-okafor-brightwater"
    assert article.path == "governor-okafor-brightwater.md"
    assert article.title == "Governor Okafor visits Brightwater Cells"
    assert article.published == dt.date(2024, 9, 12)
    assert article.source == "newsgraph test fixture"
    assert article.url == "https://example.org/news/okafor-brightwater"
    assert article.language == "en"
    assert article.content_hash == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    # The text is the body only: offsets in the graph refer to it, not to the file.
    assert "---" not in article.text and "title:" not in article.text
    assert article.text.lstrip().startswith("Governor Ada Okafor visited Brightwater Cells Inc.")


def test_documents_front_matter_keys_are_case_insensitive(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", f"---\nTitle: Upper case keys\nPublished: 2024-01-02\n---\n{BODY}")
    article = read_article(path)
    assert (article.title, article.published) == ("Upper case keys", dt.date(2024, 1, 2))


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-03-14", dt.date(2024, 3, 14)),                 # a YAML date
    ("'2024-03-14'", dt.date(2024, 3, 14)),               # a quoted string
    ("2024-03-14T08:30:00Z", dt.date(2024, 3, 14)),       # a timestamp with a zone
    ("'2024-03-14T23:59:00+08:00'", dt.date(2024, 3, 14)),
    ("", None),                                           # present but empty: unknown
])
def test_documents_published_dates(tmp_path: Path, value: str, expected: dt.date | None) -> None:
    path = write(tmp_path / "a.md", f"---\ntitle: T\npublished: {value}\n---\n{BODY}")
    assert read_article(path).published == expected


def test_documents_plain_text_title_from_first_line(articles_dir: Path) -> None:
    article = read_article(articles_dir / "mayor-chen-lanshan.txt")
    assert article.title == "Lanshan Robotics shows its welding line to the mayor"
    assert article.published is None and article.source is None and article.url is None
    assert article.text.startswith("Lanshan Robotics shows its welding line to the mayor\n")


def test_documents_no_title_when_first_line_is_a_sentence(articles_dir: Path) -> None:
    # The first line of this article is a full sentence ending in '.', not a headline.
    assert read_article(articles_dir / "minister-vale-harborlight.txt").title is None


def test_documents_markdown_heading_becomes_title(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", f"# Mayor tours robot maker\n\n{BODY}")
    assert read_article(path).title == "Mayor tours robot maker"


def test_documents_front_matter_title_wins_over_first_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", f"---\ntitle: From front matter\n---\nA headline line\n\n{BODY}")
    assert read_article(path).title == "From front matter"


def test_documents_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    content = f"---\ntitle: Windows file\n---\n{BODY}".replace("\n", "\r\n")
    path = write(tmp_path / "win.md", b"\xef\xbb\xbf" + content.encode("utf-8"))
    article = read_article(path)
    assert article.title == "Windows file"
    assert "\r" not in article.text and not article.text.startswith("\ufeff")
    assert article.text == BODY


def test_documents_key_is_a_slug_of_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path / "Mayor Chen Visits LANSHAN.txt", BODY)
    assert read_article(path).key == "mayor-chen-visits-lanshan"


# ---------------------------------------------------------------- finding files

def test_documents_find_files_recurses_and_sorts(tmp_path: Path) -> None:
    for name in ["b.txt", "a.md", "sub/deeper/c.markdown", "sub/B.TXT", ".hidden.txt", "notes.json", "sub/photo.jpg"]:
        write(tmp_path / name, BODY)
    found = find_article_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.md", "b.txt", "sub/B.TXT", "sub/deeper/c.markdown",
    ]


def test_documents_find_files_keeps_input_order_and_drops_duplicates(tmp_path: Path) -> None:
    first = write(tmp_path / "one/z.txt", BODY)
    second = write(tmp_path / "two/a.txt", BODY)
    assert find_article_files([tmp_path / "one", tmp_path / "two", first, str(second)]) == [first, second]


def test_documents_find_files_rejects_a_non_article_file(tmp_path: Path) -> None:
    path = write(tmp_path / "graph.ttl", "<a> <b> <c> .\n")
    with pytest.raises(InputError, match=r"graph\.ttl: not an article file"):
        find_article_files([path])


def test_documents_find_files_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere: no such file or folder"):
        find_article_files([tmp_path / "nowhere"])


def test_documents_read_articles_in_file_order(articles_dir: Path) -> None:
    articles = list(read_articles([articles_dir]))
    assert [a.key for a in articles] == [
        "governor-okafor-brightwater", "mayor-chen-lanshan", "minister-vale-harborlight",
    ]


def test_documents_key_clash_gets_a_suffix(tmp_path: Path) -> None:
    for folder in ["a", "b", "c"]:
        write(tmp_path / folder / "report.txt", BODY)
    write(tmp_path / "d" / "Report.md", BODY)
    keys = [a.key for a in read_articles([tmp_path])]
    assert keys == ["report", "report-2", "report-3", "report-4"]


def test_documents_suffixed_key_never_clashes_with_a_real_one(tmp_path: Path) -> None:
    write(tmp_path / "a" / "report-2.txt", BODY)
    write(tmp_path / "a" / "report.txt", BODY)
    write(tmp_path / "b" / "report.txt", BODY)
    keys = [a.key for a in read_articles([tmp_path])]
    assert len(set(keys)) == len(keys), keys


# ---------------------------------------------------------------- errors: one line, the file and the problem

def test_documents_error_missing_file(tmp_path: Path) -> None:
    assert "no such file" in input_error(tmp_path / "gone.txt")


def test_documents_error_empty_file(tmp_path: Path) -> None:
    assert "empty file" in input_error(write(tmp_path / "empty.txt", ""))


def test_documents_error_whitespace_only_file(tmp_path: Path) -> None:
    assert "empty file" in input_error(write(tmp_path / "blank.txt", " \n\n\t\n"))


def test_documents_error_front_matter_without_body(tmp_path: Path) -> None:
    assert "empty article" in input_error(write(tmp_path / "meta.md", "---\ntitle: Only metadata\n---\n\n"))


def test_documents_error_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "latin1.txt", "Mayor Chén visited Lanshan Robotics.".encode("latin-1"))
    message = input_error(path)
    assert "not UTF-8" in message
    assert "offset 8" in message  # the byte of "é" in Latin-1


def test_documents_error_front_matter_not_closed(tmp_path: Path) -> None:
    path = write(tmp_path / "open.md", f"---\ntitle: Never closed\n{BODY}")
    assert "no closing '---'" in input_error(path)


def test_documents_error_front_matter_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path / "list.md", f"---\n- title\n- published\n---\n{BODY}")
    assert "must be a YAML mapping" in input_error(path)


def test_documents_error_front_matter_broken_yaml(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.md", f"---\ntitle: [never closed\n---\n{BODY}")
    assert "broken front matter" in input_error(path)


@pytest.mark.parametrize("value", ["next Tuesday", "14/03/2024", "'2024-13-01'", "12"])
def test_documents_error_bad_published(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "when.md", f"---\npublished: {value}\n---\n{BODY}")
    message = input_error(path)
    assert "'published'" in message and "YYYY-MM-DD" in message


def test_documents_error_impossible_yaml_date(tmp_path: Path) -> None:
    path = write(tmp_path / "feb30.md", f"---\npublished: 2024-02-30\n---\n{BODY}")
    message = input_error(path)
    assert "'published'" in message and "2024-02-30" in message


def test_documents_error_names_the_bad_file_among_good_ones(tmp_path: Path, articles_dir: Path) -> None:
    write(tmp_path / "zz-empty.txt", "")
    with pytest.raises(InputError, match=r"zz-empty\.txt: empty file"):
        list(read_articles([articles_dir, tmp_path]))
