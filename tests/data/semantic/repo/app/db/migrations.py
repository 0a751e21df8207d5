"""Schema changes of the shop database, applied in order once each."""

MIGRATIONS = [
    "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL)",
    "ALTER TABLE products ADD COLUMN stock INTEGER DEFAULT 0",
]


def migrate(conn):
    """Runs the migrations newer than the recorded schema version."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (v INTEGER)")
    row = conn.execute("SELECT MAX(v) FROM schema_version").fetchone()
    current = row[0] or 0
    for version, statement in enumerate(MIGRATIONS[current:], current + 1):
        conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (?)", (version,))
    conn.commit()
