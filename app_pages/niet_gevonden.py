from vtdata.ui.navigation import pages
from vtdata.ui.not_found import render

render(pages())
