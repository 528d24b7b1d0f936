using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace CreditRecovery.Adapters.Mago;

/// <summary>Resolves ADO.NET providers by invariant name.</summary>
internal static class MagoProvider
{
    public static DbProviderFactory? TryResolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        if (string.Equals(name, MagoLedgerOptions.SqlServerProvider, StringComparison.OrdinalIgnoreCase))
        {
            return SqlClientFactory.Instance;
        }

        return DbProviderFactories.TryGetFactory(name, out var factory) ? factory : null;
    }

    /// <summary>Whether the provider accepts the connection string. The provider's message is dropped: it could quote the value.</summary>
    public static bool IsValidConnectionString(DbProviderFactory factory, string connectionString)
    {
        var builder = factory.CreateConnectionStringBuilder();
        if (builder is null)
        {
            return true;
        }

        try
        {
            builder.ConnectionString = connectionString;
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
