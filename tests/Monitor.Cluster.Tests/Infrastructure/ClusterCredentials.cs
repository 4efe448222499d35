using System.Net.Http.Headers;
using Monitor.Security;

namespace Monitor.Cluster.Tests.Infrastructure;

/// <summary>
/// What an operator gives every copy of the process: one signing key, one feed key by its hash. The feed keeps
/// the key, people get tokens signed with the key, exactly as <c>monitor keys new</c> and <c>monitor token</c> do.
/// </summary>
public static class ClusterCredentials
{
    public const string Force = "warwickshire";

    public const string FeedKey = "mfk_cluster-test-feed-warwickshire-0123456789abcdef";

    /// <summary>Base64 of 32 bytes, as <c>openssl rand -base64 32</c> would print.</summary>
    public static readonly string SigningKey = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)(i * 11))]);

    /// <summary>The settings every process of a cluster shares, as environment variables.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new("Monitor__Auth__SigningKey", SigningKey),
        new("Monitor__Feeds__0__Id", "cluster-test-feed"),
        new("Monitor__Feeds__0__KeyHash", FeedKeys.Hash(FeedKey)),
        new("Monitor__Feeds__0__Force", Force),
        new("Monitor__RateLimits__FeedRequestsPerMinute", "1000000"),
        new("Monitor__RateLimits__UserRequestsPerMinute", "1000000"),
    ];

    public static string Token(string role, string? name = null) =>
        MonitorTokens.Mint(
            MonitorTokens.DecodeSigningKey(SigningKey),
            name ?? $"cluster-test-{role}",
            role,
            Force,
            DateTimeOffset.UtcNow,
            TimeSpan.FromHours(1));

    /// <summary>A person's client for one process.</summary>
    public static HttpClient UserClient(Uri address, string role, string? name = null)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, name));
        return client;
    }
}
