using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>
/// Which transport a client sends with: the user's <see cref="HttpClient"/> when one is given, an
/// <see cref="HttpClient"/> of the client's own when <see cref="KissmetricsOptions.Transport"/> says so or a proxy
/// applies to the endpoint, and the socket transport otherwise.
/// </summary>
internal static class TransportSelection
{
    public static IAttemptTransport Create(KissmetricsOptions options, HttpClient? httpClient, bool ownsHttp, TimeProvider timeProvider, ILogger logger)
    {
        if (httpClient is not null)
        {
            return new HttpClientTransport(httpClient, ownsHttp, options, timeProvider);
        }

        if (UsesHttpClient(options))
        {
#if NET
            SocketsHttpHandler handler = KissmetricsClient.CreateHandler(options);
            handler.PlaintextStreamFilter = HttpClientTransport.ObserveWrites; // tells a request stopped in flight from one never written
            return new HttpClientTransport(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, ownsHttp: true, options, timeProvider, handler.MaxConnectionsPerServer, observesWrites: true);
#else
            // No PlaintextStreamFilter on netstandard2.0: an attempt stopped in flight counts as in flight (maybe written).
            HttpClientHandler handler = KissmetricsClient.CreateHandler(options);
            return new HttpClientTransport(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, ownsHttp: true, options, timeProvider, handler.MaxConnectionsPerServer);
#endif
        }

        return new SocketTransport(options, timeProvider, logger);
    }

    /// <summary>Whether a client without an <see cref="HttpClient"/> of the user's sends through one of its own.</summary>
    public static bool UsesHttpClient(KissmetricsOptions options) =>
        options.Transport == KissmetricsTransport.HttpClient
        || (options.Transport == KissmetricsTransport.Auto && ProxyApplies(DefaultProxy, options.Endpoint));

    // HttpClient.DefaultProxy is .NET Core 3.0+; netstandard2.0's default is the system proxy of WebRequest.
#if NET
    private static IWebProxy DefaultProxy => HttpClient.DefaultProxy;
#else
    private static IWebProxy DefaultProxy => WebRequest.DefaultWebProxy ?? new WebProxy();
#endif

    /// <summary>Whether <paramref name="proxy"/> (by default the one <c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>, <c>ALL_PROXY</c> and <c>NO_PROXY</c> describe) would carry requests to <paramref name="endpoint"/>.</summary>
    internal static bool ProxyApplies(IWebProxy proxy, Uri endpoint)
    {
        if (proxy.IsBypassed(endpoint))
        {
            return false;
        }

        Uri? through = proxy.GetProxy(endpoint);
        return through is not null && through != endpoint;
    }
}
