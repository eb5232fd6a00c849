CREATE TABLE "received_comments" (
	"comment_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"inbound_message_id" uuid NOT NULL,
	"from_email" text DEFAULT '' NOT NULL,
	"from_name" text DEFAULT '' NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"quoted_text" text DEFAULT '' NOT NULL,
	"remote_images" integer DEFAULT 0 NOT NULL,
	"unreadable" boolean DEFAULT false NOT NULL,
	"auto_reply_reason" text,
	"omitted_attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "received_comments" ADD CONSTRAINT "received_comments_comment_id_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."comments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "received_comments_inbound_uq" ON "received_comments" USING btree ("inbound_message_id");