namespace CreditRecovery.Adapters.Mago;

/// <summary>
/// The adapter's SQL, portable across SQL Server, PostgreSQL and SQLite: only joins, <c>EXISTS</c>, <c>CASE</c>,
/// <c>COALESCE</c> and <c>ORDER BY</c>, with identifiers quoted by the dialect and values always passed as parameters.
/// Columns are read by position, in the order of the <c>*Columns</c> constants.
/// </summary>
internal sealed class MagoSql(MagoSqlDialect dialect, MagoBlockedHandling blocked)
{
    public const string Supplier = "supplier";
    public const string Opening = "opening";
    public const string Since = "since";

    public const string CustomersTable = "MA_CustSupp";
    public const string SchedulesTable = "MA_PyblsRcvbls";
    public const string DetailsTable = "MA_PyblsRcvblsDetails";
    public const string PaymentTermsTable = "MA_PaymentTerms";

    /// <summary>MA_CustSupp columns read, in order; a computed HasBlocked follows.</summary>
    public static readonly string[] CustomerColumns =
    [
        "CustSuppType", "CustSupp", "CompanyName", "TaxIdNumber", "FiscalCode", "Address", "ZIPCode", "City", "County",
        "Country", "ISOCountryCode", "Telephone1", "EMail", "CertifiedEMail", "TBModified",
    ];

    /// <summary>MA_PyblsRcvbls columns read, in order (prefix p).</summary>
    public static readonly string[] ScheduleColumns =
    [
        "PymtSchedId", "CustSuppType", "CustSupp", "Payment", "DocNo", "DocumentDate", "InstallmStartDate", "Settled",
        "CreditNote", "TotalAmount", "Currency", "TBModified",
    ];

    /// <summary>MA_PyblsRcvblsDetails columns read, in order (prefix d), after the schedule's.</summary>
    public static readonly string[] DetailColumns =
    [
        "InstallmentNo", "InstallmentType", "ClosingType", "InstallmentDate", "PaymentTerm", "Amount", "Currency", "Closed",
        "Collected", "Outstanding", "OutstandingAmount", "OutstandingDate", "ReopeningInstallmentNo", "TBModified",
    ];

    /// <summary>MA_PaymentTerms columns read (prefix t), after the details'.</summary>
    public static readonly string[] PaymentTermColumns = ["InstallmentType"];

    private string Q(string identifier) => dialect.Quote(identifier);

    private string P(string name) => dialect.Parameter(name);

    private string Col(string alias, string column) => alias + "." + Q(column);

    /// <summary>Customers (not suppliers), by code; with <paramref name="changesOnly"/>, those changed since the cursor or whose partite changed.</summary>
    public string Customers(bool changesOnly)
    {
        var columns = string.Join(", ", CustomerColumns.Select(c => Col("c", c)));
        var hasBlocked = blocked == MagoBlockedHandling.HoldCustomer
            ? $"CASE WHEN EXISTS (SELECT 1 FROM {Q(SchedulesTable)} bp WHERE {Col("bp", "CustSuppType")} = {Col("c", "CustSuppType")} AND {Col("bp", "CustSupp")} = {Col("c", "CustSupp")}" +
              $" AND COALESCE({Col("bp", "Settled")}, '0') <> '1' AND (COALESCE({Col("bp", "Blocked")}, '0') = '1'" +
              $" OR EXISTS (SELECT 1 FROM {Q(DetailsTable)} bd WHERE {Col("bd", "PymtSchedId")} = {Col("bp", "PymtSchedId")} AND {Col("bd", "InstallmentType")} = {P(Opening)}" +
              $" AND COALESCE({Col("bd", "Blocked")}, '0') = '1' AND COALESCE({Col("bd", "Closed")}, '0') <> '1'))) THEN 1 ELSE 0 END"
            : "0";
        var sql = $"SELECT {columns}, {hasBlocked} AS {Q("HasBlocked")} FROM {Q(CustomersTable)} c WHERE {Col("c", "CustSuppType")} <> {P(Supplier)}";
        if (changesOnly)
        {
            sql += $" AND ({Col("c", "TBModified")} > {P(Since)} OR EXISTS (SELECT 1 FROM {Q(SchedulesTable)} cp WHERE {Col("cp", "CustSuppType")} = {Col("c", "CustSuppType")}" +
                   $" AND {Col("cp", "CustSupp")} = {Col("c", "CustSupp")} AND ({Changed("cp")})))";
        }

        return sql + $" ORDER BY {Col("c", "CustSupp")}, {Col("c", "CustSuppType")}";
    }

    /// <summary>
    /// Every detail row of every non-supplier partita, with its header and payment terms, ordered so that the rows of one
    /// partita, and within it of one installment, arrive together; with <paramref name="changesOnly"/>, only partite whose
    /// header or any row changed since the cursor (all their rows, since a residual needs them all).
    /// </summary>
    public string Installments(bool changesOnly)
    {
        var columns = string.Join(", ", ScheduleColumns.Select(c => Col("p", c))
            .Concat(DetailColumns.Select(c => Col("d", c)))
            .Concat(PaymentTermColumns.Select(c => Col("t", c))));
        var sql = $"SELECT {columns} FROM {Q(SchedulesTable)} p" +
                  $" INNER JOIN {Q(DetailsTable)} d ON {Col("d", "PymtSchedId")} = {Col("p", "PymtSchedId")}" +
                  $" LEFT JOIN {Q(PaymentTermsTable)} t ON {Col("t", "Payment")} = {Col("p", "Payment")}" +
                  $" WHERE ({Col("p", "CustSuppType")} IS NULL OR {Col("p", "CustSuppType")} <> {P(Supplier)})";
        if (changesOnly)
        {
            sql += $" AND ({Changed("p")})";
        }

        return sql + $" ORDER BY {Col("p", "PymtSchedId")}, {Col("d", "InstallmentNo")}, {Col("d", "InstallmentType")}, {Col("d", "ClosingType")}, {Col("d", "InstallmentDate")}";
    }

    private string Changed(string schedule) =>
        $"{Col(schedule, "TBModified")} > {P(Since)} OR EXISTS (SELECT 1 FROM {Q(DetailsTable)} {schedule}d WHERE {Col(schedule + "d", "PymtSchedId")} = {Col(schedule, "PymtSchedId")} AND {Col(schedule + "d", "TBModified")} > {P(Since)})";
}
