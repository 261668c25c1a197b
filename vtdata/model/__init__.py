"""The model of the Veilig Thuis tables: the catalog of tables and themes, periods, the category structure, what a theme page shows of a table, which regions existed."""
