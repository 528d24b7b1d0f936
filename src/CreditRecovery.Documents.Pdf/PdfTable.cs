namespace CreditRecovery.Documents.Pdf;

/// <summary>A column of a <see cref="PdfTable"/>.</summary>
/// <param name="Header">The header text.</param>
/// <param name="Width">The relative width: columns share the table's width in proportion to it.</param>
/// <param name="Align">Alignment of the cells (<see cref="PdfAlign.Right"/> for amounts); the header follows it.</param>
public sealed record PdfTableColumn(string Header, double Width = 1, PdfAlign Align = PdfAlign.Left);

/// <summary>
/// A simple table for <see cref="PdfComposer.Table"/>: a bold header row (repeated after a page break), body rows whose
/// cells wrap within their column, and bold total rows after a rule. Cells are text: format amounts before adding them.
/// </summary>
public sealed class PdfTable
{
    private readonly List<IReadOnlyList<string>> _rows = [];
    private readonly List<IReadOnlyList<string>> _totals = [];

    /// <summary>Creates a table with its columns.</summary>
    /// <param name="columns">The columns, at least one.</param>
    public PdfTable(params IReadOnlyList<PdfTableColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("A table needs at least one column.", nameof(columns));
        }

        if (columns.Any(c => c.Width <= 0))
        {
            throw new ArgumentException("Column widths must be positive.", nameof(columns));
        }

        Columns = columns;
    }

    /// <summary>The columns.</summary>
    public IReadOnlyList<PdfTableColumn> Columns { get; }

    /// <summary>The body rows.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>The total rows, printed bold after a rule.</summary>
    public IReadOnlyList<IReadOnlyList<string>> TotalRows => _totals;

    /// <summary>Font size of the cells; <see langword="null"/> uses the body size minus one point.</summary>
    public double? FontSize { get; init; }

    /// <summary>Whether the header row is printed again at the top of each new page. Default <see langword="true"/>.</summary>
    public bool RepeatHeader { get; init; } = true;

    /// <summary>Adds a body row.</summary>
    /// <param name="cells">One text per column (missing cells are empty; extra cells are an error).</param>
    /// <returns>The table, for chaining.</returns>
    public PdfTable AddRow(params IReadOnlyList<string?> cells)
    {
        _rows.Add(Normalize(cells));
        return this;
    }

    /// <summary>Adds a total row (bold, after a rule).</summary>
    /// <param name="cells">One text per column (missing cells are empty; extra cells are an error).</param>
    /// <returns>The table, for chaining.</returns>
    public PdfTable AddTotalRow(params IReadOnlyList<string?> cells)
    {
        _totals.Add(Normalize(cells));
        return this;
    }

    private string[] Normalize(IReadOnlyList<string?> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count > Columns.Count)
        {
            throw new ArgumentException($"The row has {cells.Count} cells but the table has {Columns.Count} columns.", nameof(cells));
        }

        var row = new string[Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = i < cells.Count ? cells[i] ?? "" : "";
        }

        return row;
    }
}
