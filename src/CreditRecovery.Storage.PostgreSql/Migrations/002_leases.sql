-- CreditRecovery PostgreSQL store, schema version 2: leases, so that several workers split work (e.g. a daily run's
-- customer buckets) instead of racing on it. A lease belongs to `owner` until `expires_at` (Unix ticks, the caller's clock).

CREATE TABLE leases (
    company       text COLLATE "C" NOT NULL,
    resource      text COLLATE "C" NOT NULL,
    owner         text COLLATE "C" NOT NULL,
    expires_at    bigint NOT NULL,
    PRIMARY KEY (company, resource)
);
