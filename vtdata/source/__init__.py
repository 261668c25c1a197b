"""Getting the tables: StatLine over OData (cbsodata), the offline demo set, metadata sets, all as TableSnapshots."""
