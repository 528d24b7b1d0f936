using CreditRecovery.Testing.Smtp;

namespace CreditRecovery.Delivery.Email.Tests;

/// <summary>The server goes down in the middle of a batch and comes back on the same port.</summary>
public sealed class FaultTests
{
    [SmtpFact]
    public async Task Server_down_is_transient_and_after_the_restart_every_message_is_delivered_once()
    {
        using var server = SmtpTestServer.Start();
        var options = TestMail.ServerOptions(server, new SmtpEmailOptions { Security = SmtpSecurity.None });
        await using var channel = new SmtpEmailChannel(options, TestMail.Clock());
        var messages = Enumerable.Range(0, 6).Select(i => TestMail.Message(recipient: $"cliente{i}@cliente.example")).ToList();

        // The first two go out on a connection the channel keeps open; then the server dies.
        var results = new List<Ports.DeliveryResult>();
        foreach (var message in messages.Take(2))
        {
            results.Add(await channel.SendAsync(message));
        }

        server.Stop();
        var whileDown = new List<Ports.DeliveryResult>();
        foreach (var message in messages.Skip(2))
        {
            whileDown.Add(await channel.SendAsync(message));
        }

        Assert.All(results, r => Assert.True(r.Accepted, r.Error));
        Assert.All(whileDown, r =>
        {
            Assert.False(r.Accepted);
            Assert.False(r.Permanent);
            Assert.Contains($"127.0.0.1:{server.Port}", r.Error, StringComparison.Ordinal);
        });

        // What a dispatcher does: retry the transient failures once the server is back.
        server.Restart();
        foreach (var message in messages.Skip(2))
        {
            var retried = await channel.SendAsync(message);
            Assert.True(retried.Accepted, retried.Error);
        }

        var received = server.Messages();
        Assert.Equal(6, received.Count);
        Assert.Equal(
            messages.Select(m => m.Message.Recipient).Order(StringComparer.Ordinal),
            received.Select(r => Assert.Single(r.Recipients)).Order(StringComparer.Ordinal));
        Assert.Equal(6, received.Select(r => TestMail.Parse(r).MessageId).Distinct().Count());
    }

    [SmtpFact]
    public async Task A_kept_connection_the_server_dropped_is_replaced_before_the_next_message()
    {
        using var server = SmtpTestServer.Start();
        var options = TestMail.ServerOptions(server, new SmtpEmailOptions { Security = SmtpSecurity.None, ConnectionIdleTimeout = TimeSpan.FromMinutes(5) });
        await using var channel = new SmtpEmailChannel(options, TestMail.Clock());

        var first = await channel.SendAsync(TestMail.Message());
        server.Restart(); // the open connection dies with the old process
        var second = await channel.SendAsync(TestMail.Message());

        Assert.True(first.Accepted, first.Error);
        Assert.True(second.Accepted, second.Error);
        Assert.Equal(2, server.Messages().Count);
    }

    [Fact]
    public async Task Nothing_listening_is_a_transient_connection_failure()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var channel = new SmtpEmailChannel(
            new SmtpEmailOptions { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(5) },
            TestMail.Clock());

        var result = await channel.SendAsync(TestMail.Message());

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains("ConnectionRefused", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_host_is_a_transient_DNS_failure()
    {
        await using var channel = new SmtpEmailChannel(
            new SmtpEmailOptions { Host = "smtp.does-not-exist.invalid", Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(5) },
            TestMail.Clock());

        var result = await channel.SendAsync(TestMail.Message());

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains("smtp.does-not-exist.invalid", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_as_a_transient_failure()
    {
        // A listener that accepts connections and never says a word.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        await using var channel = new SmtpEmailChannel(
            new SmtpEmailOptions { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromMilliseconds(800) },
            TestMail.Clock());

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await channel.SendAsync(TestMail.Message());

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains("in time", result.Error, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }
}
