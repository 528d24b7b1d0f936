using System.Net;

namespace CreditRecovery.Adapters.Mexal;

/// <summary>A call to the Mexal WebAPI failed for good (after any retries); the message says what Mexal answered.</summary>
public class MexalWebApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="status">The HTTP status, when the server answered.</param>
    /// <param name="detail">Mexal's <c>response-detail</c> (e.g. <c>6001 - errore gestionale [...]</c>), when given.</param>
    /// <param name="requestId">Mexal's <c>request-id</c>, to quote to support, when given.</param>
    /// <param name="innerException">The cause.</param>
    public MexalWebApiException(string message, HttpStatusCode? status = null, string? detail = null, string? requestId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        Detail = detail;
        RequestId = requestId;
    }

    /// <summary>The HTTP status, when the server answered.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>Mexal's <c>response-detail</c>, when given.</summary>
    public string? Detail { get; }

    /// <summary>Mexal's <c>request-id</c>, when given.</summary>
    public string? RequestId { get; }
}

/// <summary>
/// Mexal refused the credentials or the domain (401/403). The adapter never retries and makes no further call with this
/// source: a few failed attempts lock the WebAPI user, and only a Mexal administrator can unlock it.
/// </summary>
public sealed class MexalAuthenticationException : MexalWebApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to do.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="detail">Mexal's <c>response-detail</c>, when given.</param>
    /// <param name="requestId">Mexal's <c>request-id</c>, when given.</param>
    public MexalAuthenticationException(string message, HttpStatusCode? status, string? detail, string? requestId)
        : base(message, status, detail, requestId)
    {
    }
}

/// <summary>
/// A page of a listing could not be read: the <c>next</c> token was refused (it is short-lived and may have expired), or
/// the page was not valid JSON twice. The read stops; what was aligned before stays, and the next sync reads again.
/// </summary>
public sealed class MexalPagingException : MexalWebApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="status">The HTTP status, when the server answered.</param>
    /// <param name="detail">Mexal's <c>response-detail</c>, when given.</param>
    /// <param name="requestId">Mexal's <c>request-id</c>, when given.</param>
    /// <param name="innerException">The cause.</param>
    public MexalPagingException(string message, HttpStatusCode? status = null, string? detail = null, string? requestId = null, Exception? innerException = null)
        : base(message, status, detail, requestId, innerException)
    {
    }
}
