"""The views of a theme page (headline, overview, ranking, change, comparison).

Each module renders one view from a `vtdata.ui.context.ViewContext`; the
statistics behind it live in pure core modules (`vtdata.figures.headline`,
`vtdata.figures.ranking`, `vtdata.figures.change`, `vtdata.model.view_spec`, `vtdata.figures.view_cells`).
"""
