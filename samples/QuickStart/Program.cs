using Kissmetrics.Typed;
using QuickStart;

// `dotnet run --project samples/QuickStart -- plan` prints the tracking plan computed at compile time.
if (args is ["plan", ..])
{
    Console.WriteLine(KissmetricsTrackingPlan.ToJson());
    return;
}

// With KISSMETRICS_API_KEY set, the sample sends to Kissmetrics. Without it, it starts a tracker of its own
// on 127.0.0.1 and prints every request as that tracker received it: exactly what Kissmetrics would get.
string? apiKey = Environment.GetEnvironmentVariable("KISSMETRICS_API_KEY");
await using LocalTracker? tracker = string.IsNullOrEmpty(apiKey) ? await LocalTracker.StartAsync() : null;

var options = new KissmetricsOptions
{
    ApiKey = apiKey ?? "sample-api-key",
    Endpoint = tracker?.Endpoint ?? KissmetricsOptions.DefaultEndpoint,
};

Console.WriteLine(tracker is null
    ? $"Sending to {options.Endpoint} (KISSMETRICS_API_KEY is set)."
    : $"No KISSMETRICS_API_KEY set: sending to a local tracker at {options.Endpoint} instead.");

await using (var client = new KissmetricsClient(options))
{
    // The generated typed client: one discoverable method per event, with the record's parameters.
    IShopAnalytics analytics = new ShopAnalytics(client);
    analytics.SignedUp("bob@example.com", plan: "Pro", referralCode: "FRIEND-10");
    analytics.Subscribed(
        "bob@example.com",
        plan: "Pro",
        period: BillingPeriod.Yearly,
        amount: 450.00m,
        billingAddress: new Address("Lisbon", "PT"),
        features: ["sso", "audit log"],
        seats: 25,
        trialEndedAt: new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    analytics.UserTraits("bob@example.com", email: "bob@example.com", planName: "Pro", anonymousId: "anon-7f3a");
    analytics.CompanyTraits("bob@example.com", groupId: "acme", name: "Acme Inc", employees: 250);
    analytics.DocsPage("bob@example.com", url: "https://example.com/docs/start", referrer: "https://www.google.com/");
    analytics.HomeScreen("bob@example.com", unreadMessages: 3);

    analytics.OrderPlaced(
        "bob@example.com",
        orderId: "50314b8e",
        total: 27.50m,
        currency: "USD",
        products:
        [
            new OrderLine("45790-32", "Monopoly", 19m, 1),
            new OrderLine("46493-32", "Uno", 3.75m, 2),
        ]);
    analytics.Alias("bob@example.com", "user-42");

    await client.FlushAsync();
    KissmetricsClientStatistics stats = client.Statistics;
    Console.WriteLine($"Delivered {stats.Delivered} of {stats.Accepted} requests ({stats.Retried} retries, {stats.Rejected + stats.GaveUp + stats.DroppedQueueFull} dropped).");
}

if (tracker is not null)
{
    Console.WriteLine();
    foreach (ReceivedRequest request in tracker.Received)
    {
        Console.WriteLine($"{request.Method} {request.Path}");
        foreach ((string name, string value) in request.Parameters)
        {
            Console.WriteLine($"    {name} = {value}");
        }
    }
}
