using CreditRecovery.Ports;
using Npgsql;
using NodaTime;

namespace CreditRecovery.Storage.PostgreSql;

/// <content>Leases: <see cref="TryAcquireLeaseAsync"/> and <see cref="ReleaseLeaseAsync"/>.</content>
public sealed partial class PostgreSqlRecoveryStore
{
    // One statement, so atomic: of several workers asking at once, the row lock lets one write; the others re-check the
    // WHERE against the row it wrote and write nothing.
    private const string AcquireLeaseSql = """
        INSERT INTO leases (company, resource, owner, expires_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (company, resource) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE leases.expires_at <= $5 OR leases.owner = $3;
        """;

    private const string ReleaseLeaseSql = "DELETE FROM leases WHERE company = $1 AND resource = $2 AND owner = $3;";

    /// <inheritdoc />
    public async ValueTask<bool> TryAcquireLeaseAsync(CompanyId company, string resource, string owner, Instant now, Duration duration, CancellationToken cancellationToken = default)
    {
        LeaseArguments.Validate(company, resource, owner, duration);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(AcquireLeaseSql, connection);
        command.Parameters.Add(Text(company.Value));
        command.Parameters.Add(Text(resource));
        command.Parameters.Add(Text(owner));
        command.Parameters.Add(Bigint(Ticks(now + duration)));
        command.Parameters.Add(Bigint(Ticks(now)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseLeaseAsync(CompanyId company, string resource, string owner, CancellationToken cancellationToken = default)
    {
        LeaseArguments.Validate(company, resource, owner);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(ReleaseLeaseSql, connection);
        command.Parameters.Add(Text(company.Value));
        command.Parameters.Add(Text(resource));
        command.Parameters.Add(Text(owner));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
