using System.Collections.Frozen;
using CreditRecovery.Ports;
using CreditRecovery.Work;
using NodaTime;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace CreditRecovery.Templates.Liquid;

/// <summary>
/// A read-only Scriban object over one part of the <see cref="MessageModel"/>: templates see exactly the snake_case
/// members its <see cref="ViewDefinition"/> lists, nothing reached by .NET reflection. Views are tiny wrappers made on
/// access; the model itself is never copied.
/// </summary>
internal sealed class ModelView(object source, ViewDefinition definition, RenderState state, int index = 0) : IScriptObject
{
    public object Source => source;

    /// <summary>Position in its list, from 0 (for <c>line.row</c>).</summary>
    public int Index => index;

    public RenderState State => state;

    public int Count => definition.Getters.Count;

    public bool IsReadOnly
    {
        get => true;
        set { }
    }

    public IEnumerable<string> GetMembers() => definition.Getters.Keys;

    public bool Contains(string member) => definition.Getters.ContainsKey(member);

    public bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        if (definition.Getters.TryGetValue(member, out var get))
        {
            value = get(this);
            return true;
        }

        value = null;
        return false;
    }

    public bool CanWrite(string member) => false;

    public bool TrySetValue(TemplateContext? context, SourceSpan span, string member, object? value, bool readOnly) => false;

    public bool Remove(string member) => false;

    public void SetReadOnly(string member, bool readOnly)
    {
    }

    public IScriptObject Clone(bool deep) => this;

    public override string ToString() => definition.Type.Name;
}

/// <summary>A date in a template: prints as <c>dd/MM/yyyy</c>, has <c>year</c>, <c>month</c>, <c>day</c>.</summary>
internal sealed class TemplateDate(LocalDate value) : IScriptObject
{
    private static readonly string[] Members = ["year", "month", "day"];

    public LocalDate Value => value;

    public int Count => Members.Length;

    public bool IsReadOnly
    {
        get => true;
        set { }
    }

    public IEnumerable<string> GetMembers() => Members;

    public bool Contains(string member) => Array.IndexOf(Members, member) >= 0;

    public bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? result)
    {
        result = member switch
        {
            "year" => value.Year,
            "month" => value.Month,
            "day" => value.Day,
            _ => null,
        };
        return result is not null;
    }

    public bool CanWrite(string member) => false;

    public bool TrySetValue(TemplateContext? context, SourceSpan span, string member, object? value, bool readOnly) => false;

    public bool Remove(string member) => false;

    public void SetReadOnly(string member, bool readOnly)
    {
    }

    public IScriptObject Clone(bool deep) => this;

    public override string ToString() => TemplateLanguage.ShortDate(value);
}

/// <summary>Per-render state the views share: the language and the currency of the message.</summary>
internal sealed class RenderState(MessageModel model, TemplateLanguage language)
{
    public MessageModel Model => model;

    public TemplateLanguage Language => language;

    public string Currency { get; } = model.TotalResidual.Currency ?? "EUR";

    public object[]? Lines { get; set; }
}

/// <summary>The members of one kind of view: their names, static types (for the checker and docs) and getters.</summary>
internal sealed class ViewDefinition
{
    private readonly Dictionary<string, (TemplateType Type, Func<ModelView, object?> Get)> _members = new(StringComparer.Ordinal);
    private FrozenDictionary<string, Func<ModelView, object?>>? _getters;
    private ObjectType? _type;

    public ViewDefinition(string name) => Name = name;

    public string Name { get; }

    public FrozenDictionary<string, Func<ModelView, object?>> Getters =>
        _getters ??= _members.ToFrozenDictionary(m => m.Key, m => m.Value.Get, StringComparer.Ordinal);

    public ObjectType Type => _type ??= new ObjectType(Name, _members.ToDictionary(m => m.Key, m => m.Value.Type, StringComparer.Ordinal));

    public ViewDefinition Add<T>(string name, TemplateType type, Func<T, ModelView, object?> get)
    {
        _members.Add(name, (type, v => get((T)v.Source, v)));
        return this;
    }
}

/// <summary>The documented template model (docs/templates.md): every variable a template can use.</summary>
internal static class TemplateModel
{
    public static ViewDefinition Address { get; } = new ViewDefinition("address")
        .Add<PostalAddress>("street", TemplateType.Text, (a, _) => a.Street)
        .Add<PostalAddress>("postal_code", TemplateType.Text, (a, _) => a.PostalCode)
        .Add<PostalAddress>("city", TemplateType.Text, (a, _) => a.City)
        .Add<PostalAddress>("province", TemplateType.Text, (a, _) => a.Province)
        .Add<PostalAddress>("country", TemplateType.Text, (a, _) => a.Country)
        .Add<PostalAddress>("one_line", TemplateType.Text, (a, _) => OneLine(a));

