"""Every learning outcome maps to the PCF, at least one of the two Knowledge and Skills Statements
(child and family; adult services, for outcomes about adults) and Social Work England's standards
(course/frameworks.yaml); the check refuses gaps and unknown numbers; the CPD record, the course
home and README show the mapping; the CPD record takes Social Care Wales's shape on request."""

from __future__ import annotations

import re

import yaml

from course_model import check, content, cpd, outcome_map
from tests.conftest import ROOT

MODULE = "02-three-planets"
ADULTS_MODULE = "08-who-we-miss"  # adult victims and adult safeguarding (Care Act 2014, s.42)
PCF, SWE = "Professional Capabilities Framework", "Social Work England professional standards"
KSS_CHILDREN = "Knowledge and skills statement for child and family practitioners"
KSS_ADULTS = "Knowledge and skills statement for social workers in adult services"


def test_readme_table_is_generated_from_the_data():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert outcome_map.with_table(readme) == readme, "README is stale: run `make outcome-table`"
    assert "| 02 Three planets: why families get contradictory messages |" in readme


def test_every_module_maps_every_outcome_to_each_framework():
    for module_id in content.module_ids():
        meta = content.load_module(module_id)
        assert outcome_map.problems(content.module_dir(module_id) / "module.yaml", meta) == []
        names = [name for name, _ in outcome_map.in_words(outcome_map.module_mapping(meta))]
        assert names[0] == PCF and names[-1] == SWE, module_id
        assert names[1:-1] in ([KSS_CHILDREN], [KSS_ADULTS], [KSS_CHILDREN, KSS_ADULTS]), module_id


def test_outcomes_about_adult_safeguarding_map_to_the_adults_statement():
    meta = content.load_module(ADULTS_MODULE)
    for outcome in meta["learning_outcomes"]:  # every one is about adults as well as children
        assert 4 in outcome["frameworks"].get("kss_adults", []), outcome["id"]
    assert outcome_map.frameworks()["kss_adults"].entries[4] == "Safeguarding"
    words = dict(outcome_map.in_words(outcome_map.module_mapping(meta)))
    assert "4 Safeguarding" in words[KSS_ADULTS]
    # a module about children alone keeps to the child and family statement
    assert KSS_ADULTS not in dict(
        outcome_map.in_words(outcome_map.module_mapping(content.load_module("04-children")))
    )


def test_either_statement_satisfies_the_check_and_the_adults_numbers_are_checked(course_copy):
    path = course_copy / "modules" / MODULE / "module.yaml"
    meta = yaml.safe_load(path.read_text())
    mapped = meta["learning_outcomes"][0]["frameworks"]
    mapped["kss_adults"] = [4]
    del mapped["kss_children"]  # the adults' statement alone will do
    meta["learning_outcomes"][1]["frameworks"]["kss_adults"] = [1, 11]  # not statements
    path.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))
    found = [str(p) for p in check.check_course()]
    assert not any("learning_outcomes[0]" in p for p in found), found
    assert any(
        "learning_outcomes[1].frameworks.kss_adults" in p and f"{KSS_ADULTS} has no number 11" in p
        for p in found
    ), found
    assert any(f"{KSS_ADULTS} has no number 1" in p for p in found), found


def test_check_names_the_outcome_with_a_gap_or_an_unknown_number(course_copy):
    path = course_copy / "modules" / MODULE / "module.yaml"
    meta = yaml.safe_load(path.read_text())
    del meta["learning_outcomes"][1]["frameworks"]["kss_children"]
    meta["learning_outcomes"][2]["frameworks"]["pcf"] = [6, 12]
    path.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))
    found = [str(p) for p in check.check_course()]
    assert any(
        "module.yaml" in p
        and "learning_outcomes[1].frameworks" in p
        and f"lo2 maps to no {KSS_CHILDREN} or {KSS_ADULTS}: add at least one" in p
        for p in found
    ), found
    assert any(
        "learning_outcomes[2].frameworks.pcf" in p
        and "Professional Capabilities Framework has no number 12" in p
        for p in found
    ), found


def test_cpd_record_lists_what_the_module_maps_to(tmp_path):
    record = cpd.blank_record(MODULE)
    text = cpd.to_markdown(record, "Sam Patel", [])
    assert "**Registered with:** Social Work England" in text
    meta = content.load_module(MODULE)
    for name, words in outcome_map.in_words(outcome_map.module_mapping(meta)):
        assert f"**{name}:** {words}" in text  # every framework the module maps to, in words
    assert "6 Critical reflection and analysis" in text
    assert "**Social Work England professional standards:** 1 Promote the rights" in text
    assert "## Peer reflection" in text, "Social Work England asks for a peer reflection"
    assert KSS_ADULTS not in text  # module 02 is about children and families


def test_cpd_record_and_home_show_the_adults_statement_where_outcomes_reach_it(tmp_path):
    from widgets.cpd import mapping_html
    from widgets.home import home_html

    text = cpd.to_markdown(cpd.blank_record(ADULTS_MODULE), "Sam Patel", [])
    assert f"**{KSS_ADULTS}:** 3 Person-centred practice; 4 Safeguarding" in text
    assert f"**{KSS_CHILDREN}:** 4 Adult mental ill health" in text
    html = mapping_html(ADULTS_MODULE)
    assert f"<strong>{KSS_ADULTS}:</strong> 3 Person-centred practice; 4 Safeguarding" in html
    assert html in home_html(tmp_path)


def test_cpd_record_in_social_care_wales_s_shape(tmp_path):
    record = cpd.blank_record(MODULE) | {"regulator": "Social Care Wales"}
    text = cpd.to_markdown(record, "Sam Patel", [])
    assert "**Registered with:** Social Care Wales" in text
    assert "Code of Professional Practice for Social Care, 6.9" in text
    assert "Since 1 April 2025" in text and "Social Work England's guidance" not in text
    assert "## Peer reflection" not in text, "Social Care Wales does not ask for one"
    record["peer_discussion"] = "We talked about the contact planet."
    assert "## Peer reflection" in cpd.to_markdown(record, "Sam Patel", [])
    page = cpd.to_html(record, "Sam Patel", [])
    assert re.search(r"<dt>Registered with</dt><dd>Social Care Wales</dd>", page)


def test_the_form_switches_regulator_and_a_forged_choice_falls_back(tmp_path):
    from widgets.cpd import CpdForm

    form = CpdForm(tmp_path, MODULE)
    assert "professional standard 4" in form.standard.value
    form.fields["regulator"].value = "Social Care Wales"
    assert "6.9" in form.standard.value and "does not ask" in form.peer_intro.value
    assert CpdForm(tmp_path, MODULE).fields["regulator"].value == "Social Care Wales"
    draft = cpd.folder_for(tmp_path) / f"{MODULE}.json"
    draft.write_text(draft.read_text().replace("Social Care Wales", "<script>x</script>"))
    record, problem = cpd.load_draft(tmp_path, MODULE)
    assert record["regulator"] == "Social Work England" and problem is None
