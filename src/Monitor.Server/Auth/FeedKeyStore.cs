using System.Security.Cryptography;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Security;
using Monitor.Server.Hosting;

namespace Monitor.Server.Auth;

/// <summary>What one feed key may do: post events of <see cref="Types"/> (all when empty) for <see cref="Force"/>.</summary>
public sealed record FeedScope(string Id, string Force, IReadOnlySet<string> Types, int? RequestsPerMinute)
{
    public bool AllowsType(string type) => Types.Count == 0 || Types.Contains(type);
}

/// <summary>
/// The configured feed keys, by the SHA-256 digest of the key. Several keys may serve one force at once,
/// which is how a key is rolled (docs/security.md); each has its own id. Every entry is checked at start-up.
/// </summary>
public sealed class FeedKeyStore
{
    private readonly List<(byte[] Digest, FeedScope Scope)> _keys = [];

    public FeedKeyStore(IReadOnlyList<FeedKeyOptions> feeds, ForceCatalog forces)
    {
        for (var i = 0; i < feeds.Count; i++)
        {
            var feed = feeds[i];
            var setting = $"Monitor:Feeds:{i}";
            var digest = FeedKeys.DigestOf(feed.KeyHash)
                ?? throw new MonitorConfigurationException(
                    $"{setting}:KeyHash (environment Monitor__Feeds__{i}__KeyHash) must be 'sha256:' and 64 hex digits, as `monitor keys new` prints it.");
            if (forces.Find(feed.Force) is null)
            {
                throw new MonitorConfigurationException(
                    $"{setting}:Force is '{feed.Force}', which is not a configured force (configured: {string.Join(", ", forces.All.Select(f => f.Id))}).");
            }

            var unknown = feed.Types.Where(t => !EventTypes.All.Contains(t, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                throw new MonitorConfigurationException(
                    $"{setting}:Types names unknown event types: {string.Join(", ", unknown)} (expected some of {string.Join(", ", EventTypes.All)}).");
            }

            if (_keys.Any(k => CryptographicOperations.FixedTimeEquals(k.Digest, digest)))
            {
                throw new MonitorConfigurationException($"{setting}:KeyHash is configured twice.");
            }

            // The id is what a request's principal carries: its force, types and rate limit are found by it, so two
            // entries with one id would give the second key the first one's scope.
            var id = string.IsNullOrWhiteSpace(feed.Id) ? feed.KeyHash[FeedKeys.HashPrefix.Length..][..12] : feed.Id;
            var earlier = _keys.FindIndex(k => string.Equals(k.Scope.Id, id, StringComparison.Ordinal));
            if (earlier >= 0)
            {
                throw new MonitorConfigurationException(
                    $"{setting}:Id is '{id}', already the id of Monitor:Feeds:{earlier}: every key needs its own id (a rolled key's new entry too), as the id decides its force, types and rate limit.");
            }

            _keys.Add((digest, new FeedScope(id, feed.Force, new HashSet<string>(feed.Types, StringComparer.Ordinal), feed.RequestsPerMinute)));
        }
    }

    public int Count => _keys.Count;

    /// <summary>The scope of a presented key, or null. Every entry is compared in fixed time, whatever matches.</summary>
    public FeedScope? Find(string presentedKey)
    {
        var digest = FeedKeys.DigestOfKey(presentedKey);
        FeedScope? found = null;
        foreach (var (candidate, scope) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, digest))
            {
                found = scope;
            }
        }

        return found;
    }

    public FeedScope? FindById(string id) => _keys.Select(k => k.Scope).FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));
}
