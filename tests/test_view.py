"""The View of a link: parsed in one place, written back with only what differs from the defaults."""

from __future__ import annotations

from vtdata.model.view import IGNORED, MISSING, REPLACED, USED, Lookups, View

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


def test_the_key_leaves_out_only_the_open_tab():
    a, _ = View.from_query("veiligheid", [("region", "GM0363"), ("weergave", "Ranglijst"), ("categorie", "A1")])
    b, _ = View.from_query("veiligheid", [("region", "GM0363"), ("weergave", "Verandering"), ("categorie", "A1")])
    c, _ = View.from_query("veiligheid", [("region", "GM0363"), ("weergave", "Ranglijst"), ("categorie", "A2")])
    assert a.key() == b.key()  # every tab is drawn on every run: the open one changes no drawing
    assert a.key() != c.key()  # any other choice in the link does
