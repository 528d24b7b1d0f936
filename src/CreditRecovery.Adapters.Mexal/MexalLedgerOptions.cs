namespace CreditRecovery.Adapters.Mexal;

/// <summary>
/// How the Mexal ledger source reaches a Passepartout Mexal / PassCom WebAPI and reads its codes. Validated at start by
/// <see cref="MexalLedgerServiceCollectionExtensions.AddMexalLedger"/>: <see cref="BaseAddress"/>, <see cref="User"/>,
/// <see cref="Password"/>, <see cref="Company"/> and <see cref="Year"/> are required.
/// </summary>
/// <remarks>
/// The password is a secret: the adapter never logs it and never puts it in an exception message. The code lists of
/// <c>stato_pagamento</c> and <c>tipo_scadenza</c> are not published by Passepartout: the defaults below are assumptions
/// to confirm on the target installation, and a code found in the data and not listed quarantines its installment,
/// naming record, field and value.
/// </remarks>
public sealed class MexalLedgerOptions
{
    /// <summary>The most calls one WebAPI user may run at once: Mexal answers the 6th with 503.</summary>
    public const int MexalServicePool = 5;

    /// <summary>
    /// The WebAPI root, the folder that holds <c>risorse/</c> and <c>servizi</c>: e.g. <c>https://mexal.example:9004/webapi/</c>
    /// on premises, <c>https://services.passepartout.cloud/webapi/</c> on Passepartout Live. Required. Plain <c>http</c> is
    /// accepted only on a loopback address (the credentials travel in every request).
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The WebAPI user (member of the group "Servizi WebAPI"). Required.</summary>
    public string User { get; set; } = string.Empty;

    /// <summary>The WebAPI user's password. Required; never logged.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>The cloud domain (*Dominio*), added to the <c>Authorization</c> header on Passepartout Live; <see langword="null"/> on premises.</summary>
    public string? Domain { get; set; }

    /// <summary>The Mexal company code (*sigla azienda*, <c>Azienda=</c> of <c>Coordinate-Gestionale</c>); the SDK's <see cref="CompanyId"/> must equal it. Required.</summary>
    public string Company { get; set; } = string.Empty;

    /// <summary>The accounting year (<c>Anno=</c> of <c>Coordinate-Gestionale</c>). Required.</summary>
    public int Year { get; set; }

    /// <summary>The sub-company (<c>SottoAzienda=</c>), when the company has them; <see langword="null"/> otherwise.</summary>
    public string? SubCompany { get; set; }

    /// <summary>The source name stored with cursors and quarantined records. Default <c>mexal</c>.</summary>
    public string SourceName { get; set; } = "mexal";

    /// <summary>
    /// How many calls the adapter runs at once, 1 to <see cref="MexalServicePool"/>. Default 2: the WebAPI user's pool of
    /// 5 is shared with every other client using the same user.
    /// </summary>
    public int MaxConcurrentCalls { get; set; } = 2;

    /// <summary>Records asked per page (<c>max</c>), 1 to 5000; the server may return fewer. Default 200.</summary>
    public int PageSize { get; set; } = 200;

    /// <summary>How many times a call that got 503 (pool exhausted) or a network error is retried. Default 6.</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>The first backoff delay; each retry doubles it, with full jitter, up to <see cref="RetryMaxDelay"/>. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff delay. Default 20 seconds.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The timeout of one call. Default 2 minutes (Mexal cuts a page at 30 seconds).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether a TLS certificate that does not validate (the self-signed one of an on-premises Mexal) is accepted.
    /// Default <see langword="false"/>. Prefer pinning it with <see cref="CertificateThumbprint"/>.
    /// </summary>
    public bool AcceptUntrustedCertificate { get; set; }

