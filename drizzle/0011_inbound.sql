CREATE TABLE "inbound_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"address_id" uuid NOT NULL,
	"protocol" text NOT NULL,
	"remote_uid" text,
	"content_sha256" text NOT NULL,
	"raw" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"message_id_header" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'stored' NOT NULL,
	"kind" text,
	"task_id" uuid,
	"comment_id" uuid,
	"outgoing_message_id" uuid,
	"processed_at" timestamp with time zone,
	"process_error" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailbox_known_uids" (
	"address_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mailbox_known_uids_address_id_key_pk" PRIMARY KEY("address_id","key")
);
--> statement-breakpoint
CREATE TABLE "mailbox_sync_state" (
	"address_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"protocol" text NOT NULL,
	"uidvalidity" text,
	"last_uid" integer,
	"initialized_at" timestamp with time zone,
	"lease_token" uuid,
	"lease_until" timestamp with time zone,
	"next_poll_at" timestamp with time zone DEFAULT now() NOT NULL,
	"failure_streak" integer DEFAULT 0 NOT NULL,
	"last_error" jsonb,
	"last_success_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_address_id_email_addresses_id_fk" FOREIGN KEY ("address_id") REFERENCES "public"."email_addresses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_comment_id_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."comments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_outgoing_message_id_outgoing_messages_id_fk" FOREIGN KEY ("outgoing_message_id") REFERENCES "public"."outgoing_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_known_uids" ADD CONSTRAINT "mailbox_known_uids_address_id_email_addresses_id_fk" FOREIGN KEY ("address_id") REFERENCES "public"."email_addresses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_sync_state" ADD CONSTRAINT "mailbox_sync_state_address_id_email_addresses_id_fk" FOREIGN KEY ("address_id") REFERENCES "public"."email_addresses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_sync_state" ADD CONSTRAINT "mailbox_sync_state_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_messages_address_uid_uq" ON "inbound_messages" USING btree ("address_id","remote_uid");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_messages_address_sha_uq" ON "inbound_messages" USING btree ("address_id","content_sha256") WHERE "inbound_messages"."remote_uid" IS NULL;--> statement-breakpoint
CREATE INDEX "inbound_messages_address_sha_idx" ON "inbound_messages" USING btree ("address_id","content_sha256");--> statement-breakpoint
CREATE INDEX "inbound_messages_pending_idx" ON "inbound_messages" USING btree ("created_at") WHERE "inbound_messages"."status" = 'stored';--> statement-breakpoint
CREATE INDEX "inbound_messages_ws_address_idx" ON "inbound_messages" USING btree ("workspace_id","address_id","received_at");--> statement-breakpoint
CREATE INDEX "inbound_messages_ws_message_id_idx" ON "inbound_messages" USING btree ("workspace_id","message_id_header");--> statement-breakpoint
CREATE INDEX "inbound_messages_task_idx" ON "inbound_messages" USING btree ("workspace_id","task_id");--> statement-breakpoint
CREATE INDEX "mailbox_sync_state_due_idx" ON "mailbox_sync_state" USING btree ("next_poll_at");