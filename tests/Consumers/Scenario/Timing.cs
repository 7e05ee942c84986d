// Serializer time per event, the same loop in every consumer, for .ci/package-consumers to compare the netstandard2.0
// build with the net10.0 one side by side (two processes, run alternately on one machine).
using System;
using System.Buffers;
using System.Diagnostics;
using Kissmetrics.Typed;

namespace Consumer
{
    /// <summary>Times the scenario's serialization.</summary>
    public static class Timing
    {
        /// <summary>Nanoseconds per serialized event over <paramref name="events"/> events (a sign-up and a completed order, alternately), after a warm-up.</summary>
        public static double NanosecondsPerEvent(int events)
        {
            KissmetricsOptions options = Scenario.Options(null);
            SignedUp signedUp = Scenario.SignedUp();
            OrderPlaced order = Scenario.Order();
            DateTimeOffset when = DateTimeOffset.FromUnixTimeSeconds(1388534400);
            var buffer = new ReusedBuffer();
            for (int i = 0; i < 20000; i++)
            {
                buffer.Reset();
                KissmetricsFormatter.WriteTrack(buffer, options, "bob", signedUp, when);
                KissmetricsFormatter.WriteTrack(buffer, options, "bob", order, when);
            }

            Stopwatch stopwatch = Stopwatch.StartNew();
            for (int i = 0; i < events / 2; i++)
            {
                buffer.Reset();
                KissmetricsFormatter.WriteTrack(buffer, options, "bob", signedUp, when);
                KissmetricsFormatter.WriteTrack(buffer, options, "bob", order, when);
            }

            return stopwatch.Elapsed.TotalMilliseconds * 1e6 / events;
        }

        // One array written over again (ArrayBufferWriter is not in netstandard2.0).
        private sealed class ReusedBuffer : IBufferWriter<byte>
        {
            private byte[] _array = new byte[8192];
            private int _written;

            public void Reset() => _written = 0;

            public void Advance(int count) => _written += count;

            public Memory<byte> GetMemory(int sizeHint = 0)
            {
                Ensure(sizeHint);
                return _array.AsMemory(_written);
            }

            public Span<byte> GetSpan(int sizeHint = 0)
            {
                Ensure(sizeHint);
                return _array.AsSpan(_written);
            }

            private void Ensure(int sizeHint)
            {
                if (_array.Length - _written < Math.Max(sizeHint, 1))
                {
                    Array.Resize(ref _array, Math.Max(_array.Length * 2, _written + sizeHint));
                }
            }
        }
    }
}
