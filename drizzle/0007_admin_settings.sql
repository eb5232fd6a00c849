-- Existing duplicates first (issue 8): a repeated project name gets " (2)", " (3)", … in order of
-- creation; a mailbox saved twice in one list cannot be merged automatically, so the upgrade stops
-- and names it (delete one of the two rows, then start again).
UPDATE "projects" p SET "name" = p."name" || ' (' || d.rn || ')'
FROM (
  SELECT "id", row_number() OVER (PARTITION BY "workspace_id", lower("name") ORDER BY "created_at", "id") AS rn
  FROM "projects"
) d
WHERE p."id" = d."id" AND d.rn > 1;--> statement-breakpoint
DO $$
DECLARE dup text;
BEGIN
  SELECT string_agg(DISTINCT lower("email"), ', ') INTO dup FROM (
    SELECT "email", count(*) OVER (PARTITION BY "workspace_id", "scope", "owner_employee_id", lower("email")) AS n
    FROM "email_addresses"
  ) x WHERE n > 1;
  IF dup IS NOT NULL THEN
    RAISE EXCEPTION 'mailroom: these mailboxes are saved twice in the same list: %. Delete one row of each, then start again.', dup;
  END IF;
END $$;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "default_language" text DEFAULT 'pl' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "settings_confirmed_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "email_addresses_company_email_uq" ON "email_addresses" USING btree ("workspace_id",lower("email")) WHERE "email_addresses"."scope" = 'company';--> statement-breakpoint
CREATE UNIQUE INDEX "email_addresses_employee_email_uq" ON "email_addresses" USING btree ("workspace_id","owner_employee_id",lower("email")) WHERE "email_addresses"."scope" = 'employee';--> statement-breakpoint
CREATE UNIQUE INDEX "projects_workspace_name_uq" ON "projects" USING btree ("workspace_id",lower("name"));