    /// <summary>
    /// With <see cref="AcceptUntrustedCertificate"/>: the SHA-1 or SHA-256 thumbprint (hex) of the only untrusted certificate
    /// accepted. <see langword="null"/> accepts any certificate, which is only advisable on a private network.
    /// </summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>The company's currency: <c>imp_scadenza</c> is in the reference currency. Default <c>EUR</c>.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>
    /// Prefixes of the customer accounts (*mastro*) in <c>codice</c>: the scadenzario also holds suppliers, and only these
    /// accounts are read (a <c>POST /scadenzario/ricerca</c> filter <c>codice inizia_per</c>). Default <c>501.</c>, the
    /// customer mastro of Mexal's examples. Empty reads every account.
    /// </summary>
    public IList<string> CustomerAccountPrefixes { get; set; } = ["501."];

    /// <summary>
    /// Days after its due date a presented bank receipt (<see cref="MexalPaymentStatus.Presented"/>) is still exposed to the
    /// bank returning it unpaid: until then the installment stays open. Default 10.
    /// </summary>
    public int BankExposureDays { get; set; } = 10;

    /// <summary>
    /// <c>stato_pagamento</c> codes (trimmed, case-sensitive). Defaults, to confirm on the installation: blank = open,
    /// <c>P</c> = paid, <c>E</c> = bank receipt presented (*emesso*), <c>I</c> = unpaid bank receipt (*insoluto*).
    /// </summary>
    public IDictionary<string, MexalPaymentStatus> PaymentStatusCodes { get; set; } = new Dictionary<string, MexalPaymentStatus>(StringComparer.Ordinal)
    {
        [""] = MexalPaymentStatus.Open,
        ["P"] = MexalPaymentStatus.Paid,
        ["E"] = MexalPaymentStatus.Presented,
        ["I"] = MexalPaymentStatus.Unpaid,
    };

    /// <summary>
    /// <c>tipo_scadenza</c> codes (and <c>tp_pagamento</c> codes of the payment table), trimmed. Defaults, to confirm on the
    /// installation: <c>R</c> direct remittance (*rimessa diretta*), <c>B</c> bank receipt (*RiBa*), <c>F</c> bank transfer
    /// (*bonifico*), <c>D</c> SEPA direct debit (*RID/SDD*), <c>C</c> cash on delivery (*contrassegno*), <c>T</c> bill of
    /// exchange (*tratta*, as Other). A blank code takes the type of the customer's usual payment terms.
    /// </summary>
    public IDictionary<string, PaymentType> InstallmentTypeCodes { get; set; } = new Dictionary<string, PaymentType>(StringComparer.Ordinal)
    {
        ["R"] = PaymentType.DirectRemittance,
        ["B"] = PaymentType.BankReceipt,
        ["F"] = PaymentType.BankTransfer,
        ["D"] = PaymentType.SepaDirectDebit,
        ["C"] = PaymentType.CashOnDelivery,
        ["T"] = PaymentType.Other,
    };

    /// <summary>Document <c>causale</c> codes of credit notes (*nota di credito*): their installments are read as credit notes. Default <c>NC</c>.</summary>
    public ISet<string> CreditNoteCausali { get; set; } = new HashSet<string>(StringComparer.Ordinal) { "NC" };

    /// <summary>What a dunning date (<c>data_sollecito</c>) on an open installment does. Default <see cref="MexalRecoveryDateHandling.BlockCustomer"/>.</summary>
    public MexalRecoveryDateHandling DunningDateHandling { get; set; } = MexalRecoveryDateHandling.BlockCustomer;

    /// <summary>What a recovery date (<c>data_recupero</c>) on an open installment does. Default <see cref="MexalRecoveryDateHandling.BlockCustomer"/>.</summary>
    public MexalRecoveryDateHandling RecoveryDateHandling { get; set; } = MexalRecoveryDateHandling.BlockCustomer;

    /// <summary>What a legal-action date (<c>data_legale</c>) on an open installment does. Default <see cref="MexalRecoveryDateHandling.DoNotDunCustomer"/>.</summary>
    public MexalRecoveryDateHandling LegalDateHandling { get; set; } = MexalRecoveryDateHandling.DoNotDunCustomer;

    /// <summary>With <see cref="MexalRecoveryDateHandling.ExtendCustomer"/>: days after the latest Mexal date during which nothing is sent. Default 15.</summary>
    public int QuietDaysAfterMexalDunning { get; set; } = 15;

