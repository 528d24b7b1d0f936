using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Storage.PostgreSql.Tests;

/// <summary>Fully populated sample records.</summary>
public static class Samples
{
    public static readonly CompanyId Acme = new("ACME");
    public static readonly CompanyId Beta = new("BETA");
    public static readonly Instant T0 = Instant.FromUtc(2025, 3, 14, 9, 26, 53) + Duration.FromTicks(5_897_932);
    public static readonly LocalDate Today = new(2025, 3, 14);

    public static Customer Customer(CompanyId company, string code) => new()
    {
        Company = company,
        Code = code,
        Name = "Rossi S.r.l. — àèìòù €",
        VatNumber = "IT01234567890",
        TaxCode = "RSSMRA80A01F205X",
        Category = "RETAIL",
        Agent = "AG7",
        SalesArea = "NORD",
        Rating = "B",
        Contact = new ContactPerson("Mario Rossi", "Amministrazione", "+39 02 1234", "mario@rossi.it"),
        Address = new PostalAddress("Via Roma 1", "20100", "Milano", "MI"),
        Email = "info@rossi.it",
        Pec = "rossi@pec.it",
        Phone = "+39 02 5555",
        Mobile = "+39 333 1234567",
        Fax = "+39 02 6666",
        CallWindow = new CallWindow(new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Monday, IsoDayOfWeek.Thursday }, new LocalTime(9, 30), new LocalTime(12, 45, 30)),
        Notes = "line1\nline2 \"quoted\"",
        ExtensionUntil = new LocalDate(2025, 4, 30),
        Flags = CustomerFlags.Blocked | CustomerFlags.DoNotDun,
        Language = "it",
    };

    public static Installment Installment(CompanyId company, string key, string customer, LocalDate due) => new()
    {
        Company = company,
        Key = new InstallmentKey(key),
        CustomerCode = customer,
        Document = new DocumentReference(DocumentKind.Invoice, "FT-2025/0042", new LocalDate(2025, 1, 15), new Money(1220.00m, "EUR")),
        Number = 2,
        DueDate = due,
        OriginalAmount = new Money(610.50m, "EUR"),
        OpenResidual = new Money(123456789012345678.0123456789m, "EUR"),
        PaymentType = PaymentType.BankReceipt,
        PaymentCode = "RB60",
        UnpaidReceiptDate = due.PlusDays(3),
        CancelledByCreditNote = false,
    };

    public static RecoveryCase Case(CompanyId company, string key, string customer, LocalDate? nextAction, CaseStatus status = CaseStatus.InProcedure, long version = 1) => new()
    {
        Company = company,
        Key = new InstallmentKey(key),
        CustomerCode = customer,
        Installment = Installment(company, key, customer, new LocalDate(2025, 2, 28)),
        Status = status,
        Cycle = 2,
        ProcedureId = "standard",
        AnchorDate = new LocalDate(2025, 3, 3),
        Steps =
        [
            new StepExecution(1, "standard", 0, "pre-due", new LocalDate(2025, 2, 23), new LocalDate(2025, 2, 24), StepOutcome.MessageQueued, "msg-1"),
            new StepExecution(2, "riba", 1, "call", new LocalDate(2025, 3, 10), new LocalDate(2025, 3, 11), StepOutcome.SkippedByCondition, null, "below minimum"),
        ],
        NextActionDate = nextAction,
        ResumedOn = new LocalDate(2025, 3, 12),
        PendingStepIndex = 3,
        Arrangement = new PaymentArrangement(
            [new AgreedPayment(new LocalDate(2025, 4, 1), new Money(100.10m, "EUR")), new AgreedPayment(new LocalDate(2025, 5, 1), new Money(510.40m, "EUR"))],
            new Money(610.50m, "EUR"),
            new OperatorId("op1"),
            new LocalDate(2025, 3, 13)),
        SuspendedUntil = new LocalDate(2025, 3, 20),
        DisputeReason = "goods damaged",
        ParkedIn = ParkingArea.Legal,
        HandedOverTo = new HandOverTarget(HandOverKind.Lawyer, "Studio Bianchi", "REF-9"),
        ClosedBecause = status == CaseStatus.Closed ? ClosureReason.Paid : null,
        ClosedOn = status == CaseStatus.Closed ? Today : null,
        OpenedOn = new LocalDate(2025, 2, 1),
        Version = version,
    };

    public static HistoryEvent History(CompanyId company, string key, long version, string kind = "StepExecuted") => new()
    {
        Company = company,
        CaseKey = new InstallmentKey(key),
        CaseVersion = version,
        At = T0,
        BusinessDate = Today,
        Actor = OperatorId.System,
        Kind = kind,
        From = CaseStatus.Overdue,
        To = CaseStatus.InProcedure,
        Reason = "10 days after the due date",
    };

    public static OutboxMessage Outbox(CompanyId company, string id, Instant createdAt, OutboxStatus status = OutboxStatus.Pending) => new()
    {
        Id = id,
        Company = company,
        CustomerCode = "C001",
        Channel = DeliveryChannel.Pec,
        TemplateId = "dunning-1",
        ProcedureId = "standard",
        StepId = "dunning-1",
        StepName = "1° sollecito",
        BusinessDate = Today,
        CreatedAt = createdAt,
        Recipient = "rossi@pec.it",
        Cc = ["credit@acme.it"],
        Lines =
        [
            new MessageLine(new InstallmentKey("K1"), "FT-1", new LocalDate(2025, 1, 1), 1, new LocalDate(2025, 2, 1), new Money(10m, "EUR"), new Money(5.55m, "EUR"), 41, PaymentType.BankTransfer, null),
            new MessageLine(new InstallmentKey("K2"), "FT-2", new LocalDate(2025, 1, 2), 2, new LocalDate(2025, 2, 2), new Money(20m, "EUR"), new Money(20.00m, "EUR"), -3, PaymentType.BankReceipt, new LocalDate(2025, 2, 5)),
        ],
        Why = "10 days after due",
        Status = status,
        Attempts = 2,
        LastError = "timeout",
        SentAt = T0 + Duration.FromMinutes(5),
        ProviderMessageId = "<abc@mail>",
    };

    public static OperatorTask TaskItem(CompanyId company, string id, LocalDate due, OperatorId? assignee, string customer = "C001", OperatorTaskStatus status = OperatorTaskStatus.Open) => new()
    {
        Id = id,
        Company = company,
        CustomerCode = customer,
        Kind = OperatorTaskKind.PhoneCall,
        Title = "Call Rossi",
        AssignedTo = assignee,
        DueOn = due,
        Installments = [new InstallmentKey("K1"), new InstallmentKey("K2")],
        ProcedureId = "standard",
        StepIndex = 3,
        Cycle = 1,
        Why = "step 4",
        Status = status,
        CreatedAt = T0,
        Outcome = "promised",
        CompletedBy = new OperatorId("op2"),
        CompletedAt = T0 + Duration.FromHours(1),
    };

    public static Activity Activity(CompanyId company, string id, string customer, Instant at) => new()
    {
        Id = id,
        Company = company,
        CustomerCode = customer,
        Installments = [new InstallmentKey("K1")],
        Kind = ActivityKind.PhoneCall,
        At = at,
        By = new OperatorId("op1"),
        Outcome = "no answer",
        Notes = "call back",
        TaskId = "t1",
        FollowUpTaskId = "t2",
    };

    public static AgendaEntry Agenda(CompanyId company, string id, OperatorId owner, LocalDate date) => new()
    {
        Id = id,
        Company = company,
        Owner = owner,
        Title = "Visit",
        Date = date,
        Time = new LocalTime(14, 30, 15, 250),
        CustomerCode = "C001",
        Recurrence = Period.FromWeeks(2) + Period.FromDays(1) + Period.FromHours(3),
        RecurrenceEnd = date.PlusMonths(6),
        Notes = "bring the contract",
        Cancelled = false,
    };

    public static Operator Operator(string id, params CompanyId[] companies) => new()
    {
        Id = new OperatorId(id),
        Name = "Operatore " + id,
        Role = OperatorRole.Supervisor,
        SupervisorId = new OperatorId("boss"),
        Email = id + "@acme.it",
        Phone = "+39 02 0000",
        Companies = companies.ToHashSet(),
        Active = false,
    };

    public static CustomerAssignment Assignment(CompanyId company, string customer) =>
        new(company, customer, [new OperatorId("op1"), new OperatorId("op2")]);

    public static ProcedureAssignment ProcedureAssignment(CompanyId company, ProcedureScope scope, string key) =>
        new(company, scope, key, ProcedurePurpose.UnpaidReceipt, "riba");

    public static QuarantinedRecord Quarantined(CompanyId company, string recordKey) =>
        new(company, "mexal", new LedgerRecordError(recordKey, "DataScadenza", "31/02/2025", "not a date", "{\"raw\":true}"), T0);
}
