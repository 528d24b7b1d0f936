using CreditRecovery.Ledger;
using CreditRecovery.Samples.MexalDemo;
using NodaTime;

namespace CreditRecovery.Adapters.Mexal.Tests;

/// <summary>The adapter against the demo Mexal WebAPI over real HTTP on loopback.</summary>
public sealed class ContractTests
{
    [Fact]
    public async Task A_snapshot_pages_through_every_customer_and_record_once()
    {
        await using var server = await MexalDemo.StartAsync();
        using var services = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate), o => o.PageSize = 17);
        server.ResetCounters();

        var records = await MexalDemo.ReadAllAsync(services.Source().ReadSnapshotAsync(server.Company()));

        var customers = records.OfType<CustomerRecord>().Select(c => c.Customer.Code).ToList();
        var expectedCustomers = server.Book.Records("clienti").Select(c => (string)c["codice"]!).ToList();
        Assert.Equal(expectedCustomers.Order(StringComparer.Ordinal), customers.Order(StringComparer.Ordinal));

        var installments = records.OfType<InstallmentRecord>().Select(r => r.Installment).ToList();
        Assert.Equal(installments.Count, installments.Select(i => i.Key).Distinct().Count());
        var documents = server.Book.Records("scadenzario");
        Assert.True(documents.Count > 17 * 5, $"the book should need many pages, it has {documents.Count} records");
        Assert.Equal(
            documents.Select(MexalDemo.KeyPrefix).Order(StringComparer.Ordinal),
            installments.Select(i => i.Key.Value[..(i.Key.Value.LastIndexOf('/') + 1)]).Distinct().Order(StringComparer.Ordinal));
        Assert.Empty(records.OfType<RejectedRecord>());

        // Paging as published: max and the opaque next token, fields= on every list, the search filter on scadenzario.
        var scadenzarioPages = server.RequestLog.Count(l => l.StartsWith("POST /webapi/risorse/scadenzario/ricerca", StringComparison.Ordinal));
        Assert.True(scadenzarioPages >= 2 * (documents.Count / 17), $"{scadenzarioPages} scadenzario pages for two passes of {documents.Count} records");
        Assert.Contains(server.RequestLog, l => l.Contains("next=", StringComparison.Ordinal) && l.Contains("max=17", StringComparison.Ordinal));
        Assert.All(server.RequestLog, l => Assert.Contains("fields=", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_next_token_stops_the_read_with_a_clear_error()
    {
        await using var server = await MexalDemo.StartAsync();
        using var services = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate), o => o.PageSize = 10);
        server.Faults.ExpireNextTokens = true;

        var read = 0;
        var ex = await Assert.ThrowsAsync<MexalPagingException>(async () =>
        {
            await foreach (var _ in services.Source().ReadSnapshotAsync(server.Company()))
            {
                read++;
            }
        });

        Assert.Contains("'next' token", ex.Message, StringComparison.Ordinal);
        Assert.Contains("token next non valido o scaduto", ex.Message, StringComparison.Ordinal);
        Assert.Equal(400, (int)ex.Status!.Value);
        Assert.NotNull(ex.RequestId);
    }

    [Fact]
    public async Task A_503_storm_is_ridden_out_with_backoff_never_above_the_call_limit()
    {
        await using var server = await MexalDemo.StartAsync();
        using var services = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate), o => o.MaxConcurrentCalls = 2);
        var expected = (await MexalDemo.ReadAllAsync(services.Source().ReadSnapshotAsync(server.Company()))).Count;
        var calm = server.Requests;
        server.ResetCounters();
        server.Faults.ResponseDelay = TimeSpan.FromMilliseconds(15);
        server.Faults.ServiceUnavailableStorm(5);

        var records = await MexalDemo.ReadAllAsync(services.Source().ReadSnapshotAsync(server.Company()));

        Assert.Equal(expected, records.Count);
        Assert.Equal(calm + 5, server.Requests); // Every 503 retried once more, nothing else repeated.
        Assert.InRange(server.MaxConcurrentRequests, 1, 2);
    }

    [Fact]
    public async Task Parallel_reads_never_exceed_the_configured_limit_and_a_full_pool_is_retried()
    {
        await using var server = await MexalDemo.StartAsync(servicePool: 2);
        var clock = MexalDemo.ClockAt(server.CurrentDate);
        using var services = MexalDemo.Services(server, clock, o => o.MaxConcurrentCalls = 3);
        var source = services.Source();
        var cursor = (await MexalDemo.ReadAllAsync(source.ReadChangesAsync(server.Company(), null))).OfType<LedgerCheckpoint>().Single().Cursor;
        server.AdvanceTo(server.CurrentDate.PlusDays(20));
        clock.Reset(server.CurrentDate.At(new LocalTime(9, 0)).InZoneLeniently(MexalDemo.Rome).ToInstant());
        server.ResetCounters();
        server.Faults.ResponseDelay = TimeSpan.FromMilliseconds(20);

        // Many customers touched by 20 days of payments: their master data is read one by one, in parallel.
        var changes = await MexalDemo.ReadAllAsync(source.ReadChangesAsync(server.Company(), cursor));

        Assert.True(changes.OfType<CustomerRecord>().Count() > 5);
        Assert.Equal(3, server.MaxConcurrentRequests); // The adapter's limit, reached (the pool of 2 answered the third with 503)…
        Assert.Contains(server.RequestLog, l => l.StartsWith("GET /webapi/risorse/clienti/", StringComparison.Ordinal));
        Assert.Empty(changes.OfType<RejectedRecord>()); // …and the 503s were retried.
    }

    [Fact]
    public async Task Refused_credentials_stop_after_exactly_one_call_and_never_retry()
    {
        await using var server = await MexalDemo.StartAsync();
        using var services = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate), o => o.Password = "wrong-password");
        var source = services.Source();

        var ex = await Assert.ThrowsAsync<MexalAuthenticationException>(() => MexalDemo.ReadAllAsync(source.ReadSnapshotAsync(server.Company())));
        Assert.Equal(1, server.Requests);
        Assert.Contains("No retry", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'webapi'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", ex.Message, StringComparison.Ordinal);

        // A second read does not even call: repeated failures would lock the WebAPI user.
        await Assert.ThrowsAsync<MexalAuthenticationException>(() => MexalDemo.ReadAllAsync(source.ReadChangesAsync(server.Company(), null)));
        Assert.Equal(1, server.Requests);
        Assert.Equal(1, server.FailedLogins);
    }

    [Fact]
    public async Task A_page_of_broken_json_is_read_once_more_and_broken_twice_is_a_clear_error()
    {
        await using var server = await MexalDemo.StartAsync();
        using var services = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate), o => o.PageSize = 20);
        var expected = (await MexalDemo.ReadAllAsync(services.Source().ReadSnapshotAsync(server.Company()))).Count;

        server.Faults.CorruptScadenzarioPage(3, times: 1);
        Assert.Equal(expected, (await MexalDemo.ReadAllAsync(services.Source().ReadSnapshotAsync(server.Company()))).Count);

        server.Faults.CorruptScadenzarioPage(3, times: 2);
        var ex = await Assert.ThrowsAsync<MexalPagingException>(() => MexalDemo.ReadAllAsync(services.Source().ReadSnapshotAsync(server.Company())));
        Assert.Contains("/scadenzario page 3 is not valid JSON, twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_codes_and_malformed_values_are_quarantined_naming_record_field_and_value_and_the_rest_goes_on()
    {
        await using var server = await MexalDemo.StartAsync();
        using var services = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate));
        var before = (await MexalDemo.ReadAllAsync(services.Source().ReadSnapshotAsync(server.Company()))).OfType<InstallmentRecord>().Count();

        var bad = server.InjectBadCodes();
        var records = await MexalDemo.ReadAllAsync(services.Source().ReadSnapshotAsync(server.Company()));

        var rejected = records.OfType<RejectedRecord>().ToList();
        Assert.Equal(3, rejected.Count);
        foreach (var (recordKey, field, value) in bad)
        {
            var r = Assert.Single(rejected, r => r.Error.RecordKey == "scadenzario " + recordKey);
            Assert.Equal((field, value), (r.Error.Field, r.Error.Value));
            Assert.Contains(recordKey, r.Error.ToString(), StringComparison.Ordinal);
            var key = Assert.Single(r.Installments!);
            Assert.StartsWith("mexal/", key.Value, StringComparison.Ordinal); // Still in Mexal: a snapshot will not close its case.
        }

        Assert.Contains("stato_pagamento", rejected[0].Error.Reason + rejected[1].Error.Reason + rejected[2].Error.Reason, StringComparison.Ordinal);
        Assert.Equal(before - 3, records.OfType<InstallmentRecord>().Count());
    }

    [Fact]
    public async Task A_customer_code_with_a_slash_travels_hex_encoded()
    {
        await using var server = await MexalDemo.StartAsync();
        using var services = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate));
        var source = services.Source();
        var cursor = (await MexalDemo.ReadAllAsync(source.ReadChangesAsync(server.Company(), null))).OfType<LedgerCheckpoint>().Single().Cursor;

        var code = server.AddCustomerWithSlashCode();
        server.ResetCounters();
        var changes = await MexalDemo.ReadAllAsync(source.ReadChangesAsync(server.Company(), cursor));

        var customer = Assert.Single(changes.OfType<CustomerRecord>(), c => c.Customer.Code == code).Customer;
        Assert.Equal((code, "Barra & Figli S.r.l.", "barraefigli@pec.example"), (customer.Code, customer.Name, customer.Pec));
        Assert.Contains("GET /webapi/risorse/clienti/3530312e30302f3737?fields=", Assert.Single(server.RequestLog, l => l.StartsWith("GET /webapi/risorse/clienti/", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(server.RequestLog, l => l.Contains("encoding=hex", StringComparison.Ordinal));
        var installment = Assert.Single(changes.OfType<InstallmentRecord>(), i => i.Installment.CustomerCode == code).Installment;
        Assert.Equal(("mexal/501.00%2F77/" + installment.Document.Date.ToString("uuuuMMdd", null) + "/2026/99001/1", 777.70m), (installment.Key.Value, installment.OpenResidual.Amount));
        Assert.Equal(PaymentType.BankTransfer, installment.PaymentType);
    }

    [Fact]
    public async Task A_customer_deleted_in_Mexal_comes_back_as_removed_installments_from_the_register()
    {
        await using var server = await MexalDemo.StartAsync();
        var clock = MexalDemo.ClockAt(server.CurrentDate);
        using var services = MexalDemo.Services(server, clock);
        var source = services.Source();
        var first = await MexalDemo.ReadAllAsync(source.ReadChangesAsync(server.Company(), null));
        var deletedKeys = first.OfType<InstallmentRecord>().Where(i => i.Installment.CustomerCode == server.Book.DeletedCustomerCode).Select(i => i.Installment.Key).ToList();
        Assert.Equal(2, deletedKeys.Count);

        var events = server.AdvanceTo(server.CurrentDate.PlusDays(2));
        Assert.Contains(events, e => e.Kind == "customer-deleted");
        var changes = await MexalDemo.ReadAllAsync(source.ReadChangesAsync(server.Company(), first.OfType<LedgerCheckpoint>().Single().Cursor));

        var removed = changes.OfType<InstallmentRemovedRecord>().Select(r => r.Key).ToHashSet();
        Assert.Subset(removed, deletedKeys.ToHashSet());
        Assert.All(removed, k => Assert.StartsWith("mexal/" + server.Book.DeletedCustomerCode + "/", k.Value, StringComparison.Ordinal));
        Assert.DoesNotContain(changes.OfType<CustomerRecord>(), c => c.Customer.Code == server.Book.DeletedCustomerCode);
        Assert.Contains(server.RequestLog, l => l == "POST /webapi/servizi");
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused_unless_explicitly_accepted_and_pinned()
    {
        await using var server = await MexalDemo.StartAsync(https: true);
        using (var strict = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate)))
        {
            var ex = await Assert.ThrowsAsync<MexalWebApiException>(() => MexalDemo.ReadAllAsync(strict.Source().ReadSnapshotAsync(server.Company())));
            Assert.Contains("AcceptUntrustedCertificate", ex.Message, StringComparison.Ordinal);
        }

        using (var wrongPin = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate), o => { o.AcceptUntrustedCertificate = true; o.CertificateThumbprint = new string('A', 64); }))
        {
            await Assert.ThrowsAsync<MexalWebApiException>(() => MexalDemo.ReadAllAsync(wrongPin.Source().ReadSnapshotAsync(server.Company())));
        }

        using var pinned = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate), o => { o.AcceptUntrustedCertificate = true; o.CertificateThumbprint = server.CertificateThumbprint; });
        Assert.NotEmpty((await MexalDemo.ReadAllAsync(pinned.Source().ReadSnapshotAsync(server.Company()))).OfType<InstallmentRecord>());
    }

    [Fact]
    public async Task Hosts_without_dependency_injection_build_the_source_on_their_own_HttpClient()
    {
        await using var server = await MexalDemo.StartAsync(customers: 20);
        var options = new MexalLedgerOptions
        {
            BaseAddress = server.BaseAddress,
            User = server.User,
            Password = server.Password,
            Company = server.Company,
            Year = server.Year,
            MaxConcurrentCalls = 1,
        };
        using var http = new HttpClient(MexalLedgerServiceCollectionExtensions.CreateHandler(options));
        using var source = new MexalLedgerSource(http, options, server.Clock);

        var records = await MexalDemo.ReadAllAsync(source.ReadChangesAsync(server.Company(), null));

        Assert.Equal(server.Book.Records("clienti").Count, records.OfType<CustomerRecord>().Count());
        Assert.StartsWith("mexal:v1;mod=", Assert.IsType<LedgerCheckpoint>(records[^1]).Cursor, StringComparison.Ordinal);
        Assert.Equal(1, server.MaxConcurrentRequests);
        Assert.Throws<ArgumentException>(() => source.ReadSnapshotAsync(new CompanyId("OTHER")));
    }

    [Fact]
    public async Task A_storm_longer_than_the_retries_ends_in_a_clear_error_after_a_bounded_number_of_calls()
    {
        await using var server = await MexalDemo.StartAsync(customers: 20);
        using var services = MexalDemo.Services(server, MexalDemo.ClockAt(server.CurrentDate), o => o.MaxRetries = 2);
        server.Faults.ServiceUnavailableStorm(100);

        var ex = await Assert.ThrowsAsync<MexalWebApiException>(() => MexalDemo.ReadAllAsync(services.Source().ReadSnapshotAsync(server.Company())));

        Assert.Contains("still answered 503", ex.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests);
    }
}
