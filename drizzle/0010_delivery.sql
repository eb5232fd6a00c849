DROP INDEX "outgoing_messages_message_id_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "outgoing_messages_resend_of_uq" ON "outgoing_messages" USING btree ("resend_of_id");--> statement-breakpoint
CREATE INDEX "outgoing_messages_message_id_idx" ON "outgoing_messages" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outgoing_messages_message_id_uq" ON "outgoing_messages" USING btree ("message_id") WHERE "outgoing_messages"."resend_of_id" IS NULL;