using System.Collections.Frozen;
using Scriban.Parsing;
using Scriban.Syntax;

namespace CreditRecovery.Templates.Liquid;

/// <summary>
/// Checks a parsed template against the documented model without running it: every variable must be in the model, a
/// loop variable, or assigned/captured earlier; every member must exist on its object; every filter must be one of ours.
/// Values of unknown type (a filter's result) are not checked further. Liquid is dynamic, so this is a best effort that
/// catches typos and variables from other products' models, which is what breaks letters in practice.
/// </summary>
internal sealed class TemplateChecker
{
    private static readonly ObjectType LoopType = new("forloop", new Dictionary<string, TemplateType>
    {
        ["first"] = TemplateType.Boolean,
        ["last"] = TemplateType.Boolean,
        ["length"] = TemplateType.Number,
        ["even"] = TemplateType.Boolean,
        ["odd"] = TemplateType.Boolean,
    });

    private readonly ObjectType _root;
    private readonly FrozenSet<string> _filters;
    private readonly Dictionary<string, TemplateType> _locals = new(StringComparer.Ordinal);
    private readonly List<(SourceSpan Span, string Message)> _problems = [];

    private TemplateChecker(ObjectType root, FrozenSet<string> filters)
    {
        _root = root;
        _filters = filters;
    }

    /// <summary>Returns every problem with the span where it is.</summary>
    public static List<(SourceSpan Span, string Message)> Check(ScriptPage page, ObjectType root, FrozenSet<string> filters)
    {
        var checker = new TemplateChecker(root, filters);
        checker.Visit(page);
        return checker._problems;
    }

    private void Visit(ScriptNode? node)
    {
        switch (node)
        {
            case null:
                return;
            case ScriptForStatement loop:
                var iterated = Infer(loop.Iterator);
                foreach (var argument in loop.NamedArguments ?? [])
                {
                    Infer(argument.Value);
                }

                if (loop.Variable is ScriptVariable variable)
                {
                    _locals[variable.Name] = iterated is ListType list ? list.Element : TemplateType.Any;
                }

                Visit(loop.Body);
                Visit(loop.Else);
                return;
            case ScriptCaptureStatement capture:
                Visit(capture.Body);
                if (capture.Target is ScriptVariable target)
                {
                    _locals[target.Name] = TemplateType.Text;
                }

                return;
            case ScriptExpression expression:
                Infer(expression);
                return;
            default:
                for (var i = 0; i < node.ChildrenCount; i++)
                {
                    Visit(node.GetChildren(i));
                }

                return;
        }
    }

    private TemplateType Infer(ScriptNode? node)
    {
        switch (node)
        {
            case null:
                return TemplateType.Any;
            case ScriptVariable variable:
                return Lookup(variable);
            case ScriptMemberExpression member:
                if (member.Member is null)
                {
                    return Infer(member.Target);
                }

                if (member.Target is ScriptVariable { Name: "for" or "forloop" or "tablerowloop" } && member.Member.Name is "index" or "rindex")
                {
                    Problem(member.Member.Span, $"forloop.{member.Member.Name} is not portable (this renderer counts it from 0): number rows with line.row instead");
                    return TemplateType.Number;
                }

                return Member(Infer(member.Target), member.Member.Name, member.Member.Span);
            case ScriptIndexerExpression indexer:
                var target = Infer(indexer.Target);
                Infer(indexer.Index);
                return target switch
                {
                    ListType list => list.Element,
                    ObjectType when indexer.Index is ScriptLiteral { Value: string name } => Member(target, name, indexer.Index.Span),
                    _ => TemplateType.Any,
                };
            case ScriptAssignExpression assign:
                var value = Infer(assign.Value);
                if (assign.Target is ScriptVariable assigned)
                {
                    _locals[assigned.Name] = value;
                }
                else
                {
                    Infer(assign.Target);
                }

                return value;
            case ScriptPipeCall pipe:
                Infer(pipe.From);
                Filter(pipe.To);
                return TemplateType.Any;
            case ScriptFunctionCall call:
                Filter(call);
                return TemplateType.Any;
            case ScriptNamedArgument named:
                return Infer(named.Value);
            case ScriptLiteral:
                return TemplateType.Any;
            default:
                for (var i = 0; i < node.ChildrenCount; i++)
                {
                    var child = node.GetChildren(i);
                    if (child is ScriptStatement)
                    {
                        Visit(child);
                    }
                    else
                    {
                        Infer(child);
                    }
                }

                return TemplateType.Any;
        }
    }

    private void Filter(ScriptExpression? expression)
    {
        switch (expression)
        {
            case ScriptVariable name:
                CheckFilterName(name);
                break;
            case ScriptFunctionCall call:
                if (call.Target is ScriptVariable target)
                {
                    CheckFilterName(target);
                }
                else
                {
                    Infer(call.Target);
                }

                foreach (var argument in call.Arguments ?? [])
                {
                    Infer(argument);
                }

                break;
            default:
                Infer(expression);
                break;
        }
    }

    private void CheckFilterName(ScriptVariable name)
    {
        if (!_filters.Contains(name.Name))
        {
            Problem(name.Span, name.Name == "include"
                ? "include is not available: a template sees only its own model"
                : $"unknown filter '{name.Name}'");
        }
    }

    private TemplateType Lookup(ScriptVariable variable)
    {
        var name = variable.Name;
        if (_locals.TryGetValue(name, out var local))
        {
            return local;
        }

        if (_root.Members.TryGetValue(name, out var member))
        {
            return member;
        }

        if (name is "for" or "forloop" or "tablerowloop")
        {
            return LoopType;
        }

        if (_filters.Contains(name))
        {
            return TemplateType.Filter;
        }

        Problem(variable.Span, name == "include"
            ? "include is not available: a template sees only its own model"
            : $"unknown variable '{name}' (not in the template model)");
        return TemplateType.Any;
    }

    private TemplateType Member(TemplateType target, string name, SourceSpan span)
    {
        switch (target)
        {
            case ObjectType o when o.Members.TryGetValue(name, out var type):
                return type;
            case ObjectType o:
                Problem(span, $"unknown variable '{name}': {o.Name} has {string.Join(", ", o.Members.Keys.Order(StringComparer.Ordinal))}");
                return TemplateType.Any;
            case ListType or ScalarType when name == "size":
                return TemplateType.Number;
            case ListType:
                Problem(span, $"unknown variable '{name}': a list has only 'size' (use the first / last filters)");
                return TemplateType.Any;
            case ScalarType s when ReferenceEquals(s, TemplateType.Filter):
                Problem(span, $"unknown variable '{name}': filters have no members");
                return TemplateType.Any;
            case ScalarType s:
                Problem(span, $"unknown variable '{name}': {s.Name} values have no members");
                return TemplateType.Any;
            default:
                return TemplateType.Any;
        }
    }

    private void Problem(SourceSpan span, string message) => _problems.Add((span, message));
}
