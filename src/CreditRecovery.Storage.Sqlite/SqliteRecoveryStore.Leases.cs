using CreditRecovery.Ports;
using NodaTime;

namespace CreditRecovery.Storage.Sqlite;

/// <content>Leases: <see cref="TryAcquireLeaseAsync"/> and <see cref="ReleaseLeaseAsync"/>.</content>
public sealed partial class SqliteRecoveryStore
{
    // One statement, so atomic: the row is written only when the lease is free, expired or already this owner's.
    private const string AcquireLeaseSql = """
        INSERT INTO leases (company, resource, owner, expires_at) VALUES ($company, $resource, $owner, $expires_at)
        ON CONFLICT (company, resource) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE leases.expires_at <= $now OR leases.owner = $owner;
        """;

    private const string ReleaseLeaseSql = "DELETE FROM leases WHERE company = $company AND resource = $resource AND owner = $owner;";

    /// <inheritdoc />
    public async ValueTask<bool> TryAcquireLeaseAsync(CompanyId company, string resource, string owner, Instant now, Duration duration, CancellationToken cancellationToken = default)
    {
        LeaseArguments.Validate(company, resource, owner, duration);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = AcquireLeaseSql;
        Bind(command, ("$company", company.Value), ("$resource", resource), ("$owner", owner), ("$expires_at", Ticks(now + duration)), ("$now", Ticks(now)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseLeaseAsync(CompanyId company, string resource, string owner, CancellationToken cancellationToken = default)
    {
        LeaseArguments.Validate(company, resource, owner);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = ReleaseLeaseSql;
        Bind(command, ("$company", company.Value), ("$resource", resource), ("$owner", owner));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
