using System;
using System.Buffers.Text;
using System.Text;

namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>What <see cref="Http1ResponseParser.Parse"/> came to.</summary>
internal enum Http1ParseStatus
{
    /// <summary>The response is not complete yet: feed the unconsumed bytes again with more after them.</summary>
    NeedMoreData,

    /// <summary>One final response is complete: read <see cref="Http1ResponseParser.StatusCode"/> and the rest, then parse the next one.</summary>
    Complete,

    /// <summary>The bytes are not an HTTP/1.x response (or break a limit): the connection cannot be trusted any more.</summary>
    Invalid,
}

/// <summary>
/// Frames HTTP/1.x responses on one connection, one after another, without allocating: the status line and headers
/// (read whole once their blank line has arrived, at most <see cref="MaxHeaderBytes"/>), then the body by
/// <c>Content-Length</c>, <c>Transfer-Encoding: chunked</c> (extensions and trailers skipped) or the end of the
/// connection. Interim 1xx responses are skipped. Only what the client acts on is kept: the status, <c>Retry-After</c>
/// and whether the server will close the connection. The body is discarded (Kissmetrics answers a 1x1 GIF).
/// </summary>
/// <remarks>
/// The caller owns the buffer: it calls <see cref="Parse"/> with every byte it holds that is not consumed yet, drops
/// the consumed ones, and calls again after the next read. The header block is only ever parsed whole (it returns
/// <see cref="Http1ParseStatus.NeedMoreData"/> consuming nothing until the blank line is there), so headers split across
/// reads cost nothing but a re-scan; body bytes are consumed as they come, so a large body never needs a large buffer.
/// </remarks>
internal sealed class Http1ResponseParser
{
    /// <summary>The largest header block (status line included) accepted; anything longer is <see cref="Http1ParseStatus.Invalid"/>.</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    private readonly TimeProvider _timeProvider;
    private State _state;
    private long _remaining; // body bytes left (Content-Length) or chunk bytes left
    private int _chunkSizeDigits;
    private int _resumeScanAt; // how far the unconsumed header bytes were searched for their end

    /// <summary>Creates a parser; <paramref name="timeProvider"/> turns a <c>Retry-After</c> date into a wait.</summary>
    public Http1ResponseParser(TimeProvider timeProvider) => _timeProvider = timeProvider;

    private enum State
    {
        Headers,
        ContentLength,
        ChunkSize,
        ChunkExtension,
        ChunkSizeLf,
        ChunkData,
        ChunkDataCr,
        ChunkDataLf,
        TrailerLineStart,
        TrailerLine,
        TrailerEndLf,
        UntilClose,
    }

    /// <summary>The status of the last complete response.</summary>
    public int StatusCode { get; private set; }

    /// <summary>The last complete response's <c>Retry-After</c> (a date less the clock, never negative); <see langword="null"/> when it had none or it did not parse.</summary>
    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>The server will close the connection after the last complete response (<c>Connection: close</c>, or HTTP/1.0 without keep-alive, or a body that ends with the connection).</summary>
    public bool ConnectionClose { get; private set; }

    /// <summary>Whether part of a response has been consumed but not completed (a response is in progress).</summary>
    public bool InProgress => _state != State.Headers;

    /// <summary>Forgets any response in progress: the next bytes are the start of a new response.</summary>
    public void Reset()
    {
        _state = State.Headers;
        _remaining = 0;
        _chunkSizeDigits = 0;
        _resumeScanAt = 0;
    }

