"""The views of a theme page (headline, overview, ranking, change, comparison).

Each module renders one view from a `vtdata.ui.context.ViewContext`; the
statistics behind it live in pure core modules (`vtdata.headline`,
`vtdata.ranking`, `vtdata.change`, `vtdata.themes_data`).
"""
