"""Data layer: the import contract, schema, database access, import and demo data."""
