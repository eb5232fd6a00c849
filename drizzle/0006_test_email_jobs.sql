ALTER TABLE "test_emails" ADD COLUMN "lang" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "test_emails" ADD COLUMN "next_step_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "test_emails" ADD COLUMN "lease_token" uuid;--> statement-breakpoint
ALTER TABLE "test_emails" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "test_emails" ADD COLUMN "skip_uids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "test_emails_due_idx" ON "test_emails" USING btree ("next_step_at") WHERE "test_emails"."status" IN ('sending', 'waiting');