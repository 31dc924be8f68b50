"""Outputs beyond the CSV and JSON files: the year-over-year comparison (changes), the SQLite database and its
Datasette metadata. Nothing the pipeline runs on one file imports this package; the writers and the run do."""
