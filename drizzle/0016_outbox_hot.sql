-- Decision 0017: leave room on each page of outgoing_messages so the worker's `transmitting_at`
-- mark (no indexed column changes) is a HOT update: no new entry in any of the table's indexes.
-- Only pages written from now on are affected; nothing is rewritten.
ALTER TABLE "outgoing_messages" SET (fillfactor = 60);