    /// <summary>
    /// Parses from the start of <paramref name="buffer"/> (the bytes not consumed by earlier calls). Stops at the end
    /// of one final response (<see cref="Http1ParseStatus.Complete"/>) so that the caller can act on it; the bytes after
    /// it are the next response's.
    /// </summary>
    /// <param name="buffer">The unconsumed bytes.</param>
    /// <param name="consumed">How many bytes of <paramref name="buffer"/> were used and must not be fed again.</param>
    public Http1ParseStatus Parse(ReadOnlySpan<byte> buffer, out int consumed)
    {
        consumed = 0;
        while (true)
        {
            ReadOnlySpan<byte> rest = buffer.Slice(consumed);
            switch (_state)
            {
                case State.Headers:
                {
                    int end = FindHeaderEnd(rest);
                    if (end < 0)
                    {
                        return rest.Length >= MaxHeaderBytes ? Http1ParseStatus.Invalid : Http1ParseStatus.NeedMoreData;
                    }

                    if (end > MaxHeaderBytes || !ParseHeaders(rest.Slice(0, end), out bool interim))
                    {
                        return Http1ParseStatus.Invalid;
                    }

                    consumed += end;
                    if (interim)
                    {
                        continue; // 100 Continue and the like: the final answer follows
                    }

                    if (_state == State.Headers)
                    {
                        return Http1ParseStatus.Complete; // no body
                    }

                    continue;
                }

                case State.ContentLength:
                {
                    int take = (int)Math.Min(_remaining, rest.Length);
                    consumed += take;
                    _remaining -= take;
                    if (_remaining > 0)
                    {
                        return Http1ParseStatus.NeedMoreData;
                    }

                    _state = State.Headers;
                    return Http1ParseStatus.Complete;
                }

                case State.ChunkData:
                {
                    int take = (int)Math.Min(_remaining, rest.Length);
                    consumed += take;
                    _remaining -= take;
                    if (_remaining > 0)
                    {
                        return Http1ParseStatus.NeedMoreData;
                    }

                    _state = State.ChunkDataCr;
                    continue;
                }

                case State.UntilClose:
                    consumed = buffer.Length;
                    return Http1ParseStatus.NeedMoreData;

                default:
                {
                    // The chunk framing, a byte at a time: its lines may be split anywhere.
                    if (rest.IsEmpty)
                    {
                        return Http1ParseStatus.NeedMoreData;
                    }

                    byte b = rest[0];
                    consumed++;
                    Http1ParseStatus? status = StepChunked(b);
                    if (status is { } done)
                    {
                        return done;
                    }

                    continue;
                }
            }
        }
    }

    /// <summary>
    /// The connection ended: completes a response whose body runs to the end of the connection. Returns
    /// <see langword="false"/> when a response was cut short (or none was in progress).
    /// </summary>
    public bool CompleteAtEndOfStream()
    {
        if (_state != State.UntilClose)
        {
            return false;
        }

        _state = State.Headers;
        ConnectionClose = true;
        return true;
    }

    /// <summary>The length of the header block, its blank line included; -1 when it has not all arrived.</summary>
    private int FindHeaderEnd(ReadOnlySpan<byte> buffer)
    {
        // Lines end with CRLF; a bare LF is accepted too (RFC 9112 §2.2), so look for LF followed by an empty line.
        // The caller feeds the same unconsumed bytes again with more after them: the scan resumes where it stopped,
        // so a header block arriving a byte at a time costs linear time, not quadratic.
        int limit = Math.Min(buffer.Length, MaxHeaderBytes + 1);
        int from = Math.Min(_resumeScanAt, limit);
        while (true)
        {
            int lf = buffer.Slice(from, limit - from).IndexOf((byte)'\n');
            if (lf < 0)
            {
                _resumeScanAt = limit;
                return -1;
            }

            int at = from + lf;
            int next = at + 1;
            if (next < buffer.Length && buffer[next] == (byte)'\n')
            {
                _resumeScanAt = 0;
                return next + 1;
            }

            if (next + 1 < buffer.Length && buffer[next] == (byte)'\r' && buffer[next + 1] == (byte)'\n')
            {
                _resumeScanAt = 0;
                return next + 2;
            }

            if (next == buffer.Length || (next + 1 == buffer.Length && buffer[next] == (byte)'\r'))
            {
                _resumeScanAt = at; // what follows this LF has not all arrived: look at it again next time
                return -1;
            }

            from = next;
        }
    }

