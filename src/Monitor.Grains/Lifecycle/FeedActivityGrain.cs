using Monitor.Abstractions;
using Monitor.Domain.Events;

namespace Monitor.Grains.Lifecycle;

[GenerateSerializer]
public sealed class FeedActivityState
{
    [Id(0)]
    public Dictionary<string, DateTimeOffset> LastHeard { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// When each feed of a force last delivered an event, by arrival (a feed replaying old events is still alive).
/// Stored at most once a minute: after a restart a feed is at worst a minute fresher than it was.
/// </summary>
[GrainType("feed-activity")]
public sealed class FeedActivityGrain([PersistentState("feeds")] IPersistentState<FeedActivityState> state, TimeProvider time) : Grain, IFeedActivityGrain
{
    private DateTimeOffset _storedAt;

    /// <summary>The feed an event comes from: the system behind it (telephony, command and control, crime recording).</summary>
    public static string FeedOf(MonitorEvent e) => e switch
    {
        CallEvent => "telephony",
        IncidentEvent => "command-and-control",
        _ => "crime-recording",
    };

    public async Task Touch(IReadOnlyList<string> feeds)
    {
        var now = time.GetUtcNow();
        foreach (var feed in feeds)
        {
            state.State.LastHeard[feed] = now;
        }

        if (now - _storedAt >= TimeSpan.FromMinutes(1))
        {
            await state.WriteStateAsync();
            _storedAt = now;
        }
    }

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> LastHeard() =>
        Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(new Dictionary<string, DateTimeOffset>(state.State.LastHeard));
}
