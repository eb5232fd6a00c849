DROP INDEX "employees_name_trgm_idx";--> statement-breakpoint
DROP INDEX "employees_email_trgm_idx";--> statement-breakpoint
ALTER TABLE "employees" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower("name" || chr(10) || "email")) STORED;--> statement-breakpoint
CREATE INDEX "employees_search_trgm_idx" ON "employees" USING gin ("search_text" gin_trgm_ops);