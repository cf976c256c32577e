"""The audit log is append-only in the database too, not only in the app.

No route edits or deletes an entry; these triggers also refuse an UPDATE or DELETE from any
other client (a psql session, a script, a bug). The one update let through is the foreign
key's own ON DELETE SET NULL on actor_id, which changes nothing else in the row.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 21:50:00

"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MESSAGE = "audit_log is append-only"

POSTGRES_UP = f"""
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
     AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
     AND NEW.object_type IS NOT DISTINCT FROM OLD.object_type
     AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
     AND NEW.before::text IS NOT DISTINCT FROM OLD.before::text
     AND NEW.after::text IS NOT DISTINCT FROM OLD.after::text
     AND NEW.ip IS NOT DISTINCT FROM OLD.ip THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
"""

POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
DROP FUNCTION IF EXISTS audit_log_append_only();
"""

SQLITE_UP = [
    f"""CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
  NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
  AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.action IS OLD.action
  AND NEW.object_type IS OLD.object_type AND NEW.object_id IS OLD.object_id
  AND NEW.before IS OLD.before AND NEW.after IS OLD.after AND NEW.ip IS OLD.ip
)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_log_no_update",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
]


def _statements(postgres: str, sqlite: list[str]) -> list[str]:
    name = op.get_bind().dialect.name
    if name == "postgresql":
        return [postgres]
    if name == "sqlite":
        return sqlite
    return []


def upgrade():
    for statement in _statements(POSTGRES_UP, SQLITE_UP):
        op.execute(statement)


def downgrade():
    for statement in _statements(POSTGRES_DOWN, SQLITE_DOWN):
        op.execute(statement)
