using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kissmetrics.Typed.PostgreSql;

/// <summary>Registers the PostgreSQL outbox next to <c>AddKissmetrics</c>.</summary>
public static class KissmetricsOutboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KissmetricsOutbox"/> as a singleton, serializing with the <see cref="KissmetricsOptions"/>
    /// <c>AddKissmetrics</c> configured and writing to the table <paramref name="configure"/> names.
    /// </summary>
    public static IServiceCollection AddKissmetricsOutbox(this IServiceCollection services, Action<KissmetricsOutboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<KissmetricsOutboxOptions>().Configure(configure);
        services.TryAddSingleton(static provider => new KissmetricsOutbox(
            provider.GetRequiredService<IOptions<KissmetricsOptions>>().Value,
            provider.GetRequiredService<IOptions<KissmetricsOutboxOptions>>().Value));
        return services;
    }
}
