using Monitor.Domain.Events;

namespace Monitor.Domain.Simulation;

/// <summary>The four feeds a simulated force sends; a scenario names the one it changes.</summary>
public enum Feed
{
    Calls,
    Incidents,
    Crimes,
    Recorded,
}

/// <summary>
/// One Poisson stream of the simulator: its feed, its kind (the call channel, incident grade or category) and,
/// for crimes and recorded incidents, where it happens (a district for crimes, a policing area otherwise).
/// </summary>
public sealed record StreamKey(Feed Feed, string Kind, string? Place);

/// <summary>
/// A change to the calibrated feed, switched on by name (<c>monitor simulate --scenario</c>). Scenarios are pure
/// functions of time and stream, so a seeded run with the same scenarios stays reproducible.
/// </summary>
public abstract class SimulationScenario
{
    /// <summary>The multiplier on the stream's calibrated rate at this instant (1: unchanged).</summary>
    public virtual double RateFactor(StreamKey stream, DateTimeOffset at) => 1;

    /// <summary>The multiplier on the answer time of a call offered on this line at this instant (1: unchanged).</summary>
    public virtual double AnswerTimeFactor(string line, DateTimeOffset at) => 1;

    /// <summary>When the scenario stops having any effect (the simulator then forgets it).</summary>
    public abstract DateTimeOffset End { get; }

    /// <summary>True when the event must not be sent (a feed that has gone quiet).</summary>
    public virtual bool Suppresses(MonitorEvent e) => false;

    /// <summary>Events of the scenario's own with a time in [from, until), beyond the calibrated streams.</summary>
    public virtual IEnumerable<MonitorEvent> Inject(string force, DateTimeOffset from, DateTimeOffset until) => [];

    /// <summary>How the scenario was set up, for the command's summary line.</summary>
    public abstract string Describe();

    /// <summary>The description, so a log line can take the scenario itself.</summary>
    public override string ToString() => Describe();
}

/// <summary>Residential burglary in one district multiplied by <paramref name="factor"/> during a window.</summary>
public sealed class BurglarySpike(string district, DateTimeOffset from, DateTimeOffset until, double factor) : SimulationScenario
{
    public override double RateFactor(StreamKey stream, DateTimeOffset at) =>
        stream is { Feed: Feed.Crimes, Kind: "residential-burglary" } && stream.Place == district && at >= from && at < until ? factor : 1;

    public override DateTimeOffset End => until;

    public override string Describe() => $"burglary-spike: residential burglary in {district} x{factor} from {from:O} to {until:O}";
}

/// <summary>
/// A lasting shift in one crime category from <paramref name="from"/> (a new level held for months, as the
/// report's re-baselined series show after 8 consecutive months on one side of the mean).
/// </summary>
public sealed class StepChange(string category, DateTimeOffset from, DateTimeOffset until, double factor) : SimulationScenario
{
    public override double RateFactor(StreamKey stream, DateTimeOffset at) =>
        stream.Feed == Feed.Crimes && stream.Kind == category && at >= from && at < until ? factor : 1;

    public override DateTimeOffset End => until;

    public override string Describe() => $"step-change: {category} x{factor} from {from:O} to {until:O}";
}

/// <summary>
/// Calls offered on one line multiplied by <paramref name="factor"/> during a window, and answered
/// <paramref name="slower"/> times more slowly: the same call takers cannot keep up, so the service level falls.
/// </summary>
public sealed class CallSurge(string channel, DateTimeOffset from, DateTimeOffset until, double factor, double slower = 1) : SimulationScenario
{
    public override double RateFactor(StreamKey stream, DateTimeOffset at) =>
        stream.Feed == Feed.Calls && stream.Kind == channel && at >= from && at < until ? factor : 1;

    public override double AnswerTimeFactor(string line, DateTimeOffset at) => line == channel && at >= from && at < until ? slower : 1;

    public override DateTimeOffset End => until;

    public override string Describe() => $"surge: {channel} calls x{factor}, answered x{slower} slower, from {from:O} to {until:O}";
}

/// <summary>
/// One emergency incident created, graded and dispatched at <paramref name="at"/> whose resource does not arrive:
/// the open-incidents board must show it ageing past the standard. With <paramref name="arrivesAfter"/> a
/// resource arrives that long after creation (a demo's alert then clears); without it, never.
/// </summary>
public sealed class UnattendedIncident(string district, DateTimeOffset at, TimeSpan? arrivesAfter = null) : SimulationScenario
{
    /// <summary>The incident id, fixed by its time so reruns send the same incident (and the server sees a duplicate, not a second one).</summary>
    public string IncidentId => $"INC-UNATTENDED-{at.UtcTicks}";

    public override IEnumerable<MonitorEvent> Inject(string force, DateTimeOffset from, DateTimeOffset until)
    {
        MonitorEvent[] steps =
        [
            new IncidentCreated($"{IncidentId}-created", force, at, IncidentId, district, "emergency", null),
            new IncidentGraded($"{IncidentId}-graded", force, at.AddSeconds(45), IncidentId, "emergency"),
            new IncidentDispatched($"{IncidentId}-dispatched", force, at.AddMinutes(2), IncidentId),
        ];
        if (arrivesAfter is { } late)
        {
            steps = [.. steps, new IncidentArrived($"{IncidentId}-arrived", force, at + late, IncidentId)];
        }

        return steps.Where(e => e.At >= from && e.At < until);
    }

    public override DateTimeOffset End => arrivesAfter is { } late ? at + late + TimeSpan.FromTicks(1) : DateTimeOffset.MaxValue;

    public override string Describe() => arrivesAfter is { } late
        ? $"unattended: emergency incident {IncidentId} in {district} at {at:O}, attended only after {late.TotalMinutes:0} minutes"
        : $"unattended: emergency incident {IncidentId} in {district} at {at:O}, never attended";
}

/// <summary>Nothing from one feed during a window (a link down): every event of that feed timed inside it is lost.</summary>
public sealed class QuietFeed(Feed stream, DateTimeOffset from, DateTimeOffset until) : SimulationScenario
{
    public override bool Suppresses(MonitorEvent e) => e.At >= from && e.At < until && FeedOf(e) == stream;

    public override DateTimeOffset End => until;

    public override string Describe() => $"quiet: the {stream.ToString().ToLowerInvariant()} feed sends nothing from {from:O} to {until:O}";

    private static Feed FeedOf(MonitorEvent e) => e switch
    {
        CallEvent => Feed.Calls,
        IncidentEvent => Feed.Incidents,
        CrimeRecorded => Feed.Crimes,
        _ => Feed.Recorded,
    };
}
