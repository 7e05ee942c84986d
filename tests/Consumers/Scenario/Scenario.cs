// The same calls in every consumer project: formatted (KissmetricsFormatter) and sent (KissmetricsClient through the
// generated typed client). .ci/package-consumers compares what each project prints and what a loopback tracker receives.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Kissmetrics.Typed;

namespace Consumer
{
    /// <summary>The calls every consumer makes.</summary>
    public static class Scenario
    {
        /// <summary>Requests the scenario sends: track, completed order (event + 2 products), identify, group, page, screen, alias.</summary>
        public const int RequestCount = 9;

        private static readonly DateTimeOffset When = DateTimeOffset.FromUnixTimeSeconds(1388534400);

        /// <summary>The options of the scenario, sending to <paramref name="endpoint"/>.</summary>
        public static KissmetricsOptions Options(Uri endpoint)
        {
            return new KissmetricsOptions { ApiKey = "consumer key", Endpoint = endpoint ?? KissmetricsOptions.DefaultEndpoint, RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        }

        /// <summary>A sign-up with every kind of value.</summary>
        public static SignedUp SignedUp()
        {
            return new SignedUp
            {
                Plan = Plan.Pro,
                ReferralCode = "a&b=c+d%e#f ü",
                Seats = 3,
                Ratio = 0.1 + 0.2,
                Tiny = 1.5e-7,
                Price = 19.90m,
                Trial = true,
                TrialEndsAt = When.AddDays(14),
                Billing = new Address { City = "Zürich", Country = "CH" },
                Features = new List<string> { "sso", "audit, log" },
            };
        }

        /// <summary>A completed order with two products.</summary>
        public static OrderPlaced Order()
        {
            return new OrderPlaced
            {
                OrderId = "o-1",
                Total = 42.5m,
                Products = new List<OrderLine>
                {
                    new OrderLine { Sku = "s-1", Price = 20m, Quantity = 1 },
                    new OrderLine { Sku = "s-2", Price = 11.25m, Quantity = 2 },
                },
            };
        }

        private static PersonTraits Person() => new PersonTraits { Email = "bob+tag@例え.jp", Visits = 9007199254740993L };

        private static CompanyTraits Company() => new CompanyTraits { Name = "Acme & Co", Employees = 12 };

        /// <summary>Every request of the scenario as the formatter writes it, in order.</summary>
        public static IReadOnlyList<string> Format()
        {
            KissmetricsOptions options = Options(null);
            var lines = new List<string>();
            lines.AddRange(KissmetricsFormatter.FormatTrack(options, "bob", SignedUp(), When));
            lines.AddRange(KissmetricsFormatter.FormatTrack(options, "bob", Order(), When));
            lines.AddRange(KissmetricsFormatter.FormatIdentify(options, "bob", Person(), null, When));
            lines.AddRange(KissmetricsFormatter.FormatGroup(options, "bob", "acme", Company(), When));
            lines.AddRange(KissmetricsFormatter.FormatPage(options, "bob", new DocsPage { Url = "https://example.com/docs?q=1" }, When));
            lines.AddRange(KissmetricsFormatter.FormatScreen(options, "bob", new HomeScreen { Unread = 2 }, When));
            lines.AddRange(KissmetricsFormatter.FormatAlias(options, "anon-1", "bob"));
            return lines;
        }

        /// <summary>Makes the scenario's calls through the generated typed client.</summary>
        public static void Send(ConsumerAnalytics analytics)
        {
            analytics.SignedUp("bob", SignedUp(), When);
            analytics.OrderPlaced("bob", Order(), When);
            analytics.PersonTraits("bob", Person(), null, When);
            analytics.CompanyTraits("bob", "acme", Company(), When);
            analytics.DocsPage("bob", new DocsPage { Url = "https://example.com/docs?q=1" }, When);
            analytics.HomeScreen("bob", new HomeScreen { Unread = 2 }, When);
            analytics.Alias("anon-1", "bob");
        }

        /// <summary>Sends the scenario to <paramref name="endpoint"/> through the generated typed client, flushes, and returns the statistics.</summary>
        public static async Task<KissmetricsClientStatistics> SendAsync(Uri endpoint)
        {
            using (var client = new KissmetricsClient(Options(endpoint)))
            {
                Send(new ConsumerAnalytics(client));
                await client.FlushAsync().ConfigureAwait(false);
                return client.Statistics;
            }
        }
    }
}
