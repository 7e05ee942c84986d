#nullable enable
// The scenario sent the way an ASP.NET Core or worker app sends it: AddKissmetrics bound from configuration, the typed
// client from the container. Compiled only into the net8.0 LTS consumer (CONSUMER_HOSTED).
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Kissmetrics.Typed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Consumer
{
    /// <summary>The scenario through dependency injection.</summary>
    public static class HostedScenario
    {
        /// <summary>Sends the scenario to <paramref name="endpoint"/> with options bound from configuration.</summary>
        public static async Task<KissmetricsClientStatistics> SendAsync(Uri endpoint)
        {
            IConfiguration configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Kissmetrics:ApiKey"] = "consumer key",
                    ["Kissmetrics:Endpoint"] = endpoint.ToString(),
                    ["Kissmetrics:RetryBaseDelay"] = "00:00:00.010",
                })
                .Build();
            var services = new ServiceCollection();
            services.AddKissmetrics(configuration.GetSection("Kissmetrics"));
            services.AddSingleton<ConsumerAnalytics>();
            await using ServiceProvider provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<KissmetricsClient>();
            Scenario.Send(provider.GetRequiredService<ConsumerAnalytics>());
            await client.FlushAsync();
            return client.Statistics;
        }
    }
}