    /// <summary>Reads a whole header block; sets the body state. <paramref name="interim"/> is set for a 1xx to skip.</summary>
    private bool ParseHeaders(ReadOnlySpan<byte> block, out bool interim)
    {
        interim = false;
        ReadOnlySpan<byte> line = NextLine(ref block);

        // HTTP/1.x SP 3DIGIT [SP reason]
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' '
            || !IsDigit(line[9]) || !IsDigit(line[10]) || !IsDigit(line[11]) || (line.Length > 12 && line[12] != (byte)' '))
        {
            return false;
        }

        bool http10 = line[7] == (byte)'0';
        if (!http10 && line[7] != (byte)'1')
        {
            return false;
        }

        int status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (status < 100)
        {
            return false;
        }

        bool close = http10;
        bool chunked = false;
        bool transferEncoding = false;
        long contentLength = -1;
        TimeSpan? retryAfter = null;
        while (!block.IsEmpty)
        {
            line = NextLine(ref block);
            if (line.IsEmpty)
            {
                break; // the blank line
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                continue; // obs-fold of a header we do not read (RFC 9112 §5.2 lets a client replace it with a space)
            }

            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || line.Slice(0, colon).IndexOfAny((byte)' ', (byte)'\t') >= 0)
            {
                return false;
            }

