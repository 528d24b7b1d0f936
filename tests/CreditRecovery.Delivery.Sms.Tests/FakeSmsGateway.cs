using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreditRecovery.Delivery.Sms.Tests;

/// <summary>A request the gateway received.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>An answer the gateway gives.</summary>
public sealed record GatewayReply(int Status, string Body = "", string? RetryAfter = null, TimeSpan Delay = default, string ContentType = "application/json");

/// <summary>
/// A real HTTP SMS gateway for tests: Kestrel on 127.0.0.1, port chosen by the OS. It records every request and answers
/// from a queue of replies (default: 200 with a JSON id).
/// </summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<GatewayReply> _replies = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _count;

    private FakeSmsGateway(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToList();

    public static async Task<FakeSmsGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var gateway = new FakeSmsGateway(app);
        app.Run(gateway.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        gateway.Url = new Uri(address.TrimEnd('/') + "/api/send");
        return gateway;
    }

    public void Reply(params GatewayReply[] replies)
    {
        foreach (var r in replies)
        {
            _replies.Enqueue(r);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path, context.Request.ContentType, headers, body));
        var n = Interlocked.Increment(ref _count);

        var reply = _replies.TryDequeue(out var r) ? r : new GatewayReply(200, $$"""{"id":"gw-{{n}}","messages":[{"id":"m-{{n}}","status":"queued"}]}""");
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.ContentType;
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }
}
