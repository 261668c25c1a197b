"""Veilig Thuis in cijfers: `streamlit run streamlit_app.py` (locally, in the container and on Community Cloud).

Streamlit uses this file twice. `streamlit run` finds the `st.App` below and imports the
file as the web server (`__name__` is then the module's name): its middleware sends a
browser on a nested unknown path such as `/kerncijfers/extra`, which Streamlit 1.67
answers with a page that never loads, to a page that exists (vtdata.ui.nested_paths).
Every script run executes the file as `__main__` and draws the app (vtdata.ui.shell).
"""

import streamlit as st

if __name__ == "__main__":
    from vtdata.ui import shell

    shell.run()
else:
    from vtdata.ui import nested_paths

    app = st.App(__file__, middleware=nested_paths.middleware())
