"""How far a learner has got, as the course home says it: modules done, minutes of CPD so far,
and a link back to the page they last worked on, kept without ever risking an answer."""

from __future__ import annotations

import json
import shutil

from course_model import content, progress
from course_model.answers import FILE_NAME, AnswersStore
from tests.conftest import MODULE
from widgets.home import home_html
from widgets.page import CoursePage

WELCOME = "00-welcome"


def answer_every_exercise(learner_folder, module_id, value="An answer") -> None:
    (learner_folder / module_id).mkdir()
    store = AnswersStore(learner_folder / module_id, module_id)
    for ex_id in content.load_exercises(module_id):
        store.save(ex_id, value)


def copy_page(learner_folder, module_id: str, page_file: str):
    """The learner's copy of one page, as serve installs it."""
    target = learner_folder / module_id
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(content.module_dir(module_id) / page_file, target / page_file)
    return target


def test_progress_counts_modules_with_every_exercise_answered_and_their_minutes(tmp_path):
    modules = len(content.module_ids())
    assert f"So far: 0 of {modules} modules done, 0 minutes of CPD." in home_html(tmp_path)

    answer_every_exercise(tmp_path, WELCOME)
    answer_every_exercise(tmp_path, MODULE)
    minutes = content.load_module(WELCOME)["minutes"] + content.load_module(MODULE)["minutes"]
    assert f"So far: 2 of {modules} modules done, {minutes} minutes of CPD." in home_html(tmp_path)

    # One answer emptied again (a reflection cleared, a sort undone): that module is not done.
    first = next(iter(content.load_exercises(MODULE)))
    AnswersStore(tmp_path / MODULE, MODULE).save(first, "  ")
    minutes = content.load_module(WELCOME)["minutes"]
    assert f"So far: 1 of {modules} modules done, {minutes} minutes of CPD." in home_html(tmp_path)


def test_a_module_half_answered_is_not_done(tmp_path):
    (tmp_path / WELCOME).mkdir()
    store = AnswersStore(tmp_path / WELCOME, WELCOME)
    store.save(next(iter(content.load_exercises(WELCOME))), "An answer")
    assert not progress.all_answered(tmp_path, WELCOME)
    assert "So far: 0 of" in home_html(tmp_path)


def test_answering_records_the_page_and_the_home_links_back_to_it(tmp_path):
    assert "Continue where you left off" not in home_html(tmp_path), "nothing to continue yet"
    folder = copy_page(tmp_path, MODULE, "assessment.ipynb")
    CoursePage(MODULE, "assessment.ipynb", folder=folder).build("reflect_planets").enter("Mine")
    assert progress.last_page(tmp_path) == (MODULE, "assessment.ipynb")
    page = next(p for p in content.load_module(MODULE)["pages"] if p["file"] == "assessment.ipynb")
    html = home_html(tmp_path)
    assert f'<a href="{MODULE}/assessment.ipynb">Continue where you left off: ' in html
    assert page["title"] in html.split("Continue where you left off")[1].split("</a>")[0]


def test_the_cpd_record_page_counts_as_worked_on(tmp_path):
    from widgets.cpd import CpdForm

    copy_page(tmp_path, MODULE, "assessment.ipynb")
    (tmp_path / MODULE / "cpd-record.ipynb").write_text("{}")
    CpdForm(tmp_path, MODULE).fields["learned"].value = "What I learned"
    assert progress.last_page(tmp_path) == (MODULE, "cpd-record.ipynb")
    assert "My CPD record" in home_html(tmp_path)


def test_an_answer_is_saved_even_when_its_page_cannot_be_recorded(tmp_path):
    folder = copy_page(tmp_path, MODULE, "assessment.ipynb")
    (tmp_path / progress.LAST_PAGE_FILE).mkdir()  # the record cannot be written
    CoursePage(MODULE, "assessment.ipynb", folder=folder).build("reflect_planets").enter("Kept")
    saved = json.loads((folder / FILE_NAME).read_text())
    assert saved["answers"]["reflect_planets"]["value"] == "Kept"
    assert progress.last_page(tmp_path) is None


def test_a_recorded_page_that_is_not_a_course_page_is_ignored(tmp_path):
    copy_page(tmp_path, MODULE, "assessment.ipynb")
    record = tmp_path / progress.LAST_PAGE_FILE
    for doc in (
        {"module": "../..", "page": "assessment.ipynb"},
        {"module": MODULE, "page": "../../home.ipynb"},
        {"module": MODULE, "page": "01-three-planets.ipynb"},  # a page this learner has not got
        {"module": MODULE, "page": '"><script>x</script>'},
        ["not", "a", "record"],
    ):
        record.write_text(json.dumps(doc))
        assert progress.last_page(tmp_path) is None, doc
        assert "Continue where you left off" not in home_html(tmp_path)
    record.write_text("{broken")
    assert progress.last_page(tmp_path) is None
