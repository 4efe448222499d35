namespace Monitor.Domain.Spc;

/// <summary>A phase as decided while the points arrived: where it starts and why.</summary>
internal readonly record struct PhaseMark(int Start, string Reason, bool Carried = false);

/// <summary>
/// Replays the points one at a time, as the live monitor receives them, and decides the phases: trial limits
/// refreshed each period until the baseline is full, then frozen; manual phase starts; and the automatic
/// re-baseline after a run. It writes the alert log as it goes, against the limits in force at each arrival.
/// Every phase rule of spc.md lives in this file.
/// </summary>
internal sealed class PhaseTimeline
{
    /// <summary>Reason of the first phase when no manual start is given at point 0.</summary>
    public const string InitialReason = "initial";

    /// <summary>Reason of a phase started by a run of <see cref="SpcOptions.RunRebase"/>.</summary>
    public const string RebaselinedReason = "rebaselined";

    private readonly ChartKind _kind;
    private readonly Series _series;
    private readonly SpcOptions _options;
    private readonly Dictionary<int, string> _manualStarts;
    private readonly CarriedPhase? _carried;
    private readonly List<PhaseMark> _phases = [];
    private readonly List<ChartEvent> _events = [];

    private int _phaseStart;
    private PhaseLimits? _limits;
    private bool _frozen;
    private PatternTracker _tracker;
    private int _warnedRunStart = -1;

    private PhaseTimeline(ChartKind kind, Series series, SpcOptions options, IReadOnlyList<PhaseStart> manualStarts, CarriedPhase? carried)
    {
        _kind = kind;
        _series = series;
        _options = options;
        _carried = carried;
        _manualStarts = [];
        foreach (var start in manualStarts)
        {
            if (start.Index < series.Length)
                _manualStarts.TryAdd(start.Index, string.IsNullOrWhiteSpace(start.Reason) ? "manual" : start.Reason);
        }
    }

    /// <summary>The phases and the alert log, in one pass: O(n·B) with B = baselinePoints, linear in n.</summary>
    public static (IReadOnlyList<PhaseMark> Phases, IReadOnlyList<ChartEvent> Events) Replay(
        ChartKind kind, Series series, SpcOptions options, IReadOnlyList<PhaseStart> manualStarts, CarriedPhase? carried = null)
    {
        var timeline = new PhaseTimeline(kind, series, options, manualStarts, carried);
        for (var i = 0; i < series.Length; i++)
            timeline.Arrive(i);
        return (timeline._phases, timeline._events);
    }

    /// <summary>
    /// The last point of a phase's baseline: the phase's first B non-ghosted points, or fewer if the phase
    /// (up to <paramref name="upTo"/>) is younger. Also says whether the baseline is full, i.e. frozen.
    /// </summary>
    public static (int Last, bool Full) BaselineEnd(Series series, int start, int upTo, int baselinePoints)
    {
        var points = 0;
        for (var j = start; j <= upTo; j++)
        {
            if (series.IsGhost(j))
                continue;
            if (++points == baselinePoints)
                return (j, true);
        }
        return (upTo, false);
    }

    private void Arrive(int i)
    {
        if (i == 0 && _carried is not null && !_manualStarts.ContainsKey(0))
            ContinueCarried(_carried);
        else if (i == 0)
            StartPhase(0, _manualStarts.GetValueOrDefault(0, InitialReason));
        else if (_manualStarts.TryGetValue(i, out var reason))
            StartPhase(i, reason);

        // A ghosted point is known to be wrong: it raises nothing and feeds no calculation.
        if (_series.IsGhost(i))
            return;

        if (!_frozen)
            Refit(i);
        else
            AddToTracker(i);

        var signals = _tracker.SignalsAtLatest(_options);
        foreach (var signal in signals.ToList())
            _events.Add(new ChartEvent(i, signal.AsEvent()));

        var run = _tracker.Run;
        if (run.Length >= _options.RunWarn && run.Start != _warnedRunStart)
        {
            _warnedRunStart = run.Start;
            _events.Add(new ChartEvent(i, EventKind.RunWarning));
        }

        if (_options.Rebaseline && run.Length >= _options.RunRebase && run.Start > _phaseStart)
            Rebaseline(i, run.Start);
    }

    /// <summary>
    /// A run long enough means the process has moved: a new phase starts at the run's first point, with trial
    /// limits from the run's points (refreshed each period until it has B points, then frozen).
    /// </summary>
    private void Rebaseline(int i, int runStart)
    {
        var fromMean = _limits!.Mean;
        StartPhase(runStart, RebaselinedReason);
        Refit(i);
        _events.Add(new ChartEvent(i, EventKind.Rebaselined) { FromMean = fromMean, ToMean = _limits!.Mean, RunStart = runStart });
    }

    /// <summary>The chart opens inside a phase fitted earlier: its frozen limits judge every point from the first.</summary>
    private void ContinueCarried(CarriedPhase carried)
    {
        StartPhase(0, carried.Reason, carried: true);
        _limits = PhaseLimits.Carried(_kind, carried, _options);
        _frozen = true;
    }

    private void StartPhase(int start, string reason, bool carried = false)
    {
        _phases.Add(new PhaseMark(start, reason, carried));
        _phaseStart = start;
        _limits = null;
        _frozen = false;
        _tracker = default;
        _warnedRunStart = -1;
    }

    /// <summary>Trial limits change with every point, so the phase's rules are re-run against the new ones.</summary>
    private void Refit(int i)
    {
        var (last, full) = BaselineEnd(_series, _phaseStart, i, _options.BaselinePoints);
        _limits = PhaseLimits.Fit(_kind, _series, _phaseStart, last, _options);
        _frozen = full;
        _tracker = default;
        for (var j = _phaseStart; j <= i; j++)
        {
            if (!_series.IsGhost(j))
                AddToTracker(j);
        }
    }

    private void AddToTracker(int j) =>
        _tracker.Add(j, _series.Value[j], _limits!.Mean, _limits.At(_series.Size[j]));
}
