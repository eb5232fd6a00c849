-- The embedded database's list-page cache (decision 0018): every statement that writes a table
-- a cached list page reads (employees, group_members) sends a notification in its own
-- transaction; it is delivered when that transaction commits (never on rollback), and the
-- PGlite process — the only process on its data dir — empties its cache on it. Statement-level
-- and unconditional: a statement touching no row invalidates too (harmless, and no write path
-- can slip past). TRUNCATE has its own trigger event. On PostgreSQL nobody listens and there is
-- no such cache; employee and group writes are rare.
CREATE FUNCTION mailroom_notify_list_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mailroom_list_change', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER employees_list_change AFTER INSERT OR UPDATE OR DELETE ON employees
  FOR EACH STATEMENT EXECUTE FUNCTION mailroom_notify_list_change();
--> statement-breakpoint
CREATE TRIGGER employees_list_truncate AFTER TRUNCATE ON employees
  FOR EACH STATEMENT EXECUTE FUNCTION mailroom_notify_list_change();
--> statement-breakpoint
CREATE TRIGGER group_members_list_change AFTER INSERT OR UPDATE OR DELETE ON group_members
  FOR EACH STATEMENT EXECUTE FUNCTION mailroom_notify_list_change();
--> statement-breakpoint
CREATE TRIGGER group_members_list_truncate AFTER TRUNCATE ON group_members
  FOR EACH STATEMENT EXECUTE FUNCTION mailroom_notify_list_change();