            ReadOnlySpan<byte> name = line.Slice(0, colon);
            ReadOnlySpan<byte> value = line.Slice(colon + 1).Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!TryParseLength(value, out long length) || (contentLength >= 0 && length != contentLength))
                {
                    return false; // two different lengths: the framing is ambiguous (RFC 9112 §6.3)
                }

                contentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                transferEncoding = true;
                chunked = LastTokenIs(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                if (HasToken(value, "close"u8))
                {
                    close = true;
                }
                else if (http10 && HasToken(value, "keep-alive"u8))
                {
                    close = false;
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Retry-After"u8))
            {
                retryAfter = ParseRetryAfter(value);
            }
        }

        if (status < 200)
        {
            if (status == 101)
            {
                return false; // never asked for an upgrade
            }

            interim = true;
            return true;
        }

        StatusCode = status;
        RetryAfter = retryAfter;
        ConnectionClose = close;
        if (status is 204 or 304)
        {
            _state = State.Headers; // never a body (RFC 9112 §6.3)
        }
        else if (transferEncoding)
        {
            if (chunked)
            {
                _state = State.ChunkSize;
                _chunkSizeDigits = 0;
                _remaining = 0;
            }
            else
            {
                _state = State.UntilClose; // an encoding other than chunked last: the body ends with the connection
                ConnectionClose = true;
            }
        }
        else if (contentLength >= 0)
        {
            _remaining = contentLength;
            _state = contentLength == 0 ? State.Headers : State.ContentLength;
        }
        else
        {
            _state = State.UntilClose;
            ConnectionClose = true;
        }

        return true;
    }

    /// <summary>One step of the chunked framing; a status when the response ends or breaks, else <see langword="null"/>.</summary>
    private Http1ParseStatus? StepChunked(byte b)
    {
        switch (_state)
        {
            case State.ChunkSize:
                int digit = HexValue(b);
                if (digit >= 0)
                {
                    if (++_chunkSizeDigits > 15)
                    {
                        return Http1ParseStatus.Invalid; // beyond any sane chunk, and beyond a long
                    }

                    _remaining = (_remaining << 4) | (uint)digit;
                    return null;
                }

                if (_chunkSizeDigits == 0)
                {
                    return Http1ParseStatus.Invalid;
                }

                if (b == (byte)'\r')
                {
                    _state = State.ChunkSizeLf;
                    return null;
                }

                if (b == (byte)'\n')
                {
                    return EndOfChunkSizeLine();
                }

                if (b is (byte)';' or (byte)' ' or (byte)'\t')
                {
                    _state = State.ChunkExtension;
                    return null;
                }

                return Http1ParseStatus.Invalid;

            case State.ChunkExtension:
                // Extensions are skipped (nobody defines one we need); the line ends at LF.
                if (b == (byte)'\n')
                {
                    return EndOfChunkSizeLine();
                }

                return null;

            case State.ChunkSizeLf:
                return b == (byte)'\n' ? EndOfChunkSizeLine() : Http1ParseStatus.Invalid;

            case State.ChunkDataCr:
                if (b == (byte)'\r')
                {
                    _state = State.ChunkDataLf;
                    return null;
                }

                if (b == (byte)'\n')
                {
                    StartChunkSize();
                    return null;
                }

                return Http1ParseStatus.Invalid;

            case State.ChunkDataLf:
                if (b != (byte)'\n')
                {
                    return Http1ParseStatus.Invalid;
                }

                StartChunkSize();
                return null;

            case State.TrailerLineStart:
                if (b == (byte)'\r')
                {
                    _state = State.TrailerEndLf;
                    return null;
                }

                if (b == (byte)'\n')
                {
                    _state = State.Headers;
                    return Http1ParseStatus.Complete;
                }

                _state = State.TrailerLine;
                return null;

            case State.TrailerLine:
                // Trailer fields are skipped; a very long trailer is bounded by the timeout, not buffered.
                if (b == (byte)'\n')
                {
                    _state = State.TrailerLineStart;
                }

                return null;

            case State.TrailerEndLf:
                if (b != (byte)'\n')
                {
                    return Http1ParseStatus.Invalid;
                }

                _state = State.Headers;
                return Http1ParseStatus.Complete;

            default:
                return Http1ParseStatus.Invalid;
        }
    }

    private Http1ParseStatus? EndOfChunkSizeLine()
    {
        _state = _remaining == 0 ? State.TrailerLineStart : State.ChunkData;
        return null;
    }

    private void StartChunkSize()
    {
        _state = State.ChunkSize;
        _remaining = 0;
        _chunkSizeDigits = 0;
    }

    private TimeSpan? ParseRetryAfter(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        if (IsDigit(value[0]))
        {
            return TryParseLength(value, out long seconds) && seconds <= int.MaxValue ? TimeSpan.FromSeconds(seconds) : null;
        }

        // An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): Utf8Parser's 'R' format reads it without a string.
        if (Utf8Parser.TryParse(value, out DateTimeOffset date, out int used, 'R') && used == value.Length)
        {
            TimeSpan wait = date - _timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static ReadOnlySpan<byte> NextLine(ref ReadOnlySpan<byte> block)
    {
        int lf = block.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line = lf < 0 ? block : block.Slice(0, lf);
        block = lf < 0 ? default : block.Slice(lf + 1);
        return !line.IsEmpty && line[^1] == (byte)'\r' ? line.Slice(0, line.Length - 1) : line;
    }

    private static bool TryParseLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty || value.Length > 18)
        {
            return false;
        }

        foreach (byte b in value)
        {
            if (!IsDigit(b))
            {
                return false;
            }

            length = (length * 10) + (b - '0');
        }

        return true;
    }

    /// <summary>Whether the comma-separated list <paramref name="value"/> holds <paramref name="token"/> (any case).</summary>
    private static bool HasToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        while (!value.IsEmpty)
        {
            int comma = value.IndexOf((byte)',');
            ReadOnlySpan<byte> item = (comma < 0 ? value : value.Slice(0, comma)).Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(item, token))
            {
                return true;
            }

            value = comma < 0 ? default : value.Slice(comma + 1);
        }

        return false;
    }

    /// <summary>Whether the last coding of the list <paramref name="value"/> is <paramref name="token"/>: only then is the body chunked (RFC 9112 §6.3).</summary>
    private static bool LastTokenIs(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        int comma = value.LastIndexOf((byte)',');
        ReadOnlySpan<byte> last = (comma < 0 ? value : value.Slice(comma + 1)).Trim(" \t"u8);
        int parameters = last.IndexOf((byte)';');
        return Ascii.EqualsIgnoreCase((parameters < 0 ? last : last.Slice(0, parameters)).Trim(" \t"u8), token);
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
