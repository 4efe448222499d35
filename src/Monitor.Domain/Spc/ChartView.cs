namespace Monitor.Domain.Spc;

/// <summary>
/// The chart as it stands after the last point: every point redrawn against the phase that now covers it,
/// with the signals of the patterns it belongs to (the whole run, the whole trend, the close points of a
/// two-of-three window), as NHSRplotthedots marks them.
/// </summary>
internal static class ChartView
{
    public static (List<ChartPoint> Points, List<ChartPhase> Phases) Draw(
        ChartKind kind, Series series, SpcOptions options, IReadOnlyList<PhaseMark> marks, CarriedPhase? carried)
    {
        var points = new List<ChartPoint>(series.Length);
        var phases = new List<ChartPhase>(marks.Count);
        var signals = new SignalSet[series.Length];

        for (var p = 0; p < marks.Count; p++)
        {
            var start = marks[p].Start;
            var end = p + 1 < marks.Count ? marks[p + 1].Start - 1 : series.Length - 1;
            PhaseLimits? limits;
            bool frozen;
            if (marks[p].Carried && carried is not null)
            {
                (limits, frozen) = (PhaseLimits.Carried(kind, carried, options), true);
            }
            else
            {
                var (baselineLast, full) = PhaseTimeline.BaselineEnd(series, start, end, options.BaselinePoints);
                (limits, frozen) = (PhaseLimits.Fit(kind, series, start, baselineLast, options), full);
            }

            phases.Add(new ChartPhase(start, end, limits?.Mean, limits?.Amr, limits?.SigmaZ, frozen, marks[p].Reason) { Carried = marks[p].Carried });
            if (limits is not null)
                MarkSignals(series, options, limits, start, end, signals);

            for (var j = start; j <= end; j++)
            {
                var at = limits?.At(series.Size[j]);
                points.Add(new ChartPoint(j, series.Value[j], limits?.Mean, at?.Lcl, at?.Ucl, at?.Lower2s, at?.Upper2s, p, signals[j].ToList())
                {
                    Ghosted = series.GhostReason[j],
                });
            }
        }
        return (points, phases);
    }

    private static void MarkSignals(Series series, SpcOptions options, PhaseLimits limits, int start, int end, SignalSet[] signals)
    {
        var tracker = default(PatternTracker);
        for (var j = start; j <= end; j++)
        {
            if (series.IsGhost(j))
                continue;
            tracker.Add(j, series.Value[j], limits.Mean, limits.At(series.Size[j]));
            var latest = tracker.SignalsAtLatest(options);

            signals[j] = signals[j]
                .With(latest.Has(Signal.BeyondUpper) ? Signal.BeyondUpper : null)
                .With(latest.Has(Signal.BeyondLower) ? Signal.BeyondLower : null);

            // A pattern is marked on every point of it once it is long enough; marking back happens once, when
            // it reaches the length, so each point is marked O(1) times.
            var trend = tracker.Trend;
            if (trend.Length >= options.Trend)
            {
                var signal = trend.Direction == Side.Above ? Signal.TrendUp : Signal.TrendDown;
                MarkBack(series, signals, trend.Length == options.Trend ? trend.Start : j, j, signal);
            }

            var run = tracker.Run;
            if (run.Length >= options.RunWarn)
            {
                var signal = run.Side == Side.Above ? Signal.RunAbove : Signal.RunBelow;
                MarkBack(series, signals, run.Length == options.RunWarn ? run.Start : j, j, signal);
            }

            if (tracker.TwoOfThreeSide != Side.None)
            {
                var side = tracker.TwoOfThreeSide;
                var signal = side == Side.Above ? Signal.TwoOfThreeUp : Signal.TwoOfThreeDown;
                var window = tracker.Window;
                foreach (var entry in (ReadOnlySpan<TwoOfThree.Entry>)[window.A, window.B, window.C])
                {
                    if (entry.Close == side)
                        signals[entry.Index] = signals[entry.Index].With(signal);
                }
            }
        }
    }

    private static void MarkBack(Series series, SignalSet[] signals, int from, int to, Signal signal)
    {
        for (var j = from; j <= to; j++)
        {
            if (!series.IsGhost(j))
                signals[j] = signals[j].With(signal);
        }
    }
}
