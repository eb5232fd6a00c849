CREATE TABLE "test_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"address_id" uuid NOT NULL,
	"requested_by_employee_id" uuid,
	"status" text NOT NULL,
	"message_id" text NOT NULL,
	"send" jsonb,
	"arrival" jsonb,
	"checks" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp with time zone,
	"arrived_at" timestamp with time zone,
	"deadline_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "test_emails" ADD CONSTRAINT "test_emails_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_emails" ADD CONSTRAINT "test_emails_address_id_email_addresses_id_fk" FOREIGN KEY ("address_id") REFERENCES "public"."email_addresses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "test_emails_address_idx" ON "test_emails" USING btree ("workspace_id","address_id","created_at");