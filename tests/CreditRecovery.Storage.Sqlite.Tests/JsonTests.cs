using System.Globalization;
using CreditRecovery.Cases;
using CreditRecovery.Storage.Json;
using CreditRecovery.Work;
using NodaTime;
using CreditRecovery.Testing.StoreContract;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Storage.Sqlite.Tests;

public sealed class JsonTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("12.50")]
    [InlineData("-0.000001")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("1234567890123456.7890123456789")]
    public void Money_keeps_amount_and_scale(string amount)
    {
        var money = new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), "EUR");
        var json = RecoveryJson.Serialize(money);
        var back = RecoveryJson.Deserialize<Money>(json);
        Assert.Equal(money, back);
        Assert.Equal(amount, back.Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("EUR", back.Currency);
    }

    [Fact]
    public void Money_is_an_object_with_a_number()
    {
        Assert.Equal("{\"amount\":12.50,\"currency\":\"EUR\"}", RecoveryJson.Serialize(Money.Eur(12.50m)));
        Assert.Equal(new Money(3.1m, "USD"), RecoveryJson.Deserialize<Money>("{\"currency\":\"USD\",\"amount\":\"3.1\"}"));
        Assert.Equal(default, RecoveryJson.Deserialize<Money>(RecoveryJson.Serialize(default(Money))));
        Assert.Null(RecoveryJson.Deserialize<Holder>("{\"value\":null}").Value);
    }

    [Fact]
    public void Identifiers_are_plain_strings()
    {
        Assert.Equal("\"ACME\"", RecoveryJson.Serialize(new CompanyId("ACME")));
        Assert.Equal("\"K/1\"", RecoveryJson.Serialize(new InstallmentKey("K/1")));
        Assert.Equal("\"op1\"", RecoveryJson.Serialize(new OperatorId("op1")));
        Assert.Equal(new OperatorId("x"), RecoveryJson.Deserialize<OperatorId>("\"x\""));
    }

    [Fact]
    public void Computed_properties_are_not_written()
    {
        var json = RecoveryJson.Serialize(Case(Acme, "K1", "C001", Today));
        Assert.DoesNotContain("isOpen", json, StringComparison.Ordinal);
        Assert.DoesNotContain("currentCycleSteps", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isPlan", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isSettled", json, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"InProcedure\"", json, StringComparison.Ordinal);
        Assert.Contains("\"nextActionDate\":\"2025-03-14\"", json, StringComparison.Ordinal);

        // TotalResidual would throw on a message with no lines.
        var empty = Outbox(Acme, "m", T0) with { Lines = [] };
        DeepAssert.SequenceEqual(empty.Lines, RecoveryJson.Deserialize<OutboxMessage>(RecoveryJson.Serialize(empty)).Lines);
    }

    [Fact]
    public void Noda_values_round_trip_exactly()
    {
        var entry = Agenda(Acme, "g", new OperatorId("o"), Today) with { Recurrence = Period.FromMonths(1) + Period.FromDays(-2) };
        var back = RecoveryJson.Deserialize<AgendaEntry>(RecoveryJson.Serialize(entry));
        Assert.Equal(entry.Recurrence, back.Recurrence);
        Assert.Equal(entry.Time, back.Time);
        Assert.Equal(T0, RecoveryJson.Deserialize<HistoryEvent>(RecoveryJson.Serialize(Event(Acme, "K", 1))).At);
    }

    private sealed record Holder(Money? Value);
}
