-- The worker's sweep for suspensions that have reached their end.
CREATE INDEX users_suspended_until ON users (suspended_until) WHERE suspended_until IS NOT NULL;
-- Sales staff's account list: newest first, page after page.
CREATE INDEX users_newest ON users (created_at DESC, id DESC);
-- Tech staff's connection-log search by address.
CREATE INDEX connection_logs_email ON connection_logs (lower(email), id DESC);
