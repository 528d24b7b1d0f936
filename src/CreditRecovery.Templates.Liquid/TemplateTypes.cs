using System.Collections.Frozen;

namespace CreditRecovery.Templates.Liquid;

/// <summary>
/// The static type of a template value, used to check templates at load (unknown variables and members) and to document
/// the model. Values at run time are plain strings, numbers, booleans, <see cref="TemplateDate"/>s, arrays and
/// <see cref="ModelView"/>s, never .NET objects reached by reflection.
/// </summary>
internal abstract class TemplateType
{
    /// <summary>Name used in docs and messages: <c>text</c>, <c>number</c>, <c>date</c>, <c>list of line</c>...</summary>
    public abstract string Name { get; }

    public static TemplateType Text { get; } = new ScalarType("text");

    public static TemplateType Number { get; } = new ScalarType("number");

    public static TemplateType Amount { get; } = new ScalarType("amount");

    public static TemplateType Boolean { get; } = new ScalarType("boolean");

    public static TemplateType Any { get; } = new AnyType();

    public static TemplateType Filter { get; } = new ScalarType("filter");

    public static ObjectType Date { get; } = new("date", new Dictionary<string, TemplateType>
    {
        ["year"] = Number,
        ["month"] = Number,
        ["day"] = Number,
    });

    public override string ToString() => Name;
}

/// <summary>A value with no members (text, number, amount, boolean).</summary>
internal sealed class ScalarType(string name) : TemplateType
{
    public override string Name => name;
}

/// <summary>A value whose type the checker cannot know (a filter's result, an assigned expression): nothing is checked.</summary>
internal sealed class AnyType : TemplateType
{
    public override string Name => "any";
}

/// <summary>A list of elements; templates read <c>size</c> or loop over it.</summary>
internal sealed class ListType(TemplateType element) : TemplateType
{
    public TemplateType Element => element;

    public override string Name => "list of " + element.Name;
}

/// <summary>An object with named members.</summary>
internal sealed class ObjectType(string name, IDictionary<string, TemplateType> members) : TemplateType
{
    public FrozenDictionary<string, TemplateType> Members { get; } = members.ToFrozenDictionary(StringComparer.Ordinal);

    public override string Name => name;
}
