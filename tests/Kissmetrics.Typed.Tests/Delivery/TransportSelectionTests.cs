using System;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>Which transport a client sends with, as it says at start.</summary>
public sealed class TransportSelectionTests
{
    private static KissmetricsOptions Defaults(KissmetricsTransport transport = KissmetricsTransport.Auto) => new()
    {
        ApiKey = ApiKey,
        Endpoint = new Uri("http://127.0.0.1:9/"),
        Transport = transport,
    };

    [Fact]
    public async Task WithoutAnHttpClientTheSocketTransportSends()
    {
        await using var client = new KissmetricsClient(Defaults());
        Assert.StartsWith("sockets (HTTP/1.1", client.TransportName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUsersHttpClientSelectsTheHttpClientTransportWhateverTheOption()
    {
        using var http = new HttpClient();
        await using var client = new KissmetricsClient(Defaults(KissmetricsTransport.Sockets), http);
        Assert.Equal("HttpClient", client.TransportName);
    }

    [Fact]
    public async Task TheHttpClientOptionSelectsAnHttpClientOfTheClientsOwn()
    {
        await using var client = new KissmetricsClient(Defaults(KissmetricsTransport.HttpClient));
        Assert.Equal("HttpClient", client.TransportName);
    }

    [Fact]
    public async Task AnHttpsEndpointUsesTls()
    {
        KissmetricsOptions options = Defaults();
        options.Endpoint = new Uri("https://127.0.0.1:9/");
        await using var client = new KissmetricsClient(options);
        Assert.StartsWith("sockets (HTTP/1.1 over TLS", client.TransportName, StringComparison.Ordinal);
    }
}
