ALTER TABLE "workspaces" ADD COLUMN "sender_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Sender choice caches each workspace's company addresses (with their project and access
-- links) per sender_version; every statement that can change them bumps it, in the same
-- transaction, so a reader that sees the version sees the data it stands for.
CREATE FUNCTION mailroom_bump_sender_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE workspaces SET sender_version = sender_version + 1
      WHERE id IN (SELECT DISTINCT workspace_id FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE workspaces SET sender_version = sender_version + 1
      WHERE id IN (SELECT DISTINCT workspace_id FROM old_rows);
  ELSE
    UPDATE workspaces SET sender_version = sender_version + 1
      WHERE id IN (SELECT workspace_id FROM new_rows UNION SELECT workspace_id FROM old_rows);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER email_addresses_sender_ins AFTER INSERT ON email_addresses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_sender_version();
--> statement-breakpoint
CREATE TRIGGER email_addresses_sender_upd AFTER UPDATE ON email_addresses
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_sender_version();
--> statement-breakpoint
CREATE TRIGGER email_addresses_sender_del AFTER DELETE ON email_addresses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_sender_version();
--> statement-breakpoint
CREATE TRIGGER email_address_projects_sender_ins AFTER INSERT ON email_address_projects
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_sender_version();
--> statement-breakpoint
CREATE TRIGGER email_address_projects_sender_upd AFTER UPDATE ON email_address_projects
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_sender_version();
--> statement-breakpoint
CREATE TRIGGER email_address_projects_sender_del AFTER DELETE ON email_address_projects
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_sender_version();
--> statement-breakpoint
CREATE TRIGGER email_address_access_sender_ins AFTER INSERT ON email_address_access
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_sender_version();
--> statement-breakpoint
CREATE TRIGGER email_address_access_sender_upd AFTER UPDATE ON email_address_access
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_sender_version();
--> statement-breakpoint
CREATE TRIGGER email_address_access_sender_del AFTER DELETE ON email_address_access
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mailroom_bump_sender_version();
