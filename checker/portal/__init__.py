"""The review portal (`greencheck serve`): projects, revisions checked on the batch engine, compared, waived and
signed off, for approval offices and CI systems.

Data flows one way, as in the rest of greencheck: uploads are stored by SHA-256 (store), jobs check them in isolated
children (jobs), results are JSON reports from which every other format is rendered on demand (results), and the web
pages (pages) and the CI API (api) are thin over the service functions (service, review). The database is SQLite by
default and PostgreSQL by URL (db, migrations).
"""
