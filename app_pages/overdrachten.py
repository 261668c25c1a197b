from vtdata.ui.theme import render_theme

render_theme("overdrachten")
