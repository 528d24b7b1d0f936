using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CreditRecovery.Adapters.Mexal;

/// <summary>
/// The receivables ledger of a Passepartout Mexal / PassCom company, read-only, over the WebAPI: customers from
/// <c>/clienti</c>, installments from <c>/scadenzario</c>, payment terms from <c>/dati-generali/pagamenti</c>, deletions from
/// the services call <c>get_registro_operazioni_utente</c>.
/// </summary>
/// <remarks>
/// <para>
/// A snapshot reads the payment terms, then (when a recovery date is mapped, see
/// <see cref="MexalLedgerOptions.DunningDateHandling"/>) the scadenzario once for the Mexal recovery dates of each
/// customer's open installments, then every customer with its flags, then the scadenzario's installments. A change feed
/// reads the records whose <c>data_ult_mod</c> is at or after the cursor (<c>POST …/ricerca</c>), the customers they touch
/// (<c>GET /clienti/{codice}</c>, hex-encoded when needed, in parallel within the call limit), the records deleted since
/// the cursor, and ends with a <see cref="LedgerCheckpoint"/>; a full resync is a snapshot
/// (<c>LedgerReadMode.Snapshot</c>).
/// </para>
/// <para>
/// A record or field the adapter cannot read is yielded as a <see cref="RejectedRecord"/> naming the record's key, the
/// field (with its array index) and the value, and the feed goes on. A failure of the WebAPI itself (after bounded
/// retries on 503) throws <see cref="MexalWebApiException"/>; 401/403 throws <see cref="MexalAuthenticationException"/>
/// at once, and this source makes no further call.
/// </para>
/// </remarks>
public sealed partial class MexalLedgerSource : ILedgerSource, IDisposable
{
    /// <summary>Installments per scadenzario record: the arrays hold up to 250 pairs.</summary>
    public const int MaxInstallmentsPerRecord = 250;

    private const string CursorPrefix = "mexal:v1";
    private static readonly DateTimeZone Rome = DateTimeZoneProviders.Tzdb["Europe/Rome"];

    private readonly MexalLedgerOptions _options;
    private readonly Func<MexalWebApiClient> _clients;
    private readonly MexalCallGate? _ownedGate;
    private readonly IClock _clock;
    private readonly ILogger _logger;

    /// <summary>Creates the source over an <see cref="HttpClient"/> the host owns (hosts without dependency injection).</summary>
    /// <param name="httpClient">The client; its base address is not used (<see cref="MexalLedgerOptions.BaseAddress"/> is).</param>
    /// <param name="options">The options; they are validated here.</param>
    /// <param name="clock">The clock: a presented bank receipt is open until its due date plus the exposure window.</param>
    /// <param name="logger">Where to log (never the password); default nowhere.</param>
    /// <exception cref="ArgumentException">The options are invalid; every problem is listed.</exception>
    public MexalLedgerSource(HttpClient httpClient, MexalLedgerOptions options, IClock clock, ILogger<MexalLedgerSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        Check(options);
        ArgumentNullException.ThrowIfNull(clock);
        _options = options;
        _clock = clock;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _ownedGate = new MexalCallGate(options.MaxConcurrentCalls);
        var client = new MexalWebApiClient(httpClient, options, _ownedGate, _logger);
        _clients = () => client;
    }

