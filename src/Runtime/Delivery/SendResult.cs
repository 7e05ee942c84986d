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
