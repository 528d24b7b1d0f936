using System.Collections.Concurrent;
using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Testing;
using CreditRecovery.Work;
using Npgsql;
using NodaTime;
using Xunit.Abstractions;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Storage.PostgreSql.Tests;

/// <summary>Several writers on one database: each with its own store (its own connection pool), as separate workers would be.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class ConcurrencyTests(PostgreSqlFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync(fixture, "concurrency");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static RecoveryChangeSet NewCase(string key, string writer)
    {
        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(Case(Acme, key, "C001", Today), 0));
        changes.History.Add(Event(Acme, key, 1, "Opened") with { Reason = writer });
        changes.Outbox.Add(Outbox(Acme, $"{key}#1#{writer}", T0));
        return changes;
    }

    [PostgreSqlFact]
    public async Task A_new_case_inserted_meanwhile_by_another_transaction_conflicts_and_applies_nothing()
    {
        var store = _db.Open();
        await using var other = await _db.ConnectAsync();
        await using (var transaction = await other.BeginTransactionAsync())
        {
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO cases (company, key, customer_code, status, next_action_date, version, payload) VALUES ($1, 'K1', 'C001', 'InProcedure', NULL, 1, $2::json);",
                other,
                transaction))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = Acme.Value });
                insert.Parameters.Add(new NpgsqlParameter { Value = Json.RecoveryJson.Serialize(Case(Acme, "K1", "C001", null)) });
                await insert.ExecuteNonQueryAsync();
            }

            // The store's insert waits for the other transaction's uncommitted row...
            var pending = System.Threading.Tasks.Task.Run(async () => await store.CommitAsync(NewCase("K1", "store")));
            await System.Threading.Tasks.Task.Delay(500);
            Assert.False(pending.IsCompleted);

            // ...and, once that row is committed, finds the case taken.
            await transaction.CommitAsync();
            var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => pending);
            Assert.Equal(new InstallmentKey("K1"), conflict.Key);
            Assert.Equal(0, conflict.ExpectedVersion);
            Assert.Equal(1, conflict.ActualVersion);
        }

        Assert.Equal(0, await _db.ScalarAsync("SELECT count(*) FROM history;"));
        Assert.Equal(0, await _db.ScalarAsync("SELECT count(*) FROM outbox;"));
    }

    [PostgreSqlFact]
    public async Task A_new_case_whose_rival_insert_rolls_back_is_inserted()
    {
        var store = _db.Open();
        await using var other = await _db.ConnectAsync();
        var transaction = await other.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO cases (company, key, customer_code, status, next_action_date, version, payload) VALUES ('ACME', 'K1', 'C001', 'InProcedure', NULL, 1, '{}');",
            other,
            transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var pending = System.Threading.Tasks.Task.Run(async () => await store.CommitAsync(NewCase("K1", "store")));
        await System.Threading.Tasks.Task.Delay(300);
        Assert.False(pending.IsCompleted);
        await transaction.RollbackAsync();
        await transaction.DisposeAsync();
        await pending;

        Assert.Equal(1, (await store.GetCaseAsync(Acme, new InstallmentKey("K1")))!.Version);
        Assert.Equal(1, await _db.ScalarAsync("SELECT count(*) FROM history;"));
    }

    [PostgreSqlFact]
    public async Task Two_workers_inserting_the_same_new_cases_exactly_one_wins_each()
    {
        var first = _db.Open();
        var second = _db.Open();
        const int Cases = 60;
        var wins = new ConcurrentDictionary<string, string>();
        var conflicts = 0;

        for (var i = 0; i < Cases; i++)
        {
            var key = $"K{i:D3}";
            using var barrier = new Barrier(2);
            async Task Attempt(PostgreSqlRecoveryStore store, string writer)
            {
                await System.Threading.Tasks.Task.Yield();
                barrier.SignalAndWait();
                try
                {
                    await store.CommitAsync(NewCase(key, writer));
                    Assert.True(wins.TryAdd(key, writer), $"{key} was won twice");
                }
                catch (ConcurrencyConflictException ex)
                {
                    Assert.Equal(new InstallmentKey(key), ex.Key);
                    Assert.Equal(1, ex.ActualVersion);
                    Interlocked.Increment(ref conflicts);
                }
            }

            await System.Threading.Tasks.Task.WhenAll(System.Threading.Tasks.Task.Run(() => Attempt(first, "w1")), System.Threading.Tasks.Task.Run(() => Attempt(second, "w2")));
        }

        output.WriteLine($"{Cases} new cases raced by 2 workers: {wins.Count} inserted, {conflicts} conflicts, w1 won {wins.Values.Count(w => w == "w1")}.");
        Assert.Equal(Cases, wins.Count);
        Assert.Equal(Cases, conflicts);

        // Each case's history and outbox are the winner's, once.
        Assert.Equal(Cases, await _db.ScalarAsync("SELECT count(*) FROM history;"));
        Assert.Equal(Cases, await _db.ScalarAsync("SELECT count(*) FROM outbox;"));
        foreach (var (key, writer) in wins)
        {
            var history = await first.ReadHistoryAsync(Acme, new InstallmentKey(key)).ToListAsync();
            Assert.Equal(writer, Assert.Single(history).Reason);
            Assert.NotNull(await first.GetOutboxMessageAsync(Acme, $"{key}#1#{writer}"));
        }
    }

    [PostgreSqlFact]
    public async Task A_commit_waits_for_a_locked_case_and_then_sees_it_changed()
    {
        var store = _db.Open();
        await store.CommitAsync(NewCase("K1", "setup"));

        await using var other = await _db.ConnectAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("UPDATE cases SET version = 2 WHERE company = 'ACME' AND key = 'K1';", other, transaction))
        {
            await update.ExecuteNonQueryAsync();
        }

        var next = new RecoveryChangeSet(Acme);
        next.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 2), 1));
        next.History.Add(Event(Acme, "K1", 2));
        var pending = System.Threading.Tasks.Task.Run(async () => await store.CommitAsync(next));
        await System.Threading.Tasks.Task.Delay(500);
        Assert.False(pending.IsCompleted);

        await transaction.CommitAsync();
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => pending);
        Assert.Equal(1, conflict.ExpectedVersion);
        Assert.Equal(2, conflict.ActualVersion);
        Assert.Equal(1, await _db.ScalarAsync("SELECT count(*) FROM history;"));
    }

    [PostgreSqlFact]
    public async Task Change_sets_writing_the_same_cases_in_opposite_orders_do_not_deadlock()
    {
        var first = _db.Open();
        var second = _db.Open();
        const int Rounds = 30;
        var setup = new RecoveryChangeSet(Acme);
        for (var i = 0; i < Rounds; i++)
        {
            setup.Cases.Add(new CaseWrite(Case(Acme, $"A{i:D3}", "C001", Today), 0));
            setup.Cases.Add(new CaseWrite(Case(Acme, $"B{i:D3}", "C001", Today), 0));
        }

        await first.CommitAsync(setup);

        var winners = 0;
        for (var i = 0; i < Rounds; i++)
        {
            var a = $"A{i:D3}";
            var b = $"B{i:D3}";
            RecoveryChangeSet Both(string k1, string k2)
            {
                var changes = new RecoveryChangeSet(Acme);
                changes.Cases.Add(new CaseWrite(Case(Acme, k1, "C001", Today, version: 2), 1));
                changes.Cases.Add(new CaseWrite(Case(Acme, k2, "C001", Today, version: 2), 1));
                return changes;
            }

            using var barrier = new Barrier(2);
            async Task<bool> Attempt(PostgreSqlRecoveryStore store, RecoveryChangeSet changes)
            {
                await System.Threading.Tasks.Task.Yield();
                barrier.SignalAndWait();
                try
                {
                    await store.CommitAsync(changes);
                    return true;
                }
                catch (ConcurrencyConflictException ex)
                {
                    // A version conflict naming a case: not a deadlock the server had to break.
                    Assert.NotNull(ex.Key);
                    Assert.Null(ex.InnerException);
                    return false;
                }
            }

            var results = await System.Threading.Tasks.Task.WhenAll(System.Threading.Tasks.Task.Run(() => Attempt(first, Both(a, b))), System.Threading.Tasks.Task.Run(() => Attempt(second, Both(b, a))));
            Assert.Equal(1, results.Count(r => r));
            winners++;
        }

        Assert.Equal(Rounds, winners);
        Assert.Equal(2 * Rounds, await _db.ScalarAsync("SELECT count(*) FROM cases WHERE version = 2;"));
    }

    [PostgreSqlFact]
    public async Task Four_concurrent_writers_on_the_same_cases_win_each_version_exactly_once()
    {
        const int Writers = 4;
        const int Cases = 12;
        const int TargetVersion = 25;
        var keys = Enumerable.Range(0, Cases).Select(i => $"K{i:D2}").ToArray();

        var setup = _db.Open();
        var opening = new RecoveryChangeSet(Acme);
        foreach (var key in keys)
        {
            opening.Cases.Add(new CaseWrite(Case(Acme, key, "C001", Today), 0));
            opening.History.Add(Event(Acme, key, 1, "Opened") with { Reason = "setup" });
        }

        await setup.CommitAsync(opening);

        var stores = Enumerable.Range(0, Writers).Select(_ => _db.Open()).ToArray();
        var wins = new ConcurrentDictionary<(string Key, long Version), string>();
        var winsByWriter = new int[Writers];
        var conflicts = new int[Writers];
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        async Task Write(int writer)
        {
            var store = stores[writer];
            var random = new Random(writer * 7919);
            var name = $"w{writer}";
            while (!deadline.IsCancellationRequested)
            {
                // One to three cases per change set, in random order: a step that touches several installments.
                var picked = keys.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
                var changes = new RecoveryChangeSet(Acme);
                foreach (var key in picked)
                {
                    var current = (await store.GetCaseAsync(Acme, new InstallmentKey(key)))!;
                    if (current.Version >= TargetVersion)
                    {
                        continue;
                    }

                    var version = current.Version + 1;
                    changes.Cases.Add(new CaseWrite(current with { Version = version, PendingStepIndex = (int)version }, current.Version));
                    changes.History.Add(Event(Acme, key, version) with { Reason = name });
                    changes.Outbox.Add(Outbox(Acme, $"{key}#{version}", T0 + Duration.FromTicks(version)) with { Why = name });
                }

                if (changes.Cases.Count == 0)
                {
                    if (await AllDoneAsync(store))
                    {
                        return;
                    }

                    continue;
                }

                try
                {
                    await store.CommitAsync(changes);
                    foreach (var write in changes.Cases)
                    {
                        Assert.True(wins.TryAdd((write.Case.Key.Value, write.Case.Version), name), $"{write.Case.Key} v{write.Case.Version} was won twice");
                    }

                    winsByWriter[writer]++;
                }
                catch (ConcurrencyConflictException)
                {
                    conflicts[writer]++;
                }
            }
        }

        async Task<bool> AllDoneAsync(PostgreSqlRecoveryStore store)
        {
            var all = await store.ReadCasesAsync(Acme, CaseFilter.All).ToListAsync();
            return all.All(c => c.Version >= TargetVersion);
        }

        await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, Writers).Select(w => System.Threading.Tasks.Task.Run(() => Write(w))));
        Assert.False(deadline.IsCancellationRequested, "The writers did not finish in time.");

        output.WriteLine(
            $"{Writers} writers, {Cases} cases to version {TargetVersion}: commits won {string.Join("/", winsByWriter)}, conflicts {string.Join("/", conflicts)}, {wins.Count} case versions written.");

        // Every version of every case was won exactly once...
        Assert.Equal(Cases * (TargetVersion - 1), wins.Count);
        foreach (var key in keys)
        {
            Assert.Equal(TargetVersion, (await setup.GetCaseAsync(Acme, new InstallmentKey(key)))!.Version);

            // ...its history holds exactly one event per version, in order, by the writer that won it...
            var history = await setup.ReadHistoryAsync(Acme, new InstallmentKey(key)).ToListAsync();
            Assert.Equal(Enumerable.Range(1, TargetVersion).Select(v => (long)v), history.Select(h => h.CaseVersion));
            foreach (var entry in history.Skip(1))
            {
                Assert.Equal(wins[(key, entry.CaseVersion)], entry.Reason);
            }
        }

        // ...and its outbox message too: nothing of a losing change set was applied.
        var outbox = await setup.ReadOutboxAsync(Acme, OutboxStatus.Pending).ToListAsync();
        Assert.Equal(Cases * (TargetVersion - 1), outbox.Count);
        foreach (var message in outbox)
        {
            var parts = message.Id.Split('#');
            Assert.Equal(wins[(parts[0], long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture))], message.Why);
        }

        Assert.Equal(Cases * TargetVersion, await _db.ScalarAsync("SELECT count(*) FROM history;"));
        Assert.True(conflicts.Sum() > 0, "The writers never collided: the test did not test concurrency.");
    }
}
