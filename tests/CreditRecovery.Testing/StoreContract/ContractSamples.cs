using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Testing.StoreContract;

/// <summary>Fully populated records for the store contract tests: every optional field set, so a round trip loses nothing unnoticed.</summary>
public static class ContractSamples
{
    /// <summary>The company most tests write.</summary>
    public static readonly CompanyId Acme = new("ACME");

    /// <summary>A second company, for isolation.</summary>
    public static readonly CompanyId Beta = new("BETA");

    /// <summary>A company nobody writes.</summary>
    public static readonly CompanyId Gamma = new("GAMMA");

    /// <summary>An instant with sub-millisecond ticks.</summary>
    public static readonly Instant T0 = Instant.FromUtc(2025, 3, 14, 9, 26, 53) + Duration.FromTicks(5_897_932);

    /// <summary>The business date.</summary>
    public static readonly LocalDate Today = new(2025, 3, 14);

    /// <summary>An operator.</summary>
    public static readonly OperatorId Op1 = new("op1");

    /// <summary>Another operator.</summary>
    public static readonly OperatorId Op2 = new("op2");

    /// <summary>A third operator.</summary>
    public static readonly OperatorId Op3 = new("op3");

    /// <summary>An amount with 28 significant digits, the most a decimal holds: stored payloads must keep every one.</summary>
    public const decimal PreciseAmount = 123456789012345678.0123456789m;

    public static InstallmentKey Key(string value) => new(value);

