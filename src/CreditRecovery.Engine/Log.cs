using Microsoft.Extensions.Logging;
using NodaTime;

namespace CreditRecovery;

/// <summary>The engine's log messages (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Ledger alignment of company {Company} on {BusinessDate}: {Installments} installments read, {Opened} cases opened, {Paid} paid, {Partial} partial payments, {Reopened} reopened, {Unpaid} unpaid receipts, {Removed} removed, {Rejected} rejected")]
    public static partial void LedgerAligned(ILogger logger, CompanyId company, LocalDate businessDate, int installments, int opened, int paid, int partial, int reopened, int unpaid, int removed, int rejected);

    [LoggerMessage(2, LogLevel.Warning, "Ledger record rejected and quarantined for company {Company}: record {RecordKey}, field {Field}: {Reason}")]
    public static partial void RecordRejected(ILogger logger, CompanyId company, string recordKey, string field, string reason);

    [LoggerMessage(3, LogLevel.Information, "Daily run of company {Company} for {BusinessDate}{DryRunSuffix}: {Examined} cases examined, {Changed} changed, {Messages} messages, {Tasks} tasks, {Holds} held, {Errors} errors")]
    public static partial void RunCompleted(ILogger logger, CompanyId company, LocalDate businessDate, string dryRunSuffix, int examined, int changed, int messages, int tasks, int holds, int errors);

    [LoggerMessage(4, LogLevel.Debug, "Concurrency conflict on company {Company}, customer {CustomerCode} (attempt {Attempt}): another writer changed a case; reading again")]
    public static partial void ConflictRetry(ILogger logger, CompanyId company, string customerCode, int attempt);

    [LoggerMessage(5, LogLevel.Warning, "Daily run of company {Company}: customer {CustomerCode} skipped after repeated conflicts: {Error}")]
    public static partial void CustomerFailed(ILogger logger, CompanyId company, string customerCode, string error);

    [LoggerMessage(6, LogLevel.Debug, "Daily run of company {Company} for {BusinessDate}: worker {WorkerId} skips partition {Partition}, leased by another worker")]
    public static partial void PartitionSkipped(ILogger logger, CompanyId company, LocalDate businessDate, string workerId, int partition);

    [LoggerMessage(7, LogLevel.Information, "Outbox of company {Company}: {Sent} sent, {Retrying} to retry, {Failed} failed, {Cancelled} cancelled, {Waiting} waiting for their retry time")]
    public static partial void Dispatched(ILogger logger, CompanyId company, int sent, int retrying, int failed, int cancelled, int waiting);

    [LoggerMessage(8, LogLevel.Warning, "Outbox of company {Company}: message {MessageId} not delivered (attempt {Attempt}), will retry: {Error}")]
    public static partial void DeliveryRetry(ILogger logger, CompanyId company, string messageId, int attempt, string error);

    [LoggerMessage(9, LogLevel.Error, "Outbox of company {Company}: message {MessageId} failed: {Error}; an operator task was created")]
    public static partial void DeliveryFailed(ILogger logger, CompanyId company, string messageId, string error);

    [LoggerMessage(10, LogLevel.Warning, "Inbound mail {MailId} not processed: {Error}; it stays in the mailbox for review")]
    public static partial void InboundMailSkipped(ILogger logger, string mailId, string error);
}
