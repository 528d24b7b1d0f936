-- CreditRecovery PostgreSQL store, schema version 1.
-- Every table but operators carries the company; every query filters on it.
-- Each row keeps the full record as JSON in `payload` (type json: stored verbatim, so decimals keep their scale);
-- the other columns are copies of what queries filter or sort on.
-- Text columns use COLLATE "C": comparisons and ORDER BY are binary (ordinal), as in the SQLite store, whatever the
-- database's default collation, and the indexes serve those orders.
-- Dates are `date`; instants are Unix ticks (100 ns) as bigint, so that nothing is rounded to microseconds.

CREATE TABLE customers (
    company       text COLLATE "C" NOT NULL,
    code          text COLLATE "C" NOT NULL,
    payload       json NOT NULL,
    PRIMARY KEY (company, code)
);

CREATE TABLE cases (
    company          text COLLATE "C" NOT NULL,
    key              text COLLATE "C" NOT NULL,
    customer_code    text COLLATE "C" NOT NULL,
    status           text COLLATE "C" NOT NULL,
    next_action_date date NULL,
    version          bigint NOT NULL,
    payload          json NOT NULL,
    PRIMARY KEY (company, key)
);

CREATE INDEX ix_cases_next_action ON cases (company, next_action_date) WHERE status <> 'Closed';
CREATE INDEX ix_cases_customer ON cases (company, customer_code, key);

CREATE TABLE history (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company       text COLLATE "C" NOT NULL,
    case_key      text COLLATE "C" NOT NULL,
    case_version  bigint NOT NULL,
    payload       json NOT NULL
);

CREATE INDEX ix_history_case ON history (company, case_key, seq);

CREATE FUNCTION credit_recovery_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER history_no_update BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION credit_recovery_append_only();

CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION credit_recovery_append_only();

CREATE TABLE outbox (
    company       text COLLATE "C" NOT NULL,
    id            text COLLATE "C" NOT NULL,
    customer_code text COLLATE "C" NOT NULL,
    status        text COLLATE "C" NOT NULL,
    created_at    bigint NOT NULL,
    payload       json NOT NULL,
    PRIMARY KEY (company, id)
);

CREATE INDEX ix_outbox_status ON outbox (company, status, created_at, id);

CREATE TABLE tasks (
    company       text COLLATE "C" NOT NULL,
    id            text COLLATE "C" NOT NULL,
    customer_code text COLLATE "C" NOT NULL,
    assigned_to   text COLLATE "C" NULL,
    status        text COLLATE "C" NOT NULL,
    due_on        date NOT NULL,
    payload       json NOT NULL,
    PRIMARY KEY (company, id)
);

CREATE INDEX ix_tasks_status_due ON tasks (company, status, due_on, id);
CREATE INDEX ix_tasks_assigned_due ON tasks (company, assigned_to, due_on);
CREATE INDEX ix_tasks_customer ON tasks (company, customer_code);

CREATE TABLE activities (
    company       text COLLATE "C" NOT NULL,
    id            text COLLATE "C" NOT NULL,
    customer_code text COLLATE "C" NOT NULL,
    at            bigint NOT NULL,
    payload       json NOT NULL,
    PRIMARY KEY (company, id)
);

CREATE INDEX ix_activities_customer ON activities (company, customer_code, at);

CREATE TABLE agenda (
    company       text COLLATE "C" NOT NULL,
    id            text COLLATE "C" NOT NULL,
    owner         text COLLATE "C" NOT NULL,
    date          date NOT NULL,
    payload       json NOT NULL,
    PRIMARY KEY (company, id)
);

CREATE INDEX ix_agenda_owner_date ON agenda (company, owner, date);
CREATE INDEX ix_agenda_date ON agenda (company, date);

-- Operators may work for several companies: the row is global, its companies are listed beside it.
CREATE TABLE operators (
    id            text COLLATE "C" NOT NULL PRIMARY KEY,
    payload       json NOT NULL
);

CREATE TABLE operator_companies (
    id            text COLLATE "C" NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    company       text COLLATE "C" NOT NULL,
    PRIMARY KEY (company, id)
);

CREATE INDEX ix_operator_companies_id ON operator_companies (id);

CREATE TABLE customer_assignments (
    company       text COLLATE "C" NOT NULL,
    customer_code text COLLATE "C" NOT NULL,
    payload       json NOT NULL,
    PRIMARY KEY (company, customer_code)
);

CREATE TABLE procedure_assignments (
    company       text COLLATE "C" NOT NULL,
    scope         text COLLATE "C" NOT NULL,
    scope_key     text COLLATE "C" NOT NULL,
    purpose       text COLLATE "C" NOT NULL,
    payload       json NOT NULL,
    PRIMARY KEY (company, scope, scope_key, purpose)
);

CREATE TABLE quarantine (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company       text COLLATE "C" NOT NULL,
    source        text COLLATE "C" NOT NULL,
    at            bigint NOT NULL,
    payload       json NOT NULL
);

CREATE INDEX ix_quarantine_company ON quarantine (company, seq);

CREATE TABLE cursors (
    company       text COLLATE "C" NOT NULL,
    source        text COLLATE "C" NOT NULL,
    cursor        text NOT NULL,
    PRIMARY KEY (company, source)
);
