using System.Collections.Concurrent;

namespace Monitor.Server.Hubs;

/// <summary>
/// The groups each connection has joined, so one connection cannot join every area of every force (each
/// group costs the server memory and a fan-out) and so its count is dropped when it disconnects.
/// </summary>
public sealed class HubSubscriptions
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _byConnection = new(StringComparer.Ordinal);

    /// <summary>Records the group; false when the connection already holds <paramref name="limit"/> others.</summary>
    public bool TryAdd(string connectionId, string group, int limit)
    {
        var groups = _byConnection.GetOrAdd(connectionId, _ => new HashSet<string>(StringComparer.Ordinal));
        lock (groups)
        {
            return groups.Contains(group) || (groups.Count < limit && groups.Add(group));
        }
    }

    public void Remove(string connectionId, string group)
    {
        if (_byConnection.TryGetValue(connectionId, out var groups))
        {
            lock (groups)
            {
                groups.Remove(group);
            }
        }
    }

    public int CountOf(string connectionId)
    {
        if (!_byConnection.TryGetValue(connectionId, out var groups))
        {
            return 0;
        }

        lock (groups)
        {
            return groups.Count;
        }
    }

    public void Forget(string connectionId) => _byConnection.TryRemove(connectionId, out _);
}
