using Monitor.Domain.Events;
using Monitor.Domain.Incidents;
using Orleans.Concurrency;

namespace Monitor.Abstractions;

/// <summary>
/// A line's queue as the board shows it: callers waiting now, and since when the longest has waited; <c>ChangedAt</c>
/// is when a call event last changed those two, or null when that is not known (see <see cref="MeasureTile"/>).
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record CallQueueView(
    [property: Id(0)] string Force,
    [property: Id(1)] string Channel,
    [property: Id(2)] int Waiting,
    [property: Id(3)] DateTimeOffset? LongestWaitingSince,
    [property: Id(4)] DateTimeOffset AsOf,
    [property: Id(5)] DateTimeOffset? ChangedAt);

/// <summary>
/// The open emergency and priority incidents of one area as a board shows them: the longest open of each grade
/// (<see cref="OpenIncidentList.ListedPerGrade"/>), each with its clock start, and how many of each grade are open;
/// <c>ChangedAt</c> is when the area's view last changed, or null when that is not known (see <see cref="MeasureTile"/>).
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record OpenIncidentsView(
    [property: Id(0)] string Force,
    [property: Id(1)] string Area,
    [property: Id(2)] IReadOnlyList<OpenIncident> Incidents,
    [property: Id(4)] IReadOnlyDictionary<string, int> OpenByGrade,
    [property: Id(3)] DateTimeOffset AsOf,
    [property: Id(5)] DateTimeOffset? ChangedAt);

/// <summary>One line of a force (key <c>{force}/{channel}</c>): pairs call events into facts, keeps the queue.</summary>
public interface ICallQueueGrain : IGrainWithStringKey
{
    /// <summary>Applies the events in order; returns the positions that told nothing new. Returns once stored.</summary>
    /// <remarks>Events are immutable records: marked so, a call inside a silo hands them over without a copy.</remarks>
    Task<int[]> Apply(Immutable<IReadOnlyList<CallEvent>> events);

    Task<CallQueueView> GetQueue();

    /// <summary>The callers waiting now, longest first (the 999 wait alert reads it).</summary>
    Task<IReadOnlyList<Monitor.Domain.Calls.WaitingCall>> GetWaiting();
}

/// <summary>When each of a force's feeds last delivered anything (key <c>{force}</c>): a quiet feed means stale figures.</summary>
public interface IFeedActivityGrain : IGrainWithStringKey
{
    Task Touch(IReadOnlyList<string> feeds);

    Task<IReadOnlyDictionary<string, DateTimeOffset>> LastHeard();
}

/// <summary>
/// A share of a force's incidents (key <c>{force}/{share}</c>, share from <see cref="IncidentBook.ShareOf"/>):
/// each incident's lifecycle in any order, its response clock.
/// </summary>
public interface IIncidentBookGrain : IGrainWithStringKey
{
    /// <summary>Applies the events in order; returns the positions that told nothing new. Returns once stored.</summary>
    Task<int[]> Apply(Immutable<IReadOnlyList<IncidentEvent>> events);
}

/// <summary>A force's open emergency and priority incidents (key <c>{force}</c>), listed per area.</summary>
public interface IOpenIncidentsGrain : IGrainWithStringKey
{
    /// <summary>Records incidents as open (with their clocks) and others as attended or closed. Returns once stored.</summary>
    Task Update(Immutable<IReadOnlyList<OpenIncident>> opened, Immutable<IReadOnlyList<string>> leftOpen);

    /// <summary>The area's view: its longest open incidents of each grade and the count of each.</summary>
    Task<OpenIncidentsView> GetOpen(string area);

    /// <summary>Every open incident of the force, longest open first: what the alert sweep looks at.</summary>
    Task<Immutable<IReadOnlyList<OpenIncident>>> AllOpen();
}
