"""Persistence: the study folder, its SQLite database (sqlite-utils) and every SQL statement.

Nothing above this package writes SQL; nothing in it imports a UI.
"""
