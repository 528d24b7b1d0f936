using System.Text;

namespace CreditRecovery.Reports.Tests;

/// <summary>RFC 4180 escaping, the Italian Excel flavour and the formula-injection guard.</summary>
public sealed class CsvTests
{
    [Fact]
    public void Fields_with_separator_quotes_and_newlines_are_quoted_and_read_back_unchanged()
    {
        string[] fields = ["plain", "with,comma", "with \"quotes\"", "two\r\nlines", "lf\nonly", "", "àè€ ünïcode", "semi;colon"];
        foreach (var format in new[] { CsvFormat.Rfc4180, CsvFormat.ItalianExcel, CsvFormat.Rfc4180 with { GuardFormulas = false } })
        {
            var text = new StringWriter();
            new CsvWriter(text, format).WriteRecord(fields);
            var records = Parse(text.ToString(), format.Separator);
            Assert.Equal(fields, Assert.Single(records));
        }

        var rfc = new StringWriter();
        new CsvWriter(rfc).WriteRecord("a\"b", "c,d", "e");
        Assert.Equal("\"a\"\"b\",\"c,d\",e\r\n", rfc.ToString());
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+39 02 1234")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1:A2)")]
    [InlineData("\tTab")]
    public void Cells_that_a_spreadsheet_would_run_as_formulas_are_prefixed_with_an_apostrophe(string value)
    {
        var guarded = new StringWriter();
        new CsvWriter(guarded).WriteRecord(value);
        Assert.Equal("'" + value, Assert.Single(Assert.Single(Parse(guarded.ToString(), ','))));

        var unguarded = new StringWriter();
        new CsvWriter(unguarded, CsvFormat.Rfc4180 with { GuardFormulas = false }).WriteRecord(value);
        Assert.Equal(value, Assert.Single(Assert.Single(Parse(unguarded.ToString(), ','))));
    }

    [Fact]
    public void Numbers_use_the_formats_culture_and_are_never_guarded()
    {
        var it = new StringWriter();
        var csv = new CsvWriter(it, CsvFormat.ItalianExcel);
        csv.WriteNumber(-1234.5m);
        csv.WriteNumber(0.125m, 3);
        csv.WriteNumber(42);
        csv.EndRecord();
        Assert.Equal("-1234,50;0,125;42\r\n", it.ToString());

        var invariant = new StringWriter();
        csv = new CsvWriter(invariant);
        csv.WriteNumber(-1234.5m);
        csv.WriteNumber(null);
        csv.EndRecord();
        Assert.Equal("-1234.50,\r\n", invariant.ToString());

        // An Italian decimal comma in a comma-separated file is quoted, not split.
        var mixed = new StringWriter();
        csv = new CsvWriter(mixed, CsvFormat.ItalianExcel with { Separator = ',' });
        csv.WriteNumber(1.5m);
        csv.EndRecord();
        Assert.Equal("\"1,50\"\r\n", mixed.ToString());
    }

    /// <summary>A strict RFC 4180 reader, for the round trips.</summary>
    private static List<List<string>> Parse(string text, char separator)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(text[i++]);
                    }
                }
            }

            while (i < text.Length && text[i] != separator && text[i] != '\r')
            {
                Assert.NotEqual('"', text[i]);
                Assert.NotEqual('\n', text[i]);
                field.Append(text[i++]);
            }

            record.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == separator)
            {
                i++;
                continue;
            }

            Assert.Equal("\r\n", text.Substring(i, 2));
            i += 2;
            records.Add(record);
            record = [];
        }

        return records;
    }
}
