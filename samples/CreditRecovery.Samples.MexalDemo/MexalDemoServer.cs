using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CreditRecovery.Samples.MexalDemo;

/// <summary>
/// A demo Passepartout Mexal WebAPI on loopback (Kestrel, a free port): <c>/webapi/risorse/clienti</c>,
/// <c>/webapi/risorse/scadenzario</c>, <c>/webapi/risorse/dati-generali/pagamenti</c> (lists with <c>fields</c>, <c>max</c> and
/// <c>next</c>; <c>POST …/ricerca</c> filters), <c>GET /webapi/risorse/clienti/{codice}</c> (with <c>encoding=hex</c>) and
/// <c>POST /webapi/servizi</c> (<c>get_registro_operazioni_utente</c>), with the WebAPI's headers, formats, error body, pool
/// of 5 services and user lock-out, over a generated demo company (<see cref="MexalDemoBook"/>). Faults are injected through
/// <see cref="Faults"/>; <see cref="AdvanceTo"/> moves the simulated date.
/// </summary>
public sealed partial class MexalDemoServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private readonly WebApplication _app;
    private readonly MexalDemoOptions _options;
    private readonly ConcurrentDictionary<string, PageToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _log = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _requests;
    private int _failedLogins;

    private readonly SimulatedClock _clock;

    private MexalDemoServer(WebApplication app, MexalDemoOptions options, MexalDemoBook book)
    {
        _app = app;
        _options = options;
        Book = book;
        _clock = new SimulatedClock(book);
    }

    /// <summary>The WebAPI root to give the adapter, e.g. <c>http://127.0.0.1:41234/webapi/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The WebAPI user.</summary>
    public string User => _options.User;

    /// <summary>The WebAPI user's password.</summary>
    public string Password => _options.Password;

    /// <summary>The cloud domain expected, or <see langword="null"/>.</summary>
    public string? Domain => _options.Domain;

    /// <summary>The Mexal company code (<c>Azienda=</c>), also the SDK's company id.</summary>
    public string Company => _options.Company;

    /// <summary>The accounting year (<c>Anno=</c>).</summary>
    public int Year => _options.Year;

    /// <summary>The SHA-256 thumbprint of the self-signed certificate when <see cref="MexalDemoOptions.Https"/>; otherwise <see langword="null"/>.</summary>
    public string? CertificateThumbprint { get; private set; }

    /// <summary>The demo company's book.</summary>
    public MexalDemoBook Book { get; }

    /// <summary>Faults to inject.</summary>
    public MexalDemoFaults Faults { get; } = new();

    /// <summary>The simulated date.</summary>
    public LocalDate CurrentDate => Book.CurrentDate;

    /// <summary>
    /// A clock on the simulated date: 09:00 in Europe/Rome on <see cref="CurrentDate"/>, plus the real time elapsed since
    /// (capped at eight hours), so instants keep increasing within a simulated day. Register it as the host's
    /// <see cref="IClock"/> when simulating, so that the engine and the adapter (whose bank-exposure rule depends on
    /// today) live on the demo's date.
    /// </summary>
    public IClock Clock => _clock;

    /// <summary>The most calls the server saw in progress at once since the last <see cref="ResetCounters"/> (including those it refused with 503).</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    /// <summary>Calls received since the last <see cref="ResetCounters"/>.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Calls that presented wrong credentials since the start.</summary>
    public int FailedLogins => Volatile.Read(ref _failedLogins);

    /// <summary>Each call received since the last <see cref="ResetCounters"/>: method, path and query.</summary>
    public IReadOnlyList<string> RequestLog => _log.ToArray();

    /// <summary>Starts the server on 127.0.0.1 at a free port, with the book at <see cref="MexalDemoOptions.StartDate"/>.</summary>
    /// <param name="options">The options; default <see cref="MexalDemoOptions"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<MexalDemoServer> StartAsync(MexalDemoOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MexalDemoOptions();
        var book = new MexalDemoBook(options.Seed, options.StartDate, options.Customers);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        X509Certificate2? certificate = options.Https ? CreateCertificate() : null;
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new MexalDemoServer(app, options, book) { CertificateThumbprint = certificate?.GetCertHashString(HashAlgorithmName.SHA256) };
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/webapi/");
        return server;
    }

    /// <summary>Applies the demo's scripted events up to <paramref name="date"/> and returns them (see <see cref="MexalDemoBook.AdvanceTo"/>).</summary>
    /// <param name="date">The new simulated date.</param>
    public IReadOnlyList<MexalDemoEvent> AdvanceTo(LocalDate date)
    {
        var events = Book.AdvanceTo(date);
        _clock.Restart();
        return events;
    }

    /// <summary>Resets the call counters and log.</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref _maxInFlight, 0);
        Interlocked.Exchange(ref _requests, 0);
        _log.Clear();
    }

    /// <summary>
    /// Puts codes the adapter does not know into the book: <c>stato_pagamento</c> <c>Z</c> on one open installment,
    /// <c>tipo_scadenza</c> <c>Q</c> on another, and an amount written <c>"12,50"</c> (a string with a comma) on a third.
    /// Returns each as (record key <c>codice+dt_registr_doc+prog_primanota+anno_primanota</c>, field with index, value).
    /// </summary>
    public IReadOnlyList<(string RecordKey, string Field, string Value)> InjectBadCodes()
    {
        var result = new List<(string, string, string)>();
        Book.Mutate((_, scadenzario, stamp) =>
        {
            var open = scadenzario.Where(r => (string)r["causale"]! == "FT" && OpenRow(r) is not null).Take(3).ToList();
            if (open.Count < 3)
            {
                throw new InvalidOperationException("The book has fewer than three open documents.");
            }

            (string Field, JsonNode Value, string Shown)[] bad = [("stato_pagamento", "Z", "Z"), ("tipo_scadenza", "Q", "Q"), ("imp_scadenza", "12,50", "12,50")];
            for (var i = 0; i < 3; i++)
            {
                var record = open[i];
                var index = OpenRow(record)!.Value;
                SetPair(record, bad[i].Field, index, bad[i].Value);
                record["data_ult_mod"] = stamp();
                result.Add((Key(record), $"{bad[i].Field}[{index}]", bad[i].Shown));
            }
        });
        return result;
    }

    /// <summary>
    /// Adds a customer whose code holds a <c>/</c> (so it must travel hex-encoded in a path), long unchanged, with one new
    /// overdue invoice stamped now. Returns the code.
    /// </summary>
    public string AddCustomerWithSlashCode()
    {
        const string Code = "501.00/77";
        Book.Mutate((customers, scadenzario, stamp) =>
        {
            customers.Add(new JsonObject
            {
                ["codice"] = Code, ["ragione_sociale"] = "Barra & Figli S.r.l.", ["tp_nazionalita"] = "I", ["cod_paese"] = "IT", ["gest_per_fisica"] = "N",
                ["partita_iva"] = "IT01234560157", ["codice_fiscale"] = "01234560157", ["cognome"] = string.Empty, ["nome"] = string.Empty,
                ["indirizzo"] = "Via Cesare Battisti 7", ["cap"] = "20122", ["localita"] = "MILANO", ["provincia"] = "MI", ["telefono"] = "02 7654321",
                ["fax"] = string.Empty, ["email"] = "amministrazione@barraefigli.example", ["pec"] = "barraefigli@pec.example", ["url"] = string.Empty,
                ["cod_pagamento"] = 2, ["cod_cat_sta"] = 1, ["cod_zona"] = 1, ["cod_agente"] = "511.00001", ["tp_rating"] = "B", ["nr_insoluti"] = 0,
                ["tot_insoluti"] = 0m, ["fido"] = 10000m, ["descr_nota"] = new JsonArray(new JsonArray(1, string.Empty), new JsonArray(2, string.Empty)),
                ["conto_precanc"] = "N", ["utente_ult_mod"] = "ADMIN", ["data_ult_mod"] = "20260101 080000",
            });
            var date = Book.CurrentDate.PlusDays(-40);
            var due = Book.CurrentDate.PlusDays(-10);
            var record = new JsonObject
            {
                ["codice"] = Code, ["data_documento"] = D(date), ["serie"] = 1, ["numero"] = 9001, ["numero_esteso"] = string.Empty, ["causale"] = "FT",
                ["codice_agente"] = "511.00001", ["numero_valuta"] = 0, ["protocollo_iva"] = "9001", ["dt_registr_doc"] = D(date), ["prog_primanota"] = 99001,
                ["anno_primanota"] = Year, ["tipo_scadenza"] = Pairs("F"), ["dt_sca_pg"] = Pairs(D(due)), ["imp_scadenza"] = Pairs(777.70m),
                ["imp_sca_vlt_doc"] = Pairs(777.70m), ["stato_pagamento"] = Pairs(string.Empty), ["dt_sca_origine"] = Pairs(D(due)),
                ["data_sollecito"] = Pairs(string.Empty), ["data_recupero"] = Pairs(string.Empty), ["data_legale"] = Pairs(string.Empty),
                ["nr_prot_effetti"] = Pairs(0), ["dt_sca_emissione_eff"] = Pairs(string.Empty), ["id_effetto"] = Pairs(string.Empty),
                ["utente_ult_mod"] = "ADMIN", ["data_ult_mod"] = stamp(),
            };
            scadenzario.Add(record);
        });
        return Code;

        static JsonArray Pairs(JsonNode? value) => new(new JsonArray(1, value));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string D(LocalDate date) => date.ToString("uuuuMMdd", CultureInfo.InvariantCulture);

    private static string Key(JsonObject r) => $"{r["codice"]}+{r["dt_registr_doc"]}+{r["prog_primanota"]}+{r["anno_primanota"]}";

    private static int? OpenRow(JsonObject record) =>
        ((JsonArray)record["stato_pagamento"]!).Where(p => p![1]!.ToString().Length == 0).Select(p => (int?)(int)p![0]!).FirstOrDefault();

    private static void SetPair(JsonObject record, string field, int index, JsonNode value)
    {
        foreach (var pair in (JsonArray)record[field]!)
        {
            if ((int)pair![0]! == index)
            {
                pair.AsArray()[1] = value;
                return;
            }
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=mexal-demo.localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); inFlight > max && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max; max = Volatile.Read(ref _maxInFlight))
        {
        }

        try
        {
            Interlocked.Increment(ref _requests);
            var request = context.Request;
            _log.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
            if (Faults.ResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(Faults.ResponseDelay, context.RequestAborted).ConfigureAwait(false);
            }

            if (inFlight > _options.ServicePool || Faults.TakeUnavailable())
            {
                await ErrorAsync(context, 503, "Pool di servizi esaurito: riprovare piu' tardi").ConfigureAwait(false);
                return;
            }

            if (!Authenticated(request.Headers.Authorization.ToString(), out var refusal))
            {
                await ErrorAsync(context, 401, refusal).ConfigureAwait(false);
                return;
            }

            var coordinates = CoordinatesPattern().Match(request.Headers["Coordinate-Gestionale"].ToString());
            if (!coordinates.Success || coordinates.Groups["azienda"].Value != Company || coordinates.Groups["anno"].Value != Year.ToString(CultureInfo.InvariantCulture))
            {
                await ErrorAsync(context, 400, $"Coordinate-Gestionale mancanti o non valide: attese Azienda={Company} Anno={Year}").ConfigureAwait(false);
                return;
            }

            var path = request.Path.Value ?? string.Empty;
            if (path == "/webapi/servizi" && HttpMethods.IsPost(request.Method))
            {
                await ServiceAsync(context).ConfigureAwait(false);
                return;
            }

            const string Risorse = "/webapi/risorse/";
            if (!path.StartsWith(Risorse, StringComparison.Ordinal))
            {
                context.Response.StatusCode = 404;
                return;
            }

            var resource = path[Risorse.Length..];
            var search = resource.EndsWith("/ricerca", StringComparison.Ordinal);
            if (search)
            {
                resource = resource[..^"/ricerca".Length];
            }

            if (resource is "clienti" or "scadenzario" or "dati-generali/pagamenti" && (search ? HttpMethods.IsPost(request.Method) : HttpMethods.IsGet(request.Method)))
            {
                await ListAsync(context, resource, search).ConfigureAwait(false);
            }
            else if (resource.StartsWith("clienti/", StringComparison.Ordinal) && !search && HttpMethods.IsGet(request.Method))
            {
                await ReadCustomerAsync(context, resource["clienti/".Length..]).ConfigureAwait(false);
            }
            else
            {
                context.Response.StatusCode = 404; // Mexal: unknown resource or path, no body.
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private bool Authenticated(string header, out string refusal)
    {
        refusal = "credenziali non valide";
        if (Faults.RefuseCredentials)
        {
            Interlocked.Increment(ref _failedLogins);
            return false;
        }

        if (FailedLogins >= _options.LockAfterFailedLogins)
        {
            refusal = "utente WebAPI bloccato dopo ripetuti tentativi falliti: rivolgersi all'amministratore";
            return false;
        }

        var parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string? credentials = null;
        if (parts.Length >= 2 && parts[0] == "Passepartout")
        {
            try
            {
                credentials = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1]));
            }
            catch (FormatException)
            {
                credentials = null;
            }
        }

        var domain = parts.Skip(2).FirstOrDefault(p => p.StartsWith("Dominio=", StringComparison.Ordinal))?["Dominio=".Length..];
        if (credentials != User + ":" + Password || domain != Domain)
        {
            Interlocked.Increment(ref _failedLogins);
            return false;
        }

        return true;
    }

    private async Task ListAsync(HttpContext context, string resource, bool search)
    {
        var query = context.Request.Query;
        var fields = query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var max = int.TryParse(query["max"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) && m > 0 ? Math.Min(m, _options.MaxPageSize) : _options.MaxPageSize;
        var next = query["next"].ToString();

        PageToken state;
        if (next.Length > 0)
        {
            if (Faults.ExpireNextTokens || !_tokens.TryGetValue(next, out state!) || state.Expires < DateTimeOffset.UtcNow || state.Resource != resource)
            {
                await ErrorAsync(context, 400, "token next non valido o scaduto").ConfigureAwait(false);
                return;
            }
        }
        else
        {
            List<Filter> filters = [];
            if (search)
            {
                JsonNode? body;
                try
                {
                    body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                }
                catch (JsonException ex)
                {
                    await ErrorAsync(context, 400, "corpo della richiesta non valido: " + ex.Message).ConfigureAwait(false);
                    return;
                }

                if (body?["filtri"] is not JsonArray filtri || filtri.Count == 0)
                {
                    await ErrorAsync(context, 400, "6001 - errore gestionale [filtri mancanti]").ConfigureAwait(false);
                    return;
                }

                foreach (var f in filtri)
                {
                    if (f?["campo"]?.GetValue<string>() is not { } campo || f["condizione"]?.GetValue<string>() is not { } condizione || f["valore"] is not { } valore)
                    {
                        await ErrorAsync(context, 400, "6001 - errore gestionale [filtro senza campo, condizione o valore]").ConfigureAwait(false);
                        return;
                    }

                    filters.Add(new Filter(campo, condizione, valore, f["indice1"]?.GetValue<int>(), f["case_insensitive"]?.GetValue<bool>() ?? false));
                }
            }

            var records = Book.Snapshot(resource);
            var known = records.SelectMany(r => r.Select(p => p.Key)).ToHashSet(StringComparer.Ordinal);
            if (fields.Concat(filters.Select(f => f.Field)).FirstOrDefault(f => !known.Contains(f)) is { } unknown && records.Count > 0)
            {
                await ErrorAsync(context, 400, $"6001 - errore gestionale [Nome campo '{unknown}' non valido]").ConfigureAwait(false);
                return;
            }

            var selected = records.Where(r => filters.All(f => f.Matches(r))).Select(r => Project(r, fields)).ToList();
            state = new PageToken(resource, selected, 0, 1, Book.LastStamp, DateTimeOffset.UtcNow + _options.NextTokenLifetime);
        }

        var page = state.Records.Skip(state.Offset).Take(max).ToList();
        var response = new JsonObject { ["dati"] = new JsonArray(page.Select(r => (JsonNode?)r.DeepClone()).ToArray()), ["data_ric_elab"] = state.Stamp };
        if (state.Offset + max < state.Records.Count)
        {
            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
            _tokens[token] = state with { Offset = state.Offset + max, Number = state.Number + 1, Expires = DateTimeOffset.UtcNow + _options.NextTokenLifetime };
            response["next"] = token;
        }

        var text = response.ToJsonString(Json);
        if (resource == "scadenzario" && Faults.TakeCorrupt(state.Number))
        {
            text = text[..(text.Length / 2)] + ",{\"codice\":"; // A page cut in the middle: not JSON.
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ReadCustomerAsync(HttpContext context, string segment)
    {
        var code = segment;
        if (context.Request.Query["encoding"] == "hex")
        {
            try
            {
                code = Encoding.UTF8.GetString(Convert.FromHexString(segment));
            }
            catch (FormatException)
            {
                await ErrorAsync(context, 400, $"chiave '{segment}' non in esadecimale").ConfigureAwait(false);
                return;
            }
        }
        else
        {
            code = Uri.UnescapeDataString(segment);
            if (code.Contains('/', StringComparison.Ordinal) || code.Contains('\\', StringComparison.Ordinal))
            {
                context.Response.StatusCode = 404; // A '/' in a key must travel hex-encoded.
                return;
            }
        }

        var record = Book.Snapshot("clienti").FirstOrDefault(c => (string)c["codice"]! == code);
        if (record is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        var fields = context.Request.Query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Project(record, fields).ToJsonString(Json), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ServiceAsync(HttpContext context)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await ErrorAsync(context, 400, "corpo della richiesta non valido: " + ex.Message).ConfigureAwait(false);
            return;
        }

        var command = body?["cmd"]?.GetValue<string>();
        if (command != "get_registro_operazioni_utente")
        {
            await ErrorAsync(context, 400, $"6001 - errore gestionale [servizio '{command}' non disponibile in questa installazione]").ConfigureAwait(false);
            return;
        }

        var data = body!["dati"];
        if (data?["in_archivi"] is not JsonArray archives || data["in_tipo_operazione"]?.GetValue<string>() != "C")
        {
            await ErrorAsync(context, 400, "6001 - errore gestionale [in_archivi e in_tipo_operazione = \"C\" sono obbligatori]").ConfigureAwait(false);
            return;
        }

        var since = data["in_data_ric_elab"]?.GetValue<string>();
        var entries = Book.DeletedSince(string.IsNullOrEmpty(since) ? null : since, archives.Select(a => a!.GetValue<string>()).ToHashSet(StringComparer.Ordinal));
        var response = new JsonObject { ["dati"] = new JsonArray(entries.Select(e => (JsonNode?)e).ToArray()), ["data_ric_elab"] = Book.LastStamp };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(Json), context.RequestAborted).ConfigureAwait(false);
    }

    private static JsonObject Project(JsonObject record, string[] fields)
    {
        if (fields.Length == 0)
        {
            return record;
        }

        var result = new JsonObject();
        foreach (var field in fields)
        {
            if (record.TryGetPropertyValue(field, out var value) && !result.ContainsKey(field))
            {
                result[field] = value?.DeepClone();
            }
        }

        return result;
    }

    private async Task ErrorAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var error = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["response-code"] = status,
                ["response-detail"] = detail,
                ["response-message"] = ReasonPhrases.GetReasonPhrase(status),
                ["request-uri"] = context.Request.Path.Value + context.Request.QueryString.Value,
                ["request-method"] = context.Request.Method,
                ["request-id"] = Guid.NewGuid().ToString(),
                ["warsion"] = "demo",
                ["remote"] = context.Connection.RemoteIpAddress?.ToString(),
                ["timestamp"] = Book.LastStamp,
            },
        };
        await context.Response.WriteAsync(error.ToJsonString(Json), context.RequestAborted).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^Azienda=(?<azienda>\S+)( SottoAzienda=\S+)? Anno=(?<anno>\d{4})( Magazzino=\d+)?$")]
    private static partial Regex CoordinatesPattern();

    private sealed class SimulatedClock(MexalDemoBook book) : IClock
    {
        private static readonly DateTimeZone Rome = DateTimeZoneProviders.Tzdb["Europe/Rome"];
        private readonly System.Diagnostics.Stopwatch _elapsed = System.Diagnostics.Stopwatch.StartNew();

        public void Restart() => _elapsed.Restart();

        public Instant GetCurrentInstant() =>
            book.CurrentDate.At(new LocalTime(9, 0)).InZoneLeniently(Rome).ToInstant()
                .Plus(Duration.FromTimeSpan(_elapsed.Elapsed < TimeSpan.FromHours(8) ? _elapsed.Elapsed : TimeSpan.FromHours(8)));
    }

    private sealed record PageToken(string Resource, List<JsonObject> Records, int Offset, int Number, string Stamp, DateTimeOffset Expires);

    /// <summary>A <c>ricerca</c> filter: conditions <c>=</c>, <c>&lt;&gt;</c>, <c>&gt;</c>, <c>&lt;</c>, <c>&gt;=</c>, <c>&lt;=</c>, <c>contiene</c>, <c>inizia_per</c>; an array value is OR.</summary>
    private sealed record Filter(string Field, string Condition, JsonNode Value, int? Index, bool CaseInsensitive)
    {
        public bool Matches(JsonObject record)
        {
            var node = record[Field];
            if (Index is { } i)
            {
                node = node is JsonArray pairs ? pairs.FirstOrDefault(p => (int)p![0]! == i)?[1] : null;
            }

            var values = Value is JsonArray array ? array.ToList() : [Value];
            return values.Any(v => Compare(node, v));
        }

        private static string Text(JsonNode? node) => node switch
        {
            null => string.Empty,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };

        private static bool IsNumber(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number;

        private bool Compare(JsonNode? actualNode, JsonNode? expectedNode)
        {
            var (actual, expected) = (Text(actualNode), Text(expectedNode));
            var comparison = CaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            int Order() => IsNumber(actualNode) && IsNumber(expectedNode)
                ? actualNode!.GetValue<decimal>().CompareTo(expectedNode!.GetValue<decimal>())
                : string.Compare(actual, expected, comparison);
            return Condition switch
            {
                "=" => Order() == 0,
                "<>" => Order() != 0,
                ">" => Order() > 0,
                "<" => Order() < 0,
                ">=" => Order() >= 0,
                "<=" => Order() <= 0,
                "contiene" => actual.Contains(expected, comparison),
                "inizia_per" => actual.StartsWith(expected, comparison),
                _ => false,
            };
        }
    }
}
