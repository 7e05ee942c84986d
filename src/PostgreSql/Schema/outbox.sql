-- Kissmetrics.Typed transactional outbox (issue 20). {schema} and {table} are replaced by the configured names,
-- validated as plain identifiers before they get here. Safe to run again: every statement is IF NOT EXISTS / OR REPLACE.
CREATE SCHEMA IF NOT EXISTS "{schema}";

CREATE TABLE IF NOT EXISTS "{schema}"."{table}" (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request     bytea       NOT NULL,             -- the request bytes the generated serializer wrote ("/e?..."), sent as they are
    created_at  timestamptz NOT NULL DEFAULT now(),
    claimed_at  timestamptz NULL,
    attempts    integer     NOT NULL DEFAULT 0,
    state       smallint    NOT NULL DEFAULT 0,   -- 0 pending, 1 dead (past the retry policy; kept until deleted by the user)
    last_error  text        NULL                  -- a status code or an exception type, never the payload
);

-- What a relay claims: pending rows in id order.
CREATE INDEX IF NOT EXISTS "{table}_pending" ON "{schema}"."{table}" (id) WHERE state = 0;

-- Wakes listening relays when a transaction that inserted rows commits (NOTIFY is delivered at commit, never on rollback).
CREATE OR REPLACE FUNCTION "{schema}"."{table}_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{schema}_{table}', '');
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS "{table}_notify" ON "{schema}"."{table}";
CREATE TRIGGER "{table}_notify" AFTER INSERT ON "{schema}"."{table}"
    FOR EACH STATEMENT EXECUTE FUNCTION "{schema}"."{table}_notify"();
