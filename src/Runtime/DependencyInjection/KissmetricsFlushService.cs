using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace Kissmetrics.Typed.DependencyInjection;

/// <summary>
/// Sends what is queued when the host stops, within <see cref="KissmetricsOptions.ShutdownTimeout"/> (or the host's own
/// deadline, if sooner); the container then disposes the client with what is left of that budget, so the two together
/// take at most the timeout and the rest of the host keeps its time.
/// </summary>
internal sealed class KissmetricsFlushService : IHostedService
{
    private readonly KissmetricsClient _client;

    public KissmetricsFlushService(KissmetricsClient client) => _client = client;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => _client.FlushForShutdownAsync(cancellationToken);
}
