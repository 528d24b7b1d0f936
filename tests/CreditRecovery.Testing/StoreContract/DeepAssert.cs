using System.Collections;
using System.Globalization;
using System.Reflection;
using Xunit;

namespace CreditRecovery.Testing.StoreContract;

/// <summary>
/// Structural equality for stored records. Records compare lists by reference, so a record read back from a database is
/// never <c>Equals</c> to the one written when it holds a list; this walks public properties instead: lists element by
/// element, sets as sets, the project's own records and value types (<see cref="Money"/>, identifiers) property by
/// property, everything else (strings, enums, NodaTime values) with <c>Equals</c>. Decimals must also keep their scale:
/// <c>12.50</c> read back as <c>12.5</c> fails.
/// </summary>
public static class DeepAssert
{
    /// <summary>Asserts that <paramref name="actual"/> equals <paramref name="expected"/> field by field.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="expected">What was written.</param>
    /// <param name="actual">What was read.</param>
    public static void Equal<T>(T expected, T actual) => Compare(expected, actual, typeof(T).Name);

    /// <summary>Asserts that two sequences hold equal records in the same order.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="expected">What was written.</param>
    /// <param name="actual">What was read.</param>
    public static void SequenceEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual) =>
        Compare(expected.ToList(), actual.ToList(), typeof(T).Name + "s");

    private static void Compare(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }

        var type = expected.GetType();

        // Collections may come back as another concrete type (an array as a List); their items must match.
        Assert.True(
            type == actual.GetType() || (expected is IEnumerable && actual is IEnumerable && expected is not string),
            $"{path}: expected a {type.Name}, got a {actual.GetType().Name}");

        if (expected is decimal left)
        {
            var right = (decimal)actual;
            Assert.True(
                left == right && left.Scale == right.Scale,
                $"{path}: expected {left.ToString(CultureInfo.InvariantCulture)}, got {right.ToString(CultureInfo.InvariantCulture)}");
            return;
        }

        if (expected is string || type.IsEnum || type.IsPrimitive || !IsOwnType(type) && expected is not IEnumerable)
        {
            Assert.True(expected.Equals(actual), $"{path}: expected '{expected}', got '{actual}'");
            return;
        }

        if (expected is IEnumerable expectedItems)
        {
            var leftItems = expectedItems.Cast<object?>().ToList();
            var rightItems = ((IEnumerable)actual).Cast<object?>().ToList();
            Assert.True(leftItems.Count == rightItems.Count, $"{path}: expected {leftItems.Count} items, got {rightItems.Count}");
            if (IsSet(type))
            {
                foreach (var item in leftItems)
                {
                    Assert.True(rightItems.Contains(item), $"{path}: the set lacks {item}");
                }
            }
            else
            {
                for (var i = 0; i < leftItems.Count; i++)
                {
                    Compare(leftItems[i], rightItems[i], $"{path}[{i}]");
                }
            }

            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToList();
        Assert.NotEmpty(properties);
        foreach (var property in properties)
        {
            object? value;
            try
            {
                value = property.GetValue(expected);
            }
            catch (TargetInvocationException)
            {
                // A computed property that throws on this value (e.g. a total of no lines) must throw on the copy too.
                Assert.Throws<TargetInvocationException>(() => property.GetValue(actual));
                continue;
            }

            Compare(value, property.GetValue(actual), $"{path}.{property.Name}");
        }
    }

    // The project's records and value types are compared field by field; third-party values (NodaTime) by Equals.
    private static bool IsOwnType(Type type) => type.Namespace is { } ns && ns.StartsWith("CreditRecovery", StringComparison.Ordinal);

    private static bool IsSet(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IReadOnlySet<>) || i.GetGenericTypeDefinition() == typeof(ISet<>)));
}
