using System.Collections;
using System.Reflection;

namespace CreditRecovery.Storage.PostgreSql.Tests;

/// <summary>
/// Structural equality for records: records compare lists by reference, so a round-tripped record is never
/// <c>Equals</c> to the original when it holds a list. This walks public properties, lists element by element and
/// sets as sets; value types and strings compare with <c>Equals</c>.
/// </summary>
public static class DeepAssert
{
    public static void Equal<T>(T expected, T actual) => Compare(expected, actual, typeof(T).Name);

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

        if (type.IsValueType || expected is string)
        {
            Assert.True(expected.Equals(actual), $"{path}: expected '{expected}', got '{actual}'");
            return;
        }

        if (expected is IEnumerable expectedItems)
        {
            var left = expectedItems.Cast<object?>().ToList();
            var right = ((IEnumerable)actual).Cast<object?>().ToList();
            Assert.True(left.Count == right.Count, $"{path}: expected {left.Count} items, got {right.Count}");
            if (IsSet(type))
            {
                foreach (var item in left)
                {
                    Assert.True(right.Contains(item), $"{path}: set lacks {item}");
                }
            }
            else
            {
                for (var i = 0; i < left.Count; i++)
                {
                    Compare(left[i], right[i], $"{path}[{i}]");
                }
            }

            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToList();
        Assert.NotEmpty(properties);
        foreach (var property in properties)
        {
            object? left;
            try
            {
                left = property.GetValue(expected);
            }
            catch (TargetInvocationException)
            {
                Assert.Throws<TargetInvocationException>(() => property.GetValue(actual));
                continue;
            }

            Compare(left, property.GetValue(actual), $"{path}.{property.Name}");
        }
    }

    private static bool IsSet(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IReadOnlySet<>) || i.GetGenericTypeDefinition() == typeof(ISet<>)));
}
