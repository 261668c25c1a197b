from vtdata.ui.profile_page import render_profile_page

render_profile_page()
