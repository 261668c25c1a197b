"""The View of a link: parsed in one place, written back with only what differs from the defaults."""

from __future__ import annotations

from vtdata.model.view import IGNORED, MISSING, REPEATED_NOTE, REPLACED, USED, Lookups, View

LOOKUPS = Lookups(frozenset({"NL01", "GM0363", "VT01"}), frozenset({"2023HJ01", "2023JJ00"}), "NL01", "2023JJ00")


def notes_by_name(notes) -> dict[str, tuple[str, str]]:
    return {n.name: (n.status, n.why) for n in notes}


def test_a_link_round_trips():
    pairs = [("region", "GM0363"), ("period", "2023HJ01"), ("toon", "aandeel"), ("extra", "GM0599"),
             ("extra", "GM0518"), ("weergave", "Ranglijst"), ("presentatie", "1"), ("stap", "3")]
    view, notes = View.from_query("veiligheid", pairs, LOOKUPS)
    assert (view.page, view.region, view.period, view.presenting, view.step) == ("veiligheid", "GM0363", "2023HJ01", True, 3)
    assert view.get("extra") == ("GM0599", "GM0518") and view.get("toon") == "aandeel"
    assert all(status == USED for status, _ in notes_by_name(notes).values())
    again, _ = View.from_query("veiligheid", view.to_query(), LOOKUPS)
    assert again == view


def test_only_what_differs_from_the_defaults_is_written():
    defaults = View("veiligheid", "NL01", "2023JJ00").with_choice("toon", "aandeel")
    view = View("veiligheid", "NL01", "2023HJ01").with_choice("toon", "aandeel").with_choice("niveau", "VT")
    assert view.to_query(defaults) == [("niveau", "VT"), ("period", "2023HJ01")][::-1]
    assert View("veiligheid", "NL01", "2023JJ00", presenting=False, step=4).to_query(defaults) == []


def test_bad_and_missing_values_are_replaced_with_a_reason():
    pairs = [("region", "GM9999"), ("toon", "percentage"), ("niveau", "xx"), ("stap", "-2"), ("utm_source", "mail")]
    view, notes = View.from_query("kerncijfers", pairs, LOOKUPS)
    said = notes_by_name(notes)
    assert view.region == "NL01" and said["region"][0] == REPLACED and "GM9999" in said["region"][1]
    assert view.period == "2023JJ00" and said["period"][0] == MISSING
    assert view.get("toon") is None and said["toon"][0] == REPLACED
    assert view.get("niveau") is None and said["niveau"][0] == REPLACED
    assert view.step == 1 and said["stap"][0] == REPLACED
    assert said["utm_source"] == (IGNORED, "onbekende parameter")


def test_old_links_keep_working():
    view, notes = View.from_query("veiligheid", [("toon", "rate"), ("niveau", "gm")])
    assert view.get("toon") == "per1000" and view.get("niveau") == "GM"
    assert notes_by_name(notes)["toon"][0] == REPLACED


def test_a_long_value_is_not_echoed_in_full():
    _, notes = View.from_query("kerncijfers", [("region", "X" * 5000)], LOOKUPS)
    assert len(notes_by_name(notes)["region"][1]) < 100


def test_the_key_leaves_out_the_open_tab():
    a, _ = View.from_query("veiligheid", [("region", "GM0363"), ("weergave", "Ranglijst"), ("categorie", "A1")])
    b, _ = View.from_query("veiligheid", [("region", "GM0363"), ("weergave", "Verandering"), ("categorie", "A1")])
    c, _ = View.from_query("veiligheid", [("region", "GM0363"), ("weergave", "Ranglijst"), ("categorie", "A2")])
    assert a.key() == b.key()  # every tab is drawn on every run: the open one changes no drawing
    assert a.key() != c.key()  # any other choice in the link does


def test_the_key_leaves_out_the_presentation_step():
    steps = [View.from_query("veiligheid", [("region", "GM0363"), ("presentatie", "1"), ("stap", s)])[0] for s in ("2", "3")]
    plain, _ = View.from_query("veiligheid", [("region", "GM0363")])
    assert steps[0].key() == steps[1].key()  # what step 2's run prefetched, step 3 finds
    assert steps[0].key() != plain.key()  # on a projector the views are drawn larger


def test_the_notes_name_what_is_shown_instead_in_dutch():
    lookups = Lookups(LOOKUPS.regions, LOOKUPS.periods, "NL01", "2023JJ00", "Nederland", "2023")
    said = lambda pairs: notes_by_name(View.from_query("", pairs, lookups)[1])  # noqa: E731
    assert said([("region", "GM9999")])["region"][1] == "Regio GM9999 is niet bekend; Nederland wordt getoond."
    assert said([("region", "<b>x</b>")])["region"][1] == "De regio in de link is niet bekend; Nederland wordt getoond."
    assert said([("period", "2099HJ01")])["period"][1].startswith("Periode 2099HJ01 is niet beschikbaar; de nieuwste periode, 2023,")
    assert "geen geldige periode" in said([("period", "abc")])["period"][1]
    assert said([("period", "<i>")])["period"][1].startswith("De periode in de link is niet geldig")


def test_a_repeated_region_is_noted_and_the_last_counts():
    view, notes = View.from_query("", [("region", "VT01"), ("region", "GM0363")], LOOKUPS)
    assert view.region == "GM0363"
    assert [n.why for n in notes if n.status == REPEATED_NOTE] == [
        "De link bevat de parameter `region` 2 keer; alleen de laatste waarde is gebruikt."]
