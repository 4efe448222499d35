using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Monitor.Security;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// The whole server (silo, API, hub) in this process on a real Kestrel port, with the monitor's clock fixed
/// at <see cref="Now"/> so that "today" and the horizon are known. One per test collection.
/// It is configured with a known signing key and known feed keys, as an operator would through
/// <c>Monitor__Auth__SigningKey</c> and <c>Monitor__Feeds__N__KeyHash</c>.
/// </summary>
public class MonitorAppFactory : WebApplicationFactory<Program>
{
    public const string Force = "warwickshire";

    /// <summary>A force that is not the test token's: a token for it must see nothing of <see cref="Force"/>.</summary>
    public const string OtherForce = "west-mercia";

    /// <summary>Base64 of 32 bytes, as <c>openssl rand -base64 32</c> would print.</summary>
    public static readonly string SigningKey = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))]);

    /// <summary>Posts every event type for <see cref="Force"/>.</summary>
    public const string FeedKey = "mfk_test-feed-warwickshire-all-types-0123456789abcdef";

    /// <summary>Posts only <c>call.offered</c> for <see cref="Force"/>.</summary>
    public const string CallsOnlyFeedKey = "mfk_test-feed-warwickshire-calls-only-0123456789abcd";

    /// <summary>Its own low rate limit (<see cref="FloodFeedRequestsPerMinute"/>), for the 429 test.</summary>
    public const string FloodFeedKey = "mfk_test-feed-warwickshire-flood-0123456789abcdefghi";

    public const int FloodFeedRequestsPerMinute = 3;

    public MonitorAppFactory()
        : this(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero))
    {
    }

    protected MonitorAppFactory(DateTimeOffset now)
    {
        // Orleans reads this clock too: a silo whose clock is ahead of real time raises the cluster's minimum silo
        // generation past the silos started after it in this process, which then declare themselves dead and crash
        // the test host. Said here, at once, instead.
        if (now > DateTimeOffset.UtcNow)
        {
            throw new ArgumentOutOfRangeException(nameof(now), now, "A test server's clock must start before the real time (Orleans would declare later silos in this process dead).");
        }

        Clock = new FakeTimeProvider(now);
        UseKestrel(0);
        StartServer();
    }

    public FakeTimeProvider Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Every Warning-or-worse entry the server logged.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Requests per minute per person; high so that ordinary tests never meet it.</summary>
    protected virtual int UserRequestsPerMinute => 1_000_000;

    /// <summary>
    /// For <c>new HubConnectionBuilder().WithUrl(url, MonitorAppFactory.WithToken(token))</c>: the hub reads the
    /// token from <c>access_token</c>, as the page sends it. <c>app.WithAccessToken()</c> mints one.
    /// </summary>
    public static Action<HttpConnectionOptions> WithToken(string token) =>
        o => o.AccessTokenProvider = () => Task.FromResult<string?>(token);

    /// <summary>A token as <c>monitor token</c> mints it. Lifetimes are checked against the real clock, not <see cref="Clock"/>.</summary>
    public static string MintToken(string role, string force = Force, string? name = null, TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null, string? signingKey = null) =>
        MonitorTokens.Mint(
            MonitorTokens.DecodeSigningKey(signingKey ?? SigningKey),
            name ?? $"test-{role}-{Guid.NewGuid():N}",
            role,
            force,
            issuedAt ?? DateTimeOffset.UtcNow,
            lifetime ?? TimeSpan.FromHours(1));

    /// <summary>
    /// The credentials every test server is configured with, as an operator would set them: the signing key,
    /// feed keys by hash, and rate limits high enough that only the tests about them meet them.
    /// </summary>
    public static void ConfigureCredentials(IWebHostBuilder builder, int userRequestsPerMinute = 1_000_000)
    {
        builder.UseSetting("Monitor:Auth:SigningKey", SigningKey);
        builder.UseSetting("Monitor:RateLimits:FeedRequestsPerMinute", "1000000");
        builder.UseSetting("Monitor:RateLimits:UserRequestsPerMinute", userRequestsPerMinute.ToString(CultureInfo.InvariantCulture));
        Feed(builder, 0, "all-types", FeedKey);
        Feed(builder, 1, "calls-only", CallsOnlyFeedKey, EventTypesCallsOnly);
        Feed(builder, 2, "flood", FloodFeedKey);
        builder.UseSetting("Monitor:Feeds:2:RequestsPerMinute", FloodFeedRequestsPerMinute.ToString(CultureInfo.InvariantCulture));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Monitor:Orleans:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));

        // Alerts are swept when a test says so, never by a wall-clock timer racing the test.
        builder.UseSetting("Monitor:AlertSweepSeconds", "0");
        builder.UseSetting("Monitor:Orleans:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Monitor:Orleans:ClusterId", "test-" + Guid.NewGuid().ToString("N"));
        ConfigureCredentials(builder, UserRequestsPerMinute);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    private static readonly string[] EventTypesCallsOnly = ["call.offered"];

    private static void Feed(IWebHostBuilder builder, int index, string id, string key, string[]? types = null)
    {
        builder.UseSetting($"Monitor:Feeds:{index}:Id", id);
        builder.UseSetting($"Monitor:Feeds:{index}:KeyHash", FeedKeys.Hash(key));
        builder.UseSetting($"Monitor:Feeds:{index}:Force", Force);
        for (var t = 0; t < (types?.Length ?? 0); t++)
        {
            builder.UseSetting($"Monitor:Feeds:{index}:Types:{t}", types![t]);
        }
    }
}