    public static Customer Customer(CompanyId company, string code, string name = "Rossi S.r.l. — àèìòù €") => new()
    {
        Company = company,
        Code = code,
        Name = name,
        VatNumber = "IT01234567890",
        TaxCode = "RSSMRA80A01F205X",
        Category = "RETAIL",
        Agent = "AG7",
        SalesArea = "NORD",
        Rating = "B",
        Contact = new ContactPerson("Mario Rossi", "Amministrazione", "+39 02 1234", "mario@rossi.it"),
        Address = new PostalAddress("Via Roma 1", "20100", "Milano", "MI", "IT"),
        Email = "info@rossi.it",
        Pec = "rossi@pec.it",
        Phone = "+39 02 5555",
        Mobile = "+39 333 1234567",
        Fax = "+39 02 6666",
        CallWindow = new CallWindow(new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Monday, IsoDayOfWeek.Thursday }, new LocalTime(9, 30), new LocalTime(12, 45, 30)),
        Notes = "line1\nline2 \"quoted\" 'single' \\ back",
        ExtensionUntil = new LocalDate(2025, 4, 30),
        Flags = CustomerFlags.Blocked | CustomerFlags.DoNotDun,
        Language = "it",
    };

    public static Installment Installment(CompanyId company, string key, string customer) => new()
    {
        Company = company,
        Key = new InstallmentKey(key),
        CustomerCode = customer,
        Document = new DocumentReference(DocumentKind.DebitNote, "FT-2025/0042", new LocalDate(2025, 1, 15), new Money(1220.00m, "EUR")),
        Number = 2,
        DueDate = new LocalDate(2025, 2, 28),
        OriginalAmount = new Money(12.50m, "EUR"),
        OpenResidual = new Money(12.500m, "EUR"),
        PaymentType = PaymentType.BankReceipt,
        PaymentCode = "RB60",
        UnpaidReceiptDate = new LocalDate(2025, 3, 3),
        CancelledByCreditNote = true,
    };

    /// <summary>A case with every field set.</summary>
    public static RecoveryCase Case(
        CompanyId company,
        string key,
        string customer = "C001",
        LocalDate? nextAction = null,
        CaseStatus status = CaseStatus.InProcedure,
        long version = 1) => new()
    {
        Company = company,
        Key = new InstallmentKey(key),
        CustomerCode = customer,
        Installment = Installment(company, key, customer),
        Status = status,
        Cycle = 2,
        ProcedureId = "standard",
        AnchorDate = new LocalDate(2025, 3, 3),
        Steps =
        [
            new StepExecution(1, "standard", 0, "pre-due", new LocalDate(2025, 2, 23), new LocalDate(2025, 2, 24), StepOutcome.MessageQueued, "msg-1"),
            new StepExecution(2, "riba", 1, "call", new LocalDate(2025, 3, 10), new LocalDate(2025, 3, 11), StepOutcome.SkippedByCondition, null, "below minimum"),
            new StepExecution(2, "riba", 2, "letter", new LocalDate(2025, 3, 12), new LocalDate(2025, 3, 12), StepOutcome.CompletedByOperator, "task-9", "done by phone"),
        ],
        NextActionDate = nextAction,
        ResumedOn = new LocalDate(2025, 3, 12),
        PendingStepIndex = 3,
        Arrangement = new PaymentArrangement(
            [new AgreedPayment(new LocalDate(2025, 4, 1), new Money(100.10m, "EUR")), new AgreedPayment(new LocalDate(2025, 5, 1), new Money(510.40m, "EUR"))],
            new Money(610.50m, "EUR"),
            Op1,
            new LocalDate(2025, 3, 13)),
        SuspendedUntil = new LocalDate(2025, 3, 20),
        DisputeReason = "goods damaged",
        ParkedIn = ParkingArea.CashOnDelivery,
        HandedOverTo = new HandOverTarget(HandOverKind.CollectionAgency, "Recuperi S.p.A.", "REF-9"),
        ClosedBecause = status == CaseStatus.Closed ? ClosureReason.CancelledByCreditNote : null,
        ClosedOn = status == CaseStatus.Closed ? Today : null,
        OpenedOn = new LocalDate(2025, 2, 1),
        LastHistoryHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        Version = version,
    };

    /// <summary>A case whose open residual is <see cref="PreciseAmount"/>.</summary>
    public static RecoveryCase PreciseCase(CompanyId company, string key, string customer = "C001")
    {
        var full = Case(company, key, customer);
        return full with { Installment = full.Installment with { OpenResidual = new Money(PreciseAmount, "EUR") } };
    }

    /// <summary>A case with only the required fields.</summary>
    public static RecoveryCase MinimalCase(CompanyId company, string key, string customer = "C001") => new()
    {
        Company = company,
        Key = new InstallmentKey(key),
        CustomerCode = customer,
        Installment = new Installment
        {
            Company = company,
            Key = new InstallmentKey(key),
            CustomerCode = customer,
            Document = new DocumentReference(DocumentKind.Invoice, "1", new LocalDate(2025, 1, 1)),
            DueDate = new LocalDate(2025, 2, 1),
            OriginalAmount = new Money(100m, "EUR"),
            OpenResidual = new Money(0.00m, "EUR"),
        },
        Status = CaseStatus.NotDue,
        ProcedureId = "standard",
        AnchorDate = new LocalDate(2025, 2, 1),
        OpenedOn = new LocalDate(2025, 1, 1),
        Version = 1,
    };

    public static HistoryEvent Event(CompanyId company, string key, long version, string kind = "StepExecuted", Instant? at = null) => new()
    {
        Company = company,
        CaseKey = new InstallmentKey(key),
        CaseVersion = version,
        At = at ?? T0,
        BusinessDate = Today,
        Actor = Op1,
        Kind = kind,
        From = CaseStatus.Overdue,
        To = CaseStatus.InProcedure,
        Reason = "10 days after the due date: " + kind,
        PreviousHash = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
        Hash = "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13" + version.ToString(System.Globalization.CultureInfo.InvariantCulture) + kind,
    };

    public static OutboxMessage Outbox(CompanyId company, string id, Instant? createdAt = null, OutboxStatus status = OutboxStatus.Pending, string customer = "C001") => new()
    {
        Id = id,
        Company = company,
        CustomerCode = customer,
        Channel = DeliveryChannel.Pec,
        TemplateId = "dunning-1",
        ProcedureId = "standard",
        StepId = "dunning-1",
        StepName = "1° sollecito",
        BusinessDate = Today,
        CreatedAt = createdAt ?? T0,
        Recipient = "rossi@pec.it",
        Cc = ["credit@acme.it", "boss@acme.it"],
        Lines =
        [
            new MessageLine(Key("K1"), "FT-1", new LocalDate(2025, 1, 1), 1, new LocalDate(2025, 2, 1), new Money(10m, "EUR"), new Money(5.50m, "EUR"), 41, PaymentType.BankTransfer, null),
            new MessageLine(Key("K2"), "FT-2", new LocalDate(2025, 1, 2), 2, new LocalDate(2025, 2, 2), new Money(20.00m, "EUR"), new Money(20.000m, "EUR"), -3, PaymentType.BankReceipt, new LocalDate(2025, 2, 5)),
        ],
        Why = "10 days after due",
        Status = status,
        Attempts = 2,
        LastError = "timeout",
        SentAt = T0 + Duration.FromMinutes(5),
        ProviderMessageId = "<abc@mail>",
    };

    public static OperatorTask Task(
        CompanyId company,
        string id,
        LocalDate? due = null,
        OperatorId? assignee = null,
        string customer = "C001",
        OperatorTaskStatus status = OperatorTaskStatus.Open) => new()
    {
        Id = id,
        Company = company,
        CustomerCode = customer,
        Kind = OperatorTaskKind.BrokenPromise,
        Title = "Call Rossi",
        AssignedTo = assignee,
        DueOn = due ?? Today,
        Installments = [Key("K1"), Key("K2")],
        ProcedureId = "standard",
        StepIndex = 3,
        Cycle = 1,
        Why = "step 4",
        Status = status,
        CreatedAt = T0,
        Outcome = "promised",
        CompletedBy = Op2,
        CompletedAt = T0 + Duration.FromHours(1),
    };

    public static Activity Activity(CompanyId company, string id, string customer = "C001", Instant? at = null) => new()
    {
        Id = id,
        Company = company,
        CustomerCode = customer,
        Installments = [Key("K1"), Key("K3")],
        Kind = ActivityKind.Agreement,
        At = at ?? T0,
        By = Op1,
        Outcome = "no answer",
        Notes = "call back",
        TaskId = "t1",
        FollowUpTaskId = "t2",
    };

    public static AgendaEntry Agenda(CompanyId company, string id, OperatorId owner, LocalDate date, bool cancelled = false) => new()
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
        Cancelled = cancelled,
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

    public static CustomerAssignment Assignment(CompanyId company, string customer, params OperatorId[] responsibles) =>
        new(company, customer, responsibles.Length == 0 ? [Op1, Op2] : responsibles);

    public static ProcedureAssignment ProcedureAssignment(CompanyId company, ProcedureScope scope, string key, ProcedurePurpose purpose = ProcedurePurpose.UnpaidReceipt, string procedure = "riba") =>
        new(company, scope, key, purpose, procedure);

    public static QuarantinedRecord Quarantined(CompanyId company, string recordKey, Instant? at = null, string source = "mexal") =>
        new(company, source, new LedgerRecordError(recordKey, "DataScadenza", "31/02/2025", "not a date", "{\"raw\":true}"), at ?? T0);

    public static SyncCursor Cursor(CompanyId company, string source, string cursor) => new(company, source, cursor);

    /// <summary>One row of every kind for a company; <paramref name="prefix"/> marks texts so that rows of two companies differ.</summary>
    public static RecoveryChangeSet Everything(CompanyId company, string prefix = "")
    {
        var changes = new RecoveryChangeSet(company);
        var name = prefix.Length == 0 ? "Rossi S.r.l. — àèìòù €" : "Beta-only";
        changes.Customers.Add(Customer(company, "C001", name));
        changes.Cases.Add(new CaseWrite(Case(company, "K1", nextAction: Today), 0));
        changes.History.Add(Event(company, "K1", 1, prefix + "Opened"));
        changes.History.Add(Event(company, "K1", 1, prefix + "StepExecuted"));
        changes.Outbox.Add(Outbox(company, "m1"));
        changes.Tasks.Add(Task(company, "t1", Today, Op1));
        changes.Activities.Add(Activity(company, "a1"));
        changes.Agenda.Add(Agenda(company, "g1", Op1, Today));
        changes.Operators.Add(Operator(prefix + "op1", company));
        changes.Assignments.Add(Assignment(company, "C001"));
        changes.ProcedureAssignments.Add(ProcedureAssignment(company, ProcedureScope.Customer, "C001"));
        changes.ProcedureAssignments.Add(ProcedureAssignment(company, ProcedureScope.Company, string.Empty, ProcedurePurpose.Ordinary, "standard"));
        changes.Quarantine.Add(Quarantined(company, prefix + "scad/1"));
        changes.Cursors.Add(Cursor(company, "mexal", prefix + "2025-03-14T09:00:00Z#42 àè"));
        return changes;
    }
}
