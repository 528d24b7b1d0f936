using System.Data.Common;

namespace CreditRecovery.Adapters.Mago;

/// <summary>
/// How the Mago ledger source reaches Mago's database and reads its conventions. Validated at start by
/// <see cref="MagoLedgerServiceCollectionExtensions.AddMagoLedger"/>: <see cref="ProviderName"/> and
/// <see cref="ConnectionString"/> are required.
/// </summary>
/// <remarks>
/// The connection string is a secret: the adapter never logs it and never puts it in an exception message.
/// Mago keeps one database per company, so one source serves one company; set <see cref="Company"/> to make a read for
/// any other company fail instead of returning this database's partite under the wrong company.
/// </remarks>
public sealed class MagoLedgerOptions
{
    /// <summary>The ADO.NET provider for SQL Server, the database Mago runs on in production.</summary>
    public const string SqlServerProvider = "Microsoft.Data.SqlClient";

    /// <summary>
    /// The ADO.NET provider's invariant name, e.g. <c>Microsoft.Data.SqlClient</c> (built in). Other names are looked up in
    /// <see cref="DbProviderFactories"/>, unless <see cref="ProviderFactory"/> is set. Required.
    /// </summary>
    public string ProviderName { get; set; } = SqlServerProvider;

    /// <summary>
    /// The provider factory to use instead of resolving <see cref="ProviderName"/> (e.g. <c>SqliteFactory.Instance</c> or
    /// <c>NpgsqlFactory.Instance</c>); <see cref="ProviderName"/> still names it in messages.
    /// </summary>
    public DbProviderFactory? ProviderFactory { get; set; }

    /// <summary>The connection string to Mago's company database; read-only access is enough. Required; never logged.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// How identifiers are quoted and parameters named; default: <see cref="MagoSqlDialect.SqlServer"/> for
    /// <c>Microsoft.Data.SqlClient</c>, <see cref="MagoSqlDialect.Ansi"/> for any other provider.
    /// </summary>
    public MagoSqlDialect? Dialect { get; set; }

    /// <summary>The only company this database serves; <see langword="null"/> serves whichever company is asked.</summary>
    public string? Company { get; set; }

    /// <summary>The source name stored with cursors and quarantined records. Default <c>mago</c>.</summary>
    public string SourceName { get; set; } = "mago";

    /// <summary>The currency of rows whose <c>Currency</c> column is empty. Default <c>EUR</c>.</summary>
    public string DefaultCurrency { get; set; } = "EUR";

    /// <summary>Decimals amounts are rounded to: Mago stores amounts as <c>float</c>. Default 2.</summary>
    public int AmountDecimals { get; set; } = 2;

    /// <summary>The command timeout. Default 5 minutes: a snapshot streams the whole schedule through one command.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times opening a connection is retried after a provider error. Default 2.</summary>
    public int ConnectRetries { get; set; } = 2;

