using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace Kissmetrics.Typed.DependencyInjection;

/// <summary>Sends what is queued when the host stops (within the host's shutdown timeout); the container then disposes the client.</summary>
internal sealed class KissmetricsFlushService : IHostedService
{
    private readonly KissmetricsClient _client;

    public KissmetricsFlushService(KissmetricsClient client) => _client = client;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout passed; DisposeAsync still tries within KissmetricsOptions.ShutdownTimeout.
        }
    }
}
