using System;
using System.Collections.Generic;
using System.Text;
using Kissmetrics.Typed.Delivery.Transport;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Kissmetrics.Typed.Tests.Delivery.Transport;

/// <summary>The response framing, alone: every case fed whole, then split at every position, then a byte at a time.</summary>
public sealed class Http1ResponseParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A response, what it must parse to, and whether bytes of a next response after it are left alone.</summary>
    public static TheoryData<string, int, int?, bool> Responses => new()
    {
        // text, status, Retry-After seconds, Connection: close
        { "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nGIF", 200, null, false },
        { "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", 200, null, false },
        { "HTTP/1.1 204 No Content\r\n\r\n", 204, null, false },
        { "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", 304, null, false },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 200, null, false },
        { "HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: gzip, Chunked\r\n\r\nA;name=value\r\n0123456789\r\n1\r\nx\r\n0;last\r\nTrailer-One: 1\r\nTrailer-Two: 2\r\n\r\n", 200, null, false },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n", 200, null, false },
        { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, null, false },
        { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", 202, null, false },
        { "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\nContent-Length: 0\r\n\r\n", 503, 120, false },
        { "HTTP/1.1 429 Too Many Requests\r\nretry-after:  7 \r\nContent-Length: 0\r\n\r\n", 429, 7, false },
        { "HTTP/1.1 429 Too Many Requests\r\nRetry-After: Sun, 01 Mar 2026 12:00:30 GMT\r\nContent-Length: 0\r\n\r\n", 429, 30, false },
        { "HTTP/1.1 429 Too Many Requests\r\nRetry-After: Sun, 01 Mar 2026 11:00:00 GMT\r\nContent-Length: 0\r\n\r\n", 429, 0, false },
        { "HTTP/1.1 429 Too Many Requests\r\nRetry-After: soon\r\nContent-Length: 0\r\n\r\n", 429, null, false },
        { "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", 200, null, true },
        { "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", 200, null, true },
        { "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 200, null, true },
        { "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", 200, null, false },
        { "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 200, null, false },
        { "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 200, null, false },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\nX-Folded: a\r\n b\r\n\r\nhello", 200, null, false },
        { "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nerror", 500, null, false },
    };

    public static TheoryData<string> Garbage => new()
    {
        "garbage\r\n\r\n",
        "HTTP/2 200\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
        "\0\0\0\0\0\0\0\0\0\0\0\0\0\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public void Parses_a_response_whole_split_anywhere_and_byte_by_byte(string text, int status, int? retryAfterSeconds, bool close)
    {
        byte[] response = Encoding.ASCII.GetBytes(text);
        byte[] next = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"u8.ToArray();
        byte[] both = [.. response, .. next];

        // Whole, with the next response behind it in the same buffer: it must stop exactly at the end of the first.
        var parser = NewParser();
        Assert.Equal(Http1ParseStatus.Complete, parser.Parse(both, out int consumed));
        Assert.Equal(response.Length, consumed);
        AssertResult(parser, status, retryAfterSeconds, close);
        Assert.Equal(Http1ParseStatus.Complete, parser.Parse(both.AsSpan(consumed), out int second));
        Assert.Equal(next.Length, second);
        Assert.Equal(201, parser.StatusCode);

        // Split at every position, fed as a connection would: unconsumed bytes kept, the next read appended.
        for (int split = 0; split <= response.Length; split++)
        {
            parser = NewParser();
            List<byte[]> reads = [response[..split], response[split..]];
            Assert.True(FeedAsReads(parser, reads), $"split at {split}");
            AssertResult(parser, status, retryAfterSeconds, close);
        }

        // A byte at a time.
        parser = NewParser();
        var bytes = new List<byte[]>();
        foreach (byte b in response)
        {
            bytes.Add([b]);
        }

        Assert.True(FeedAsReads(parser, bytes), "byte by byte");
        AssertResult(parser, status, retryAfterSeconds, close);
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_is_invalid_whole_and_byte_by_byte(string text)
    {
        byte[] response = Encoding.ASCII.GetBytes(text);
        Assert.Equal(Http1ParseStatus.Invalid, FeedUntilDecided(NewParser(), [response]));

        var bytes = new List<byte[]>();
        foreach (byte b in response)
        {
            bytes.Add([b]);
        }

        Assert.Equal(Http1ParseStatus.Invalid, FeedUntilDecided(NewParser(), bytes));
    }

    [Fact]
    public void Header_block_over_16_KiB_is_invalid_even_before_it_ends()
    {
        var text = new StringBuilder("HTTP/1.1 200 OK\r\n");
        while (text.Length < Http1ResponseParser.MaxHeaderBytes + 10)
        {
            text.Append("X-Padding: 0123456789012345678901234567890123456789\r\n");
        }

        byte[] unfinished = Encoding.ASCII.GetBytes(text.ToString());
        Assert.Equal(Http1ParseStatus.Invalid, NewParser().Parse(unfinished, out _));

        byte[] finished = Encoding.ASCII.GetBytes(text + "Content-Length: 0\r\n\r\n");
        Assert.Equal(Http1ParseStatus.Invalid, NewParser().Parse(finished, out _));

        // Just under the limit is fine.
        var small = new StringBuilder("HTTP/1.1 200 OK\r\n");
        while (small.Length < Http1ResponseParser.MaxHeaderBytes - 200)
        {
            small.Append("X-Padding: 0123456789012345678901234567890123456789\r\n");
        }

        small.Append("Content-Length: 0\r\n\r\n");
        Assert.Equal(Http1ParseStatus.Complete, NewParser().Parse(Encoding.ASCII.GetBytes(small.ToString()), out _));
    }

    [Fact]
    public void A_body_without_length_ends_with_the_connection()
    {
        var parser = NewParser();
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\n\r\nGIF89a"u8.ToArray();
        Assert.Equal(Http1ParseStatus.NeedMoreData, parser.Parse(head, out int consumed));
        Assert.Equal(head.Length, consumed);
        Assert.True(parser.InProgress);
        Assert.Equal(Http1ParseStatus.NeedMoreData, parser.Parse("more body"u8, out consumed));
        Assert.Equal(9, consumed);
        Assert.True(parser.CompleteAtEndOfStream());
        Assert.Equal(200, parser.StatusCode);
        Assert.True(parser.ConnectionClose);

        // An encoding other than chunked last: also until the connection ends.
        parser = NewParser();
        Assert.Equal(Http1ParseStatus.NeedMoreData, parser.Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx"u8, out _));
        Assert.True(parser.CompleteAtEndOfStream());
    }

    [Fact]
    public void A_response_cut_short_does_not_complete_at_the_end_of_the_stream()
    {
        var parser = NewParser();
        Assert.Equal(Http1ParseStatus.NeedMoreData, parser.Parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"u8, out _));
        Assert.True(parser.InProgress);
        Assert.False(parser.CompleteAtEndOfStream());

        parser = NewParser();
        Assert.Equal(Http1ParseStatus.NeedMoreData, parser.Parse("HTTP/1.1 200 OK\r\nContent-Le"u8, out int consumed));
        Assert.Equal(0, consumed);
        Assert.False(parser.InProgress); // nothing consumed: only the receive loop's buffer knows of it
        Assert.False(parser.CompleteAtEndOfStream());
    }

    [Fact]
    public void Many_responses_in_one_buffer_complete_one_at_a_time()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 50; i++)
        {
            text.Append(i % 2 == 0
                ? "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nGIF"
                : "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
        }

        byte[] bytes = Encoding.ASCII.GetBytes(text.ToString());
        var parser = NewParser();
        int at = 0;
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(Http1ParseStatus.Complete, parser.Parse(bytes.AsSpan(at), out int consumed));
            Assert.Equal(i % 2 == 0 ? 200 : 202, parser.StatusCode);
            at += consumed;
        }

        Assert.Equal(bytes.Length, at);
    }

    private static Http1ResponseParser NewParser() => new(new FakeTimeProvider(Now));

    private static void AssertResult(Http1ResponseParser parser, int status, int? retryAfterSeconds, bool close)
    {
        Assert.Equal(status, parser.StatusCode);
        Assert.Equal(retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, parser.RetryAfter);
        Assert.Equal(close, parser.ConnectionClose);
        Assert.False(parser.InProgress);
    }

    /// <summary>Feeds the reads as a receive loop does; true when exactly one response completed using every byte.</summary>
    private static bool FeedAsReads(Http1ResponseParser parser, List<byte[]> reads)
    {
        var pending = new List<byte>();
        int completed = 0;
        foreach (byte[] read in reads)
        {
            pending.AddRange(read);
            while (pending.Count > 0)
            {
                Http1ParseStatus status = parser.Parse(pending.ToArray(), out int consumed);
                pending.RemoveRange(0, consumed);
                if (status == Http1ParseStatus.Invalid)
                {
                    return false;
                }

                if (status == Http1ParseStatus.NeedMoreData)
                {
                    break;
                }

                completed++;
            }
        }

        return completed == 1 && pending.Count == 0;
    }

    private static Http1ParseStatus FeedUntilDecided(Http1ResponseParser parser, List<byte[]> reads)
    {
        var pending = new List<byte>();
        foreach (byte[] read in reads)
        {
            pending.AddRange(read);
            Http1ParseStatus status = parser.Parse(pending.ToArray(), out int consumed);
            pending.RemoveRange(0, consumed);
            if (status != Http1ParseStatus.NeedMoreData)
            {
                return status;
            }
        }

        return Http1ParseStatus.NeedMoreData;
    }
}
