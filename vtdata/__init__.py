"""vtdata: the CBS StatLine figures on Veilig Thuis, refreshed into DuckDB.

The core package imports no Streamlit; `vtdata.ui` holds the Streamlit pieces.
"""

__version__ = "0.1.0"
