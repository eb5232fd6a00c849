-- Trigram indexes for ILIKE '%…%' searches (PGlite loads pg_trgm where it is opened).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "email_addresses_ws_scope_idx";--> statement-breakpoint
DROP INDEX "employees_workspace_name_idx";--> statement-breakpoint
DROP INDEX "projects_workspace_name_idx";--> statement-breakpoint
CREATE INDEX "employees_name_trgm_idx" ON "employees" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "employees_email_trgm_idx" ON "employees" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "projects_name_trgm_idx" ON "projects" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "projects_description_trgm_idx" ON "projects" USING gin ("description" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "email_addresses_ws_scope_idx" ON "email_addresses" USING btree ("workspace_id","scope","email","id");--> statement-breakpoint
CREATE INDEX "employees_workspace_name_idx" ON "employees" USING btree ("workspace_id","name","id");--> statement-breakpoint
CREATE INDEX "projects_workspace_name_idx" ON "projects" USING btree ("workspace_id","name","id");