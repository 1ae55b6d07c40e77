"""The answers file: saved on change, atomic, merged across tabs, corrupt files set aside."""

from __future__ import annotations

import json
import os
import threading

from course_model.answers import FILE_NAME, AnswersStore, read_answers

MODULE = "02-three-planets"


def test_save_then_reopen_restores(tmp_path):
    AnswersStore(tmp_path, MODULE).save("sort_planets", {"s1": "dv"})
    store = AnswersStore(tmp_path, MODULE)
    assert store.get("sort_planets") == {"s1": "dv"}
    doc = json.loads((tmp_path / FILE_NAME).read_text())
    assert doc["schema_version"] == 1 and doc["module"] == MODULE


def test_two_tabs_do_not_erase_each_other(tmp_path):
    tab1, tab2 = AnswersStore(tmp_path, MODULE), AnswersStore(tmp_path, MODULE)
    tab1.save("sort_planets", {"s1": "dv"})
    tab2.save("reflect_planets", "text from the second tab")
    answers, problem = read_answers(tmp_path)
    assert problem is None
    assert answers == {"sort_planets": {"s1": "dv"}, "reflect_planets": "text from the second tab"}


def test_concurrent_saves_lose_nothing(tmp_path):
    stores = [AnswersStore(tmp_path, MODULE) for _ in range(8)]

    def work(n, store):
        for i in range(25):
            store.save(f"ex_{n}", i)

    threads = [threading.Thread(target=work, args=(n, s)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    answers, _ = read_answers(tmp_path)
    assert answers == {f"ex_{n}": 24 for n in range(8)}
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")], (
        "no temporary file left behind"
    )


def test_corrupt_file_is_set_aside_and_saving_starts_afresh(tmp_path):
    (tmp_path / FILE_NAME).write_text('{"answers": {"sort_planets": ', encoding="utf-8")
    store = AnswersStore(tmp_path, MODULE)
    assert "could not be read" in store.problem and "not valid JSON" in store.problem
    kept = list(tmp_path.glob("answers.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == '{"answers": {"sort_planets": '
    store.save("sort_planets", {"s1": "cp"})
    assert read_answers(tmp_path) == ({"sort_planets": {"s1": "cp"}}, None)


def test_wrong_schema_version_is_treated_as_unreadable(tmp_path):
    (tmp_path / FILE_NAME).write_text(json.dumps({"schema_version": 99, "answers": {}}))
    answers, problem = read_answers(tmp_path)
    assert answers == {} and "schema version 99" in problem


def test_reading_never_changes_the_folder(tmp_path):
    (tmp_path / FILE_NAME).write_text("garbage")
    before = sorted(os.listdir(tmp_path))
    assert read_answers(tmp_path)[0] == {}
    assert sorted(os.listdir(tmp_path)) == before


def test_an_answers_file_moves_every_module_to_another_browser(tmp_path):
    """Download my answers, then Load my answers elsewhere (the practice edition): loaded
    answers win exercise by exercise; what was saved for other exercises stays."""
    from course_model.answers import bundle, merge_in, read_bundle

    here, there = tmp_path / "here", tmp_path / "there"
    for folder in (here / MODULE, there / MODULE):
        folder.mkdir(parents=True)
    AnswersStore(here / MODULE, MODULE).save("sort_planets", {"s1": "dv"})
    AnswersStore(there / MODULE, MODULE).save("reflect_planets", "written there")
    data = bundle(here, [MODULE, "01-incidents-to-patterns"])
    modules, problem = read_bundle(data, "practice-lab-answers.json", [MODULE])
    assert problem is None and modules == {MODULE: {"sort_planets": {"s1": "dv"}}}
    merge_in(there / MODULE, MODULE, modules[MODULE])
    assert read_answers(there / MODULE) == (
        {"reflect_planets": "written there", "sort_planets": {"s1": "dv"}},
        None,
    )


def test_a_wrong_answers_file_is_named_and_changes_nothing():
    from course_model.answers import MAX_BUNDLE_BYTES, read_bundle

    for data in (b"\xff\xfe", b"[1, 2]", b'{"kind": "photos"}', b"x" * (MAX_BUNDLE_BYTES + 1)):
        modules, problem = read_bundle(data, "holiday.json", [MODULE])
        assert modules == {} and "holiday.json" in problem
    future = json.dumps({"kind": "practice-lab answers", "schema_version": 99, "modules": {}})
    assert "cannot read" in read_bundle(future.encode(), "new.json", [MODULE])[1]
