-- CreditRecovery SQLite store, schema version 1.
-- Every table but operators carries the company; every query filters on it.
-- Each row keeps the full record as JSON in `payload`; the other columns are copies of what queries filter or sort on.
-- Dates are ISO text (yyyy-MM-dd); instants are Unix ticks (100 ns) as integers.

CREATE TABLE customers (
    company       TEXT NOT NULL,
    code          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    PRIMARY KEY (company, code)
) STRICT;

CREATE TABLE cases (
    company          TEXT NOT NULL,
    key              TEXT NOT NULL,
    customer_code    TEXT NOT NULL,
    status           TEXT NOT NULL,
    next_action_date TEXT NULL,
    version          INTEGER NOT NULL,
    payload          TEXT NOT NULL,
    PRIMARY KEY (company, key)
) STRICT;

CREATE INDEX ix_cases_next_action ON cases (company, next_action_date) WHERE status <> 'Closed';
CREATE INDEX ix_cases_customer ON cases (company, customer_code, key);

CREATE TABLE history (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    company       TEXT NOT NULL,
    case_key      TEXT NOT NULL,
    case_version  INTEGER NOT NULL,
    payload       TEXT NOT NULL
) STRICT;

CREATE INDEX ix_history_case ON history (company, case_key, seq);

CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only');
END;

CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only');
END;

CREATE TABLE outbox (
    company       TEXT NOT NULL,
    id            TEXT NOT NULL,
    customer_code TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    payload       TEXT NOT NULL,
    PRIMARY KEY (company, id)
) STRICT;

CREATE INDEX ix_outbox_status ON outbox (company, status, created_at, id);

CREATE TABLE tasks (
    company       TEXT NOT NULL,
    id            TEXT NOT NULL,
    customer_code TEXT NOT NULL,
    assigned_to   TEXT NULL,
    status        TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    payload       TEXT NOT NULL,
    PRIMARY KEY (company, id)
) STRICT;

CREATE INDEX ix_tasks_status_due ON tasks (company, status, due_on, id);
CREATE INDEX ix_tasks_assigned_due ON tasks (company, assigned_to, due_on);
CREATE INDEX ix_tasks_customer ON tasks (company, customer_code);

CREATE TABLE activities (
    company       TEXT NOT NULL,
    id            TEXT NOT NULL,
    customer_code TEXT NOT NULL,
    at            INTEGER NOT NULL,
    payload       TEXT NOT NULL,
    PRIMARY KEY (company, id)
) STRICT;

CREATE INDEX ix_activities_customer ON activities (company, customer_code, at);

CREATE TABLE agenda (
    company       TEXT NOT NULL,
    id            TEXT NOT NULL,
    owner         TEXT NOT NULL,
    date          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    PRIMARY KEY (company, id)
) STRICT;

CREATE INDEX ix_agenda_owner_date ON agenda (company, owner, date);
CREATE INDEX ix_agenda_date ON agenda (company, date);

-- Operators may work for several companies: the row is global, its companies are listed beside it.
CREATE TABLE operators (
    id            TEXT NOT NULL PRIMARY KEY,
    payload       TEXT NOT NULL
) STRICT;

CREATE TABLE operator_companies (
    id            TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    company       TEXT NOT NULL,
    PRIMARY KEY (company, id)
) STRICT;

CREATE INDEX ix_operator_companies_id ON operator_companies (id);

CREATE TABLE customer_assignments (
    company       TEXT NOT NULL,
    customer_code TEXT NOT NULL,
    payload       TEXT NOT NULL,
    PRIMARY KEY (company, customer_code)
) STRICT;

CREATE TABLE procedure_assignments (
    company       TEXT NOT NULL,
    scope         TEXT NOT NULL,
    scope_key     TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    payload       TEXT NOT NULL,
    PRIMARY KEY (company, scope, scope_key, purpose)
) STRICT;

CREATE TABLE quarantine (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    company       TEXT NOT NULL,
    source        TEXT NOT NULL,
    at            INTEGER NOT NULL,
    payload       TEXT NOT NULL
) STRICT;

CREATE INDEX ix_quarantine_company ON quarantine (company, seq);

CREATE TABLE cursors (
    company       TEXT NOT NULL,
    source        TEXT NOT NULL,
    cursor        TEXT NOT NULL,
    PRIMARY KEY (company, source)
) STRICT;
