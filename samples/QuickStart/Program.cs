using Kissmetrics.Typed;
using Kissmetrics.Typed.SpecEvents;
using QuickStart;

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
    client.Track("bob@example.com", new SignedUp("Pro", ReferralCode: "FRIEND-10"));
    client.Track("bob@example.com", new Subscribed(
        Plan: "Pro",
        Period: BillingPeriod.Yearly,
        Amount: 450.00m,
        BillingAddress: new Address("Lisbon", "PT"),
        Features: ["sso", "audit log"],
        Seats: 25,
        TrialEndedAt: new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));
    client.Identify("bob@example.com", new UserTraits("bob@example.com", PlanName: "Pro"), anonymousId: "anon-7f3a");
    client.Group("bob@example.com", "acme", new CompanyTraits("Acme Inc", 250));
    client.Page("bob@example.com", new DocsPage("https://example.com/docs/start", Referrer: "https://www.google.com/"));
    client.Screen("bob@example.com", new HomeScreen(UnreadMessages: 3));
    client.Track("bob@example.com", new OrderCompleted
    {
        OrderId = "50314b8e",
        Total = 27.50m,
        Currency = "USD",
        Products =
        [
            new OrderProduct { Sku = "45790-32", Name = "Monopoly", Price = 19m, Quantity = 1 },
            new OrderProduct { Sku = "46493-32", Name = "Uno", Price = 3.75m, Quantity = 2 },
        ],
    });
    client.Alias("bob@example.com", "user-42");

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
