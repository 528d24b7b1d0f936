using System.Globalization;
using System.Runtime.CompilerServices;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.ScaleHarness;

/// <summary>
/// A stand-in for the ERP: the generated book in a SQLite file of its own (one row per customer and per installment,
/// plain columns as an ERP keeps them), read by a plain ADO.NET <see cref="ILedgerSource"/> that streams records.
/// P3 compares the engine's snapshot sync against reading this same snapshot to its end and doing nothing with it.
/// </summary>
public sealed class ErpLedger : ILedgerSource
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS erp_customers (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, vat TEXT, category TEXT, email TEXT, pec TEXT, phone TEXT,
            street TEXT, postal_code TEXT, city TEXT, flags INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS erp_installments (
            key TEXT PRIMARY KEY, customer_code TEXT NOT NULL, doc_number TEXT NOT NULL, doc_date TEXT NOT NULL,
            number INTEGER NOT NULL, due_date TEXT NOT NULL, original_cents INTEGER NOT NULL, residual_cents INTEGER NOT NULL,
            payment_type INTEGER NOT NULL, unpaid_date TEXT);
        CREATE INDEX IF NOT EXISTS ix_erp_installments_customer ON erp_installments (customer_code, key);
        """;

    private const string UpsertInstallmentSql = """
        INSERT INTO erp_installments (key, customer_code, doc_number, doc_date, number, due_date, original_cents, residual_cents, payment_type, unpaid_date)
        VALUES ($key, $customer, $doc, $doc_date, $number, $due, $original, $residual, $type, $unpaid)
        ON CONFLICT (key) DO UPDATE SET residual_cents = excluded.residual_cents, payment_type = excluded.payment_type,
            unpaid_date = excluded.unpaid_date, due_date = excluded.due_date;
        """;

    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;
    private readonly string _connectionString;
    private readonly CompanyId _company;

    /// <summary>Opens (or creates) the ERP file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="company">The company the ledger belongs to.</param>
    public ErpLedger(string path, CompanyId company)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _company = company;
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;" + Schema;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public string Name => "bench-erp";

    /// <inheritdoc />
    public bool SupportsChanges => false;

    /// <summary>Writes the setup day's book.</summary>
    /// <param name="book">The book.</param>
    public void Load(BookGenerator book)
    {
        ArgumentNullException.ThrowIfNull(book);
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using (var customer = connection.CreateCommand())
        {
            customer.Transaction = transaction;
            customer.CommandText = """
                INSERT INTO erp_customers (code, name, vat, category, email, pec, phone, street, postal_code, city, flags)
                VALUES ($code, $name, $vat, $category, $email, $pec, $phone, $street, $postal, $city, $flags);
                """;
            var p = Parameters(customer, "$code", "$name", "$vat", "$category", "$email", "$pec", "$phone", "$street", "$postal", "$city", "$flags");
            customer.Prepare();
            foreach (var c in book.Customers())
            {
                Set(p, c.Code, c.Name, c.VatNumber, c.Category, c.Email, c.Pec, c.Phone, c.Address?.Street, c.Address?.PostalCode, c.Address?.City, (int)c.Flags);
                customer.ExecuteNonQuery();
            }
        }

        using (var upsert = PrepareUpsert(connection, transaction, out var p))
        {
            foreach (var installment in book.AllInstallments(changed: false))
            {
                Upsert(upsert, p, installment);
            }
        }

        transaction.Commit();
    }

    /// <summary>Applies the measured day's changes (about 1 % of the installments); returns how many rows changed.</summary>
    /// <param name="book">The book.</param>
    public int ApplyChanges(BookGenerator book)
    {
        ArgumentNullException.ThrowIfNull(book);
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var upsert = PrepareUpsert(connection, transaction, out var p);
        var changed = 0;
        for (var i = 0; i < book.CustomerCount; i++)
        {
            var before = book.InstallmentsOf(i).ToDictionary(x => x.Key);
            foreach (var installment in book.ChangedInstallmentsOf(i))
            {
                if (!before.TryGetValue(installment.Key, out var old) || old != installment)
                {
                    Upsert(upsert, p, installment);
                    changed++;
                }
            }
        }

        transaction.Commit();
        return changed;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerRecord> ReadSnapshotAsync(CompanyId company, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (company != _company)
        {
            yield break;
        }

        await using var connection = Open();
        await using (var customers = connection.CreateCommand())
        {
            customers.CommandText = "SELECT code, name, vat, category, email, pec, phone, street, postal_code, city, flags FROM erp_customers ORDER BY code;";
            await using var reader = await customers.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new CustomerRecord(new Customer
                {
                    Company = company,
                    Code = reader.GetString(0),
                    Name = reader.GetString(1),
                    VatNumber = Text(reader, 2),
                    Category = Text(reader, 3),
                    Email = Text(reader, 4),
                    Pec = Text(reader, 5),
                    Phone = Text(reader, 6),
                    Address = reader.IsDBNull(7) ? null : new PostalAddress(reader.GetString(7), reader.GetString(8), reader.GetString(9)),
                    Flags = (CustomerFlags)reader.GetInt32(10),
                });
            }
        }

        await using var installments = connection.CreateCommand();
        installments.CommandText = "SELECT key, customer_code, doc_number, doc_date, number, due_date, original_cents, residual_cents, payment_type, unpaid_date FROM erp_installments ORDER BY customer_code, key;";
        await using var rows = await installments.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var due = Iso.Parse(rows.GetString(5)).Value;
            yield return new InstallmentRecord(new Installment
            {
                Company = company,
                Key = new InstallmentKey(rows.GetString(0)),
                CustomerCode = rows.GetString(1),
                Document = new DocumentReference(DocumentKind.Invoice, rows.GetString(2), Iso.Parse(rows.GetString(3)).Value),
                Number = rows.GetInt32(4),
                DueDate = due,
                OriginalAmount = Money.Eur(rows.GetInt64(6) / 100m),
                OpenResidual = Money.Eur(rows.GetInt64(7) / 100m),
                PaymentType = (PaymentType)rows.GetInt32(8),
                UnpaidReceiptDate = rows.IsDBNull(9) ? null : Iso.Parse(rows.GetString(9)).Value,
            });
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<LedgerRecord> ReadChangesAsync(CompanyId company, string? cursor, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The bench ERP has snapshots only.");

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static SqliteCommand PrepareUpsert(SqliteConnection connection, SqliteTransaction transaction, out SqliteParameter[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = UpsertInstallmentSql;
        parameters = Parameters(command, "$key", "$customer", "$doc", "$doc_date", "$number", "$due", "$original", "$residual", "$type", "$unpaid");
        command.Prepare();
        return command;
    }

    private static void Upsert(SqliteCommand command, SqliteParameter[] p, Installment i)
    {
        Set(p, i.Key.Value, i.CustomerCode, i.Document.Number, Iso.Format(i.Document.Date), i.Number, Iso.Format(i.DueDate),
            (long)(i.OriginalAmount.Amount * 100), (long)(i.OpenResidual.Amount * 100), (int)i.PaymentType,
            i.UnpaidReceiptDate is { } u ? Iso.Format(u) : null);
        command.ExecuteNonQuery();
    }

    private static SqliteParameter[] Parameters(SqliteCommand command, params string[] names) =>
        names.Select(n => command.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();

    private static void Set(SqliteParameter[] parameters, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>A date as the ERP stores it.</summary>
    internal static string Format(LocalDate date) => Iso.Format(date);

    /// <summary>Invariant text of a number.</summary>
    internal static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
