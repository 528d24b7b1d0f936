using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CreditRecovery.Delivery.Sms;

/// <summary>A minimal property path into a JSON document: <c>a.b[0].c</c>.</summary>
internal static partial class JsonPath
{
    public static bool IsValid(string path) => !string.IsNullOrWhiteSpace(path) && path.Split('.').All(s => Segment().IsMatch(s));

    /// <summary>The value at the path as text (a string, or a number/boolean's JSON text), or <see langword="null"/>.</summary>
    public static string? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var segment in path.Split('.'))
        {
            var match = Segment().Match(segment);
            if (!match.Success || current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(match.Groups["name"].Value, out current))
            {
                return null;
            }

            foreach (Capture index in match.Groups["index"].Captures)
            {
                var i = int.Parse(index.Value, CultureInfo.InvariantCulture);
                if (current.ValueKind != JsonValueKind.Array || i >= current.GetArrayLength())
                {
                    return null;
                }

                current = current[i];
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => current.GetRawText(),
            _ => null,
        };
    }

    [GeneratedRegex(@"^(?<name>[^\.\[\]]+)(\[(?<index>\d{1,6})\])*$")]
    private static partial Regex Segment();
}
