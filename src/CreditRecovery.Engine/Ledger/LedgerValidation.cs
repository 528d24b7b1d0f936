using CreditRecovery.Ledger;

namespace CreditRecovery.Ledger;

/// <summary>Checks ledger records before they touch a case; a failure names the record and the field.</summary>
internal static class LedgerValidation
{
    public static LedgerRecordError? Validate(Installment i, CompanyId company)
    {
        var key = string.IsNullOrWhiteSpace(i.Key.Value) ? $"installment of customer {i.CustomerCode}, document {i.Document?.Number}" : i.Key.Value;
        if (string.IsNullOrWhiteSpace(i.Key.Value))
        {
            return new(key, nameof(Installment.Key), i.Key.Value, "the installment has no ledger key");
        }

        if (i.Company != company)
        {
            return new(key, nameof(Installment.Company), i.Company.Value, $"belongs to company {i.Company}, not {company}");
        }

        if (string.IsNullOrWhiteSpace(i.CustomerCode))
        {
            return new(key, nameof(Installment.CustomerCode), i.CustomerCode, "the installment has no customer");
        }

        if (i.Document is null || string.IsNullOrWhiteSpace(i.Document.Number))
        {
            return new(key, "Document.Number", i.Document?.Number, "the installment has no document number");
        }

        if (i.OriginalAmount.Currency is null || i.OpenResidual.Currency is null)
        {
            return new(key, nameof(Installment.OpenResidual), null, "amounts must carry a currency");
        }

        if (!string.Equals(i.OriginalAmount.Currency, i.OpenResidual.Currency, StringComparison.Ordinal))
        {
            return new(key, nameof(Installment.OpenResidual), i.OpenResidual.Currency, $"residual currency differs from the original amount's ({i.OriginalAmount.Currency})");
        }

        if (i.OriginalAmount.Amount >= 0 && i.OpenResidual.Amount < 0)
        {
            return new(key, nameof(Installment.OpenResidual), i.OpenResidual.ToString(), "the residual of a receivable cannot be negative");
        }

        if (i.OriginalAmount.Amount >= 0 && i.OpenResidual.Amount > i.OriginalAmount.Amount)
        {
            return new(key, nameof(Installment.OpenResidual), i.OpenResidual.ToString(), $"the residual exceeds the original amount {i.OriginalAmount}");
        }

        if (i.Number < 1)
        {
            return new(key, nameof(Installment.Number), i.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), "installment numbers start at 1");
        }

        if (i.DueDate.Year < 1900 || i.DueDate.Year > 2200)
        {
            return new(key, nameof(Installment.DueDate), i.DueDate.ToString("uuuu-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "the due date is out of range (1900-2200)");
        }

        if (i.UnpaidReceiptDate is { } unpaid && unpaid < i.Document.Date)
        {
            return new(key, nameof(Installment.UnpaidReceiptDate), unpaid.ToString("uuuu-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "an unpaid-receipt date cannot precede the document date");
        }

        return null;
    }

    public static LedgerRecordError? Validate(Customer c, CompanyId company)
    {
        var key = string.IsNullOrWhiteSpace(c.Code) ? $"customer '{c.Name}'" : $"customer {c.Code}";
        if (string.IsNullOrWhiteSpace(c.Code))
        {
            return new(key, nameof(Customer.Code), c.Code, "the customer has no code");
        }

        if (c.Company != company)
        {
            return new(key, nameof(Customer.Company), c.Company.Value, $"belongs to company {c.Company}, not {company}");
        }

        if (string.IsNullOrWhiteSpace(c.Name))
        {
            return new(key, nameof(Customer.Name), c.Name, "the customer has no name");
        }

        return null;
    }
}
