namespace CreditRecovery.Testing;

/// <summary>
/// One throw-away Dovecot (<see cref="ImapTestServer"/>) shared by a test collection, started on first use. Each test
/// assembly declares its own <c>[CollectionDefinition]</c> with <c>ICollectionFixture&lt;ImapFixture&gt;</c>. Tests keep
/// apart by using a folder each (<see cref="NewFolder"/>); where Dovecot is missing outside CI they are skipped by
/// <see cref="ImapFactAttribute"/> and the server is never started.
/// </summary>
public sealed class ImapFixture : IDisposable
{
    private readonly Lazy<ImapTestServer> _server = new(() => ImapTestServer.Start(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server, started on first access.</summary>
    public ImapTestServer Server => _server.Value;

    /// <summary>A folder name no other test uses (created by the first append into it).</summary>
    /// <param name="prefix">A readable start, e.g. the test's subject.</param>
    public static string NewFolder(string prefix = "t") => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <inheritdoc />
    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}
