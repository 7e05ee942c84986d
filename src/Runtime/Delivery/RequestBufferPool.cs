using System;
using System.Numerics;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// The buffers queued requests live in: power-of-two size classes from 256 bytes to 64 KiB, each a stack under a short
/// lock (never held across I/O). A class keeps at most <c>retain</c> free buffers, so once the pool has seen the
/// queue's peak, renting and returning allocate nothing; requests over 64 KiB get a buffer of their own.
/// </summary>
internal sealed class RequestBufferPool
{
    private const int MinShift = 8; // 256 bytes
    private const int MaxShift = 16; // 64 KiB
    private readonly SizeClass[] _classes;

    public RequestBufferPool(int retain)
    {
        _classes = new SizeClass[MaxShift - MinShift + 1];
        for (int i = 0; i < _classes.Length; i++)
        {
            _classes[i] = new SizeClass(1 << (MinShift + i), retain);
        }
    }

    public byte[] Rent(int length)
    {
        int index = ClassOf(length);
        return index < 0 ? new byte[length] : _classes[index].Rent();
    }

    public void Return(byte[] buffer)
    {
        int index = ClassOf(buffer.Length);
        if (index >= 0 && _classes[index].Size == buffer.Length)
        {
            _classes[index].Return(buffer);
        }
    }

    private static int ClassOf(int length)
    {
        if (length > 1 << MaxShift)
        {
            return -1;
        }

        int shift = length <= 1 << MinShift ? MinShift : 32 - BitOperations.LeadingZeroCount((uint)length - 1);
        return shift - MinShift;
    }

    private sealed class SizeClass
    {
        private readonly int _retain;
        private byte[]?[] _free = new byte[]?[16];
        private int _count;

        public SizeClass(int size, int retain)
        {
            Size = size;
            _retain = retain;
        }

        public int Size { get; }

        public byte[] Rent()
        {
            lock (this)
            {
                if (_count > 0)
                {
                    byte[] buffer = _free[--_count]!;
                    _free[_count] = null;
                    return buffer;
                }
            }

            return new byte[Size];
        }

        public void Return(byte[] buffer)
        {
            lock (this)
            {
                if (_count == _free.Length)
                {
                    if (_count >= _retain)
                    {
                        return;
                    }

                    Array.Resize(ref _free, Math.Min(_free.Length * 2, Math.Max(_retain, 16)));
                }

                _free[_count++] = buffer;
            }
        }
    }
}
