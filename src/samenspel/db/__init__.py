"""Database plumbing: engine, sessions, the declarative base, migrations.

Tables live with their concept.
"""
