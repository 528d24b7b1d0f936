using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CreditRecovery.Adapters.Mago;

/// <summary>
/// The receivables ledger of a Mago4 / Mago.Net company, read-only, straight from its database: customers from
/// <c>MA_CustSupp</c> (with <c>CertifiedEMail</c> as PEC), installments from the partite (<c>MA_PyblsRcvbls</c>) and their
/// rows (<c>MA_PyblsRcvblsDetails</c>), payment types from <c>MA_PaymentTerms</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each opening row (<c>InstallmentType</c> apertura) is an installment, keyed <c>mago/{PymtSchedId}/{InstallmentNo}</c>;
/// its residual is its amount minus its closing rows (chiusura), zero when Mago flags it <c>Closed</c>, <c>Collected</c>
/// or its partita <c>Settled</c>. <c>Outstanding = '1'</c> marks an unpaid receipt (an inference, see
/// <see cref="MagoLedgerOptions.OutstandingMeansUnpaidReceipt"/>). Credit notes (<c>CreditNote = '1'</c>) come with
/// negative amounts and <see cref="DocumentKind.CreditNote"/>. Suppliers' partite are skipped. A row with a code not in
/// <see cref="MagoLedgerOptions.Codes"/> is yielded as a <see cref="RejectedRecord"/> naming table, key, column and value.
/// </para>
/// <para>
/// Rows are streamed through a <see cref="DbDataReader"/>; only one partita's rows are held at a time. Change feeds select
/// the partite and customers whose <c>TBModified</c> is after the cursor (an ISO timestamp in the database server's local
/// time) and end with a <see cref="LedgerCheckpoint"/>. Mago keeps no tombstones: a deleted partita is noticed by the next
/// snapshot, whose omissions the engine closes.
/// </para>
/// </remarks>
public sealed partial class MagoLedgerSource : ILedgerSource
{
    private const string CursorFormat = "yyyy-MM-dd'T'HH:mm:ss.fff";
    private static readonly string[] CursorFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd"];

    private readonly MagoLedgerOptions _options;
    private readonly DbProviderFactory _factory;
    private readonly MagoSql _sql;
    private readonly ILogger _logger;

    /// <summary>Creates the source.</summary>
    /// <param name="options">The options; they are validated here.</param>
    /// <param name="logger">Where to log (never the connection string); default nowhere.</param>
    /// <exception cref="ArgumentException">The options are invalid; every problem is listed.</exception>
    public MagoLedgerSource(MagoLedgerOptions options, ILogger<MagoLedgerSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Mago ledger options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _factory = options.ResolveFactory();
        _sql = new MagoSql(options.ResolveDialect(), options.BlockedHandling);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Name => _options.SourceName;

    /// <inheritdoc />
    public bool SupportsChanges => true;

    /// <inheritdoc />
    public IAsyncEnumerable<LedgerRecord> ReadSnapshotAsync(CompanyId company, CancellationToken cancellationToken = default)
    {
        CheckCompany(company);
        return ReadAsync(company, since: null, cursor: null, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The cursor is not an ISO timestamp.</exception>
    public IAsyncEnumerable<LedgerRecord> ReadChangesAsync(CompanyId company, string? cursor, CancellationToken cancellationToken = default)
    {
        CheckCompany(company);
        DateTime? since = null;
        if (cursor is not null)
        {
            if (!DateTime.TryParseExact(cursor, CursorFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                throw new ArgumentException($"Cursor '{cursor}' is not an ISO timestamp (yyyy-MM-ddTHH:mm:ss.fff).", nameof(cursor));
            }

            since = parsed;
        }

        return ReadAsync(company, since, cursor ?? string.Empty, cancellationToken);
    }

    /// <summary>Formats a <c>TBModified</c> value as a cursor.</summary>
    /// <param name="modified">The timestamp, in the database server's local time.</param>
    public static string FormatCursor(DateTime modified) => modified.ToString(CursorFormat, CultureInfo.InvariantCulture);

    private void CheckCompany(CompanyId company)
    {
        if (string.IsNullOrWhiteSpace(company.Value))
        {
            throw new ArgumentException("A company is required.", nameof(company));
        }

        if (_options.Company is { } only && !string.Equals(only, company.Value, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This Mago database serves company '{only}', not '{company}'.", nameof(company));
        }
    }

    /// <summary>A snapshot when <paramref name="cursor"/> is <see langword="null"/>; otherwise a change feed ending with a checkpoint.</summary>
    private async IAsyncEnumerable<LedgerRecord> ReadAsync(CompanyId company, DateTime? since, string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var changes = cursor is not null;
        var from = since is { } s ? (s - _options.ChangeOverlap) : (DateTime?)null;
        DateTime? last = since;
        var customers = 0;
        var installments = 0;
        var rejected = 0;
        LogReading(_logger, _options.SourceName, company.Value, changes ? "changes since " + (cursor is "" ? "the start" : cursor) : "snapshot");

        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            // Customers first: the engine wants them before their installments.
            await using (var command = CreateCommand(connection, _sql.Customers(from is not null), from))
            await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.Default, cancellationToken).ConfigureAwait(false))
            {
                var values = new object?[reader.FieldCount];
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    reader.GetValues(values!);
                    var record = ReadCustomer(company, values, ref last);
                    if (record is null)
                    {
                        continue;
                    }

                    if (record is RejectedRecord)
                    {
                        rejected++;
                    }
                    else
                    {
                        customers++;
                    }

                    yield return record;
                }
            }

            await using (var command = CreateCommand(connection, _sql.Installments(from is not null), from))
            await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.Default, cancellationToken).ConfigureAwait(false))
            {
                MagoPartita? partita = null;
                while (true)
                {
                    var more = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    object?[]? row = null;
                    int? id = null;
                    if (more)
                    {
                        row = new object?[reader.FieldCount];
                        reader.GetValues(row!);
                        id = Convert.ToInt32(row[0], CultureInfo.InvariantCulture);
                    }

                    if (partita is not null && partita.ScheduleId != id)
                    {
                        foreach (var record in partita.Read())
                        {
                            if (record is RejectedRecord)
                            {
                                rejected++;
                            }
                            else
                            {
                                installments++;
                            }

                            yield return record;
                        }

                        if (partita.LastModified is { } modified && (last is null || modified > last))
                        {
                            last = modified;
                        }

                        partita = null;
                    }

                    if (!more)
                    {
                        break;
                    }

                    partita ??= new MagoPartita(id!.Value, _options, company);
                    partita.Add(row!);
                }
            }
        }

