using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace CreditRecovery.Storage.Json;

/// <summary>
/// The JSON shape of stored records: camelCase properties, enums by name, NodaTime values in their ISO round-trip
/// patterns, <see cref="Money"/> as <c>{"amount": 12.50, "currency": "EUR"}</c> and identifiers as plain strings.
/// Computed (get-only) properties such as <c>RecoveryCase.IsOpen</c> are not written. Every store that keeps records as
/// documents (SQLite, PostgreSQL) writes this one shape, so that data moves between them and exports read alike.
/// </summary>
public static class RecoveryJson
{
    /// <summary>The options every payload is written and read with.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Writes a record as JSON.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="value">The record.</param>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a record from JSON.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="JsonException">The text is not a valid payload of <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"A stored {typeof(T).Name} payload is null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = false,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipComputedProperties } },
        };
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new MoneyJsonConverter());
        options.Converters.Add(new CompanyIdJsonConverter());
        options.Converters.Add(new InstallmentKeyJsonConverter());
        options.Converters.Add(new OperatorIdJsonConverter());
        options.Converters.Add(new ReadOnlySetJsonConverterFactory());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// Drops properties that cannot be set back (no setter, no constructor parameter): they are derived from the
    /// others, and some throw on edge values (e.g. <c>OutboxMessage.TotalResidual</c> with no lines).
    /// </summary>
    private static void SkipComputedProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            var property = typeInfo.Properties[i];
            if (property.Set is null && property.AssociatedParameter is null)
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}

/// <summary>Writes <see cref="Money"/> as <c>{"amount": 12.50, "currency": "EUR"}</c>, keeping the decimal's scale.</summary>
internal sealed class MoneyJsonConverter : JsonConverter<Money>
{
    public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected an object for Money.");
        }

        decimal? amount = null;
        string? currency = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                throw new JsonException("Expected a property name in Money.");
            }

            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, "amount", StringComparison.OrdinalIgnoreCase))
            {
                amount = reader.TokenType switch
                {
                    JsonTokenType.Number => reader.GetDecimal(),
                    JsonTokenType.String => decimal.Parse(reader.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
                    _ => throw new JsonException("Money amount must be a number."),
                };
            }
            else if (string.Equals(name, "currency", StringComparison.OrdinalIgnoreCase))
            {
                currency = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        if (currency is null)
        {
            // default(Money) has no currency; it round-trips as itself.
            return amount is null or 0m ? default : throw new JsonException("Money has an amount but no currency.");
        }

        return new Money(amount ?? throw new JsonException("Money has no amount."), currency);
    }

    public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("amount", value.Amount);
        if (value.Currency is null)
        {
            writer.WriteNull("currency");
        }
        else
        {
            writer.WriteString("currency", value.Currency);
        }

        writer.WriteEndObject();
    }
}

/// <summary>Writes a string-valued identifier as a plain JSON string.</summary>
/// <typeparam name="T">The identifier type.</typeparam>
internal abstract class StringIdJsonConverter<T> : JsonConverter<T>
    where T : struct
{
    public override bool HandleNull => true;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => default,
            JsonTokenType.String => Create(reader.GetString()!),
            _ => throw new JsonException($"Expected a string for {typeof(T).Name}."),
        };

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        var text = ValueOf(value);
        if (text is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    protected abstract T Create(string value);

    protected abstract string? ValueOf(T value);
}

/// <summary>Writes <see cref="CompanyId"/> as a string.</summary>
internal sealed class CompanyIdJsonConverter : StringIdJsonConverter<CompanyId>
{
    protected override CompanyId Create(string value) => new(value);

    protected override string? ValueOf(CompanyId value) => value.Value;
}

/// <summary>Writes <see cref="InstallmentKey"/> as a string.</summary>
internal sealed class InstallmentKeyJsonConverter : StringIdJsonConverter<InstallmentKey>
{
    protected override InstallmentKey Create(string value) => new(value);

    protected override string? ValueOf(InstallmentKey value) => value.Value;
}

/// <summary>Writes <see cref="OperatorId"/> as a string.</summary>
internal sealed class OperatorIdJsonConverter : StringIdJsonConverter<OperatorId>
{
    protected override OperatorId Create(string value) => new(value);

    protected override string? ValueOf(OperatorId value) => value.Value;
}

/// <summary>
/// Reads <see cref="IReadOnlySet{T}"/> properties (which System.Text.Json cannot instantiate) as a
/// <see cref="HashSet{T}"/> with the default comparer, and writes them as arrays.
/// </summary>
internal sealed class ReadOnlySetJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(IReadOnlySet<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ReadOnlySetJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class ReadOnlySetJsonConverter<T> : JsonConverter<IReadOnlySet<T>>
    {
        public override IReadOnlySet<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<List<T>>(ref reader, options) is { } items ? new HashSet<T>(items) : null;

        public override void Write(Utf8JsonWriter writer, IReadOnlySet<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize<IEnumerable<T>>(writer, value, options);
    }
}
