using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;

namespace Monitor.Domain.Incidents;

/// <summary>A grade the incident was given, and when.</summary>
public sealed record Grading(DateTimeOffset At, string Grade);

/// <summary>An emergency or priority incident not yet attended or closed: what the inspector's clock shows.</summary>
public sealed record OpenIncident(string IncidentId, string District, string Grade, DateTimeOffset ClockStart, int TargetMinutes);

/// <summary>The result of one lifecycle event: whether it told nothing new, and the facts it changed.</summary>
public sealed record IncidentOutcome(bool Duplicate, IReadOnlyList<Fact> Facts);

/// <summary>
/// One incident's life as far as it is known: created, graded, dispatched, arrived and closed may arrive in
/// any order and any number of times. The response clock follows the force's rule for the incident's grade
/// (start at the call, at the grading that gave the grade, or at the first dispatch; stop at the first
/// arrival). When a late event moves the clock, the response fact counted before is retracted and the new
/// one counted, so every figure holds each incident once.
/// </summary>
public sealed class IncidentLifecycle
{
    public required string IncidentId { get; init; }

    public string? District { get; set; }

    public DateTimeOffset? Created { get; set; }

    public string? GradeAtCreation { get; set; }

    public bool? Urban { get; set; }

    private List<Grading> _gradings = [];

    public List<Grading> Gradings { get => _gradings; init => _gradings = value; }

    public DateTimeOffset? FirstDispatch { get; set; }

    public DateTimeOffset? FirstArrival { get; set; }

    public DateTimeOffset? Closed { get; set; }

    /// <summary>The response fact counted now, if any: retracted when a late event changes it.</summary>
    public Fact? CountedResponse { get; set; }

    /// <summary>How many response facts were counted over the incident's life (each needs its own key).</summary>
    public int ResponseRevision { get; set; }

    /// <summary>The latest time of any event that changed the incident: what its retention counts from.</summary>
    public DateTimeOffset? LastHeard { get; set; }

    /// <summary>
    /// A copy that later changes to this one do not reach (its gradings are a list of its own): what a store in this
    /// process keeps, since the book goes on changing its incidents in place after they are stored.
    /// </summary>
    public IncidentLifecycle Copy()
    {
        var copy = (IncidentLifecycle)MemberwiseClone();
        copy._gradings = [.. _gradings];
        return copy;
    }

    /// <summary>Attended or closed: its response is known and it has left the open list.</summary>
    public bool Ended => FirstArrival is not null || Closed is not null;

    /// <summary>The grade in force at an instant: the latest grading at or before it, else the grade at creation.</summary>
    public string? GradeAt(DateTimeOffset at)
    {
        // Asked for every event of every incident: a plain walk, where LINQ allocated an iterator and two closures.
        Grading? latest = null, earliest = null;
        foreach (var grading in Gradings)
        {
            if (grading.At <= at && (latest is null || grading.At > latest.At))
            {
                latest = grading;
            }

            if (earliest is null || grading.At < earliest.At)
            {
                earliest = grading;
            }
        }

        return latest?.Grade ?? GradeAtCreation ?? earliest?.Grade;
    }

    /// <summary>The grade now: as at arrival for an attended incident, else the latest known.</summary>
    public string? CurrentGrade => GradeAt(FirstArrival ?? DateTimeOffset.MaxValue);

    public IncidentOutcome Apply(IncidentEvent e, ForceDefinition force)
    {
        var changed = e switch
        {
            IncidentCreated created => Create(created),
            IncidentGraded graded => Grade(graded),
            IncidentDispatched or IncidentArrived or IncidentClosed => RecordEarliest(e),
            _ => false,
        };

        if (!changed)
        {
            return new IncidentOutcome(true, []);
        }

        LastHeard = LastHeard is { } heard && heard >= e.At ? heard : e.At;

        var facts = new List<Fact>();
        if (e is IncidentCreated && District is not null && Created is { } at && GradeAtCreation is not null)
        {
            facts.Add(new Fact(FactKind.IncidentCreated, FactKey.Of("incident:", IncidentId, ":created"), at, District, Grade: GradeAtCreation));
        }

        var response = ResponseFact(force);
        if (response is null ? CountedResponse is not null : CountedResponse is null || response with { Key = CountedResponse.Key } != CountedResponse)
        {
            if (CountedResponse is not null)
            {
                facts.Add(CountedResponse.Retract());
            }

            if (response is not null)
            {
                ResponseRevision++;
                response = response with { Key = $"incident:{IncidentId}:attended:{ResponseRevision}" };
                facts.Add(response);
            }

            CountedResponse = response;
        }

        return new IncidentOutcome(false, facts);
    }