    public static ViewDefinition Company { get; } = new ViewDefinition("company")
        .Add<CompanyProfile>("name", TemplateType.Text, (c, _) => c.Name)
        .Add<CompanyProfile>("vat_number", TemplateType.Text, (c, _) => c.VatNumber)
        .Add<CompanyProfile>("address", Address.Type, (c, v) => Wrap(c.Address, Address, v.State))
        .Add<CompanyProfile>("email", TemplateType.Text, (c, _) => c.Email)
        .Add<CompanyProfile>("pec", TemplateType.Text, (c, _) => c.Pec)
        .Add<CompanyProfile>("phone", TemplateType.Text, (c, _) => c.Phone)
        .Add<CompanyProfile>("iban", TemplateType.Text, (c, _) => c.Iban)
        .Add<CompanyProfile>("reply_to", TemplateType.Text, (c, _) => c.ReplyTo);

    public static ViewDefinition Contact { get; } = new ViewDefinition("contact")
        .Add<ContactPerson>("name", TemplateType.Text, (c, _) => c.Name)
        .Add<ContactPerson>("role", TemplateType.Text, (c, _) => c.Role)
        .Add<ContactPerson>("phone", TemplateType.Text, (c, _) => c.Phone)
        .Add<ContactPerson>("email", TemplateType.Text, (c, _) => c.Email);

    public static ViewDefinition Customer { get; } = new ViewDefinition("customer")
        .Add<Customer>("code", TemplateType.Text, (c, _) => c.Code)
        .Add<Customer>("name", TemplateType.Text, (c, _) => c.Name)
        .Add<Customer>("vat_number", TemplateType.Text, (c, _) => c.VatNumber)
        .Add<Customer>("tax_code", TemplateType.Text, (c, _) => c.TaxCode)
        .Add<Customer>("contact", Contact.Type, (c, v) => Wrap(c.Contact, Contact, v.State))
        .Add<Customer>("address", Address.Type, (c, v) => Wrap(c.Address, Address, v.State))
        .Add<Customer>("email", TemplateType.Text, (c, _) => c.Email)
        .Add<Customer>("pec", TemplateType.Text, (c, _) => c.Pec)
        .Add<Customer>("phone", TemplateType.Text, (c, _) => c.Phone)
        .Add<Customer>("mobile", TemplateType.Text, (c, _) => c.Mobile)
        .Add<Customer>("fax", TemplateType.Text, (c, _) => c.Fax);

    public static ViewDefinition Line { get; } = new ViewDefinition("line")
        .Add<MessageLine>("row", TemplateType.Number, (_, v) => v.Index + 1)
        .Add<MessageLine>("document_number", TemplateType.Text, (l, _) => l.DocumentNumber)
        .Add<MessageLine>("document_date", TemplateType.Date, (l, _) => new TemplateDate(l.DocumentDate))
        .Add<MessageLine>("installment_number", TemplateType.Number, (l, _) => l.InstallmentNumber)
        .Add<MessageLine>("due_date", TemplateType.Date, (l, _) => new TemplateDate(l.DueDate))
        .Add<MessageLine>("original_amount", TemplateType.Amount, (l, _) => l.OriginalAmount.Amount)
        .Add<MessageLine>("residual", TemplateType.Amount, (l, _) => l.Residual.Amount)
        .Add<MessageLine>("days_overdue", TemplateType.Number, (l, _) => l.DaysOverdue)
        .Add<MessageLine>("payment_type", TemplateType.Text, (l, _) => PaymentCode(l.PaymentType))
        .Add<MessageLine>("payment_type_label", TemplateType.Text, (l, v) => v.State.Language.PaymentTypeLabel(l.PaymentType))
        .Add<MessageLine>("unpaid_receipt_date", TemplateType.Date, (l, _) => l.UnpaidReceiptDate is { } d ? new TemplateDate(d) : null);

    public static ViewDefinition Operator { get; } = new ViewDefinition("operator")
        .Add<Operator>("name", TemplateType.Text, (o, _) => o.Name)
        .Add<Operator>("email", TemplateType.Text, (o, _) => o.Email)
        .Add<Operator>("phone", TemplateType.Text, (o, _) => o.Phone);

    public static ViewDefinition InterestLine { get; } = new ViewDefinition("interest line")
        .Add<InterestStatementLine>("document_number", TemplateType.Text, (l, _) => l.DocumentNumber)
        .Add<InterestStatementLine>("from", TemplateType.Date, (l, _) => new TemplateDate(l.From))
        .Add<InterestStatementLine>("to", TemplateType.Date, (l, _) => new TemplateDate(l.To))
        .Add<InterestStatementLine>("days", TemplateType.Number, (l, _) => l.Days)
        .Add<InterestStatementLine>("rate_percent", TemplateType.Number, (l, _) => l.RatePercent)
        .Add<InterestStatementLine>("base", TemplateType.Amount, (l, _) => l.Base.Amount)
        .Add<InterestStatementLine>("interest", TemplateType.Amount, (l, _) => l.Interest.Amount);

