using System;
using System.Buffers.Text;
using System.Reflection;
using System.Text;

namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>
/// Frames a request line (<c>/e?_k=...</c>) as the bytes of one HTTP/1.1 request: a GET of the endpoint's path and the
/// line, or, when the URL would pass <see cref="OutgoingRequest.MaxGetUrlLength"/>, a POST of the path with the query as
/// a form body. The same rule and the same target and body as <see cref="HttpClientTransport.CreateMessage"/>, so both transports
/// put equivalent bytes on the wire. Everything but the line is computed once per endpoint.
/// </summary>
internal sealed class Http1RequestWriter
{
    private static readonly byte[] s_formHeaders = "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "u8.ToArray();

    private readonly byte[] _getPrefix;
    private readonly byte[] _postPrefix;
    private readonly byte[] _versionAndHeaders;
    private readonly int _endpointLength;

    /// <summary>Prepares the fixed parts for <paramref name="endpoint"/> (an absolute http or https URI).</summary>
    public Http1RequestWriter(Uri endpoint)
    {
        // The path without its trailing '/': "https://host/base/" + "/e?..." -> "/base/e?..." (OutgoingRequest.UrlPrefix).
        string basePath = endpoint.AbsolutePath.TrimEnd('/');
        _endpointLength = OutgoingRequest.UrlPrefix(endpoint).Length;
        _getPrefix = Encoding.ASCII.GetBytes("GET " + basePath);
        _postPrefix = Encoding.ASCII.GetBytes("POST " + basePath);
        _versionAndHeaders = Encoding.ASCII.GetBytes(
            " HTTP/1.1\r\nHost: " + HostHeader(endpoint) + "\r\nUser-Agent: " + UserAgent + "\r\n");
    }

    /// <summary>What every request says it is: <c>Kissmetrics.Typed/&lt;informational version&gt;</c>.</summary>
    public static string UserAgent { get; } = "Kissmetrics.Typed/" + Version();

    /// <summary>The bytes <see cref="Write"/> needs for <paramref name="line"/>.</summary>
    public int GetLength(ReadOnlySpan<byte> line)
    {
        if (IsGet(line))
        {
            return _getPrefix.Length + line.Length + _versionAndHeaders.Length + 2;
        }

        int query = QueryStart(line);
        int body = line.Length - query - 1;
        return _postPrefix.Length + query + _versionAndHeaders.Length + s_formHeaders.Length + DigitCount(body) + 4 + body;
    }

    /// <summary>Writes the request for <paramref name="line"/> into <paramref name="destination"/> (at least <see cref="GetLength"/> bytes); returns its length.</summary>
    public int Write(ReadOnlySpan<byte> line, Span<byte> destination)
    {
        int at = 0;
        if (IsGet(line))
        {
            Append(_getPrefix, destination, ref at);
            Append(line, destination, ref at);
            Append(_versionAndHeaders, destination, ref at);
            Append("\r\n"u8, destination, ref at);
            return at;
        }

        int query = QueryStart(line);
        ReadOnlySpan<byte> body = query < line.Length ? line.Slice(query + 1) : default;
        Append(_postPrefix, destination, ref at);
        Append(line.Slice(0, query), destination, ref at);
        Append(_versionAndHeaders, destination, ref at);
        Append(s_formHeaders, destination, ref at);
        Utf8Formatter.TryFormat(body.Length, destination.Slice(at), out int digits);
        at += digits;
        Append("\r\n\r\n"u8, destination, ref at);
        Append(body, destination, ref at);
        return at;
    }

    /// <summary>The <c>Host</c> header: the host (IDN as punycode, IPv6 in brackets) and the port unless it is the scheme's default.</summary>
    internal static string HostHeader(Uri endpoint)
    {
        string host = endpoint.IdnHost;
        if (endpoint.HostNameType == UriHostNameType.IPv6 && !host.StartsWith('['))
        {
            host = "[" + host + "]";
        }

        return endpoint.IsDefaultPort ? host : host + ":" + endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private bool IsGet(ReadOnlySpan<byte> line) => OutgoingRequest.IsGet(_endpointLength, line.Length);

    /// <summary>Where the query starts ('?'); a line without one (never built by the client) is POSTed whole as the path, with an empty body.</summary>
    private static int QueryStart(ReadOnlySpan<byte> line)
    {
        int query = line.IndexOf((byte)'?');
        return query < 0 ? line.Length : query;
    }

    private static int DigitCount(int value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }

    private static void Append(ReadOnlySpan<byte> source, Span<byte> destination, ref int at)
    {
        source.CopyTo(destination.Slice(at));
        at += source.Length;
    }

    private static string Version()
    {
        string? version = typeof(Http1RequestWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        // A header value is visible ASCII; the version is, but a build could stamp anything.
        if (version is null || version.Length == 0 || !Ascii.IsValid(version) || version.AsSpan().IndexOfAnyInRange('\0', ' ') >= 0)
        {
            return "0.0.0";
        }

        return version;
    }
}
