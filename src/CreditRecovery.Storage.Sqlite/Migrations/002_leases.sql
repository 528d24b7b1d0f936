-- CreditRecovery SQLite store, schema version 2: leases, so that several workers split work (e.g. a daily run's
-- customer buckets) instead of racing on it. A lease belongs to `owner` until `expires_at` (Unix ticks, the caller's clock).

CREATE TABLE leases (
    company       TEXT NOT NULL,
    resource      TEXT NOT NULL,
    owner         TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,
    PRIMARY KEY (company, resource)
) STRICT;