    internal MexalLedgerSource(Func<MexalWebApiClient> clients, MexalLedgerOptions options, IClock clock, ILogger? logger)
    {
        Check(options);
        _options = options;
        _clients = clients;
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Name => _options.SourceName;

    /// <inheritdoc />
    public bool SupportsChanges => true;

    /// <inheritdoc />
    public IAsyncEnumerable<LedgerRecord> ReadSnapshotAsync(CompanyId company, CancellationToken cancellationToken = default)
    {
        CheckCompany(company);
        return ReadAsync(company, since: null, changes: false, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The cursor was not written by this adapter.</exception>
    public IAsyncEnumerable<LedgerRecord> ReadChangesAsync(CompanyId company, string? cursor, CancellationToken cancellationToken = default)
    {
        CheckCompany(company);
        return ReadAsync(company, cursor is null ? null : ParseCursor(cursor), changes: true, cancellationToken);
    }

    /// <summary>Formats a change cursor: the <c>data_ult_mod</c> to read from and the deleted-records register's <c>data_ric_elab</c>.</summary>
    /// <param name="modifiedSince">Records modified at or after this (Mexal server time).</param>
    /// <param name="deletedSince">The register's last <c>data_ric_elab</c>.</param>
    public static string FormatCursor(LocalDateTime modifiedSince, LocalDateTime deletedSince) =>
        $"{CursorPrefix};mod={MexalValues.FormatTimestamp(modifiedSince)};del={MexalValues.FormatTimestamp(deletedSince)}";

    /// <inheritdoc />
    public void Dispose() => _ownedGate?.Dispose();

    private static void Check(MexalLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Mexal ledger options: " + string.Join(" ", errors), nameof(options));
        }
    }

    private static (LocalDateTime Modified, LocalDateTime Deleted) ParseCursor(string cursor)
    {
        var parts = cursor.Split(';');
        if (parts.Length == 3 && parts[0] == CursorPrefix && parts[1].StartsWith("mod=", StringComparison.Ordinal) && parts[2].StartsWith("del=", StringComparison.Ordinal)
            && MexalValues.ParseTimestamp(parts[1][4..]) is { } modified && MexalValues.ParseTimestamp(parts[2][4..]) is { } deleted)
        {
            return (modified, deleted);
        }

        throw new ArgumentException($"Cursor '{cursor}' was not written by the Mexal adapter (expected '{CursorPrefix};mod=AAAAMMGG HHMMSS;del=AAAAMMGG HHMMSS').", nameof(cursor));
    }

    private void CheckCompany(CompanyId company)
    {
        if (!string.Equals(company.Value, _options.Company, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This Mexal source serves company (Azienda) '{_options.Company}', not '{company}'.", nameof(company));
        }
    }

    private async IAsyncEnumerable<LedgerRecord> ReadAsync(
        CompanyId company, (LocalDateTime Modified, LocalDateTime Deleted)? since, bool changes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = _clients();
        var today = _clock.GetCurrentInstant().InZone(Rome).Date;
        var incremental = since is not null;
        var counts = new int[3];
        LogReading(_logger, _options.SourceName, company.Value, incremental ? "changes since " + MexalValues.FormatTimestamp(since!.Value.Modified) : changes ? "everything (no cursor yet)" : "snapshot");

        // The payment terms come first, alone: with wrong credentials exactly one call fails.
        var payments = new Dictionary<long, MexalPaymentTerms>();
        await foreach (var page in client.ListAsync("dati-generali/pagamenti", MexalClienti.PaymentFields, null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var record in page.Records)
            {
                if (MexalClienti.ReadPaymentTerms(record) is { } terms)
                {
                    payments[terms.Id] = terms;
                }
            }
        }

        string? stamp = null;
        void Stamp(string? s)
        {
            if (s is not null && (stamp is null || string.CompareOrdinal(s, stamp) < 0))
            {
                stamp = s;
            }
        }

        var scope = ScopeFilters(since?.Modified);
        var needMarks = _options.DunningDateHandling != MexalRecoveryDateHandling.Ignore
            || _options.RecoveryDateHandling != MexalRecoveryDateHandling.Ignore
            || _options.LegalDateHandling != MexalRecoveryDateHandling.Ignore;
        var marks = new Dictionary<string, MexalRecoveryMarks>(StringComparer.Ordinal);
        var paymentTermsOf = new Dictionary<string, long?>(StringComparer.Ordinal);
        var noCustomer = new MexalScadenzario(_options, company, today, _ => (null, null));
        var clienti = new MexalClienti(_options, company);

        void AddMarks(MexalScadenzaResult result)
        {
            if (result.CustomerCode is { } code && (result.Dunning ?? result.Recovery ?? result.Legal) is not null)
            {
                if (!marks.TryGetValue(code, out var m))
                {
                    marks[code] = m = new MexalRecoveryMarks();
                }

                m.Add(result.Dunning, result.Recovery, result.Legal);
            }
        }

        if (!incremental)
        {
            if (needMarks)
            {
                await foreach (var page in client.ListAsync("scadenzario", MexalScadenzario.Fields, scope, cancellationToken).ConfigureAwait(false))
                {
                    Stamp(page.Stamp);
                    foreach (var record in page.Records)
                    {
                        AddMarks(noCustomer.Read(record));
                    }
                }
            }

            await foreach (var page in client.ListAsync("clienti", MexalClienti.Fields, null, cancellationToken).ConfigureAwait(false))
            {
                Stamp(page.Stamp);
                foreach (var record in page.Records)
                {
                    var (code, terms) = MexalClienti.ReadPaymentCode(record);
                    if (code is not null)
                    {
                        paymentTermsOf[code] = terms;
                    }

                    var result = clienti.Read(record, code is null ? null : marks.GetValueOrDefault(code), payments);
                    counts[result is RejectedRecord ? 2 : 0]++;
                    yield return result;
                }
            }
        }
        else
        {
            // Which customers the changed records touch, then those customers' recovery dates over all their records.
            var touched = new SortedSet<string>(StringComparer.Ordinal);
            await foreach (var page in client.ListAsync("scadenzario", ["codice"], scope, cancellationToken).ConfigureAwait(false))
            {
                Stamp(page.Stamp);
                foreach (var record in page.Records)
                {
                    if (Try(() => MexalValues.String(record, "codice")) is { } code)
                    {
                        touched.Add(code);
                    }
                }
            }

            var customers = new List<JsonElement>();
            var changedFilter = new List<MexalFilter> { new("data_ult_mod", ">=", MexalValues.FormatTimestamp(since!.Value.Modified)) };
            await foreach (var page in client.ListAsync("clienti", MexalClienti.Fields, changedFilter, cancellationToken).ConfigureAwait(false))
            {
                Stamp(page.Stamp);
                customers.AddRange(page.Records.Select(r => r.Clone()));
            }

            var codes = new SortedSet<string>(touched, StringComparer.Ordinal);
            foreach (var record in customers)
            {
                if (MexalClienti.ReadPaymentCode(record).Code is { } code)
                {
                    codes.Add(code);
                    touched.Remove(code);
                }
            }

            if (needMarks && codes.Count > 0)
            {
                var results = new List<MexalScadenzaResult>();
                await Parallel.ForEachAsync(
                    codes.Chunk(25),
                    new ParallelOptions { MaxDegreeOfParallelism = MexalLedgerOptions.MexalServicePool, CancellationToken = cancellationToken },
                    async (chunk, ct) =>
                    {
                        var filter = new List<MexalFilter> { new("codice", "=", new JsonArray(chunk.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray())) };
                        await foreach (var page in client.ListAsync("scadenzario", MexalScadenzario.Fields, filter, ct).ConfigureAwait(false))
                        {
                            var read = page.Records.Select(noCustomer.Read).ToList();
                            lock (results)
                            {
                                results.AddRange(read);
                            }
                        }
                    }).ConfigureAwait(false);
                results.ForEach(AddMarks);
            }

            // Touched customers whose master data did not change: read one by one (codes with '/' go hex-encoded).
            var fetched = new JsonDocument?[touched.Count];
            await Parallel.ForEachAsync(
                touched.Select((code, i) => (code, i)),
                new ParallelOptions { MaxDegreeOfParallelism = MexalLedgerOptions.MexalServicePool, CancellationToken = cancellationToken },
                async (item, ct) => fetched[item.i] = await client.GetAsync("clienti", item.code, MexalClienti.Fields, ct).ConfigureAwait(false)).ConfigureAwait(false);
            customers.AddRange(fetched.Where(d => d is not null).Select(d => d!.RootElement));

            foreach (var record in customers)
            {
                var (code, terms) = MexalClienti.ReadPaymentCode(record);
                if (code is not null)
                {
                    paymentTermsOf[code] = terms;
                }

                var result = clienti.Read(record, code is null ? null : marks.GetValueOrDefault(code), payments);
                counts[result is RejectedRecord ? 2 : 0]++;
                yield return result;
            }

            foreach (var document in fetched)
            {
                document?.Dispose();
            }
        }

        var scadenzario = new MexalScadenzario(_options, company, today, code =>
        {
            var terms = paymentTermsOf.GetValueOrDefault(code);
            var type = terms is { } t && payments.TryGetValue(t, out var p) && p.FirstInstallmentType is { } c && _options.InstallmentTypeCodes.TryGetValue(c, out var pt) ? pt : (PaymentType?)null;
            return (terms?.ToString(CultureInfo.InvariantCulture), type);
        });
        await foreach (var page in client.ListAsync("scadenzario", MexalScadenzario.Fields, scope, cancellationToken).ConfigureAwait(false))
        {
            Stamp(page.Stamp);
            foreach (var record in page.Records)
            {
                foreach (var result in scadenzario.Read(record).Records)
                {
                    counts[result is RejectedRecord ? 2 : 1]++;
                    yield return result;
                }
            }
        }

        var deletedStamp = (string?)null;
        if (incremental && _options.UseDeletedRecordsRegister)
        {
            var data = new JsonObject
            {
                ["in_archivi"] = new JsonArray("scadenzario"),
                ["in_tipo_operazione"] = "C",
                ["in_data_ric_elab"] = MexalValues.FormatTimestamp(since!.Value.Deleted),
            };
            await foreach (var page in client.ServiceAsync("get_registro_operazioni_utente", data, cancellationToken).ConfigureAwait(false))
            {
                deletedStamp ??= page.Stamp;
                foreach (var item in page.Records)
                {
                    foreach (var record in Deleted(item))
                    {
                        yield return record;
                    }
                }
            }
        }

        LogRead(_logger, _options.SourceName, company.Value, counts[0], counts[1], counts[2]);
        if (changes)
        {
            var modified = MexalValues.ParseTimestamp(stamp) ?? since?.Modified ?? today.AtMidnight();
            var deleted = MexalValues.ParseTimestamp(deletedStamp) ?? modified;
            yield return new LedgerCheckpoint(FormatCursor(modified, deleted));
        }
    }

    /// <summary>
    /// One entry of the deleted-records register. Its layout is not published: the adapter reads the record's key either
    /// from the key fields (<c>codice</c>, <c>dt_registr_doc</c>, <c>prog_primanota</c>, <c>anno_primanota</c>) or from a
    /// <c>chiave</c> text joined by <c>+</c>, as in WebAPI paths; entries of another archive are skipped.
    /// </summary>
    private IEnumerable<LedgerRecord> Deleted(JsonElement item)
    {
        string? code, registered, progressive, year;
        try
        {
            if ((MexalValues.String(item, "archivio") ?? MexalValues.String(item, "end_point")) is { } archive && archive != "scadenzario")
            {
                return [];
            }

            if (MexalValues.String(item, "chiave") is { } key)
            {
                var parts = key.Split('+');
                (code, registered, progressive, year) = parts.Length == 4 ? (parts[0], parts[1], parts[2], parts[3]) : (null, null, null, null);
            }
            else
            {
                code = MexalValues.String(item, "codice");
                registered = MexalValues.String(item, "dt_registr_doc");
                progressive = MexalValues.String(item, "prog_primanota");
                year = MexalValues.String(item, "anno_primanota");
            }
        }
        catch (MexalFieldException ex)
        {
            return [new RejectedRecord(new LedgerRecordError("get_registro_operazioni_utente entry", ex.Field, ex.Value, ex.Message, item.GetRawText()))];
        }

        if (code is null || registered is null || progressive is null || year is null)
        {
            return [new RejectedRecord(new LedgerRecordError("get_registro_operazioni_utente entry", "chiave", item.GetRawText(),
                "a deleted scadenzario record without codice, dt_registr_doc, prog_primanota and anno_primanota; the next snapshot will notice the deletion", item.GetRawText()))];
        }

        if (_options.CustomerAccountPrefixes.Count > 0 && !_options.CustomerAccountPrefixes.Any(p => code.StartsWith(p, StringComparison.Ordinal)))
        {
            return [];
        }

        // The register does not say which indices the record had: every key it could have had is removed (unknown keys are no-ops).
        var prefix = $"mexal/{MexalValues.KeyPart(code)}/{MexalValues.KeyPart(registered)}/{year}/{progressive}/";
        return Enumerable.Range(1, MaxInstallmentsPerRecord).Select(i => (LedgerRecord)new InstallmentRemovedRecord(new InstallmentKey(prefix + i.ToString(CultureInfo.InvariantCulture))));
    }

    private List<MexalFilter>? ScopeFilters(LocalDateTime? since)
    {
        var filters = new List<MexalFilter>();
        if (_options.CustomerAccountPrefixes.Count > 0)
        {
            filters.Add(new MexalFilter("codice", "inizia_per", new JsonArray(_options.CustomerAccountPrefixes.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray())));
        }

        if (since is { } s)
        {
            filters.Add(new MexalFilter("data_ult_mod", ">=", MexalValues.FormatTimestamp(s)));
        }

        return filters.Count == 0 ? null : filters;
    }

    private static string? Try(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (MexalFieldException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Mexal ledger {Source}: reading {Company}, {What}")]
    private static partial void LogReading(ILogger logger, string source, string company, string what);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Mexal ledger {Source}: read {Company}: {Customers} customers, {Installments} installments, {Rejected} rejected")]
    private static partial void LogRead(ILogger logger, string source, string company, int customers, int installments, int rejected);
}