        LogRead(_logger, _options.SourceName, company.Value, customers, installments, rejected);
        if (changes)
        {
            yield return new LedgerCheckpoint(last is { } l ? FormatCursor(l) : cursor is "" ? FormatCursor(MagoValues.EmptyDate) : cursor!);
        }
    }

    private LedgerRecord? ReadCustomer(CompanyId company, object?[] values, ref DateTime? last)
    {
        const string T = MagoSql.CustomersTable;
        object? V(string column) => values[Array.IndexOf(MagoSql.CustomerColumns, column)];
        var code = MagoValues.String(V("CustSupp"));
        var key = "customer " + (code ?? "?");
        try
        {
            if (MagoValues.DateTimeValue(V("TBModified"), $"{T}.TBModified") is { } modified && (last is null || modified > last))
            {
                last = modified;
            }

            var type = MagoValues.Int(V("CustSuppType"), $"{T}.CustSuppType");
            if (type == _options.Codes.Supplier)
            {
                return null;
            }

            if (type != _options.Codes.Customer)
            {
                throw new MagoValueException($"{T}.CustSuppType", type?.ToString(CultureInfo.InvariantCulture) ?? "NULL",
                    $"unknown CustSuppType code (customer is {_options.Codes.Customer}, supplier {_options.Codes.Supplier}): check MagoLedgerOptions.Codes");
            }

            var blocked = MagoValues.Int(values[MagoSql.CustomerColumns.Length], "HasBlocked") is > 0;
            var street = MagoValues.String(V("Address"));
            var country = MagoValues.String(V("ISOCountryCode"));
            return new CustomerRecord(new Customer
            {
                Company = company,
                Code = code ?? string.Empty,
                Name = MagoValues.String(V("CompanyName")) ?? string.Empty,
                VatNumber = MagoValues.String(V("TaxIdNumber")),
                TaxCode = MagoValues.String(V("FiscalCode")),
                Address = street is null
                    ? null
                    : new PostalAddress(street, MagoValues.String(V("ZIPCode")) ?? string.Empty, MagoValues.String(V("City")) ?? string.Empty,
                        MagoValues.String(V("County")), country is { Length: 2 } ? country.ToUpperInvariant() : "IT"),
                Phone = MagoValues.String(V("Telephone1")),
                Email = MagoValues.String(V("EMail")),
                Pec = MagoValues.String(V("CertifiedEMail")),
                Flags = blocked ? CustomerFlags.Blocked : CustomerFlags.None,
            });
        }
        catch (MagoValueException ex)
        {
            var payload = string.Join("; ", MagoSql.CustomerColumns.Select((c, i) => $"c.{c}={MagoValues.Text(values[i])}"));
            return new RejectedRecord(new LedgerRecordError(key, ex.Column, ex.Value, $"{ex.Message} [{ex.Column} of {T} CustSupp={code}]", payload));
        }
    }

    private DbCommand CreateCommand(DbConnection connection, string sql, DateTime? since)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = (int)Math.Ceiling(_options.CommandTimeout.TotalSeconds);
        var dialect = _options.ResolveDialect();
        Add(command, dialect, MagoSql.Supplier, _options.Codes.Supplier, DbType.Int32);
        if (_options.BlockedHandling == MagoBlockedHandling.HoldCustomer && sql.Contains(dialect.Parameter(MagoSql.Opening), StringComparison.Ordinal))
        {
            Add(command, dialect, MagoSql.Opening, _options.Codes.OpeningInstallment, DbType.Int32);
        }

        if (since is { } s)
        {
            Add(command, dialect, MagoSql.Since, s, dialect.TimestampType);
        }

        return command;
    }

    private static void Add(DbCommand command, MagoSqlDialect dialect, string name, object value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = dialect.Parameter(name);
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var connection = _factory.CreateConnection()
                ?? throw new InvalidOperationException($"Provider '{_options.ProviderName}' created no connection.");
            connection.ConnectionString = _options.ConnectionString;
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch (DbException ex) when (attempt < _options.ConnectRetries)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                LogConnectRetry(_logger, _options.SourceName, attempt + 1, ex.GetType().Name);
                await Task.Delay(_options.ConnectRetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Mago ledger {Source}: reading {Company}, {What}")]
    private static partial void LogReading(ILogger logger, string source, string company, string what);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Mago ledger {Source}: read {Company}: {Customers} customers, {Installments} installments, {Rejected} rejected")]
    private static partial void LogRead(ILogger logger, string source, string company, int customers, int installments, int rejected);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Mago ledger {Source}: could not connect ({Error}), retry {Attempt}")]
    private static partial void LogConnectRetry(ILogger logger, string source, int attempt, string error);
}
