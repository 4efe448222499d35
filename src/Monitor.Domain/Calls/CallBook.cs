using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using Monitor.Domain.Events;
using Monitor.Domain.Measures;

namespace Monitor.Domain.Calls;

/// <summary>What is known of one call: when it was offered, and how it ended (answered or abandoned), if it has.</summary>
public sealed record CallRecord(DateTimeOffset? Offered, DateTimeOffset? Answered, DateTimeOffset? Abandoned)
{
    [JsonIgnore]
    public bool Ended => Answered is not null || Abandoned is not null;

    /// <summary>When the monitor last heard of this call: what its retention counts from.</summary>
    [JsonIgnore]
    public DateTimeOffset LastHeard => Later(Later(Offered, Answered), Abandoned) ?? DateTimeOffset.MinValue;

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null || b > a ? b : a;
}

/// <summary>A caller still waiting on a line: offered, neither answered nor abandoned.</summary>
public sealed record WaitingCall(string CallId, DateTimeOffset Offered);

/// <summary>The result of one call event: whether it told nothing new, and the facts it completed.</summary>
public sealed record CallOutcome(bool Duplicate, IReadOnlyList<Fact> Facts);

/// <summary>
/// The calls of one line (a force's 999 or 101), paired into facts whatever order their events arrive in.
/// A call's facts are keyed by its call id, so a resent event, even under another event id, counts once; the
/// first ending heard (answered or abandoned) is the call's ending, and a contradicting later one is ignored.
/// </summary>
public sealed class CallBook
{
    /// <summary>Ended calls are kept this long after last heard of, to recognise late resends.</summary>
    public static readonly TimeSpan EndedRetention = TimeSpan.FromHours(26);

    /// <summary>A call not ended after this long is taken to have lost its ending and leaves the queue.</summary>
    public static readonly TimeSpan WaitingRetention = TimeSpan.FromHours(2);

    public required string Channel { get; init; }

    private static readonly CallRecord Unheard = new(null, null, null);

    private string? _keyHead;

    private readonly Dictionary<string, CallRecord> _calls = new(StringComparer.Ordinal);

    // Offered and not ended: the board's queue. Kept beside the book because a line remembers a day of calls
    // and the queue is read after every batch; walking the whole book each time cost more than pairing.
    private readonly Dictionary<string, DateTimeOffset> _waiting = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, CallRecord> Calls => _calls;

    /// <summary>Puts back a call as it was stored.</summary>
    public void Restore(string callId, CallRecord call) => Set(callId, call);

    public CallOutcome Apply(CallEvent e)
    {
        var facts = new List<Fact>(2);
        return new CallOutcome(!Apply(e, facts), facts);
    }

    /// <summary>
    /// Applies one call event, adding the facts it completed to <paramref name="facts"/>; false when it told nothing
    /// new. The line's batches use this form: a list and an outcome per event were a tenth of the bytes they allocated.
    /// </summary>
    public bool Apply(CallEvent e, List<Fact> facts)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(facts);

        // One look-up of the call for reading and writing: a line holds a day of calls, so each is a cache miss.
        ref var stored = ref CollectionsMarshal.GetValueRefOrAddDefault(_calls, e.CallId, out var known);
        var before = stored ?? Unheard;
        var after = e switch
        {
            CallOffered => before with { Offered = before.Offered ?? e.At },
            CallAnswered when !before.Ended => before with { Answered = e.At },
            CallAbandoned when !before.Ended => before with { Abandoned = e.At },
            _ => before,
        };

        if (after == before)
        {
            if (!known)
            {
                _calls.Remove(e.CallId);
            }

            return false;
        }

        stored = after;
        Waiting(e.CallId, after);
        if (before.Offered is null && after.Offered is { } offered)
        {
            facts.Add(new Fact(FactKind.CallOffered, FactKey.Of(KeyHead, e.CallId, ":offered"), offered, null, Channel: Channel));
        }

        // An answer or an abandonment counts once the call's offer is known too, whichever came first, and
        // belongs to the period the call was offered in: the abandoned rate is a share of that period's offered
        // calls, so a call offered at 23:59:50 and abandoned at 00:00:20 is abandoned in the day it was offered.
        if (after is { Abandoned: not null, Offered: { } offeredAt } && (before.Abandoned is null || before.Offered is null))
        {
            facts.Add(new Fact(FactKind.CallAbandoned, FactKey.Of(KeyHead, e.CallId, ":abandoned"), offeredAt, null, Channel: Channel));
        }

        if (after is { Answered: { } answered, Offered: { } start } && (before.Answered is null || before.Offered is null))
        {
            var seconds = Math.Max(0, (answered - start).TotalSeconds);
            facts.Add(new Fact(FactKind.CallAnswered, FactKey.Of(KeyHead, e.CallId, ":answered"), start, null, Channel: Channel, Duration: seconds));
        }

        return true;
    }

    /// <summary>Callers waiting now, longest first.</summary>
    public IReadOnlyList<WaitingCall> Waiting(DateTimeOffset now) =>
    [
        .. _waiting
            .Where(c => IsWaiting(c.Value, now))
            .Select(c => new WaitingCall(c.Key, c.Value))
            .OrderBy(c => c.Offered),
    ];

    /// <summary>
    /// How many callers are waiting now and when the longest-waiting was offered: what the board shows after every
    /// batch, counted in one walk without listing and sorting every caller.
    /// </summary>
    public (int Count, DateTimeOffset? LongestOffered) Queue(DateTimeOffset now)
    {
        var count = 0;
        DateTimeOffset? longest = null;
        foreach (var offered in _waiting.Values)
        {
            if (IsWaiting(offered, now))
            {
                count++;
                longest = longest is { } earliest && earliest <= offered ? earliest : offered;
            }
        }

        return (count, longest);
    }

    /// <summary>
    /// Forgets ended calls past their retention and waiting calls that never heard their ending, at most
    /// <paramref name="most"/> of them (the store forgets them in one write, whose size this bounds); returns their ids.
    /// </summary>
    public IReadOnlyList<string> Prune(DateTimeOffset now, int most = int.MaxValue)
    {
        var forgotten = _calls
            .Where(c => now - c.Value.LastHeard > (c.Value.Ended ? EndedRetention : WaitingRetention))
            .Select(c => c.Key)
            .Take(most)
            .ToList();
        foreach (var callId in forgotten)
        {
            _calls.Remove(callId);
            _waiting.Remove(callId);
        }

        return forgotten;
    }

    /// <summary>Offered by now, and not so long ago that its ending must have been lost.</summary>
    private static bool IsWaiting(DateTimeOffset offered, DateTimeOffset now) => offered <= now && now - offered < WaitingRetention;

    private void Set(string callId, CallRecord call)
    {
        _calls[callId] = call;
        Waiting(callId, call);
    }

    private void Waiting(string callId, CallRecord call)
    {
        if (call is { Offered: { } offered, Ended: false })
        {
            _waiting[callId] = offered;
        }
        else
        {
            _waiting.Remove(callId);
        }
    }

    /// <summary>What every fact key of the line begins with: "call:999:".</summary>
    private string KeyHead => _keyHead ??= $"call:{Channel}:";
}
