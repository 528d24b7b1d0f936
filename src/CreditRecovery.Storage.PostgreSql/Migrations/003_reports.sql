-- CreditRecovery PostgreSQL store, schema version 3: columns and indexes for reports (aging, credit reports, parking
-- areas), so that they are answered with GROUP BY over columns, never by parsing JSON per row at query time.
-- The commit code writes these columns; the UPDATEs below fill them for rows written by earlier versions.
-- residual is numeric: sums are exact.

ALTER TABLE cases ADD COLUMN due_date date NULL;
ALTER TABLE cases ADD COLUMN currency text COLLATE "C" NULL;
ALTER TABLE cases ADD COLUMN residual numeric NULL;
ALTER TABLE cases ADD COLUMN payment_type text COLLATE "C" NULL;

UPDATE cases SET
    due_date = (payload -> 'installment' ->> 'dueDate')::date,
    currency = coalesce(payload -> 'installment' -> 'openResidual' ->> 'currency', ''),
    residual = (payload -> 'installment' -> 'openResidual' ->> 'amount')::numeric,
    payment_type = coalesce(payload -> 'installment' ->> 'paymentType', 'BankTransfer');

CREATE INDEX ix_cases_aging ON cases (company, customer_code, due_date, currency, residual, payment_type) WHERE status <> 'Closed';

ALTER TABLE customers ADD COLUMN name text NULL;
ALTER TABLE customers ADD COLUMN agent text COLLATE "C" NULL;
ALTER TABLE customers ADD COLUMN sales_area text COLLATE "C" NULL;
ALTER TABLE customers ADD COLUMN category text COLLATE "C" NULL;

UPDATE customers SET
    name = payload ->> 'name',
    agent = payload ->> 'agent',
    sales_area = payload ->> 'salesArea',
    category = payload ->> 'category';

CREATE TABLE customer_responsibles (
    company       text COLLATE "C" NOT NULL,
    customer_code text COLLATE "C" NOT NULL,
    position      bigint NOT NULL,
    operator      text COLLATE "C" NOT NULL,
    PRIMARY KEY (company, customer_code, position)
);

CREATE INDEX ix_customer_responsibles_operator ON customer_responsibles (company, operator, customer_code);

INSERT INTO customer_responsibles (company, customer_code, position, operator)
SELECT a.company, a.customer_code, r.ordinality - 1, r.value
FROM customer_assignments a, json_array_elements_text(a.payload -> 'responsibles') WITH ORDINALITY AS r(value, ordinality);
