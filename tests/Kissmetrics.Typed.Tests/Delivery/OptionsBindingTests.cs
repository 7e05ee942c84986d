using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Kissmetrics.Typed.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>
/// <see cref="KissmetricsOptions"/> bound from configuration by hand (no ConfigurationBinder): every setting, the
/// binder's parsing rules, and a clear problem naming the key for a value that does not parse or a key that is no setting.
/// </summary>
public sealed class OptionsBindingTests
{
    private static KissmetricsOptions Bind(Dictionary<string, string?> values, string section = "Kissmetrics")
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new KissmetricsOptions();
        KissmetricsOptionsBinder.Bind(configuration.GetSection(section), options);
        return options;
    }

    [Fact]
    public void EverySettingIsBoundWithTheBindersRules()
    {
        KissmetricsOptions options = Bind(new()
        {
            ["Kissmetrics:ApiKey"] = "key",
            ["Kissmetrics:Endpoint"] = "http://127.0.0.1:5000/proxy/",
            ["Kissmetrics:PrefixProperties"] = "False",
            ["Kissmetrics:TrackNamedPages"] = "false",
            ["Kissmetrics:TrackCategorizedPages"] = "FALSE",
            ["Kissmetrics:MaxQueueLength"] = "123",
            ["Kissmetrics:QueueFullMode"] = "dropoldest", // enums by name, ignoring case
            ["Kissmetrics:QueueFullWaitTimeout"] = "00:00:01.5",
            ["Kissmetrics:MaxConcurrency"] = "7",
            ["Kissmetrics:MinConcurrency"] = "2",
            ["Kissmetrics:MaxConnections"] = "3",
            ["Kissmetrics:PipelineDepth"] = "5",
            ["Kissmetrics:Transport"] = "HttpClient",
            ["Kissmetrics:MaxQueueBytes"] = "9000000000",
            ["Kissmetrics:SendDelay"] = "00:00:00.001",
            ["Kissmetrics:RequestTimeout"] = "00:00:03",
            ["Kissmetrics:MaxAttempts"] = "4",
            ["Kissmetrics:RetryBaseDelay"] = "00:00:00.250",
            ["Kissmetrics:MaxRetryDelay"] = "00:01:00",
            ["Kissmetrics:MaxRetryDuration"] = "00:05:00",
            ["Kissmetrics:ShutdownTimeout"] = "00:00:04",
            ["Kissmetrics:SpoolDirectory"] = "spool",
            ["Kissmetrics:SpoolMaxBytes"] = "2097152",
            ["Kissmetrics:SpoolMaxAge"] = "2.00:00:00",
            ["Kissmetrics:Validation"] = "ReportAndDrop",
        });

        Assert.Empty(options.GetProblems());
        Assert.Equal("key", options.ApiKey);
        Assert.Equal(new Uri("http://127.0.0.1:5000/proxy/"), options.Endpoint);
        Assert.False(options.PrefixProperties);
        Assert.False(options.TrackNamedPages);
        Assert.False(options.TrackCategorizedPages);
        Assert.Equal(123, options.MaxQueueLength);
        Assert.Equal(KissmetricsQueueFullMode.DropOldest, options.QueueFullMode);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.QueueFullWaitTimeout);
        Assert.Equal(7, options.MaxConcurrency);
        Assert.Equal(2, options.MinConcurrency);
        Assert.Equal(3, options.MaxConnections);
        Assert.Equal(5, options.PipelineDepth);
        Assert.Equal(KissmetricsTransport.HttpClient, options.Transport);
        Assert.Equal(9_000_000_000L, options.MaxQueueBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(1), options.SendDelay);
        Assert.Equal(TimeSpan.FromSeconds(3), options.RequestTimeout);
        Assert.Equal(4, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MaxRetryDelay);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MaxRetryDuration);
        Assert.Equal(TimeSpan.FromSeconds(4), options.ShutdownTimeout);
        Assert.Equal("spool", options.SpoolDirectory);
        Assert.Equal(2_097_152, options.SpoolMaxBytes);
        Assert.Equal(TimeSpan.FromDays(2), options.SpoolMaxAge);
        Assert.Equal(KissmetricsValidationMode.ReportAndDrop, options.Validation);
    }

    [Fact]
    public void EveryPublicSettableOptionHasABinding()
    {
        // A new option must be bindable from configuration too (or be a delegate, which configuration cannot hold).
        string[] settable = typeof(KissmetricsOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && !typeof(Delegate).IsAssignableFrom(p.PropertyType))
            .Select(p => p.Name)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(settable, KissmetricsOptionsBinder.SettingNames.OrderBy(n => n, StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void AbsentAndEmptyValuesKeepTheDefaults()
    {
        var defaults = new KissmetricsOptions();
        KissmetricsOptions options = Bind(new() { ["Kissmetrics:MaxConcurrency"] = "", ["Kissmetrics:RequestTimeout"] = "" });

        Assert.DoesNotContain(options.GetProblems(), p => !p.Contains("ApiKey", StringComparison.Ordinal));
        Assert.Equal(defaults.MaxConcurrency, options.MaxConcurrency);
        Assert.Equal(defaults.RequestTimeout, options.RequestTimeout);
        Assert.Equal(defaults.Endpoint, options.Endpoint);
    }

    [Fact]
    public void AValueThatDoesNotParseIsAProblemNamingTheKeyTheValueAndWhatItMustBe()
    {
        KissmetricsOptions options = Bind(new()
        {
            ["Kissmetrics:ApiKey"] = "secret-key",
            ["Kissmetrics:MaxConcurrency"] = "many",
            ["Kissmetrics:QueueFullMode"] = "5",
            ["Kissmetrics:RequestTimeout"] = "ten seconds",
            ["Kissmetrics:Endpoint"] = "trk.kissmetrics.io",
            ["Kissmetrics:PrefixProperties"] = "yes",
        });

        List<string> problems = options.GetProblems();
        Assert.Contains("'Kissmetrics:MaxConcurrency' is 'many', which is not a whole number.", problems);
        Assert.Contains("'Kissmetrics:QueueFullMode' is '5', which is not one of DropNewest, DropOldest, Wait.", problems);
        Assert.Contains(problems, p => p.StartsWith("'Kissmetrics:RequestTimeout' is 'ten seconds', which is not a time span", StringComparison.Ordinal));
        Assert.Contains("'Kissmetrics:Endpoint' is 'trk.kissmetrics.io', which is not an absolute URI.", problems);
        Assert.Contains("'Kissmetrics:PrefixProperties' is 'yes', which is not true or false.", problems);
        Assert.DoesNotContain(problems, p => p.Contains("secret-key", StringComparison.Ordinal));
        var exception = Assert.Throws<KissmetricsConfigurationException>(options.Validate);
        Assert.Contains("'Kissmetrics:MaxConcurrency' is 'many'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://trk.example.com/", "'ftp://trk.example.com/'")]
    [InlineData("wss://bob:secret-password@proxy.example.com/km", "'wss://proxy.example.com/km'")]
    [InlineData("ftp://bob:secret-password@trk.example.com", "'ftp://trk.example.com'")]
    [InlineData("bob:secret-password@proxy.example.com/km", "'proxy.example.com/km'")]
    [InlineData("/kissmetrics", "'/kissmetrics'")]
    public void AnEndpointThatIsNotHttpIsAProblemNamingTheKeyAndEchoingItWithoutCredentials(string endpoint, string echoed)
    {
        var options = new KissmetricsOptions { ApiKey = "secret-key", Endpoint = new Uri(endpoint, UriKind.RelativeOrAbsolute) };

        string problem = Assert.Single(options.GetProblems());
        Assert.Equal(
            "KissmetricsOptions.Endpoint is " + echoed + ", which is not an absolute http or https URI: set it in code or in the 'Kissmetrics:Endpoint' configuration key.",
            problem);
        Assert.DoesNotContain("secret", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ANullEndpointIsAProblemNamingTheKey()
    {
        var options = new KissmetricsOptions { ApiKey = "k", Endpoint = null! };

        Assert.Equal(
            "KissmetricsOptions.Endpoint is null, which is not an absolute http or https URI: set it in code or in the 'Kissmetrics:Endpoint' configuration key.",
            Assert.Single(options.GetProblems()));
    }

    [Fact]
    public void AKeyThatIsNoSettingIsAProblemListingTheSettings()
    {
        KissmetricsOptions options = Bind(new() { ["Kissmetrics:ApiKey"] = "k", ["Kissmetrics:MaxConcurency"] = "8" });

        string problem = Assert.Single(options.GetProblems());
        Assert.StartsWith("'Kissmetrics:MaxConcurency' is not a Kissmetrics.Typed setting; the settings are ApiKey, Endpoint,", problem, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrency", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostWithAValueThatDoesNotParseFailsAtStartWithEveryProblem()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kissmetrics:ApiKey"] = "k",
            ["Kissmetrics:MaxAttempts"] = "3.5",
            ["Kissmetrics:MaxQueueLength"] = "0",
        });
        builder.Services.AddKissmetrics();
        using IHost host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("'Kissmetrics:MaxAttempts' is '3.5', which is not a whole number.", exception.Failures);
        Assert.Contains(exception.Failures, f => f.Contains("MaxQueueLength must be at least 1", StringComparison.Ordinal));
    }
}