    /// <summary>Text in the customer's notes (<c>descr_nota</c>, case-insensitive) that flags it DO-NOT-DUN. Default <c>NON SOLLECITARE</c>; empty disables.</summary>
    public string DoNotDunNoteMarker { get; set; } = "NON SOLLECITARE";

    /// <summary>Text in the customer's notes (<c>descr_nota</c>, case-insensitive) that flags it BLOCKED. Default <c>BLOCCATO</c>; empty disables.</summary>
    public string BlockedNoteMarker { get; set; } = "BLOCCATO";

    /// <summary>
    /// Whether change feeds read deletions from the services call <c>get_registro_operazioni_utente</c>. Default
    /// <see langword="true"/>; without it a deleted record is noticed by the next snapshot.
    /// </summary>
    public bool UseDeletedRecordsRegister { get; set; } = true;

    /// <summary>Returns every problem with the options; empty when they are usable. Never echoes the password.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BaseAddress is null)
        {
            errors.Add("MexalLedgerOptions.BaseAddress is required (e.g. https://mexal.example:9004/webapi/).");
        }
        else if (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttps && BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"MexalLedgerOptions.BaseAddress '{BaseAddress}' must be an absolute https URL.");
        }
        else if (BaseAddress.Scheme == Uri.UriSchemeHttp && !BaseAddress.IsLoopback)
        {
            errors.Add($"MexalLedgerOptions.BaseAddress '{BaseAddress}' uses plain http on a non-loopback host: the credentials would travel unencrypted; use https.");
        }
        else if (!string.IsNullOrEmpty(BaseAddress.Query) || !string.IsNullOrEmpty(BaseAddress.UserInfo))
        {
            errors.Add("MexalLedgerOptions.BaseAddress must not carry a query or user information.");
        }

        if (string.IsNullOrWhiteSpace(User))
        {
            errors.Add("MexalLedgerOptions.User is required.");
        }
        else if (User.Contains(':', StringComparison.Ordinal))
        {
            errors.Add("MexalLedgerOptions.User cannot contain ':' (the header is base64(user:password)).");
        }

        if (string.IsNullOrEmpty(Password))
        {
            errors.Add("MexalLedgerOptions.Password is required (its value is never shown).");
        }

        if (Domain is not null && (string.IsNullOrWhiteSpace(Domain) || Domain.Any(char.IsWhiteSpace)))
        {
            errors.Add("MexalLedgerOptions.Domain cannot be blank or contain spaces: leave it null on premises.");
        }

        if (string.IsNullOrWhiteSpace(Company) || Company.Any(char.IsWhiteSpace))
        {
            errors.Add("MexalLedgerOptions.Company (the Mexal Azienda code) is required and cannot contain spaces.");
        }

        if (Year is < 1980 or > 2999)
        {
            errors.Add($"MexalLedgerOptions.Year {Year} is not an accounting year (Anno=AAAA).");
        }

        if (SubCompany is not null && (string.IsNullOrWhiteSpace(SubCompany) || SubCompany.Any(char.IsWhiteSpace)))
        {
            errors.Add("MexalLedgerOptions.SubCompany cannot be blank or contain spaces: leave it null when unused.");
        }

        if (string.IsNullOrWhiteSpace(SourceName))
        {
            errors.Add("MexalLedgerOptions.SourceName is required.");
        }

        if (MaxConcurrentCalls is < 1 or > MexalServicePool)
        {
            errors.Add($"MexalLedgerOptions.MaxConcurrentCalls must be between 1 and {MexalServicePool} (the WebAPI user's pool); it is {MaxConcurrentCalls}.");
        }

        if (PageSize is < 1 or > 5000)
        {
            errors.Add("MexalLedgerOptions.PageSize must be between 1 and 5000.");
        }

        if (MaxRetries is < 0 or > 20)
        {
            errors.Add("MexalLedgerOptions.MaxRetries must be between 0 and 20.");
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            errors.Add("MexalLedgerOptions.RetryBaseDelay cannot be negative, and RetryMaxDelay cannot be shorter.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add("MexalLedgerOptions.RequestTimeout must be positive.");
        }

        if (CertificateThumbprint is not null && (!AcceptUntrustedCertificate || CertificateThumbprint.Length is not (40 or 64) || !CertificateThumbprint.All(char.IsAsciiHexDigit)))
        {
            errors.Add("MexalLedgerOptions.CertificateThumbprint must be a SHA-1 (40) or SHA-256 (64) hex thumbprint, and needs AcceptUntrustedCertificate.");
        }

        if (!Money.IsValidCurrency(Currency))
        {
            errors.Add($"MexalLedgerOptions.Currency '{Currency}' is not an ISO 4217 code.");
        }

        if (CustomerAccountPrefixes is null || CustomerAccountPrefixes.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("MexalLedgerOptions.CustomerAccountPrefixes cannot be null or hold blank prefixes (empty reads every account).");
        }

        if (BankExposureDays is < 0 or > 365)
        {
            errors.Add("MexalLedgerOptions.BankExposureDays must be between 0 and 365.");
        }

        if (PaymentStatusCodes is null || PaymentStatusCodes.Count == 0)
        {
            errors.Add("MexalLedgerOptions.PaymentStatusCodes must list at least one stato_pagamento code.");
        }
        else if (!PaymentStatusCodes.Values.Contains(MexalPaymentStatus.Paid) || !PaymentStatusCodes.Values.Contains(MexalPaymentStatus.Open))
        {
            errors.Add("MexalLedgerOptions.PaymentStatusCodes must map at least one code to Open and one to Paid.");
        }

        if (InstallmentTypeCodes is null || InstallmentTypeCodes.Count == 0)
        {
            errors.Add("MexalLedgerOptions.InstallmentTypeCodes must list at least one tipo_scadenza code.");
        }

        if (CreditNoteCausali is null)
        {
            errors.Add("MexalLedgerOptions.CreditNoteCausali is required (it may be empty).");
        }

        if (QuietDaysAfterMexalDunning is < 0 or > 365)
        {
            errors.Add("MexalLedgerOptions.QuietDaysAfterMexalDunning must be between 0 and 365.");
        }

        if (DoNotDunNoteMarker is null || BlockedNoteMarker is null)
        {
            errors.Add("MexalLedgerOptions.DoNotDunNoteMarker and BlockedNoteMarker cannot be null (empty disables them).");
        }

        return errors;
    }
}