    /// <summary>The clock start under the force's rule for a grade, or null while it cannot be known.</summary>
    public DateTimeOffset? ClockStartFor(ResponseStandard standard, string grade) => standard.ClockStart switch
    {
        ClockStart.Call => Created,
        ClockStart.Dispatch => FirstDispatch,
        _ => GradedAt(grade),
    };

    /// <summary>The incident as the open list shows it, or null when it is not an open emergency or priority incident.</summary>
    public OpenIncident? AsOpen(ForceDefinition force)
    {
        if (FirstArrival is not null || Closed is not null || District is null || CurrentGrade is not { } grade)
        {
            return null;
        }

        if (StandardFor(force, grade) is not { } standard)
        {
            return null;
        }

        // Before dispatch a dispatch-rule clock has not started; the board still shows the incident from its creation.
        var start = ClockStartFor(standard, grade) ?? Created;
        return start is null ? null : new OpenIncident(IncidentId, District, grade, start.Value, TargetMinutes(standard));
    }

    public static ResponseStandard? StandardFor(ForceDefinition force, string grade) => grade switch
    {
        "emergency" => force.Emergency,
        "priority" => force.Priority,
        _ => null,
    };

    private int TargetMinutes(ResponseStandard standard) =>
        Urban == true && standard.UrbanTargetMinutes is { } urban ? urban : standard.TargetMinutes;

    private Fact? ResponseFact(ForceDefinition force)
    {
        if (District is null || FirstArrival is not { } arrival || CurrentGrade is not { } grade || StandardFor(force, grade) is not { } standard)
        {
            return null;
        }

        if (ClockStartFor(standard, grade) is not { } start)
        {
            return null;
        }

        var minutes = Math.Max(0, (arrival - start).TotalMinutes);
        return new Fact(
            FactKind.IncidentAttended,
            // A response counted gets a key with its revision (Apply); this one only stands for it until compared.
            FactKey.Of("incident:", IncidentId, ":attended"),
            start,
            District,
            Grade: grade,
            Duration: minutes,
            WithinTarget: minutes <= TargetMinutes(standard));
    }

    /// <summary>
    /// When the incident took the given grade: the first grading event of the latest unbroken run of it. The
    /// grade written at creation is the call-taker's first view; only with no grading at all does it count.
    /// </summary>
    private DateTimeOffset? GradedAt(string grade)
    {
        // Gradings almost always arrive in time order; only when they did not are they sorted (a stable sort, as
        // before). Asked on every event of an incident, so the usual case allocates nothing.
        var steps = Gradings;
        for (var i = 1; i < steps.Count; i++)
        {
            if (steps[i].At < steps[i - 1].At)
            {
                steps = [.. Gradings.OrderBy(g => g.At)];
                break;
            }
        }

        var any = false;
        DateTimeOffset? since = null;
        foreach (var step in steps)
        {
            if (FirstArrival is { } arrival && step.At > arrival)
            {
                continue;
            }

            any = true;
            if (step.Grade != grade)
            {
                since = null;
            }
            else
            {
                since ??= step.At;
            }
        }

        return any ? since : GradeAtCreation == grade ? Created : null;
    }

    private bool Create(IncidentCreated e)
    {
        if (Created is not null)
        {
            return false;
        }

        Created = e.At;
        District = e.Area;
        GradeAtCreation = e.Grade;
        Urban = e.Urban;
        return true;
    }

    private bool Grade(IncidentGraded e)
    {
        if (Gradings.Contains(new Grading(e.At, e.Grade)))
        {
            return false;
        }

        Gradings.Add(new Grading(e.At, e.Grade));
        return true;
    }

    /// <summary>A dispatch, arrival or closure counts from its first report: a later one changes nothing.</summary>
    private bool RecordEarliest(IncidentEvent e)
    {
        var known = e switch
        {
            IncidentDispatched => FirstDispatch,
            IncidentArrived => FirstArrival,
            _ => Closed,
        };
        if (known is { } earlier && earlier <= e.At)
        {
            return false;
        }

        switch (e)
        {
            case IncidentDispatched:
                FirstDispatch = e.At;
                break;
            case IncidentArrived:
                FirstArrival = e.At;
                break;
            default:
                Closed = e.At;
                break;
        }

        return true;
    }
}
