-- Decision 0017 (index diet): two fewer index entries for every row version of outgoing_messages
-- (its insert and each non-HOT update: the claim and `sent`). The resend index holds only resends;
-- one unique index on (message_id, coalesce(resend_of_id, zero uuid)) replaces the partial unique
-- index on originals and the plain index for lookups by Message-ID. Existing rows already obey
-- both rules (originals unique, one resend per email), so nothing is rewritten or refused.
DROP INDEX "outgoing_messages_message_id_uq";--> statement-breakpoint
DROP INDEX "outgoing_messages_message_id_idx";--> statement-breakpoint
DROP INDEX "outgoing_messages_resend_of_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "outgoing_messages_message_resend_uq" ON "outgoing_messages" USING btree ("message_id",coalesce("resend_of_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
CREATE UNIQUE INDEX "outgoing_messages_resend_of_uq" ON "outgoing_messages" USING btree ("resend_of_id") WHERE "outgoing_messages"."resend_of_id" IS NOT NULL;