"""Files the course writes: whole or not at all, under unique temporary names, and the
temporaries an interrupted write left behind are cleared by the next write."""

from __future__ import annotations

import os
import time

from course_model.files import STALE_AFTER_S, write_bytes_atomically, write_text_atomically


def test_a_write_replaces_the_file_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "scores.csv"
    write_text_atomically(target, "a,b\n1,2\n")
    write_text_atomically(target, "a,b\n3,4\n")
    assert target.read_text(encoding="utf-8") == "a,b\n3,4\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]


def test_a_crash_s_leftover_is_removed_by_the_next_write_but_a_write_under_way_is_not(tmp_path):
    target = tmp_path / "answers.json"
    stale, fresh = tmp_path / ".answers-crashed.tmp", tmp_path / ".answers-writing.tmp"
    for leftover in (stale, fresh):
        leftover.write_bytes(b"{")
    old = time.time() - STALE_AFTER_S - 60
    os.utime(stale, (old, old))
    write_bytes_atomically(target, b"{}")
    assert not stale.exists() and fresh.exists()


def test_the_file_is_private_unless_asked(tmp_path):
    private, shared = tmp_path / "session.json", tmp_path / "nbgrader_config.py"
    write_text_atomically(private, "{}")
    write_text_atomically(shared, "c = 1", mode=0o644)
    assert private.stat().st_mode & 0o777 == 0o600
    assert shared.stat().st_mode & 0o777 == 0o644
