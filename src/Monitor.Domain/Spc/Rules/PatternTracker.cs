namespace Monitor.Domain.Spc;

/// <summary>
/// Feeds the points of one phase, in order, through every rule against that phase's limits, and says what
/// holds at the latest point. Ghosted points are never added: runs, trends and windows pass over them.
/// </summary>
internal struct PatternTracker
{
    private TrendCounter _trend;
    private RunCounter _run;
    private TwoOfThree.Window _window;

    public readonly TrendCounter Trend => _trend;

    public readonly RunCounter Run => _run;

    public readonly TwoOfThree.Window Window => _window;

    public Side Beyond { get; private set; }

    public Side TwoOfThreeSide { get; private set; }

    public void Add(int index, double value, double mean, PointLimits? limits)
    {
        Beyond = BeyondLimits.Check(value, limits);
        _trend.Add(index, value);
        var side = Sides.OfMean(value, mean);
        _run.Add(index, side);
        _window = _window.Push(new TwoOfThree.Entry(index, side, TwoOfThree.CloseToLimit(value, limits)));
        TwoOfThreeSide = TwoOfThree.Check(_window);
    }

    /// <summary>The signals that hold at the latest point; two-of-three is judged on the whole window ending there.</summary>
    public readonly SignalSet SignalsAtLatest(SpcOptions options)
    {
        var set = default(SignalSet);
        set = set.With(Beyond == Side.Above ? Signal.BeyondUpper : null)
                 .With(Beyond == Side.Below ? Signal.BeyondLower : null);
        if (_trend.Length >= options.Trend)
            set = set.With(_trend.Direction == Side.Above ? Signal.TrendUp : Signal.TrendDown);
        set = set.With(TwoOfThreeSide == Side.Above ? Signal.TwoOfThreeUp : TwoOfThreeSide == Side.Below ? Signal.TwoOfThreeDown : null);
        if (_run.Length >= options.RunWarn)
            set = set.With(_run.Side == Side.Above ? Signal.RunAbove : Signal.RunBelow);
        return set;
    }
}

/// <summary>A small set of signals kept as bits, listed in the order of <see cref="Signal"/>.</summary>
internal readonly record struct SignalSet(int Bits)
{
    public SignalSet With(Signal? signal) => signal is { } s ? new SignalSet(Bits | (1 << (int)s)) : this;

    public SignalSet With(SignalSet other) => new(Bits | other.Bits);

    public bool IsEmpty => Bits == 0;

    public bool Has(Signal signal) => (Bits & (1 << (int)signal)) != 0;

    public IReadOnlyList<Signal> ToList()
    {
        if (Bits == 0)
            return [];
        var list = new List<Signal>(2);
        foreach (var signal in Signals.InOrder)
        {
            if (Has(signal))
                list.Add(signal);
        }
        return list;
    }
}