    /// <summary>The pause before each connection retry. Default 2 seconds.</summary>
    public TimeSpan ConnectRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How far before the cursor a change feed looks again, because <c>TBModified</c> is stamped when a write starts and a
    /// slow transaction may commit after a later one was read. Re-reading is harmless: the engine applies records
    /// idempotently. Default 1 minute.
    /// </summary>
    public TimeSpan ChangeOverlap { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether <c>Outstanding = '1'</c> on an installment marks it as an unpaid bank receipt (*insoluto*), dated
    /// <c>OutstandingDate</c>. This is an inference from Mago's English naming (the Italian UI says *insoluto*), not a
    /// documented fact: confirm it on the target database, and turn it off if it does not hold. Default
    /// <see langword="true"/>.
    /// </summary>
    public bool OutstandingMeansUnpaidReceipt { get; set; } = true;

    /// <summary>What a blocked installment or partita (<c>Blocked = '1'</c>) does. Default <see cref="MagoBlockedHandling.HoldCustomer"/>.</summary>
    public MagoBlockedHandling BlockedHandling { get; set; } = MagoBlockedHandling.HoldCustomer;

    /// <summary>Mago's enumeration codes (<c>tag*65536+item</c>); the defaults are Mago.Net 3.14's.</summary>
    public MagoEnumCodes Codes { get; set; } = new();

    /// <summary>Returns every problem with the options; empty when they are usable. Never echoes the connection string.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ProviderName))
        {
            errors.Add("MagoLedgerOptions.ProviderName is required (e.g. 'Microsoft.Data.SqlClient').");
        }
        else if (ProviderFactory is null && MagoProvider.TryResolve(ProviderName) is null)
        {
            errors.Add($"MagoLedgerOptions.ProviderName '{ProviderName}' is neither built in nor registered in DbProviderFactories: register it, or set MagoLedgerOptions.ProviderFactory.");
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("MagoLedgerOptions.ConnectionString is required.");
        }
        else if ((ProviderFactory ?? MagoProvider.TryResolve(ProviderName)) is { } factory && !MagoProvider.IsValidConnectionString(factory, ConnectionString))
        {
            errors.Add($"MagoLedgerOptions.ConnectionString is not a valid connection string for provider '{ProviderName}' (its value is not shown).");
        }

        if (string.IsNullOrWhiteSpace(SourceName))
        {
            errors.Add("MagoLedgerOptions.SourceName is required.");
        }

        if (Company is not null && string.IsNullOrWhiteSpace(Company))
        {
            errors.Add("MagoLedgerOptions.Company cannot be blank: leave it null to serve any company.");
        }

        if (!Money.IsValidCurrency(DefaultCurrency))
        {
            errors.Add($"MagoLedgerOptions.DefaultCurrency '{DefaultCurrency}' is not an ISO 4217 code.");
        }

        if (AmountDecimals is < 0 or > 6)
        {
            errors.Add("MagoLedgerOptions.AmountDecimals must be between 0 and 6.");
        }

        if (CommandTimeout < TimeSpan.Zero || CommandTimeout.TotalSeconds > int.MaxValue)
        {
            errors.Add("MagoLedgerOptions.CommandTimeout must be zero (no limit) or positive.");
        }

        if (ConnectRetries < 0)
        {
            errors.Add("MagoLedgerOptions.ConnectRetries cannot be negative.");
        }

        if (ConnectRetryDelay < TimeSpan.Zero)
        {
            errors.Add("MagoLedgerOptions.ConnectRetryDelay cannot be negative.");
        }

        if (ChangeOverlap < TimeSpan.Zero)
        {
            errors.Add("MagoLedgerOptions.ChangeOverlap cannot be negative.");
        }

        if (Codes is null)
        {
            errors.Add("MagoLedgerOptions.Codes is required.");
        }
        else
        {
            errors.AddRange(Codes.Validate());
        }

        return errors;
    }

    /// <summary>The factory to use: <see cref="ProviderFactory"/>, else <see cref="ProviderName"/> resolved.</summary>
    internal DbProviderFactory ResolveFactory() =>
        ProviderFactory ?? MagoProvider.TryResolve(ProviderName)
        ?? throw new InvalidOperationException($"ADO.NET provider '{ProviderName}' is not available.");

    /// <summary>The dialect to use: <see cref="Dialect"/>, else the provider's default.</summary>
    internal MagoSqlDialect ResolveDialect() =>
        Dialect ?? (string.Equals(ProviderName, SqlServerProvider, StringComparison.OrdinalIgnoreCase) ? MagoSqlDialect.SqlServer : MagoSqlDialect.Ansi);
}

/// <summary>What the adapter does with a blocked installment (<c>MA_PyblsRcvblsDetails.Blocked</c>) or partita (<c>MA_PyblsRcvbls.Blocked</c>).</summary>
public enum MagoBlockedHandling
{
    /// <summary>
    /// The installment is read as usual, and its customer is flagged <see cref="CustomerFlags.Blocked"/> while it has an open
    /// blocked installment: automatic messages are held, operator tasks are still proposed. Conservative: the domain has no
    /// per-installment hold, so one blocked installment holds the customer's automatic messages.
    /// </summary>
    HoldCustomer,

