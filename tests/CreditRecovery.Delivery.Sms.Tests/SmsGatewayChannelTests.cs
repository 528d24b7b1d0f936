using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CreditRecovery.Delivery.Sms.Tests;

public sealed class SmsGatewayChannelTests : IAsyncLifetime
{
    private const string Token = "tok-SECRET-4711";
    private FakeSmsGateway _gateway = null!;
    private readonly CollectingLoggerProvider _logs = new();
    private ServiceProvider? _provider;

    public async Task InitializeAsync() => _gateway = await FakeSmsGateway.StartAsync();

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task Json_request_carries_number_text_sender_reference_and_bearer_token_and_returns_the_provider_id()
    {
        var channel = Channel(o =>
        {
            o.Authentication = SmsAuthentication.Bearer;
            o.BearerToken = Token;
            o.Sender = "ACME";
            o.MessageIdPath = "messages[0].id";
            o.ExtraFields["type"] = "premium";
        });
        var message = Message("333 123 4567", "Gentile cliente, la fattura FT-118 di € 1.234,56 è scaduta: la preghiamo di saldarla.");

        var result = await channel.SendAsync(message);

        Assert.Equal(DeliveryResult.Success("m-1"), result);
        var request = Assert.Single(_gateway.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/send", request.Path);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("+393331234567", root.GetProperty("to").GetString());
        Assert.Equal("Gentile cliente, la fattura FT-118 di € 1.234,56 è scaduta: la preghiamo di saldarla.", root.GetProperty("text").GetString());
        Assert.Equal("ACME", root.GetProperty("from").GetString());
        Assert.Equal(message.Message.Id, root.GetProperty("reference").GetString());
        Assert.Equal("premium", root.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Form_request_uses_the_configured_field_names_and_basic_authentication()
    {
        var channel = Channel(o =>
        {
            o.Format = SmsBodyFormat.Form;
            o.ToField = "destinatario";
            o.TextField = "messaggio";
            o.SenderField = "mittente";
            o.Sender = "ACME SpA";
            o.ClientReferenceField = "order_id";
            o.ClientReference = SmsClientReference.OutboxIdHash;
            o.Authentication = SmsAuthentication.Basic;
            o.UserName = "acme";
            o.Password = "pa:ss word";
            o.OmitPlus = true;
        });
        var message = Message("+39 (347) 765-4321", "Promemoria: rata in scadenza il 30/11.");

        var result = await channel.SendAsync(message);

        Assert.Equal(DeliveryResult.Success("gw-1"), result);
        var request = Assert.Single(_gateway.Requests);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("acme:pa:ss word")), request.Header("Authorization"));
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.Equal("393477654321", form["destinatario"].ToString());
        Assert.Equal("Promemoria: rata in scadenza il 30/11.", form["messaggio"].ToString());
        Assert.Equal("ACME SpA", form["mittente"].ToString());
        Assert.Matches("^[0-9a-f]{32}$", form["order_id"].ToString());
        Assert.Equal(channel.ClientReferenceFor(message.Message.Id), form["order_id"].ToString());
        Assert.False(form.ContainsKey("to"));
    }

    [Fact]
    public async Task A_custom_header_carries_the_api_key_and_the_recipient_can_be_an_array()
    {
        var channel = Channel(o =>
        {
            o.Authentication = SmsAuthentication.Header;
            o.HeaderName = "X-Api-Key";
            o.HeaderValue = Token;
            o.ToField = "recipients";
            o.RecipientAsArray = true;
            o.SenderField = null;
            o.MessageIdPath = "data.sms_id";
        });
        _gateway.Reply(new GatewayReply(201, """{"data":{"sms_id":98765}}"""));

        var result = await channel.SendAsync(Message("0039 333 1234567", "Ciao"));

        Assert.Equal(DeliveryResult.Success("98765"), result);
        var request = Assert.Single(_gateway.Requests);
        Assert.Equal(Token, request.Header("X-Api-Key"));
        Assert.Null(request.Header("Authorization"));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(["+393331234567"], json.RootElement.GetProperty("recipients").EnumerateArray().Select(e => e.GetString()));
        Assert.False(json.RootElement.TryGetProperty("from", out _));
    }

    [Fact]
    public async Task A_retried_message_carries_the_same_client_reference()
    {
        var channel = Channel();
        var message = Message("3331234567", "Sollecito");
        _gateway.Reply(new GatewayReply(503, """{"message":"maintenance"}"""));

        var first = await channel.SendAsync(message);
        var second = await channel.SendAsync(message);

        Assert.False(first.Accepted);
        Assert.True(second.Accepted);
        var references = _gateway.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("reference").GetString()).ToList();
        Assert.Equal([message.Message.Id, message.Message.Id], references);
    }

