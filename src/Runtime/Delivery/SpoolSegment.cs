using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Kissmetrics.Typed.Compatibility;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// One spool file (<c>requests-N.kmspool</c>) and its acknowledgement log (<c>requests-N.kmack</c>): the lines of the
/// requests it holds, how many of them were accounted for (delivered or finally dropped), and whether more may come. Each
/// accounted line is acknowledged on disk at once (one 8-byte <c>pwrite</c>), so a start after a crash sends again only
/// what had not ended. The segment is deleted once sealed and every line is accounted for.
/// </summary>
internal sealed class SpoolSegment
{
    public const string Extension = ".kmspool";
    public const string AcknowledgementExtension = ".kmack";

    private int _written;
    private int _completed;
    private int _sealed;
    private int _deleted;
    private long _acknowledgementLength;

    public SpoolSegment(string path, long sequence, long bytes)
    {
        Path = path;
        AcknowledgementPath = System.IO.Path.ChangeExtension(path, AcknowledgementExtension);
        Sequence = sequence;
        Bytes = bytes;
    }

    public string Path { get; }

    public string AcknowledgementPath { get; }

    public long Sequence { get; }

    /// <summary>The bytes of its lines. Under the spool's lock.</summary>
    public long Bytes { get; set; }

    /// <summary>The writer's handle while this is the active segment. Under the spool's lock.</summary>
    public FileStream? Stream { get; set; }

    /// <summary>The offsets of the lines an earlier run acknowledged: skipped by the replay.</summary>
    public HashSet<int>? Acknowledged { get; set; }

    /// <summary>The bytes of its acknowledgement log.</summary>
    public long AcknowledgementBytes => Interlocked.Read(ref _acknowledgementLength);

    public bool IsDeleted => Volatile.Read(ref _deleted) != 0;

    /// <summary>Every line written so far is accounted for.</summary>
    public bool IsFinished => Volatile.Read(ref _completed) == Volatile.Read(ref _written);

    private FileStream? Acknowledgements { get; set; }

    public void AddRecord() => Interlocked.Increment(ref _written);

    /// <summary>Opens its acknowledgement log for appending (creating it <c>0600</c>); with <paramref name="format"/>, first reads the offsets an earlier run acknowledged.</summary>
    public void OpenAcknowledgements(SpoolFormat? format)
    {
        var stream = SpoolDirectory.OpenOwnerOnly(AcknowledgementPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            long length = stream.Length - (stream.Length % SpoolFormat.AcknowledgementSize); // a torn last record is written over
            if (format is not null && length > 0)
            {
                var acknowledged = new HashSet<int>();
                byte[] records = new byte[(int)Math.Min(length, 1 << 20)];
                long position = 0;
                while (position < length)
                {
                    int read = PositionalFile.Read(stream, records.AsSpan(0, (int)Math.Min(records.Length, length - position)), position);
                    if (read < SpoolFormat.AcknowledgementSize)
                    {
                        break;
                    }

                    read -= read % SpoolFormat.AcknowledgementSize;
                    for (int i = 0; i < read; i += SpoolFormat.AcknowledgementSize)
                    {
                        if (format.TryReadAcknowledgement(records.AsSpan(i, SpoolFormat.AcknowledgementSize), Sequence, out int offset))
                        {
                            acknowledged.Add(offset);
                        }
                    }

                    position += read;
                }

                Acknowledged = acknowledged;
            }

            _acknowledgementLength = length;
            Acknowledgements = stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Records on disk that the line at <paramref name="offset"/> was accounted for. Thread-safe; throws on I/O errors.</summary>
    public void Acknowledge(SpoolFormat format, int offset)
    {
        FileStream? stream = Acknowledgements;
        if (stream is null)
        {
            return;
        }

        Span<byte> record = stackalloc byte[SpoolFormat.AcknowledgementSize];
        format.WriteAcknowledgement(record, Sequence, offset);
        long at = Interlocked.Add(ref _acknowledgementLength, SpoolFormat.AcknowledgementSize) - SpoolFormat.AcknowledgementSize;
        PositionalFile.Write(stream, record, at);
    }

    /// <summary>Accounts for one record; <see langword="true"/> when the segment is now finished and can be deleted.</summary>
    public bool CompleteRecord() => Interlocked.Increment(ref _completed) == Volatile.Read(ref _written) && Volatile.Read(ref _sealed) != 0;

    /// <summary>No record is added after this; <see langword="true"/> when the segment is finished and can be deleted.</summary>
    public bool Seal()
    {
        Interlocked.Exchange(ref _sealed, 1);
        return IsFinished;
    }

    /// <summary>Marks the segment deleted; <see langword="true"/> for the one caller that gets to delete it.</summary>
    public bool TryMarkDeleted() => Interlocked.Exchange(ref _deleted, 1) == 0;

    /// <summary>Closes its files (the writer's and the acknowledgement log).</summary>
    public void CloseFiles()
    {
        Stream?.Dispose();
        Stream = null;
        Acknowledgements?.Dispose();
        Acknowledgements = null;
    }
}
