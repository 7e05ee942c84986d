using System;

namespace Kissmetrics.Typed.Serialization;

/// <summary>Unix seconds with floor rounding, as Kissmetrics' <c>_t</c> and date properties expect.</summary>
internal static class UnixTime
{
    private static readonly long s_epochTicks = DateTime.UnixEpoch.Ticks;

    public static long SecondsFromTicks(long utcTicks)
    {
        long sinceEpoch = utcTicks - s_epochTicks;
        long seconds = sinceEpoch / TimeSpan.TicksPerSecond;
        return sinceEpoch % TimeSpan.TicksPerSecond < 0 ? seconds - 1 : seconds;
    }

    public static long Seconds(DateTimeOffset value) => SecondsFromTicks(value.UtcTicks);
}