/// <summary>What a <c>stato_pagamento</c> code means to recovery.</summary>
public enum MexalPaymentStatus
{
    /// <summary>Open: the amount is due.</summary>
    Open,

    /// <summary>Paid: nothing is due (a partial payment is a paid row next to an open one with the same original due date).</summary>
    Paid,

    /// <summary>
    /// A bank receipt presented to the bank (*effetto emesso*): open until its due date plus
    /// <see cref="MexalLedgerOptions.BankExposureDays"/>, paid afterwards unless it comes back unpaid.
    /// </summary>
    Presented,

    /// <summary>A bank receipt that came back unpaid (*insoluto*): open, and it opens the unpaid-receipt procedure.</summary>
    Unpaid,
}

/// <summary>
/// What a recovery date Mexal keeps per installment (<c>data_sollecito</c>, <c>data_recupero</c>, <c>data_legale</c>) does
/// when an open installment carries one, so that an installation that already dunned in Mexal does not dun again. The
/// domain has no per-installment "already dunned" state: these map the dates onto the customer.
/// </summary>
public enum MexalRecoveryDateHandling
{
    /// <summary>The date is ignored.</summary>
    Ignore,

    /// <summary>
    /// The customer gets an extension (<see cref="Customer.ExtensionUntil"/>) until the latest such date plus
    /// <see cref="MexalLedgerOptions.QuietDaysAfterMexalDunning"/>: nothing is sent meanwhile, steps due then run afterwards.
    /// </summary>
    ExtendCustomer,

    /// <summary>
    /// The customer is flagged BLOCKED while an open installment carries the date: automatic messages are held, operator
    /// tasks still come, so a person decides what to do after Mexal's own dunning.
    /// </summary>
    BlockCustomer,

    /// <summary>The customer is flagged DO-NOT-DUN while an open installment carries the date: no step runs at all.</summary>
    DoNotDunCustomer,
}
