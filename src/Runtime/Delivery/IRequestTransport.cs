using System.Threading;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.Delivery;

/// <summary>The outcome of delivering one request, after every attempt.</summary>
internal enum SendOutcome
{
    /// <summary>A 2xx answer.</summary>
    Delivered,

    /// <summary>A 4xx other than 408 and 429: not retried, dropped.</summary>
    Rejected,

    /// <summary>Still failing after the last attempt or the longest retry duration: dropped.</summary>
    GaveUp,
}

/// <summary>What became of one request: the outcome, the last HTTP status (0 when none), how many attempts, and why it failed.</summary>
internal readonly record struct SendResult(SendOutcome Outcome, int StatusCode, int Attempts, string? Failure);

/// <summary>Sends one request with its retries. The client's only way out; tests and benchmarks can stand in for HTTP.</summary>
internal interface IRequestTransport
{
    /// <summary>Delivers <paramref name="request"/> (reading its bytes, never keeping them); throws <see cref="System.OperationCanceledException"/> only when <paramref name="cancellationToken"/> fires.</summary>
    Task<SendResult> SendAsync(OutgoingRequest request, CancellationToken cancellationToken);
}
