-- CreditRecovery SQLite store, schema version 3: columns and indexes for reports (aging, credit reports, parking areas),
-- so that they are answered with GROUP BY over columns, never by parsing JSON per row at query time.
-- The commit code writes these columns; the UPDATEs below fill them for rows written by earlier versions.
--   cases.due_date       ISO date of the installment's due date
--   cases.currency       ISO 4217 code of the open residual
--   cases.residual       the open residual as exact decimal text (JSON number text)
--   cases.residual_units the open residual in 1/10000 units when that is exact, else NULL (then `residual` is summed)
--   cases.payment_type   the installment's payment type name
--   customers.name / agent / sales_area / category
--   customer_responsibles: one row per responsible operator of a customer (position 0 = the main one)

ALTER TABLE cases ADD COLUMN due_date TEXT NULL;
ALTER TABLE cases ADD COLUMN currency TEXT NULL;
ALTER TABLE cases ADD COLUMN residual TEXT NULL;
ALTER TABLE cases ADD COLUMN residual_units INTEGER NULL;
ALTER TABLE cases ADD COLUMN payment_type TEXT NULL;

UPDATE cases SET
    due_date = json_extract(payload, '$.installment.dueDate'),
    currency = json_extract(payload, '$.installment.openResidual.currency'),
    residual = payload -> '$.installment.openResidual.amount',
    payment_type = coalesce(json_extract(payload, '$.installment.paymentType'), 'BankTransfer');

-- Exact in 1/10000 units only when the decimal text has at most 4 decimals and the value fits comfortably.
UPDATE cases SET residual_units = CAST(round(CAST(residual AS REAL) * 10000) AS INTEGER)
WHERE residual NOT LIKE '%e%' AND residual NOT LIKE '%E%'
  AND (instr(residual, '.') = 0 OR length(residual) - instr(residual, '.') <= 4)
  AND abs(CAST(residual AS REAL)) < 100000000000;

CREATE INDEX ix_cases_aging ON cases (company, customer_code, due_date, currency, residual_units, payment_type) WHERE status <> 'Closed';

ALTER TABLE customers ADD COLUMN name TEXT NULL;
ALTER TABLE customers ADD COLUMN agent TEXT NULL;
ALTER TABLE customers ADD COLUMN sales_area TEXT NULL;
ALTER TABLE customers ADD COLUMN category TEXT NULL;

UPDATE customers SET
    name = json_extract(payload, '$.name'),
    agent = json_extract(payload, '$.agent'),
    sales_area = json_extract(payload, '$.salesArea'),
    category = json_extract(payload, '$.category');

CREATE TABLE customer_responsibles (
    company       TEXT NOT NULL,
    customer_code TEXT NOT NULL,
    position      INTEGER NOT NULL,
    operator      TEXT NOT NULL,
    PRIMARY KEY (company, customer_code, position)
) STRICT;

CREATE INDEX ix_customer_responsibles_operator ON customer_responsibles (company, operator, customer_code);

INSERT INTO customer_responsibles (company, customer_code, position, operator)
SELECT a.company, a.customer_code, r.key, r.value
FROM customer_assignments a, json_each(a.payload, '$.responsibles') r;
