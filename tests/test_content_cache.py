"""The workspace's content cache: course files kept parsed as JSON for learner kernels, never
shown stale, and never made by anything but serving the course."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from course_model import content, workspace
from tests.conftest import cached_copy


@pytest.fixture
def cache():
    return workspace.content_cache(create=True)


def test_a_course_file_is_read_from_the_cache_once_parsed(tmp_path, cache, monkeypatch):
    source = tmp_path / "module.yaml"
    source.write_text("title: Coercive control\npages: [one, two]\n", encoding="utf-8")
    assert content.read_yaml(source) == {"title": "Coercive control", "pages": ["one", "two"]}
    assert cached_copy(source).is_file()

    def no_parsing(path, text):
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(content, "_parse_yaml", no_parsing)
    assert content.read_yaml(source) == {"title": "Coercive control", "pages": ["one", "two"]}


def test_an_edited_file_is_never_shown_from_a_stale_copy(tmp_path, cache):
    source = tmp_path / "module.yaml"
    source.write_text("title: Before\n", encoding="utf-8")
    assert content.read_yaml(source)["title"] == "Before"
    source.write_text("title: After\n", encoding="utf-8")
    assert content.read_yaml(source)["title"] == "After"
    source.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(content.ContentError, match=r"module\.yaml:2: column 1: not valid"):
        content.read_yaml(source)


def test_a_damaged_cached_copy_is_replaced_by_the_file(tmp_path, cache):
    source = tmp_path / "module.yaml"
    source.write_text("title: Kept\n", encoding="utf-8")
    content.read_yaml(source)
    cached_copy(source).write_text('{"title": ', encoding="utf-8")  # cut short
    assert content.read_yaml(source) == {"title": "Kept"}
    assert cached_copy(source).read_text(encoding="utf-8") == '{"title": "Kept"}'


def test_data_json_cannot_hold_is_parsed_each_time_not_changed(tmp_path, cache):
    source = tmp_path / "dates.yaml"
    source.write_text("reviewed: 2025-03-01\n1: numbered key\n", encoding="utf-8")
    data = content.read_yaml(source)
    assert data == {"reviewed": datetime.date(2025, 3, 1), 1: "numbered key"}
    assert not cached_copy(source).exists()
    assert content.read_yaml(source) == data


def test_checking_the_course_makes_no_cache(tmp_path):
    """Only `serve` makes the cache: a trainer's check leaves their workspace as it was."""
    home = Path(tmp_path / "home")
    for module_id in content.module_ids():
        content.read_yaml(content.module_dir(module_id) / "module.yaml")
    assert workspace.content_cache() is None
    assert not (home / "cache").exists()
