CREATE TABLE "auth_version" (
	"id" smallint PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "auth_version" ("id", "version") VALUES (1, 0);--> statement-breakpoint
-- Authentication is answered from a per-process cache valid for one auth_version (decision
-- 0012). Every statement that can revoke or change what a cached entry says bumps it in the
-- same transaction, so a process that reads the new version also sees the revocation.
-- Statement-level with transition tables: a delete of no rows (the hourly purge of expired
-- sessions when none expired) does not flush every cache. Session touches (last_seen_at,
-- expires_at) and token use (last_used_at) do not bump it.
CREATE FUNCTION mailroom_bump_auth_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME <> 'employees' THEN
    UPDATE auth_version SET version = version + 1 WHERE id = 1;
  ELSIF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM old_rows) THEN
      UPDATE auth_version SET version = version + 1 WHERE id = 1;
    END IF;
  ELSIF EXISTS (SELECT 1 FROM new_rows) THEN
    UPDATE auth_version SET version = version + 1 WHERE id = 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_auth_del AFTER DELETE ON sessions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_auth_version();
--> statement-breakpoint
CREATE TRIGGER sessions_auth_upd AFTER UPDATE OF token_hash, workspace_id, employee_id, csrf_token ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_auth_version();
--> statement-breakpoint
CREATE TRIGGER api_tokens_auth_del AFTER DELETE ON api_tokens
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_auth_version();
--> statement-breakpoint
CREATE TRIGGER api_tokens_auth_upd AFTER UPDATE OF token_hash, workspace_id, employee_id, expires_at ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_auth_version();
--> statement-breakpoint
CREATE TRIGGER employees_auth_upd AFTER UPDATE ON employees
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_auth_version();
--> statement-breakpoint
CREATE TRIGGER employees_auth_del AFTER DELETE ON employees
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_auth_version();
