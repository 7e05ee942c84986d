using System;
using System.Diagnostics.Metrics;
using System.Net.Http;
using Kissmetrics.Typed;
using Kissmetrics.Typed.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Kissmetrics.Typed with dependency injection.</summary>
public static class KissmetricsServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the client sends with, for <c>services.AddHttpClient(name)</c> customisation.</summary>
    public const string HttpClientName = "Kissmetrics.Typed";

    /// <summary>
    /// Registers <see cref="IKissmetricsClient"/> (a singleton <see cref="KissmetricsClient"/>) with options bound from the
    /// <c>Kissmetrics</c> section of the application's configuration, validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    public static IServiceCollection AddKissmetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(
            services,
            services.AddOptions<KissmetricsOptions>().Configure<IConfiguration>(
                static (options, configuration) => KissmetricsOptionsBinder.Bind(configuration.GetSection(KissmetricsOptions.SectionName), options)));
    }

    /// <summary>
    /// Registers <see cref="IKissmetricsClient"/> (a singleton <see cref="KissmetricsClient"/>) with options bound from
    /// <paramref name="configuration"/> (for example <c>builder.Configuration.GetSection("Kissmetrics")</c>), validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding <c>ApiKey</c> and the other settings.</param>
    /// <param name="configure">Further settings applied after the configuration, if any.</param>
    public static IServiceCollection AddKissmetrics(this IServiceCollection services, IConfiguration configuration, Action<KissmetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        OptionsBuilder<KissmetricsOptions> options = services.AddOptions<KissmetricsOptions>().Configure(o => KissmetricsOptionsBinder.Bind(configuration, o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddCore(services, options);
    }

    /// <summary>
    /// Registers <see cref="IKissmetricsClient"/> (a singleton <see cref="KissmetricsClient"/>) with options set in code,
    /// validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets <c>ApiKey</c> and the other settings.</param>
    public static IServiceCollection AddKissmetrics(this IServiceCollection services, Action<KissmetricsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, services.AddOptions<KissmetricsOptions>().Configure(configure));
    }

    private static readonly Action<HttpMessageHandlerBuilder> s_primaryHandler = static builder =>
        builder.PrimaryHandler = KissmetricsClient.CreateHandler(builder.Services.GetRequiredService<IOptions<KissmetricsOptions>>().Value);

    private static readonly Action<HttpClient> s_noClientTimeout = static http => http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Whether the client sends through the <c>IHttpClientFactory</c> client: when <see cref="KissmetricsOptions.Transport"/>
    /// says <see cref="KissmetricsTransport.HttpClient"/>, or (<see cref="KissmetricsTransport.Auto"/>) when the user
    /// customised it (<c>services.AddHttpClient(HttpClientName).AddHttpMessageHandler(...)</c>, or
    /// <c>ConfigureHttpClientDefaults</c>) or a proxy applies to the endpoint. Otherwise the socket transport.
    /// </summary>
    internal static bool SendsThroughFactoryClient(IServiceProvider provider, KissmetricsOptions options) => options.Transport switch
    {
        KissmetricsTransport.HttpClient => true,
        KissmetricsTransport.Sockets => false,
        _ => FactoryClientIsCustomised(provider) || Kissmetrics.Typed.Delivery.Transport.TransportSelection.UsesHttpClient(options),
    };

    private static bool FactoryClientIsCustomised(IServiceProvider provider)
    {
        HttpClientFactoryOptions? factory = provider.GetService<IOptionsMonitor<HttpClientFactoryOptions>>()?.Get(HttpClientName);
        if (factory is null)
        {
            return false;
        }

        foreach (Action<HttpMessageHandlerBuilder> action in factory.HttpMessageHandlerBuilderActions)
        {
            if (!ReferenceEquals(action, s_primaryHandler))
            {
                return true;
            }
        }

        foreach (Action<HttpClient> action in factory.HttpClientActions)
        {
            if (!ReferenceEquals(action, s_noClientTimeout))
            {
                return true;
            }
        }

        return false;
    }

    private static IServiceCollection AddCore(IServiceCollection services, OptionsBuilder<KissmetricsOptions> options)
    {
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KissmetricsOptions>, KissmetricsOptionsValidator>());

        services.AddHttpClient(HttpClientName)
            // The default HttpClient logging writes request URLs, and every Kissmetrics URL carries the API key and the payload.
            .RemoveAllLoggers();
        // Set through our own delegates (not ConfigurePrimaryHttpMessageHandler, which wraps them), so that the client
        // can tell the user's customisations of the named client from ours (see FactoryClientIsCustomised).
        services.Configure<HttpClientFactoryOptions>(HttpClientName, static factory =>
        {
            factory.HttpMessageHandlerBuilderActions.Add(s_primaryHandler);
            factory.HttpClientActions.Add(s_noClientTimeout);
        });

        services.TryAddSingleton(static provider =>
        {
            KissmetricsOptions options = provider.GetRequiredService<IOptions<KissmetricsOptions>>().Value;
            HttpClient? http = SendsThroughFactoryClient(provider, options)
                ? provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)
                : null; // the socket transport (or, with a proxy, an HttpClient of the client's own)
            return new KissmetricsClient(
                options,
                http,
                ownsHttp: false,
                provider.GetService<TimeProvider>() ?? TimeProvider.System,
                provider.GetService<ILoggerFactory>(),
                provider.GetService<IMeterFactory>());
        });
        services.TryAddSingleton<IKissmetricsClient>(static provider => provider.GetRequiredService<KissmetricsClient>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KissmetricsFlushService>());
        return services;
    }
}
