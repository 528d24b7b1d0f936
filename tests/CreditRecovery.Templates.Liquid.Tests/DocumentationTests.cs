using System.Text.RegularExpressions;

namespace CreditRecovery.Templates.Liquid.Tests;

/// <summary>docs/templates.md documents every variable, filter and shipped template id the code has.</summary>
public sealed class DocumentationTests
{
    private static readonly string Docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "templates.md"));

    [Fact]
    public void Every_model_variable_is_documented()
    {
        var missing = new List<string>();
        Walk(TemplateModel.Root.Type, string.Empty, missing, []);
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_filter_and_template_id_is_documented()
    {
        foreach (var name in TemplateFilters.Names)
        {
            Assert.Matches($"`{Regex.Escape(name)}[`:]", Docs);
        }

        foreach (var id in DefaultTemplateTests.Ids)
        {
            Assert.Contains($"| `{id}` |", Docs, StringComparison.Ordinal);
        }
    }

    private static void Walk(TemplateType type, string path, List<string> missing, HashSet<TemplateType> seen)
    {
        switch (type)
        {
            case ListType list:
                Walk(list.Element, path, missing, seen);
                break;
            case ObjectType o when seen.Add(o):
                foreach (var (name, member) in o.Members)
                {
                    // Objects are documented through their members. Root members by full path (`customer.contact.name`); members of list elements and shared objects by their
                    // loop-variable path (`line.residual`, `item.days`) or bare name in the object's own table (`street`).
                    var full = path.Length == 0 ? name : $"{path}.{name}";
                    if (member is not ObjectType && !Regex.IsMatch(Docs, $"`(?:[a-z_]+\\.)*{Regex.Escape(name)}`"))
                    {
                        missing.Add(full);
                    }

                    Walk(member, member is ListType ? string.Empty : full, missing, seen);
                }

                break;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreditRecovery.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (CreditRecovery.Sdk.sln) was not found above " + AppContext.BaseDirectory);
    }
}
