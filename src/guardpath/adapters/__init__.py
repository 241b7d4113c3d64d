"""Adapters: the database tables and repositories, encryption, the audit chain, migrations."""
