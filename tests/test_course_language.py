"""The course speaks as it teaches: its own text passes the language audit it gives learners, and
the audit catches the phrases a domestic-abuse trainer meets every week in real case notes."""

from __future__ import annotations

import pytest

from course_model.check.language import course_texts, language_problems
from course_model.language import audit, unquoted
from tests.conftest import ROOT

# Phrases from real case notes (issue: content corrections), each with the pattern that must flag it.
CASE_NOTE_PHRASES = [
    ("Mum was unable to engage with the Idva.", "failed_to_engage"),
    ("Mother failed to engage with the service.", "failed_to_engage"),
    ("Bruising to her arm: fall while intoxicated.", "fall_while_intoxicated"),
    ("DV disclosed, advised to ring the police if it happens again.", "disclosed_advised"),
    ("Partner supportive at times and attends her appointments.", "supportive_at_times"),
    ("Mum is showing disguised compliance with the plan.", "disguised_compliance_mother"),
    ("The couple have a volatile relationship.", "volatile"),
    ("It is a toxic relationship on both sides.", "toxic_relationship"),
    ("This looks like mutual abuse.", "mutual_abuse"),
    ("Mum allowed the children to witness the violence.", "allowed_children_to"),
    ("She chose to stay with him after the assault.", "chose_to_stay"),
]


@pytest.mark.parametrize(("note", "pattern_id"), CASE_NOTE_PHRASES)
def test_the_audit_catches_each_phrase_from_real_case_notes(note, pattern_id):
    assert pattern_id in {f.pattern_id for f in audit(note)}


def test_a_tactic_the_course_teaches_is_not_flagged_as_a_record_phrase():
    assert not audit("DARVO, counter-allegations and malicious referrals are tactics.")
    assert audit("Both parents have made allegations against each other.")


def test_quoted_phrases_are_cited_not_spoken():
    assert unquoted("The record says \"volatile relationship\" and 'chose to stay'.") == []
    assert [f.pattern_id for f in unquoted("Leila's volatile relationship")] == ["volatile"]


def test_the_scan_reads_every_kind_of_course_text():
    kinds = {path.suffix for path, _, _ in course_texts(ROOT / "course")}
    assert kinds == {".ipynb", ".yaml", ".md"}
    wheres = {where for _, where, _ in course_texts(ROOT / "course")}
    assert not any(w.startswith("documents[") for w in wheres), "records for critique are exempt"


def test_the_course_own_text_passes_its_language_audit():
    problems = language_problems(ROOT / "course")
    assert not problems, "\n".join(map(str, problems))


def test_a_flagged_phrase_in_the_course_voice_is_reported_with_file_and_place(tmp_path):
    module = tmp_path / "modules" / "99-x"
    module.mkdir(parents=True)
    (module / "facilitator-guide.md").write_text("Ask why she chose to stay.\n", encoding="utf-8")
    (module / "exercises.yaml").write_text(
        "exercises:\n  - prompt: 'The record says \"volatile relationship\".'\n", encoding="utf-8"
    )
    [problem] = language_problems(tmp_path)
    assert problem.file.name == "facilitator-guide.md" and "chose to stay" in problem.reason