    public static ViewDefinition Compensation { get; } = new ViewDefinition("compensation")
        .Add<CompensationLine>("document_number", TemplateType.Text, (c, _) => c.DocumentNumber)
        .Add<CompensationLine>("document_date", TemplateType.Date, (c, _) => new TemplateDate(c.DocumentDate))
        .Add<CompensationLine>("amount", TemplateType.Amount, (c, _) => c.Amount.Amount);

    public static ViewDefinition Interest { get; } = new ViewDefinition("interest")
        .Add<InterestStatement>("as_of", TemplateType.Date, (i, _) => new TemplateDate(i.AsOf))
        .Add<InterestStatement>("lines", new ListType(InterestLine.Type), (i, v) => List(i.Lines, InterestLine, v.State))
        .Add<InterestStatement>("compensations", new ListType(Compensation.Type), (i, v) => List(i.Compensations, Compensation, v.State))
        .Add<InterestStatement>("total_residual", TemplateType.Amount, (i, _) => i.TotalResidual.Amount)
        .Add<InterestStatement>("total_interest", TemplateType.Amount, (i, _) => i.TotalInterest.Amount)
        .Add<InterestStatement>("total_compensation", TemplateType.Amount, (i, _) => i.TotalCompensation.Amount)
        .Add<InterestStatement>("total_claimed", TemplateType.Amount, (i, _) => i.TotalClaimed.Amount);

    public static ViewDefinition Root { get; } = new ViewDefinition("message")
        .Add<MessageModel>("company", Company.Type, (m, v) => Wrap(m.Company, Company, v.State))
        .Add<MessageModel>("customer", Customer.Type, (m, v) => Wrap(m.Customer, Customer, v.State))
        .Add<MessageModel>("lines", new ListType(Line.Type), (m, v) => v.State.Lines ??= List(m.Lines, Line, v.State))
        .Add<MessageModel>("line_count", TemplateType.Number, (m, _) => m.Lines.Count)
        .Add<MessageModel>("currency", TemplateType.Text, (_, v) => v.State.Currency)
        .Add<MessageModel>("total_original", TemplateType.Amount, (m, _) => m.TotalOriginal.Amount)
        .Add<MessageModel>("total_residual", TemplateType.Amount, (m, _) => m.TotalResidual.Amount)
        .Add<MessageModel>("max_days_overdue", TemplateType.Number, (m, _) => MaxDaysOverdue(m.Lines))
        .Add<MessageModel>("operator", Operator.Type, (m, v) => Wrap(m.Operator, Operator, v.State))
        .Add<MessageModel>("step_name", TemplateType.Text, (m, _) => m.StepName)
        .Add<MessageModel>("business_date", TemplateType.Date, (m, _) => new TemplateDate(m.BusinessDate))
        .Add<MessageModel>("language", TemplateType.Text, (_, v) => v.State.Language.Code)
        .Add<MessageModel>("interest", Interest.Type, (m, v) => Wrap(m.Interest, Interest, v.State))
        .Add<MessageModel>("operator_text", TemplateType.Text, (m, _) => m.OperatorText);

    /// <summary>Snake-case code of a payment type (<c>bank_receipt</c>).</summary>
    public static string PaymentCode(PaymentType type) => type switch
    {
        PaymentType.BankTransfer => "bank_transfer",
        PaymentType.BankReceipt => "bank_receipt",
        PaymentType.DirectRemittance => "direct_remittance",
        PaymentType.SepaDirectDebit => "sepa_direct_debit",
        PaymentType.CashOnDelivery => "cash_on_delivery",
        PaymentType.Cash => "cash",
        PaymentType.Cheque => "cheque",
        _ => "other",
    };

    private static ModelView? Wrap(object? source, ViewDefinition definition, RenderState state) =>
        source is null ? null : new ModelView(source, definition, state);

    private static object[] List<T>(IReadOnlyList<T> items, ViewDefinition definition, RenderState state)
        where T : class
    {
        if (items.Count == 0)
        {
            return [];
        }

        var views = new object[items.Count];
        for (var i = 0; i < views.Length; i++)
        {
            views[i] = new ModelView(items[i], definition, state, i);
        }

        return views;
    }

    private static int MaxDaysOverdue(IReadOnlyList<MessageLine> lines)
    {
        var max = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            max = Math.Max(max, lines[i].DaysOverdue);
        }

        return max;
    }

    private static string OneLine(PostalAddress a)
    {
        var province = string.IsNullOrEmpty(a.Province) ? string.Empty : $" ({a.Province})";
        var country = string.IsNullOrEmpty(a.Country) || a.Country == "IT" ? string.Empty : $", {a.Country}";
        return $"{a.Street}, {a.PostalCode} {a.City}{province}{country}";
    }
}
