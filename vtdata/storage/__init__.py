"""Building, checking, publishing and reading the DuckDB database."""
