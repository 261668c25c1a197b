from vtdata.ui.colofon import render_colofon

render_colofon()
