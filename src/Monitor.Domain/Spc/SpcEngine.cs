namespace Monitor.Domain.Spc;

/// <summary>
/// The control-chart engine: closed-period values in, both views of spc.md out. Pure: no I/O, no clock.
/// </summary>
public static class SpcEngine
{
    /// <summary>
    /// Charts the input. The points and phases are the chart recomputed from scratch; the events are the alert
    /// log a live monitor would have written had the points arrived one at a time. O(n) in the number of points.
    /// </summary>
    /// <exception cref="ChartInputException">The input cannot be charted; the message says why.</exception>
    public static ChartResult Compute(ChartInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problem = input.Problem();
        if (problem is not null)
            throw new ChartInputException(problem);

        var options = input.Options ?? SpcOptions.Default;
        var series = Series.From(input);
        var (marks, events) = PhaseTimeline.Replay(input.Kind, series, options, input.PhaseStarts ?? [], input.Carried);
        var (points, phases) = ChartView.Draw(input.Kind, series, options, marks, input.Carried);

        var last = points.LastOrDefault(point => point.Ghosted is null);
        return new ChartResult(
            input.Kind,
            points,
            phases,
            events,
            last is null ? null : VariationState.Of(last, input.Direction),
            last is null ? null : VariationState.Of(last, input.Direction, input.Target));
    }
}
