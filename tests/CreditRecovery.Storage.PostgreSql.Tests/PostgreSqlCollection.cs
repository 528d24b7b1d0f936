using CreditRecovery.Testing;

namespace CreditRecovery.Storage.PostgreSql.Tests;

/// <summary>The tests of this assembly that share one throw-away PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSQL";
}
