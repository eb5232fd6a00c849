-- Decision 0008 (per-address cap in the claim): each address's due rows in due order, so the claim
-- takes at most its cap of them and finds the next address with due rows with one index probe.
-- Partial like outgoing_messages_due_idx: a claimed or sent row version adds no entry.
CREATE INDEX "outgoing_messages_address_due_idx" ON "outgoing_messages" USING btree ("address_id","next_attempt_at") WHERE "outgoing_messages"."status" IN ('queued', 'deferred');