    [Theory]
    [InlineData(400, """{"message":"Invalid destination number"}""", "Invalid destination number")]
    [InlineData(404, """{"error":{"message":"Unknown route"}}""", "Unknown route")]
    [InlineData(422, """{"errors":[{"message":"Text too long"}]}""", "Text too long")]
    [InlineData(400, "plain text reason", "plain text reason")]
    public async Task Rejected_content_fails_permanently_with_the_gateway_message(int status, string body, string expected)
    {
        var channel = Channel();
        _gateway.Reply(new GatewayReply(status, body, ContentType: body.StartsWith('{') ? "application/json" : "text/plain"));

        var result = await channel.SendAsync(Message("3331234567", "Testo"));

        Assert.False(result.Accepted);
        Assert.True(result.Permanent);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains($"HTTP {status}", result.Error, StringComparison.Ordinal);
        Assert.Contains("ACME/C001/msg/", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Refused_credentials_are_transient_with_a_clear_message_and_no_secret(int status)
    {
        var channel = Channel(o =>
        {
            o.Authentication = SmsAuthentication.Bearer;
            o.BearerToken = Token;
        });
        _gateway.Reply(new GatewayReply(status, """{"message":"bad token"}"""));

        var result = await channel.SendAsync(Message("3331234567", "Testo"));

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains("credentials", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Messages, m => m.Contains(Token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(429, "30", "Retry-After: 30 s")]
    [InlineData(408, null, "HTTP 408")]
    [InlineData(500, null, "HTTP 500")]
    [InlineData(503, "120", "Retry-After: 120 s")]
    [InlineData(503, "Wed, 25 Nov 2026 07:28:00 GMT", "Retry-After: 2026-11-25T07:28:00Z")]
    public async Task Overload_and_server_errors_are_transient_and_quote_retry_after(int status, string? retryAfter, string expected)
    {
        var channel = Channel();
        _gateway.Reply(new GatewayReply(status, """{"message":"slow down"}""", retryAfter));

        var result = await channel.SendAsync(Message("3331234567", "Testo"));

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains("slow down", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_that_is_down_is_a_transient_failure()
    {
        var url = _gateway.Url;
        await _gateway.DisposeAsync();
        _gateway = await FakeSmsGateway.StartAsync();
        var channel = Channel(o => o.Endpoint = url);

        var result = await channel.SendAsync(Message("3331234567", "Testo"));

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains("could not be reached", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_that_does_not_answer_in_time_is_a_transient_failure()
    {
        var channel = Channel(o => o.Timeout = TimeSpan.FromMilliseconds(500));
        _gateway.Reply(new GatewayReply(200, "{}", Delay: TimeSpan.FromSeconds(20)));

        var result = await channel.SendAsync(Message("3331234567", "Testo"));

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains("did not answer within", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_reported_as_a_failure()
    {
        var channel = Channel();
        _gateway.Reply(new GatewayReply(200, "{}", Delay: TimeSpan.FromSeconds(20)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => channel.SendAsync(Message("3331234567", "Testo"), cts.Token).AsTask());
    }

    [Theory]
    [InlineData("02 1234567", "landline")]
    [InlineData("12345", "neither")]
    [InlineData("+39 02 1234567", "not a mobile")]
    [InlineData("333-ABC", "characters")]
    public async Task A_number_that_is_not_a_mobile_fails_permanently_without_a_request(string number, string reason)
    {
        var channel = Channel();

        var result = await channel.SendAsync(Message(number, "Testo"));

        Assert.True(result.Permanent);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Contains("Recipient", result.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task A_long_text_is_cut_to_the_configured_segments_and_an_empty_one_is_refused()
    {
        var channel = Channel(o => o.MaxSegments = 2);
        var longText = string.Join(" ", Enumerable.Repeat("La fattura è scaduta da più di trenta giorni.", 20));

        var sent = await channel.SendAsync(Message("3331234567", longText));
        var empty = await channel.SendAsync(Message("3331234567", " \n "));

        Assert.True(sent.Accepted);
        var text = JsonDocument.Parse(Assert.Single(_gateway.Requests).Body).RootElement.GetProperty("text").GetString()!;
        Assert.Equal(2, SmsText.Segments(text));
        Assert.True(SmsText.IsGsm7(text));
        Assert.EndsWith("...", text, StringComparison.Ordinal);
        Assert.StartsWith(text[..^3], longText, StringComparison.Ordinal);
        Assert.True(empty.Permanent);
        Assert.Contains("empty", empty.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typographic_characters_are_transliterated_so_the_text_stays_gsm()
    {
        var channel = Channel();

        await channel.SendAsync(Message("3331234567", "È scaduta l’ultima rata – «urgente»…"));

        var text = JsonDocument.Parse(Assert.Single(_gateway.Requests).Body).RootElement.GetProperty("text").GetString();
        Assert.Equal("E' scaduta l'ultima rata - \"urgente\"...", text);
    }

    [Fact]
    public async Task Secrets_never_reach_the_logs()
    {
        var channel = Channel(o =>
        {
            o.Authentication = SmsAuthentication.Basic;
            o.UserName = "acme";
            o.Password = Token;
        });
        _gateway.Reply(new GatewayReply(500, "{}"));

        await channel.SendAsync(Message("3331234567", "Testo"));
        await channel.SendAsync(Message("3331234567", "Testo"));

        Assert.NotEmpty(_logs.Messages);
        Assert.DoesNotContain(_logs.Messages, m => m.Contains(Token, StringComparison.Ordinal)
            || m.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("acme:" + Token)), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Options_are_validated_at_start_with_messages_that_hide_secrets()
    {
        var services = new ServiceCollection();
        services.AddSmsGateway(o =>
        {
            o.Endpoint = new Uri("ftp://example.invalid/");
            o.TextField = "";
            o.Authentication = SmsAuthentication.Header;
            o.HeaderValue = Token;
            o.MessageIdPath = "messages[x].id";
            o.Sender = "A very long sender name";
            o.MaxSegments = 0;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<SmsGatewayChannel>());

        Assert.Contains(error.Failures, f => f.Contains("Endpoint must be an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("TextField is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("HeaderName and HeaderValue are required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MessageIdPath", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Sender", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxSegments", StringComparison.Ordinal));
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSmsGateway_registers_the_channel_as_a_message_channel()
    {
        var channel = Channel();

        Assert.Equal(DeliveryChannel.Sms, channel.Channel);
        Assert.Same(channel, Assert.Single(_provider!.GetServices<IMessageChannel>()));
        Assert.True((await channel.SendAsync(Message("3331234567", "Testo"))).Accepted);
    }

    private SmsGatewayChannel Channel(Action<SmsGatewayOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSmsGateway(o =>
        {
            o.Endpoint = _gateway.Url;
            configure?.Invoke(o);
        });
        _provider = services.BuildServiceProvider();
        return _provider.GetRequiredService<SmsGatewayChannel>();
    }

    private static OutgoingMessage Message(string number, string text) =>
        new(new OutboxMessage
        {
            Id = "ACME/C001/msg/standard/sms1/Sms/2026-11-24",
            Company = new CompanyId("ACME"),
            CustomerCode = "C001",
            Channel = DeliveryChannel.Sms,
            TemplateId = "sms1",
            ProcedureId = "standard",
            StepId = "sms1",
            StepName = "SMS",
            BusinessDate = new LocalDate(2026, 11, 24),
            CreatedAt = Instant.FromUtc(2026, 11, 24, 6, 0),
            Recipient = number,
            Lines = [],
            Why = "test",
        },
        new RenderedMessage("", text),
        null,
        null);
}

/// <summary>Keeps every formatted log message (with its exception) for assertions.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => _messages.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(_messages, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> messages, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
    }
}
