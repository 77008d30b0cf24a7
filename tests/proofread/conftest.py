"""The proofreading tests need neither Django nor a database (run with -p no:django)."""
