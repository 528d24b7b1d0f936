using CreditRecovery.Ports;
using NodaTime;
using Xunit;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Testing.StoreContract;

/// <content>Leases: how several workers split work.</content>
public abstract partial class RecoveryStoreContractTests
{
    private static readonly Instant LeaseStart = Instant.FromUtc(2025, 3, 31, 6, 0);
    private static readonly Duration LeaseLength = Duration.FromMinutes(10);

    [Fact]
    public async Task A_free_lease_is_acquired()
    {
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "run/2025-03-31/0", "w1", LeaseStart, LeaseLength));
    }

    [Fact]
    public async Task A_held_lease_is_refused_to_another_owner()
    {
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "run/2025-03-31/0", "w1", LeaseStart, LeaseLength));
        Assert.False(await Store.TryAcquireLeaseAsync(Acme, "run/2025-03-31/0", "w2", LeaseStart, LeaseLength));
        Assert.False(await Store.TryAcquireLeaseAsync(Acme, "run/2025-03-31/0", "w2", LeaseStart + LeaseLength - Duration.FromTicks(1), LeaseLength));

        // Other resources are independent; resource and owner names are exact.
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "run/2025-03-31/1", "w2", LeaseStart, LeaseLength));
        Assert.False(await Store.TryAcquireLeaseAsync(Acme, "run/2025-03-31/0", "W1", LeaseStart, LeaseLength));
    }

    [Fact]
    public async Task The_same_owner_renews_its_lease()
    {
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "r", "w1", LeaseStart, LeaseLength));
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "r", "w1", LeaseStart + Duration.FromMinutes(8), LeaseLength));

        // Renewed until 06:18: at 06:12 (past the first expiry) it is still held.
        Assert.False(await Store.TryAcquireLeaseAsync(Acme, "r", "w2", LeaseStart + Duration.FromMinutes(12), LeaseLength));
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "r", "w2", LeaseStart + Duration.FromMinutes(18), LeaseLength));
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over()
    {
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "r", "w1", LeaseStart, LeaseLength));
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "r", "w2", LeaseStart + LeaseLength, LeaseLength));

        // Now w2 holds it: w1 is refused until w2's lease expires.
        Assert.False(await Store.TryAcquireLeaseAsync(Acme, "r", "w1", LeaseStart + LeaseLength, LeaseLength));
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "r", "w1", LeaseStart + LeaseLength + LeaseLength, LeaseLength));
    }

    [Fact]
    public async Task A_released_lease_is_free_and_only_its_owner_releases_it()
    {
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "r", "w1", LeaseStart, LeaseLength));
        await Store.ReleaseLeaseAsync(Acme, "r", "w2");
        Assert.False(await Store.TryAcquireLeaseAsync(Acme, "r", "w2", LeaseStart, LeaseLength));

        await Store.ReleaseLeaseAsync(Acme, "r", "w1");
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "r", "w2", LeaseStart, LeaseLength));

        // Releasing what nobody holds does nothing.
        await Store.ReleaseLeaseAsync(Acme, "nothing", "w1");
    }

    [Fact]
    public async Task Leases_are_scoped_by_company()
    {
        Assert.True(await Store.TryAcquireLeaseAsync(Acme, "r", "w1", LeaseStart, LeaseLength));
        Assert.True(await Store.TryAcquireLeaseAsync(Beta, "r", "w2", LeaseStart, LeaseLength));
        Assert.False(await Store.TryAcquireLeaseAsync(Acme, "r", "w2", LeaseStart, LeaseLength));

        await Store.ReleaseLeaseAsync(Beta, "r", "w1");
        Assert.False(await Store.TryAcquireLeaseAsync(Acme, "r", "w2", LeaseStart, LeaseLength));
        await Store.ReleaseLeaseAsync(Beta, "r", "w2");
        Assert.False(await Store.TryAcquireLeaseAsync(Acme, "r", "w2", LeaseStart, LeaseLength));
        Assert.True(await Store.TryAcquireLeaseAsync(Beta, "r", "w1", LeaseStart, LeaseLength));
    }

    [Fact]
    public async Task A_lease_needs_a_resource_an_owner_and_a_positive_duration()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.TryAcquireLeaseAsync(Acme, "", "w1", LeaseStart, LeaseLength));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.TryAcquireLeaseAsync(Acme, "r", "", LeaseStart, LeaseLength));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.TryAcquireLeaseAsync(Acme, "r", "w1", LeaseStart, Duration.Zero));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.ReleaseLeaseAsync(Acme, "r", ""));
    }

    [Fact]
    public async Task Of_owners_racing_for_a_free_lease_exactly_one_wins()
    {
        var attempts = Enumerable.Range(0, 8)
            .Select(i => System.Threading.Tasks.Task.Run(async () => await Store.TryAcquireLeaseAsync(Acme, "race", "w" + i, LeaseStart, LeaseLength)))
            .ToArray();
        var won = await System.Threading.Tasks.Task.WhenAll(attempts);
        Assert.Single(won, w => w);
    }
}
