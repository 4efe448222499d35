using Monitor.Domain.Forces;

namespace Monitor.Domain.Simulation;

/// <summary>
/// What a live demo switches on as it runs: one scenario every <c>every</c>, in a fixed rotation so that each
/// kind of alert shows within a few intervals, with places and districts drawn from the seed. Each one ends by
/// itself, so the alert it raises also clears: the unattended incident is attended after 25 minutes (a warning at
/// 15, a breach at 20), the 999 surge lasts 20 minutes (the last hour's service level falls below target), the
/// telephony feed goes quiet for 11 minutes (the quiet-feed warning is at 10), the burglary spike lasts 2 hours.
/// The telephony feed goes quiet once a rotation of six, so the call tiles move most of the time.
/// </summary>
public sealed class DemoScenarios
{
    /// <summary>The rotation, in firing order.</summary>
    public static readonly IReadOnlyList<string> Rotation = ["unattended", "surge-999", "quiet", "burglary-spike", "unattended", "burglary-spike"];

    private readonly Random _random;
    private readonly List<string> _districts;
    private readonly TimeSpan _every;
    private int _fired;

    public DemoScenarios(ForceDefinition force, int seed, DateTimeOffset start, TimeSpan every)
    {
        ArgumentNullException.ThrowIfNull(force);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        _random = new Random(seed);
        _districts = [.. force.Areas.Where(a => a.Level == AreaLevel.District).Select(a => a.Id)];
        _every = every;
        NextAt = start + every;
    }

    /// <summary>When the next scenario fires.</summary>
    public DateTimeOffset NextAt { get; private set; }

    /// <summary>
    /// The scenario due by <paramref name="now"/>, starting at its own time, or null. At most one a call: after a
    /// long pause (a laptop asleep) the missed ones are skipped rather than fired all at once.
    /// </summary>
    public SimulationScenario? Due(DateTimeOffset now)
    {
        if (NextAt > now)
        {
            return null;
        }

        var at = NextAt;
        NextAt = at + _every > now ? at + _every : now + _every;
        return Rotation[_fired++ % Rotation.Count] switch
        {
            "unattended" => new UnattendedIncident(District(), at, TimeSpan.FromMinutes(25)),
            "surge-999" => new CallSurge("999", at, at.AddMinutes(20), factor: 3, slower: 3),
            "quiet" => new QuietFeed(Feed.Calls, at, at.AddMinutes(11)),
            _ => new BurglarySpike(District(), at, at.AddHours(2), factor: 4),
        };
    }

    /// <summary>
    /// The shift written into a demo's history: recorded rape at about the report's old level (27 a month, 0.65 of
    /// the calibrated quarter's 42) until 8 months before now, so the monthly chart steps up as the report's did.
    /// </summary>
    public static StepChange HistoryStep(DateTimeOffset start, DateTimeOffset now) =>
        new("rape", start, now.AddMonths(-8), 0.65);

    private string District() => _districts[_random.Next(_districts.Count)];
}
