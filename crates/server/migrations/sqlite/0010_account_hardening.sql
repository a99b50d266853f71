-- Throttling that an attacker cannot aim at a victim, and browsers that signed in before.

-- Counted attempts of every sliding-window limit. A sign-in attempt is recorded before its
-- password is checked (so parallel guesses count) and removed again when it succeeds.
-- Scopes: `account` (the e-mail tried), `address` (the client's IP), `pair` (address and
-- e-mail, `<address> <e-mail>`), `registration_address` and `registration_mailbox`.
CREATE TABLE throttle_events (
    id          INTEGER PRIMARY KEY,
    scope       TEXT NOT NULL CHECK (scope IN (
                    'account', 'address', 'pair', 'registration_address', 'registration_mailbox')),
    subject     TEXT NOT NULL,
    happened_at INTEGER NOT NULL
);
CREATE INDEX throttle_events_by_subject ON throttle_events (scope, subject, happened_at);
CREATE INDEX throttle_events_by_instant ON throttle_events (happened_at);
INSERT INTO throttle_events (scope, subject, happened_at)
    SELECT scope, subject, failed_at FROM sign_in_failures;
DROP TABLE sign_in_failures;

-- Browsers that signed in to an account: a random token in a long-lived cookie (only its
-- SHA-256 is stored). Such a browser is not refused by the account-wide sign-in limit.
CREATE TABLE known_devices (
    token_hash   TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_used_at INTEGER NOT NULL,
    PRIMARY KEY (token_hash, user_id)
) WITHOUT ROWID;
CREATE INDEX known_devices_by_user ON known_devices (user_id);