    /// <summary>The flag is ignored: blocked installments are recovered like any other.</summary>
    Ignore,
}

/// <summary>
/// Mago's enumeration codes. Mago stores an enumeration value as <c>tag*65536+item</c>; the defaults are the Mago.Net 3.14
/// values. Confirm them on the target database (MagicLink <c>GetEnumsXml</c>). A code found in the data and not listed here
/// quarantines its record, naming table, key, column and value.
/// </summary>
public sealed class MagoEnumCodes
{
    /// <summary><c>CustSuppType</c> of a customer. Default 3211264.</summary>
    public int Customer { get; set; } = 3211264;

    /// <summary><c>CustSuppType</c> of a supplier; its partite and master data are skipped. Default 3211265.</summary>
    public int Supplier { get; set; } = 3211265;

    /// <summary><c>InstallmentType</c> of an opening row (*apertura*): the installment itself. Default 5505024.</summary>
    public int OpeningInstallment { get; set; } = 5505024;

    /// <summary><c>InstallmentType</c> of a closing row (*chiusura*): a collection or allowance lowering the installment. Default 5505025.</summary>
    public int ClosingInstallment { get; set; } = 5505025;

    /// <summary>
    /// The <c>ClosingType</c> codes a row may carry. Each closing row lowers its installment's residual by its amount; a code
    /// not listed quarantines the installment, since its effect on the residual is unknown. Defaults: 6946816 normal
    /// (*normale*), 6946817 allowance (*abbuono*), 6946818 reopening (*riapertura*: the installment is closed and its debt
    /// moved to a reopening installment). An opening row's <c>ClosingType</c> is not checked.
    /// </summary>
    public ISet<int> ClosingTypes { get; set; } = new HashSet<int> { 6946816, 6946817, 6946818 };

    /// <summary>
    /// <c>PaymentTerm</c> (payment type) codes and what they mean to recovery. Defaults: 2686976 cash, 2686977 direct
    /// remittance (*rimessa diretta*), 2686978 cash on delivery (*contrassegno*), 2686980 bill of exchange (*cambiale*, as
    /// Other), 2686981 RiBa, 2686982 bank transfer (*bonifico*), 2686983 cheque, 2686984 banker's draft (*assegno
    /// circolare*, as Cheque), 2686989 SEPA direct debit (RID SEPA), 2686992 credit card (Other), 2686998 debit card
    /// (*bancomat*, Other).
    /// </summary>
    public IDictionary<int, PaymentType> PaymentTypes { get; set; } = new Dictionary<int, PaymentType>
    {
        [2686976] = PaymentType.Cash,
        [2686977] = PaymentType.DirectRemittance,
        [2686978] = PaymentType.CashOnDelivery,
        [2686980] = PaymentType.Other,
        [2686981] = PaymentType.BankReceipt,
        [2686982] = PaymentType.BankTransfer,
        [2686983] = PaymentType.Cheque,
        [2686984] = PaymentType.Cheque,
        [2686989] = PaymentType.SepaDirectDebit,
        [2686992] = PaymentType.Other,
        [2686998] = PaymentType.Other,
    };

    /// <summary>Returns every problem with the codes.</summary>
    internal IEnumerable<string> Validate()
    {
        if (Customer == Supplier)
        {
            yield return "MagoEnumCodes.Customer and MagoEnumCodes.Supplier must differ.";
        }

        if (OpeningInstallment == ClosingInstallment)
        {
            yield return "MagoEnumCodes.OpeningInstallment and MagoEnumCodes.ClosingInstallment must differ.";
        }

        if (ClosingTypes is null)
        {
            yield return "MagoEnumCodes.ClosingTypes is required.";
        }

        if (PaymentTypes is null || PaymentTypes.Count == 0)
        {
            yield return "MagoEnumCodes.PaymentTypes must list at least one payment type code.";
        }
    }
}
