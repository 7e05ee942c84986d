using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace QuickStart;

/// <summary>A request as the tracker received it, with its parameters decoded.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyList<(string Name, string Value)> Parameters);

/// <summary>
/// Stands in for trk.kissmetrics.io on 127.0.0.1 (a free port): it answers 200 with a 1x1 GIF, as Kissmetrics
/// does, and keeps what it received.
/// </summary>
public sealed class LocalTracker : IAsyncDisposable
{
    private static readonly byte[] s_gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private LocalTracker(WebApplication app) => _app = app;

    /// <summary>Where the tracker listens.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request received so far, in order of arrival.</summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received;

    /// <summary>Starts a tracker on a free loopback port.</summary>
    public static async Task<LocalTracker> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        var tracker = new LocalTracker(app);
        app.Run(tracker.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        tracker.Endpoint = new Uri(address);
        return tracker;
    }

    private async Task HandleAsync(HttpContext context)
    {
        string query = context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : string.Empty;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            using var reader = new StreamReader(context.Request.Body);
            query = await reader.ReadToEndAsync();
        }

        _received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path, Decode(query)));
        context.Response.ContentType = "image/gif";
        await context.Response.Body.WriteAsync(s_gif);
    }

    // Kissmetrics.Typed encodes '+' as %2B and space as %20, so '+' is never a space here.
    private static List<(string, string)> Decode(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty))
            .ToList();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
